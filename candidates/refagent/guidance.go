package refagent

import (
	"slices"
	"strings"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/transcript"
)

// guidancePrefix separates a tool's result from the notes jit attaches.
const guidancePrefix = "\n\nGuidance: "

// outcome says which results of a tool a rule attaches its note to.
type outcome int

const (
	onAny outcome = iota
	onSuccess
	onRefusal
)

// rule attaches note to the results of tools (nil: every tool) with the
// given outcome, when the page (empty: any) and the flag ("key=value";
// empty: none needed) match the request's context.
type rule struct {
	tools []string
	on    outcome
	page  string
	flag  string
	note  *note
}

// Tool groups the rules share.
var (
	queryTools  = []string{"search_customers", "create_segment"}
	searchTools = []string{"search_customers", "search_products", "search_orders"}
	lookupTools = []string{"search_customers", "get_customer", "list_segments", "search_products",
		"get_product", "search_orders", "get_order", "list_discounts"}
	idTools = []string{"get_customer", "update_customer", "get_product", "update_product",
		"update_variant", "get_order", "search_orders", "create_discount"}
	writeTools = []string{"update_customer", "create_segment", "update_product", "update_variant",
		"create_discount"}
	numberTools = []string{"search_customers", "search_products", "search_orders", "get_order",
		"get_customer", "list_segments", "sales_report"}
)

// rules is the jit table. A result gets every matching rule's note, in
// table order, each once.
var rules = []rule{
	{tools: queryTools, on: onAny, note: noteQuery},
	{tools: searchTools, on: onSuccess, note: noteCounts},
	{tools: lookupTools, on: onSuccess, note: noteIDs},
	{tools: idTools, on: onRefusal, note: noteIDs},
	{tools: searchTools, on: onSuccess, note: noteBulk},
	{tools: []string{"get_customer", "update_customer", "list_segments"}, on: onAny, note: noteCustomers},
	{tools: []string{"search_products", "get_product", "update_product", "update_variant"}, on: onAny, note: noteProducts},
	{tools: []string{"search_orders", "get_order"}, on: onAny, note: noteOrders},
	{tools: []string{"sales_report"}, on: onAny, note: noteReport},
	{tools: []string{"create_discount", "list_discounts"}, on: onAny, note: noteDiscounts},
	{tools: numberTools, on: onSuccess, note: noteNumbers},
	{tools: writeTools, on: onSuccess, note: noteWrites},
	{on: onRefusal, note: noteRefusal},
	{tools: []string{"search_customers", "create_segment", "list_segments"}, on: onSuccess, page: "discounts", note: noteSegmentDiscount},
	{tools: []string{"list_segments", "create_segment"}, on: onSuccess, page: "customers", note: noteSegmentMembers},
	{tools: []string{"search_customers", "get_customer", "create_segment"}, on: onAny, flag: "b2b=true", note: noteB2B},
}

// Guidance returns the notes jit attaches to a result of tool, refused or
// not, for a request from page context pc, in the order it attaches them.
// It is the rules table only: the agent also leaves out notes the
// conversation has already shown, unless the call was refused. The table
// knows the pages "discounts" and "customers" (compared without case) and
// the flag b2b=true; other pages and flags change nothing.
func Guidance(tool string, refused bool, pc candidates.PageContext) []string {
	var out []string
	for _, n := range guidanceNotes(tool, refused, pc) {
		out = append(out, n.text)
	}
	return out
}

func guidanceNotes(tool string, refused bool, pc candidates.PageContext) []*note {
	var out []*note
	for i := range rules {
		r := &rules[i]
		if r.matches(tool, refused, pc) && !slices.Contains(out, r.note) {
			out = append(out, r.note)
		}
	}
	return out
}

func (r *rule) matches(tool string, refused bool, pc candidates.PageContext) bool {
	switch {
	case r.on == onSuccess && refused, r.on == onRefusal && !refused:
		return false
	case r.tools != nil && !slices.Contains(r.tools, tool):
		return false
	case r.page != "" && !strings.EqualFold(r.page, strings.TrimSpace(pc.Page)):
		return false
	}
	return r.flag == "" || flagSet(pc.Flags, r.flag)
}

// flagSet reports whether flags hold key=value, values compared without
// case so that "True" and "true" mean the same.
func flagSet(flags map[string]string, kv string) bool {
	key, want, _ := strings.Cut(kv, "=")
	got, ok := flags[key]
	return ok && strings.EqualFold(strings.TrimSpace(got), want)
}

// attach returns the tool result res with the notes it earns appended. A
// successful result skips notes already shown in the conversation (seen);
// a refusal repeats them, since the model just got that very thing wrong.
func attach(res transcript.Message, pc candidates.PageContext, seen func(*note) bool) transcript.Message {
	var texts []string
	for _, n := range guidanceNotes(res.Name, res.Error, pc) {
		if res.Error || !seen(n) {
			texts = append(texts, n.text)
		}
	}
	if len(texts) > 0 {
		res.Content += guidancePrefix + strings.Join(texts, "\n")
	}
	return res
}

// shownIn returns a seen func for attach: whether a tool message among
// the conversations carries the note already.
func shownIn(convs ...[]transcript.Message) func(*note) bool {
	return func(n *note) bool {
		for _, msgs := range convs {
			for _, m := range msgs {
				if m.Role == transcript.RoleTool && strings.Contains(m.Content, n.text) {
					return true
				}
			}
		}
		return false
	}
}
