package sandbox_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestFixture_Shop(t *testing.T) {
	s := sandbox.Fixture()
	if want := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC); !s.Now.Equal(want) {
		t.Errorf("Now = %s, want %s", s.Now, want)
	}
	if s.Shop.Name != "Maple & Pine Outfitters" || s.Shop.Currency != "CAD" {
		t.Errorf("shop = %+v", s.Shop)
	}
	within := func(what string, n, lo, hi int) {
		if n < lo || n > hi {
			t.Errorf("%d %s, want %d to %d", n, what, lo, hi)
		}
	}
	within("customers", len(s.Customers), 380, 420)
	within("products", len(s.Products), 36, 46)
	within("orders", len(s.Orders), 1100, 1300)
	within("segments", len(s.Segments), 2, 3)
	within("discounts", len(s.Discounts), 2, 3)
	cities := map[string]int{}
	for _, c := range s.Customers {
		cities[c.City]++
	}
	within("Toronto customers", cities["Toronto"], 24, 60)
	for _, c := range []string{"Vancouver", "Montreal", "Calgary", "Ottawa", "Halifax", "Winnipeg", "Seattle", "New York"} {
		if cities[c] == 0 {
			t.Errorf("no customers in %s", c)
		}
	}
	for _, p := range s.Products {
		within(p.ID+" variants", len(p.Variants), 1, 4)
	}
}

// TestFixture_EveryEnumValue checks the fixture is mixed enough for
// filters to matter: every status value occurs.
func TestFixture_EveryEnumValue(t *testing.T) {
	s := sandbox.Fixture()
	seen := map[string]map[string]bool{}
	note := func(field, v string) {
		if seen[field] == nil {
			seen[field] = map[string]bool{}
		}
		seen[field][v] = true
	}
	for _, c := range s.Customers {
		note("customer_account_status", c.AccountStatus)
		note("email_subscription_status", c.EmailMarketing)
	}
	for _, p := range s.Products {
		note("update_product.status", p.Status)
	}
	for _, o := range s.Orders {
		note("search_orders.financial_status", o.FinancialStatus)
		note("search_orders.fulfillment_status", o.FulfillmentStatus)
	}
	for field, values := range seen {
		want := sandbox.Enums()[field]
		got := slices.Sorted(func(yield func(string) bool) {
			for v := range values {
				if !yield(v) {
					return
				}
			}
		})
		if diff := cmp.Diff(slices.Sorted(slices.Values(want)), got); diff != "" {
			t.Errorf("%s values in the fixture (-want +got):\n%s", field, diff)
		}
	}
}

// TestFixture_DerivedFromOrders recomputes every customer's spend, order
// count and last order from the orders, and checks the orders' own sums.
func TestFixture_DerivedFromOrders(t *testing.T) {
	s := sandbox.Fixture()
	type derived struct {
		spent sandbox.Money
		count int
		last  time.Time
	}
	want := map[string]*derived{}
	for _, o := range s.Orders {
		var sub sandbox.Money
		for _, li := range o.LineItems {
			sub += li.Price * sandbox.Money(li.Quantity)
		}
		if sub != o.Subtotal || o.Total != o.Subtotal-o.DiscountTotal || o.TotalRefunded > o.Total || len(o.LineItems) == 0 {
			t.Errorf("%s: subtotal %s (lines %s), discount %s, total %s, refunded %s", o.ID, o.Subtotal, sub, o.DiscountTotal, o.Total, o.TotalRefunded)
		}
		d := want[o.CustomerID]
		if d == nil {
			d = &derived{}
			want[o.CustomerID] = d
		}
		d.count++
		if o.FinancialStatus != sandbox.FinancialPending {
			d.spent += o.Total - o.TotalRefunded
		}
		if o.CreatedAt.After(d.last) {
			d.last = o.CreatedAt
		}
	}
	for _, c := range s.Customers {
		d := want[c.ID]
		if d == nil {
			d = &derived{}
		}
		last := time.Time{}
		if c.LastOrderAt != nil {
			last = *c.LastOrderAt
		}
		if c.AmountSpent != d.spent || c.OrdersCount != d.count || !last.Equal(d.last) {
			t.Errorf("%s: spent %s, %d orders, last %s; orders say %s, %d, %s",
				c.ID, c.AmountSpent, c.OrdersCount, last, d.spent, d.count, d.last)
		}
	}
}

func TestFixture_References(t *testing.T) {
	s := sandbox.Fixture()
	ids := map[string]bool{}
	unique := func(id string) {
		if !sandbox.IDPattern.MatchString(id) || ids[id] {
			t.Errorf("ID %q is malformed or repeated", id)
		}
		ids[id] = true
	}
	for _, c := range s.Customers {
		unique(c.ID)
	}
	for _, p := range s.Products {
		unique(p.ID)
		for _, v := range p.Variants {
			unique(v.ID)
		}
	}
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, o := range s.Orders {
		unique(o.ID)
		c := s.Customers[slices.IndexFunc(s.Customers, func(c sandbox.Customer) bool { return c.ID == o.CustomerID })]
		if o.CreatedAt.Before(from) || !o.CreatedAt.Before(s.Now) || o.CreatedAt.Before(c.CreatedAt) {
			t.Errorf("%s placed at %s, outside 2025-01..now or before %s signed up", o.ID, o.CreatedAt, c.ID)
		}
		for _, li := range o.LineItems {
			if !s.Exists(li.ProductID) || !s.Exists(li.VariantID) {
				t.Errorf("%s refers to %s/%s", o.ID, li.ProductID, li.VariantID)
			}
		}
	}
	for _, g := range s.Segments {
		q, err := sandbox.ParseQuery(g.Query)
		if err != nil || q.String() != g.Query {
			t.Errorf("segment %s query %q is not canonical: %v", g.ID, g.Query, err)
		}
	}
	for _, d := range s.Discounts {
		if d.SegmentID != "" && !s.Exists(d.SegmentID) {
			t.Errorf("discount %s refers to %s", d.Code, d.SegmentID)
		}
	}
}

// TestFixture_Tags checks tags look like a real shop's: the common ones
// occur, none is named after a status or a city, except the few "toronto"
// tags kept as a trap for agents that filter on tags.
func TestFixture_Tags(t *testing.T) {
	s := sandbox.Fixture()
	forbidden := map[string]bool{}
	for _, values := range sandbox.Enums() {
		for _, v := range values {
			forbidden[strings.ToLower(v)] = true
		}
	}
	count := map[string]int{}
	for _, c := range s.Customers {
		forbidden[strings.ToLower(c.City)] = true
		for _, tag := range c.Tags {
			count[tag]++
		}
		if !slices.IsSorted(c.Tags) {
			t.Errorf("%s tags %v are not sorted", c.ID, c.Tags)
		}
	}
	for tag := range count {
		if forbidden[tag] && tag != "toronto" {
			t.Errorf("tag %q is named after a status or city", tag)
		}
	}
	for _, tag := range []string{"vip", "wholesale", "newsletter", "local-pickup", "returning"} {
		if count[tag] == 0 {
			t.Errorf("no customer is tagged %s", tag)
		}
	}
	if count["toronto"] < 1 || count["toronto"] > 3 {
		t.Errorf("%d customers tagged toronto, want 1 to 3", count["toronto"])
	}
	emptySEO := slices.ContainsFunc(s.Products, func(p sandbox.Product) bool { return p.SEO.Description == "" })
	if !emptySEO {
		t.Error("every product has an SEO description; the fixture needs gaps to fill")
	}
}

func TestFixture_FreshCopies(t *testing.T) {
	a := sandbox.Fixture()
	a.Customers[0].Tags = append(a.Customers[0].Tags, "changed")
	a.Segments = nil
	b := sandbox.Fixture()
	if slices.Contains(b.Customers[0].Tags, "changed") || len(b.Segments) == 0 {
		t.Error("Fixture returned a store that shares state with an earlier copy")
	}
}
