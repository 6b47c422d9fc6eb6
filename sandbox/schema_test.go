package sandbox_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestTools(t *testing.T) {
	var names []string
	for _, tool := range sandbox.Tools() {
		names = append(names, tool.Function.Name)
		var params struct {
			Type                 string         `json:"type"`
			Properties           map[string]any `json:"properties"`
			AdditionalProperties *bool          `json:"additionalProperties"`
		}
		if err := json.Unmarshal(tool.Function.Parameters, &params); err != nil {
			t.Fatalf("%s: parameters: %v", tool.Function.Name, err)
		}
		if tool.Type != "function" || tool.Function.Description == "" || params.Type != "object" ||
			params.AdditionalProperties == nil || *params.AdditionalProperties {
			t.Errorf("%s: declaration %+v, parameters %+v", tool.Function.Name, tool, params)
		}
		schema, ok := sandbox.ToolSchema(tool.Function.Name)
		if !ok || string(schema) != string(tool.Function.Parameters) {
			t.Errorf("%s: ToolSchema disagrees with Tools", tool.Function.Name)
		}
	}
	for _, want := range []string{
		"search_customers", "get_customer", "update_customer", "create_segment", "list_segments",
		"search_products", "get_product", "update_product", "update_variant", "search_orders",
		"get_order", "create_discount", "sales_report",
	} {
		if !slices.Contains(names, want) {
			t.Errorf("Tools lacks %s", want)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(names)))) != len(names) {
		t.Errorf("duplicate tool names in %v", names)
	}
}

func TestToolSchema(t *testing.T) {
	if _, ok := sandbox.ToolSchema("delete_everything"); ok {
		t.Error("ToolSchema found a tool that does not exist")
	}
}

func TestIsWrite(t *testing.T) {
	var writes []string
	for _, tool := range sandbox.Tools() {
		if sandbox.IsWrite(tool.Function.Name) {
			writes = append(writes, tool.Function.Name)
		}
	}
	want := []string{"update_customer", "create_segment", "update_product", "update_variant", "create_discount"}
	if diff := cmp.Diff(want, writes); diff != "" {
		t.Errorf("write tools (-want +got):\n%s", diff)
	}
	if sandbox.IsWrite("nope") {
		t.Error("an unknown tool counts as a write")
	}
}

func TestValidateArgs(t *testing.T) {
	tests := []struct {
		name, tool, args string
		code, want       string // want is the full message; empty code means valid
	}{
		{"OK", "search_customers", `{"query":"x","limit":10}`, "", ""},
		{"EmptyArgsAreAnObject", "list_segments", ``, "", ""},
		{"NullArgsAreAnObject", "list_segments", `null`, "", ""},
		{"ErrUnknownTool", "delete_everything", `{}`, sandbox.CodeNotFound, ""},
		{"ErrNotJSON", "list_segments", `{oops`, sandbox.CodeBadRequest, ""},
		{"ErrNotAnObject", "get_customer", `["cus_1001"]`, sandbox.CodeBadRequest,
			"get_customer: invalid arguments: arguments: got array, want object"},
		{"ErrFieldPaths", "update_customer", `{"add_tags":["ok",7],"email_marketing":"yes","extra":1}`, sandbox.CodeBadRequest,
			`update_customer: invalid arguments: add_tags[1]: got number, want string; customer_id: required; ` +
				`email_marketing: "yes" is not one of SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING (exact spelling); ` +
				`extra: unknown argument; update_customer takes add_tags, customer_id, email_marketing, remove_tags`},
		{"ErrWrongType", "search_orders", `{"limit":"10"}`, sandbox.CodeBadRequest,
			"search_orders: invalid arguments: limit: got string, want integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sandbox.ValidateArgs(tt.tool, json.RawMessage(tt.args))
			if tt.code == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var te *sandbox.ToolError
			if !errors.As(err, &te) || te.Code != tt.code {
				t.Fatalf("err = %v, want a *ToolError with code %s", err, tt.code)
			}
			if tt.want != "" && te.Message != tt.want {
				t.Errorf("message:\n got %s\nwant %s", te.Message, tt.want)
			}
			if wantEnum := strings.Contains(tt.want, "is not one of"); te.Enum != wantEnum {
				t.Errorf("Enum = %v, want %v", te.Enum, wantEnum)
			}
		})
	}
}

func TestEnums(t *testing.T) {
	e := sandbox.Enums()
	want := map[string][]string{
		"customer_account_status":         {"ENABLED", "DISABLED", "INVITED", "DECLINED"},
		"email_subscription_status":       {"SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"},
		"update_customer.email_marketing": {"SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"},
		"update_product.status":           {"ACTIVE", "DRAFT", "ARCHIVED"},
		"search_orders.financial_status":  {"PAID", "PENDING", "REFUNDED", "PARTIALLY_REFUNDED"},
		"create_discount.kind":            {"PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"},
		"create_discount.applies_to":      {"ALL", "PRODUCTS", "SEGMENT"},
		"sales_report.group_by":           {"none", "day", "month", "product", "customer", "city"},
	}
	for k, w := range want {
		if diff := cmp.Diff(w, e[k]); diff != "" {
			t.Errorf("Enums()[%q] (-want +got):\n%s", k, diff)
		}
	}
	e["customer_account_status"][0] = "CHANGED"
	if sandbox.Enums()["customer_account_status"][0] != "ENABLED" {
		t.Error("Enums returned shared slices")
	}
}

func TestStore_Exists(t *testing.T) {
	s := sandbox.Fixture()
	for id, want := range map[string]bool{
		"cus_1001": true, "cus_1400": true, "cus_1401": false, "prod_2001": true, "var_3001": true,
		"ord_5001": true, "seg_1": true, "dsc_1": true, "seg_9": false, "cus_": false, "foo": false, "": false,
	} {
		if got := s.Exists(id); got != want {
			t.Errorf("Exists(%q) = %v, want %v", id, got, want)
		}
	}
	if !sandbox.IDPattern.MatchString("see ord_5001.") || sandbox.IDPattern.MatchString("xcus_1001") {
		t.Error("IDPattern does not find IDs on word boundaries")
	}
}

func TestToolError_Is(t *testing.T) {
	err := error(&sandbox.ToolError{Code: sandbox.CodeNotFound, Message: "no customer"})
	if !errors.Is(err, &sandbox.ToolError{Code: sandbox.CodeNotFound}) {
		t.Error("a 404 does not match a bare 404 target")
	}
	if errors.Is(err, &sandbox.ToolError{Code: sandbox.CodeInvalid}) {
		t.Error("a 404 matches a 422 target")
	}
}

// TestStore_Call_Deterministic plays the same calls on two fresh fixtures
// and expects the same bytes back, generated IDs included.
func TestStore_Call_Deterministic(t *testing.T) {
	calls := [][2]string{
		{"create_segment", `{"name":"A","query":"customer_city = 'Ottawa'"}`},
		{"create_discount", `{"title":"A","code":"AAA","kind":"PERCENTAGE","value":5,"applies_to":"SEGMENT","segment_id":"seg_4"}`},
		{"search_customers", `{"query":"customer_tags CONTAINS 'vip'","limit":250}`},
		{"sales_report", `{"start_date":"2025-01-01","end_date":"2026-06-30","group_by":"customer","limit":500}`},
		{"list_segments", `{}`},
	}
	run := func() []string {
		s := sandbox.Fixture()
		var out []string
		for _, c := range calls {
			res, err := s.Call(c[0], json.RawMessage(c[1]))
			if err != nil {
				t.Fatalf("%s: %v", c[0], err)
			}
			out = append(out, string(res))
		}
		return out
	}
	if diff := cmp.Diff(run(), run()); diff != "" {
		t.Errorf("second run differs (-first +second):\n%s", diff)
	}
}

func BenchmarkStore_Call(b *testing.B) {
	for _, bc := range [][2]string{
		{"get_customer", `{"customer_id":"cus_1200"}`},
		{"search_customers", `{"query":"customer_account_status = 'ENABLED' AND customer_city = 'Toronto'"}`},
		{"sales_report", `{"start_date":"2025-01-01","end_date":"2026-06-30","group_by":"product"}`},
	} {
		b.Run("tool="+bc[0], func(b *testing.B) {
			s := sandbox.Fixture()
			for b.Loop() {
				if _, err := s.Call(bc[0], json.RawMessage(bc[1])); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}
