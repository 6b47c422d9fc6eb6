package refagent_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/refagent"
	"github.com/merchantarena/merchantarena/sandbox"
)

// markers tell the notes apart by a phrase only that note holds.
var markers = map[string]string{
	"query":            "Segment queries",
	"counts":           "count is the total number of matches",
	"ids":              "Use only IDs that a tool returned",
	"bulk":             "If the merchant asked you to change what you found",
	"customers":        "get_customer shows one customer",
	"products":         "search_products matches every word",
	"orders":           "search_orders lists orders newest first",
	"report":           "sales_report counts every order",
	"discounts":        "create_discount: kind PERCENTAGE",
	"numbers":          "Report numbers exactly as the tool returned them",
	"writes":           "A write changes the store only as its result shows",
	"refusal":          "A refused call changed nothing",
	"segment-discount": "A discount for a group of customers takes two steps",
	"segment-members":  "Segment member counts are current",
	"b2b":              "This shop sells wholesale",
}

// noteIDs names the notes in texts by their markers, in order.
func noteIDs(t *testing.T, texts []string) []string {
	t.Helper()
	var out []string
	for _, text := range texts {
		var ids []string
		for id, m := range markers {
			if strings.Contains(text, m) {
				ids = append(ids, id)
			}
		}
		if len(ids) != 1 {
			t.Fatalf("note matches markers %v, want exactly one: %.120q", ids, text)
		}
		out = append(out, ids[0])
	}
	return out
}

func TestGuidance(t *testing.T) {
	none := candidates.PageContext{}
	tests := []struct {
		name    string
		tool    string
		refused bool
		pc      candidates.PageContext
		want    []string
	}{
		{name: "SearchCustomers", tool: "search_customers", pc: none,
			want: []string{"query", "counts", "ids", "bulk", "numbers"}},
		{name: "SearchCustomersRefused", tool: "search_customers", refused: true, pc: none,
			want: []string{"query", "refusal"}},
		{name: "CreateSegment", tool: "create_segment", pc: none, want: []string{"query", "writes"}},
		{name: "CreateDiscountRefused", tool: "create_discount", refused: true, pc: none,
			want: []string{"ids", "discounts", "refusal"}},
		{name: "UpdateCustomer", tool: "update_customer", pc: none, want: []string{"customers", "writes"}},
		{name: "SalesReport", tool: "sales_report", pc: none, want: []string{"report", "numbers"}},
		{name: "UnknownToolRefused", tool: "delete_everything", refused: true, pc: none, want: []string{"refusal"}},
		{name: "DiscountsPage", tool: "search_customers", pc: candidates.PageContext{Page: " Discounts "},
			want: []string{"query", "counts", "ids", "bulk", "numbers", "segment-discount"}},
		{name: "DiscountsPageRefused", tool: "search_customers", refused: true, pc: candidates.PageContext{Page: "discounts"},
			want: []string{"query", "refusal"}},
		{name: "CustomersPage", tool: "list_segments", pc: candidates.PageContext{Page: "customers"},
			want: []string{"ids", "customers", "numbers", "segment-members"}},
		{name: "B2BFlag", tool: "get_customer", pc: candidates.PageContext{Flags: map[string]string{"b2b": "TRUE"}},
			want: []string{"ids", "customers", "numbers", "b2b"}},
		{name: "B2BFlagOff", tool: "get_customer", pc: candidates.PageContext{Flags: map[string]string{"b2b": "false"}},
			want: []string{"ids", "customers", "numbers"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := noteIDs(t, refagent.Guidance(tc.tool, tc.refused, tc.pc))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("notes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGuidance_sandbox holds the words against the sandbox they describe,
// so a new field, enum value or tool cannot go unmentioned.
func TestGuidance_sandbox(t *testing.T) {
	mono, _ := prompts(t, candidates.PageContext{})
	t.Run("QueryNoteNamesEveryFieldAndValue", func(t *testing.T) {
		note := queryNote(t)
		for _, f := range sandbox.QueryFields() {
			for _, w := range append([]string{f.Name}, f.Enum...) {
				if !strings.Contains(note, w) {
					t.Errorf("query note lacks %q (field %s)", w, f.Name)
				}
			}
			for _, op := range f.Operators {
				if !regexp.MustCompile(`[ (]` + regexp.QuoteMeta(op) + `[ ),;.]`).MatchString(note) {
					t.Errorf("query note lacks operator %q (field %s)", op, f.Name)
				}
			}
		}
	})
	t.Run("EveryToolHasGuidance", func(t *testing.T) {
		for _, tl := range sandbox.Tools() {
			name := tl.Function.Name
			if !strings.Contains(mono, name) {
				t.Errorf("monolith prompt never names %s", name)
			}
			ids := noteIDs(t, refagent.Guidance(name, false, candidates.PageContext{}))
			if len(ids) == 0 || slices.Equal(ids, []string{"numbers"}) {
				t.Errorf("jit has no guidance on how to use %s (notes %v)", name, ids)
			}
		}
	})
	t.Run("MonolithNamesEveryEnumValue", func(t *testing.T) {
		for arg, values := range sandbox.Enums() {
			for _, v := range values {
				if !strings.Contains(mono, v) {
					t.Errorf("monolith prompt lacks %s value %q", arg, v)
				}
			}
		}
	})
	t.Run("MonolithHoldsEveryNote", func(t *testing.T) {
		for id, m := range markers {
			if !strings.Contains(mono, m) {
				t.Errorf("monolith prompt lacks note %s", id)
			}
		}
	})
}
