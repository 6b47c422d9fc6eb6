package sandbox_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

func TestStore_Call_SearchCustomers(t *testing.T) {
	s := sandbox.Fixture()
	t.Run("CountsEveryMatchAndLimits", func(t *testing.T) {
		want := customerWhere(s, func(c *sandbox.Customer) bool { return c.AccountStatus == "ENABLED" && c.City == "Toronto" })
		got := callInto[customerList](t, s, "search_customers",
			`{"query":"customer_account_status = ENABLED and customer_city = 'toronto'","limit":5}`)
		if got.Count != len(want) || len(got.Customers) != 5 {
			t.Fatalf("count %d with %d customers, want %d with 5", got.Count, len(got.Customers), len(want))
		}
		var ids []string
		for _, c := range got.Customers {
			ids = append(ids, c.ID)
		}
		if diff := cmp.Diff(want[:5], ids); diff != "" {
			t.Errorf("first five by ID (-want +got):\n%s", diff)
		}
		if got.Query != "customer_account_status = 'ENABLED' AND customer_city = 'toronto'" {
			t.Errorf("query echoed as %q, want the canonical form", got.Query)
		}
	})
	t.Run("NoQueryListsEveryone", func(t *testing.T) {
		got := callInto[customerList](t, s, "search_customers", `{}`)
		if got.Count != len(s.Customers) || len(got.Customers) != 50 {
			t.Errorf("count %d with %d customers, want %d with the default 50", got.Count, len(got.Customers), len(s.Customers))
		}
	})
	t.Run("ErrBadQuery", func(t *testing.T) {
		callErr(t, s, "search_customers", `{"query":"city = 'Toronto'"}`, sandbox.CodeInvalid,
			"query:1:1:", "did you mean customer_city")
	})
	t.Run("ErrWrongEnumCase", func(t *testing.T) {
		callErr(t, s, "search_customers", `{"query":"customer_account_status = 'enabled'"}`, sandbox.CodeInvalid, "ENABLED, DISABLED")
	})
	t.Run("ErrLimitTooHigh", func(t *testing.T) {
		callErr(t, s, "search_customers", `{"limit":251}`, sandbox.CodeBadRequest, "limit: 251 is above the maximum 250")
	})
}

func TestStore_Call_GetCustomer(t *testing.T) {
	s := sandbox.Fixture()
	t.Run("OK", func(t *testing.T) {
		got := callInto[struct {
			Customer     sandbox.Customer       `json:"customer"`
			RecentOrders []sandbox.OrderSummary `json:"recent_orders"`
		}](t, s, "get_customer", `{"customer_id":"cus_1001"}`)
		if diff := cmp.Diff(s.Customers[0], got.Customer); diff != "" {
			t.Errorf("customer (-want +got):\n%s", diff)
		}
		if len(got.RecentOrders) != min(5, got.Customer.OrdersCount) {
			t.Errorf("%d recent orders for %d orders", len(got.RecentOrders), got.Customer.OrdersCount)
		}
		for i, o := range got.RecentOrders {
			if o.CustomerID != "cus_1001" || i > 0 && o.CreatedAt.After(got.RecentOrders[i-1].CreatedAt) {
				t.Errorf("recent order %d (%s of %s at %s) is out of place", i, o.ID, o.CustomerID, o.CreatedAt)
			}
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		callErr(t, s, "get_customer", `{"customer_id":"cus_9999"}`, sandbox.CodeNotFound, "no customer with id cus_9999")
	})
	t.Run("ErrNotAnID", func(t *testing.T) {
		callErr(t, s, "get_customer", `{"customer_id":"Ava Smith"}`, sandbox.CodeBadRequest, "customer_id:", "cus_<digits>")
	})
	t.Run("ErrMissingID", func(t *testing.T) {
		callErr(t, s, "get_customer", `{}`, sandbox.CodeBadRequest, "customer_id: required")
	})
}

func TestStore_Call_UpdateCustomer(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := sandbox.Fixture()
		before := s.Customers[0]
		removed := before.Tags[0]
		got := callInto[struct {
			Customer sandbox.Customer `json:"customer"`
		}](t, s, "update_customer", `{"customer_id":"cus_1001","add_tags":["Spring-Sale ","VIP"],"remove_tags":["`+removed+`"],"email_marketing":"UNSUBSCRIBED"}`)
		want := slices.DeleteFunc(append(slices.Clone(before.Tags), "spring-sale", "vip"), func(t string) bool { return t == removed })
		slices.Sort(want)
		want = slices.Compact(want)
		if diff := cmp.Diff(want, got.Customer.Tags); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
		if got.Customer.EmailMarketing != "UNSUBSCRIBED" {
			t.Errorf("email_marketing = %s", got.Customer.EmailMarketing)
		}
		wantPaths := []string{"customers/cus_1001/email_marketing", "customers/cus_1001/tags"}
		if before.EmailMarketing == "UNSUBSCRIBED" {
			wantPaths = wantPaths[1:]
		}
		if diff := cmp.Diff(wantPaths, paths(sandbox.Diff(sandbox.Fixture(), s))); diff != "" {
			t.Errorf("changed paths (-want +got):\n%s", diff)
		}
	})
	s := sandbox.Fixture()
	t.Run("ErrNothingToChange", func(t *testing.T) {
		callErr(t, s, "update_customer", `{"customer_id":"cus_1001"}`, sandbox.CodeInvalid, "nothing to change")
	})
	t.Run("ErrAddAndRemove", func(t *testing.T) {
		callErr(t, s, "update_customer", `{"customer_id":"cus_1001","add_tags":["x"],"remove_tags":["X"]}`, sandbox.CodeInvalid, `"x"`)
	})
	t.Run("ErrBlankTag", func(t *testing.T) {
		callErr(t, s, "update_customer", `{"customer_id":"cus_1001","add_tags":["  "]}`, sandbox.CodeInvalid, "blank")
	})
	t.Run("ErrTagWithComma", func(t *testing.T) {
		callErr(t, s, "update_customer", `{"customer_id":"cus_1001","add_tags":["ok","a,b"]}`, sandbox.CodeBadRequest, "add_tags[1]:")
	})
	t.Run("ErrWrongEnum", func(t *testing.T) {
		callErr(t, s, "update_customer", `{"customer_id":"cus_1001","email_marketing":"subscribed"}`, sandbox.CodeBadRequest,
			"email_marketing:", "SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING")
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		callErr(t, s, "update_customer", `{"customer_id":"cus_1","add_tags":["vip"]}`, sandbox.CodeNotFound, "cus_1")
	})
}

func TestStore_Call_CreateSegment(t *testing.T) {
	const args = `{"name":"Toronto regulars","query":"customer_city = 'Toronto' AND number_of_orders >= 3"}`
	t.Run("OK", func(t *testing.T) {
		s := sandbox.Fixture()
		want := customerWhere(s, func(c *sandbox.Customer) bool { return c.City == "Toronto" && c.OrdersCount >= 3 })
		got := callInto[segmentResult](t, s, "create_segment", args)
		wantSeg := sandbox.Segment{ID: "seg_4", Name: "Toronto regulars", Query: "customer_city = 'Toronto' AND number_of_orders >= 3", CreatedAt: s.Now}
		if diff := cmp.Diff(wantSeg, got.Segment); diff != "" {
			t.Errorf("segment (-want +got):\n%s", diff)
		}
		if got.MemberCount != len(want) || len(want) == 0 {
			t.Errorf("member_count = %d, want %d (and more than 0)", got.MemberCount, len(want))
		}
		again := callInto[segmentResult](t, sandbox.Fixture(), "create_segment", args)
		if again.Segment.ID != got.Segment.ID {
			t.Errorf("a fresh fixture gave ID %s, then %s", got.Segment.ID, again.Segment.ID)
		}
	})
	s := sandbox.Fixture()
	callInto[segmentResult](t, s, "create_segment", args)
	t.Run("ErrDuplicateName", func(t *testing.T) {
		callErr(t, s, "create_segment", `{"name":" toronto REGULARS","query":"customer_city = 'Toronto'"}`, sandbox.CodeInvalid,
			"already exists", "seg_4")
	})
	t.Run("ErrBadQuery", func(t *testing.T) {
		callErr(t, s, "create_segment", `{"name":"x","query":"customer_tags = 'vip'"}`, sandbox.CodeInvalid, "query:1:15:", "CONTAINS")
	})
	t.Run("ErrMissingQuery", func(t *testing.T) {
		callErr(t, s, "create_segment", `{"name":"x"}`, sandbox.CodeBadRequest, "query: required")
	})
	t.Run("ErrBlankName", func(t *testing.T) {
		callErr(t, s, "create_segment", `{"name":"   ","query":"customer_city = 'A'"}`, sandbox.CodeInvalid, "blank")
	})
}

func TestStore_Call_ListSegments(t *testing.T) {
	s := sandbox.Fixture()
	got := callInto[struct {
		Segments []struct {
			sandbox.Segment
			MemberCount int `json:"member_count"`
		} `json:"segments"`
	}](t, s, "list_segments", `{}`)
	if len(got.Segments) != len(s.Segments) || len(got.Segments) < 2 {
		t.Fatalf("%d segments listed, store has %d", len(got.Segments), len(s.Segments))
	}
	for i, g := range got.Segments {
		q, err := sandbox.ParseQuery(g.Query)
		if err != nil {
			t.Fatal(err)
		}
		want := customerWhere(s, q.Match)
		if g.Segment != s.Segments[i] || g.MemberCount != len(want) {
			t.Errorf("segment %d: %+v with %d members, want %+v with %d", i, g.Segment, g.MemberCount, s.Segments[i], len(want))
		}
	}
}
