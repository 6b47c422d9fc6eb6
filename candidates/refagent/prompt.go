package refagent

import (
	"maps"
	"slices"
	"strings"

	"github.com/merchantarena/merchantarena/candidates"
)

// intro opens both system prompts.
const intro = "You are the store assistant in a merchant's admin. You run their shop through the tools: " +
	"customers, segments, products and variants, orders, discounts and sales reports. Do what the " +
	"merchant asks with the tools, then answer briefly in plain words."

// principles are the monolith's rules of conduct.
var principles = []string{
	"Do every task the tools can do; never decline one or send the merchant to do it by hand.",
	"Look things up before you act: use only IDs that a tool returned or the merchant gave.",
	"Make a change when the request is clear. Ask the merchant to confirm first only when the request " +
		"is ambiguous about which records or what to change, above all before changing many records.",
	"Report numbers exactly as the tools returned them.",
	"Never claim a change the tools did not make. If a call is refused, fix it and call again, or say " +
		"plainly what failed.",
}

// jitRules is all the jit prompt says beyond the intro; the rest arrives
// beside the tool results.
const jitRules = "Use the tools for every task they can do. Use only the facts, numbers and IDs the tools " +
	"gave, and never claim a change they did not make. A tool result may end with Guidance notes on " +
	"that tool; follow them."

// systemPrompt returns the system prompt of the build for a request from
// page context pc.
func systemPrompt(m mode, pc candidates.PageContext) string {
	var b strings.Builder
	b.WriteString(intro)
	if m == modeMonolith {
		writeMonolith(&b)
	} else {
		b.WriteString("\n\n" + jitRules)
	}
	if c := contextLine(pc); c != "" {
		b.WriteString("\n\n" + c)
	}
	return b.String()
}

// writeMonolith writes the principles and every note, each under the
// condition jit would attach it on.
func writeMonolith(b *strings.Builder) {
	b.WriteString("\n\nRules:")
	for _, p := range principles {
		b.WriteString("\n- " + p)
	}
	b.WriteString("\n\nHow to use the tools:")
	for _, n := range notes {
		b.WriteString("\n- " + n.when + n.text)
	}
}

// contextLine tells the model the admin page and flags, in a stable order
// so that equal contexts give equal prompts.
func contextLine(pc candidates.PageContext) string {
	var parts []string
	if p := strings.TrimSpace(pc.Page); p != "" {
		parts = append(parts, "The merchant is on the "+p+" page of the admin.")
	}
	if len(pc.Flags) > 0 {
		kv := make([]string, 0, len(pc.Flags))
		for _, k := range slices.Sorted(maps.Keys(pc.Flags)) {
			kv = append(kv, k+"="+pc.Flags[k])
		}
		parts = append(parts, "Flags: "+strings.Join(kv, ", ")+".")
	}
	if len(parts) == 0 {
		return ""
	}
	return "Context: " + strings.Join(parts, " ")
}
