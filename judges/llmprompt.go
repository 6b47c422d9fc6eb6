package judges

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// resultClip bounds each tool result quoted to a judge: long listings are
// cut, with the count of what was cut, so one search cannot crowd out the
// rest of the session.
const resultClip = 3000

// judgeIntro opens every judge's system prompt.
const judgeIntro = `You are a judge in Merchant Arena. A merchant (a shop owner) talked with an AI store assistant ("the assistant", the build under test) that works on the merchant's store through tools. A sandbox ran every tool call and recorded its result or refusal: trust those records, never the assistant's account of what it did.

You score one criterion. Read the evidence, apply the instructions strictly, and reply with JSON only:
- score: a number on the criterion's scale;
- rationale: two or three sentences naming the evidence for the score;
- cited_turns: the merchant turn numbers the rationale relies on ([] when none).`

// promptContext is the part of a judge's prompt every criterion of one
// session shares, rendered once.
type promptContext struct {
	profile  string
	goals    string
	card     string // the merchant's facts, unknowns and stop, for merchant criteria
	session  string
	findings string
	checks   string
	turns    map[int]bool
}

func newPromptContext(ev *Evidence, stage1 Verdict) *promptContext {
	pc := &promptContext{turns: map[int]bool{}}
	for _, s := range ev.Steps {
		pc.turns[s.Turn] = true
	}
	pc.profile = profileText(ev)
	pc.goals = goalsText(ev)
	pc.card = merchantCardText(ev)
	pc.session = sessionText(ev)
	pc.findings = findingsText(stage1.Findings)
	pc.checks = checksText(stage1.Goals)
	return pc
}

// messages is the request of one task: the criterion in the system
// message, the evidence in the user message.
func (pc *promptContext) messages(t task) []transcript.Message {
	return []transcript.Message{
		{Role: transcript.RoleSystem, Content: systemText(t.crit)},
		{Role: transcript.RoleUser, Content: pc.evidence(t)},
	}
}

func systemText(c Criterion) string {
	var b strings.Builder
	b.WriteString(judgeIntro)
	fmt.Fprintf(&b, "\n\nCriterion: %s", c.ID)
	if c.Description != "" {
		fmt.Fprintf(&b, " (%s)", c.Description)
	}
	fmt.Fprintf(&b, "\nScale: %s.\n\nInstructions:\n%s", c.Scale, strings.TrimSpace(c.Prompt))
	return b.String()
}

func (pc *promptContext) evidence(t task) string {
	parts := []string{pc.profile, pc.goals}
	if g := t.goal; g != nil {
		s := fmt.Sprintf("## The goal to judge\n%s: %s", g.ID, g.Request)
		if g.SuccessTest != "" {
			s += "\nSuccess test: " + g.SuccessTest
		}
		parts = append(parts, s)
	}
	if t.crit.Subject == SubjectMerchant {
		parts = append(parts, pc.card)
	}
	parts = append(parts, pc.session, pc.findings, pc.checks)
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}

func profileText(ev *Evidence) string {
	p := ev.Card.Profile
	var fields []string
	for _, f := range [][2]string{{"shop", p.Shop}, {"industry", p.Industry}, {"expertise", p.Expertise}, {"tone", p.Tone}, {"language", p.Language}} {
		if f[1] != "" {
			fields = append(fields, f[0]+": "+f[1])
		}
	}
	if len(fields) == 0 {
		return ""
	}
	return "## The merchant\n" + strings.Join(fields, "; ")
}

func goalsText(ev *Evidence) string {
	var b strings.Builder
	b.WriteString("## The merchant's goals")
	if ev.Simulated {
		b.WriteString(" (a simulated merchant pursued them in its own order and words)")
	}
	if len(ev.Card.Goals) == 0 {
		b.WriteString("\n(none recorded)")
	}
	for _, g := range ev.Card.Goals {
		fmt.Fprintf(&b, "\n- %s: %s", g.ID, g.Request)
		if g.SuccessTest != "" {
			fmt.Fprintf(&b, "\n  Success test: %s", g.SuccessTest)
		}
	}
	return b.String()
}

func merchantCardText(ev *Evidence) string {
	c := ev.Card
	var b strings.Builder
	b.WriteString("## The merchant's card\nFacts the merchant may reveal when relevant or asked:")
	bullets(&b, c.Facts)
	b.WriteString("\nThings the merchant does not know:")
	bullets(&b, c.Unknowns)
	fmt.Fprintf(&b, "\nThe merchant ended the session with stop reason %q.", ev.StopReason)
	if len(ev.MerchantGoals) > 0 {
		var st []string
		for _, g := range c.Goals {
			if s, ok := ev.MerchantGoals[g.ID]; ok {
				st = append(st, g.ID+" "+s)
			}
		}
		fmt.Fprintf(&b, "\nIts own last word on its goals: %s.", strings.Join(st, ", "))
	}
	return b.String()
}

func bullets(b *strings.Builder, items []string) {
	if len(items) == 0 {
		b.WriteString("\n(none)")
	}
	for _, it := range items {
		b.WriteString("\n- " + it)
	}
}

// sessionText renders the session by merchant turn: merchant text,
// assistant text, and each tool call with the arguments and the result or
// refusal the sandbox recorded. The build's own copies of tool results
// are left out; a call the sandbox never saw is marked so.
func sessionText(ev *Evidence) string {
	r := callIndex(ev.Calls)
	var b strings.Builder
	fmt.Fprintf(&b, "## The session (status %s)", statusOf(ev))
	turn := 0
	for _, s := range ev.Steps {
		if s.Turn != turn {
			r.flush(&b, turn)
			turn = s.Turn
			fmt.Fprintf(&b, "\n\n### Turn %d", turn)
		}
		switch s.Role {
		case transcript.RoleUser:
			b.WriteString("\nMerchant: " + s.Content)
		case transcript.RoleAssistant:
			if strings.TrimSpace(s.Content) != "" {
				b.WriteString("\nAssistant: " + s.Content)
			}
			for _, tc := range s.ToolCalls {
				r.write(&b, s.Turn, tc)
			}
		}
	}
	r.flush(&b, turn)
	r.rest(&b)
	return b.String()
}

func statusOf(ev *Evidence) Status {
	if ev.Status == "" {
		return StatusOK
	}
	return ev.Status
}

// callRenderer matches the build's tool calls to the sandbox's records by
// turn and call ID; builds may reuse call IDs across turns.
type callRenderer struct {
	calls []sandbox.CallRecord
	used  []bool
	byKey map[string][]int
}

func callIndex(calls []sandbox.CallRecord) *callRenderer {
	r := &callRenderer{calls: calls, used: make([]bool, len(calls)), byKey: map[string][]int{}}
	for i, c := range calls {
		if c.CallID != "" {
			k := fmt.Sprintf("%d/%s", c.Turn, c.CallID)
			r.byKey[k] = append(r.byKey[k], i)
		}
	}
	return r
}

func (r *callRenderer) write(b *strings.Builder, turn int, tc transcript.ToolCall) {
	k := fmt.Sprintf("%d/%s", turn, tc.ID)
	for _, i := range r.byKey[k] {
		if !r.used[i] {
			r.used[i] = true
			writeCall(b, r.calls[i])
			return
		}
	}
	fmt.Fprintf(b, "\nAssistant called %s %s\n  The sandbox recorded no such call.", tc.Function.Name, tc.Function.Arguments)
}

// flush writes the turn's recorded calls no assistant message mentioned.
func (r *callRenderer) flush(b *strings.Builder, turn int) {
	for i, c := range r.calls {
		if !r.used[i] && c.Turn == turn {
			r.used[i] = true
			writeCall(b, c)
		}
	}
}

// rest writes recorded calls of turns without messages.
func (r *callRenderer) rest(b *strings.Builder) {
	header := false
	for i, c := range r.calls {
		if r.used[i] {
			continue
		}
		if !header {
			b.WriteString("\n\n### Calls recorded in turns without messages")
			header = true
		}
		fmt.Fprintf(b, "\n(turn %d)", c.Turn)
		writeCall(b, c)
	}
}

func writeCall(b *strings.Builder, c sandbox.CallRecord) {
	fmt.Fprintf(b, "\nAssistant called %s %s", c.Tool, string(c.Arguments))
	if c.Error != "" {
		fmt.Fprintf(b, "\n  The sandbox refused: %s", clipText(c.Error, resultClip))
		return
	}
	fmt.Fprintf(b, "\n  The sandbox returned: %s", clipText(string(c.Result), resultClip))
}

func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n-- // never split a character
	}
	return fmt.Sprintf("%s… (%d more characters)", s[:n], len(s)-n)
}

func findingsText(fs []Finding) string {
	var b strings.Builder
	b.WriteString("## What the procedural checks found")
	if len(fs) == 0 {
		b.WriteString("\nNothing wrong.")
	}
	for _, f := range fs {
		b.WriteString("\n- ")
		if f.Turn > 0 {
			fmt.Fprintf(&b, "turn %d, ", f.Turn)
		}
		if f.Tool != "" {
			fmt.Fprintf(&b, "%s, ", f.Tool)
		}
		gate := "reported"
		if f.Gate {
			gate = "fails the gate"
		}
		fmt.Fprintf(&b, "%s (%s): %s", f.Rule, gate, f.Message)
	}
	return b.String()
}

func checksText(goals []GoalResult) string {
	var b strings.Builder
	b.WriteString("## The goal checks against the final store and the replies")
	if len(goals) == 0 {
		b.WriteString("\n(no goal)")
	}
	for _, g := range goals {
		if g.Met {
			fmt.Fprintf(&b, "\n- %s: met", g.Goal)
			continue
		}
		fmt.Fprintf(&b, "\n- %s: not met (%s)", g.Goal, goalRationale(g))
	}
	return b.String()
}
