package sandbox_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestQueryArgument(t *testing.T) {
	tests := []struct {
		name, tool, args string
		want             string
		ok               bool
	}{
		{"SearchCustomers", "search_customers", `{"query":"customer_city = 'Toronto'"}`, "customer_city = 'Toronto'", true},
		{"CreateSegment", "create_segment", `{"name":"x","query":"amount_spent > 5"}`, "amount_spent > 5", true},
		{"FreeTextIsNotAQuery", "search_products", `{"query":"merino"}`, "", false},
		{"Empty", "search_customers", `{"query":""}`, "", false},
		{"Absent", "search_customers", `{"limit":5}`, "", false},
		{"BadJSON", "search_customers", `{`, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := sandbox.QueryArgument(tt.tool, json.RawMessage(tt.args))
			if got != tt.want || ok != tt.ok {
				t.Errorf("QueryArgument = %q, %v; want %q, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestQueryEnums(t *testing.T) {
	got := sandbox.QueryEnums()
	want := []string{"ENABLED", "DISABLED", "INVITED", "DECLINED"}
	if diff := cmp.Diff(want, got["customer_account_status"]); diff != "" {
		t.Errorf("customer_account_status (-want +got):\n%s", diff)
	}
	for k := range got {
		if _, err := sandbox.ParseQuery(k + " = 'X'"); err == nil {
			t.Errorf("%s = 'X' parsed; an enum field must refuse unknown values", k)
		}
	}
	if _, ok := got["update_customer.email_marketing"]; ok {
		t.Error("QueryEnums holds tool argument enums")
	}
}
