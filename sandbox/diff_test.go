package sandbox_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestDiff(t *testing.T) {
	t.Run("NoChanges", func(t *testing.T) {
		if d := sandbox.Diff(sandbox.Fixture(), sandbox.Fixture()); len(d) != 0 {
			t.Errorf("two fresh fixtures differ: %v", d)
		}
	})
	t.Run("Changes", func(t *testing.T) {
		want, got := sandbox.Fixture(), sandbox.Fixture()
		callInto[segmentResult](t, want, "create_segment", `{"name":"Only In Want","query":"amount_spent > 5"}`)
		callInto[map[string]any](t, got, "update_variant", `{"variant_id":"var_3001","price":150}`)
		wantChanges := []sandbox.Change{
			{Path: "segments/only in want/name", Want: `"Only In Want"`},
			{Path: "segments/only in want/query", Want: `"amount_spent > 5"`},
			{Path: "variants/var_3001/price", Want: "189.00", Got: "150.00"},
		}
		if diff := cmp.Diff(wantChanges, sandbox.Diff(want, got)); diff != "" {
			t.Errorf("Diff (-want +got):\n%s", diff)
		}
	})
	t.Run("NaturalKeysAcrossSessions", func(t *testing.T) {
		a, b := sandbox.Fixture(), sandbox.Fixture()
		for _, c := range [][2]string{
			{"create_segment", `{"name":"Ottawa","query":"customer_city = 'Ottawa'"}`},
			{"create_segment", `{"name":"Big spenders","query":"amount_spent > 1000"}`},
			{"create_discount", `{"title":"Big","code":"BIG10","kind":"PERCENTAGE","value":10,"applies_to":"SEGMENT","segment_id":"seg_5"}`},
		} {
			callInto[map[string]any](t, a, c[0], c[1])
		}
		// The same work in another order gives other IDs, and no difference.
		for _, c := range [][2]string{
			{"create_segment", `{"name":"Big spenders","query":"amount_spent > 1000"}`},
			{"create_discount", `{"title":"Big","code":"big10","kind":"PERCENTAGE","value":10,"applies_to":"SEGMENT","segment_id":"seg_4"}`},
			{"create_segment", `{"name":"ottawa","query":"customer_city = \"Ottawa\""}`},
		} {
			callInto[map[string]any](t, b, c[0], c[1])
		}
		d := sandbox.Diff(a, b)
		wantPaths := []string{"discounts/BIG10/code", "segments/ottawa/name"} // spelled differently, as the values show
		if diff := cmp.Diff(wantPaths, paths(d)); diff != "" {
			t.Errorf("Diff paths (-want +got):\n%s\n%v", diff, d)
		}
	})
}

func TestStore_Flatten(t *testing.T) {
	s := sandbox.Fixture()
	f := s.Flatten()
	v := s.Products[0].Variants[0]
	for k, want := range map[string]string{
		"shop/name":                                      `"Maple & Pine Outfitters"`,
		"customers/cus_1001/tags":                        mustJSON(t, s.Customers[0].Tags),
		"variants/" + v.ID + "/price":                    v.Price.String(),
		"variants/" + v.ID + "/product_id":               `"prod_2001"`,
		"segments/vip customers/query":                   `"customer_tags CONTAINS 'vip'"`,
		"discounts/VIP15/segment":                        `"vip customers"`,
		"discounts/WELCOME10/segment":                    `""`,
		"orders/ord_5001/customer_id":                    mustJSON(t, s.Orders[0].CustomerID),
		"products/prod_2001/seo":                         mustJSON(t, s.Products[0].SEO),
		"customers/cus_1001/last_order_at":               mustJSON(t, s.Customers[0].LastOrderAt),
		"customers/cus_1001/email_marketing":             mustJSON(t, s.Customers[0].EmailMarketing),
		"orders/ord_5001/line_items":                     mustJSON(t, s.Orders[0].LineItems),
		"discounts/BFCM25/usage_limit":                   "500",
		"customers/" + s.Customers[1].ID + "/tax_exempt": mustJSON(t, s.Customers[1].TaxExempt),
	} {
		if f[k] != want {
			t.Errorf("Flatten()[%q] = %s, want %s", k, f[k], want)
		}
	}
	for _, k := range []string{"segments/vip customers/id", "segments/vip customers/created_at", "discounts/VIP15/id",
		"discounts/VIP15/segment_id", "customers/cus_1001/id", "products/prod_2001/variants", "seq/segment"} {
		if _, ok := f[k]; ok {
			t.Errorf("Flatten() has %s, which should be left out", k)
		}
	}
}

func TestStore_Clone(t *testing.T) {
	s := sandbox.Fixture()
	c := s.Clone()
	c.Customers[0].Tags[0] = "changed"
	*c.Customers[0].LastOrderAt = c.Now
	c.Orders[0].LineItems[0].Quantity = 99
	c.Discounts[1].EndsAt = nil
	for i := range c.Products {
		for j := range c.Products[i].Variants {
			if cp := c.Products[i].Variants[j].CompareAtPrice; cp != nil {
				*cp = 1
			}
		}
	}
	if d := sandbox.Diff(sandbox.Fixture(), s); len(d) != 0 {
		t.Errorf("changing the clone changed the original: %v", d)
	}
	if d := sandbox.Diff(s, c); len(d) < 4 {
		t.Errorf("the clone shows only %d changes: %v", len(d), d)
	}
}

func mustJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func BenchmarkStore_Flatten(b *testing.B) {
	s := sandbox.Fixture()
	for b.Loop() {
		s.Flatten()
	}
	b.ReportMetric(float64(len(s.Flatten())), "keys")
}

func TestStore_ChangesFrom(t *testing.T) {
	base := sandbox.Fixture()
	s := base.Clone()
	calls := []struct{ tool, args string }{
		{"update_customer", `{"customer_id":"cus_1001","add_tags":["wholesale-lead"]}`},
		{"update_variant", `{"variant_id":"var_3001","price":51}`},
		{"create_segment", `{"name":"Big spenders","query":"amount_spent > 1000"}`},
		{"get_customer", `{"customer_id":"cus_1002"}`},
	}
	for _, c := range calls {
		if _, err := s.Call(c.tool, json.RawMessage(c.args)); err != nil {
			t.Fatalf("%s: %v", c.tool, err)
		}
	}
	if diff := cmp.Diff(sandbox.Diff(base, s), s.ChangesFrom(base)); diff != "" {
		t.Errorf("ChangesFrom disagrees with Diff (-Diff +ChangesFrom):\n%s", diff)
	}
	if got := base.Clone().ChangesFrom(base); len(got) != 0 {
		t.Errorf("an untouched clone has changes: %v", got)
	}
}
