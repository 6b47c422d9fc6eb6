package sandbox_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
)

type orderList struct {
	Count  int                    `json:"count"`
	Orders []sandbox.OrderSummary `json:"orders"`
}

func TestStore_Call_SearchOrders(t *testing.T) {
	s := sandbox.Fixture()
	t.Run("ByCustomerNewestFirst", func(t *testing.T) {
		c := s.Customers[0]
		got := callInto[orderList](t, s, "search_orders", `{"customer_id":"`+c.ID+`","limit":250}`)
		if got.Count != c.OrdersCount || len(got.Orders) != c.OrdersCount || c.OrdersCount == 0 {
			t.Fatalf("%d orders (count %d), customer has %d", len(got.Orders), got.Count, c.OrdersCount)
		}
		if !got.Orders[0].CreatedAt.Equal(*c.LastOrderAt) {
			t.Errorf("newest order at %s, customer's last order at %s", got.Orders[0].CreatedAt, c.LastOrderAt)
		}
		for i := 1; i < len(got.Orders); i++ {
			if got.Orders[i].CreatedAt.After(got.Orders[i-1].CreatedAt) {
				t.Errorf("order %d is newer than order %d", i, i-1)
			}
		}
	})
	t.Run("WindowAndStatus", func(t *testing.T) {
		from, to := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
		want := 0
		for _, o := range s.Orders {
			if o.FinancialStatus == "REFUNDED" && !o.CreatedAt.Before(from) && o.CreatedAt.Before(to) {
				want++
			}
		}
		got := callInto[orderList](t, s, "search_orders",
			`{"financial_status":"REFUNDED","created_after":"2025-11-01","created_before":"2025-12-01","limit":250}`)
		if got.Count != want || want == 0 {
			t.Errorf("count %d, want %d (more than 0)", got.Count, want)
		}
		for _, o := range got.Orders {
			if o.FinancialStatus != "REFUNDED" || o.CreatedAt.Before(from) || !o.CreatedAt.Before(to) {
				t.Errorf("%s (%s at %s) is outside the filter", o.ID, o.FinancialStatus, o.CreatedAt)
			}
		}
	})
	t.Run("ErrUnknownCustomer", func(t *testing.T) {
		callErr(t, s, "search_orders", `{"customer_id":"cus_42"}`, sandbox.CodeNotFound, "no customer with id cus_42")
	})
	t.Run("ErrDateShape", func(t *testing.T) {
		callErr(t, s, "search_orders", `{"created_after":"01/11/2025"}`, sandbox.CodeBadRequest, "created_after:", "YYYY-MM-DD")
	})
	t.Run("ErrNoSuchDay", func(t *testing.T) {
		callErr(t, s, "search_orders", `{"created_before":"2025-02-30"}`, sandbox.CodeBadRequest, "created_before:", "not a real date")
	})
}

func TestStore_Call_GetOrder(t *testing.T) {
	s := sandbox.Fixture()
	t.Run("OK", func(t *testing.T) {
		got := callInto[struct {
			Order sandbox.Order `json:"order"`
		}](t, s, "get_order", `{"order_id":"ord_5001"}`)
		if diff := cmp.Diff(s.Orders[0], got.Order); diff != "" {
			t.Errorf("order (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		callErr(t, s, "get_order", `{"order_id":"ord_1"}`, sandbox.CodeNotFound, "no order with id ord_1")
	})
	t.Run("ErrOrderName", func(t *testing.T) {
		callErr(t, s, "get_order", `{"order_id":"#1001"}`, sandbox.CodeBadRequest, "ord_<digits>")
	})
}

type discountResult struct {
	Discount sandbox.Discount `json:"discount"`
}

func TestStore_Call_CreateDiscount(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s := sandbox.Fixture()
		got := callInto[discountResult](t, s, "create_discount",
			`{"title":"Summer 15","code":"SUMMER15","kind":"PERCENTAGE","value":15,"ends_at":"2026-08-31","usage_limit":100}`)
		end := time.Date(2026, 8, 31, 0, 0, 0, 0, time.UTC)
		want := sandbox.Discount{
			ID: "dsc_4", Title: "Summer 15", Code: "SUMMER15", Kind: "PERCENTAGE", Value: 15, AppliesTo: "ALL",
			ProductIDs: []string{}, StartsAt: s.Now, EndsAt: &end, UsageLimit: 100, Status: "ACTIVE", CreatedAt: s.Now,
		}
		if diff := cmp.Diff(want, got.Discount); diff != "" {
			t.Errorf("discount (-want +got):\n%s", diff)
		}
	})
	t.Run("ScheduledForSegment", func(t *testing.T) {
		s := sandbox.Fixture()
		seg := callInto[segmentResult](t, s, "create_segment", `{"name":"Big spenders","query":"amount_spent > 1000"}`)
		got := callInto[discountResult](t, s, "create_discount",
			`{"title":"Thanks","code":"thanks20","kind":"FIXED_AMOUNT","value":20,"applies_to":"SEGMENT","segment_id":"`+seg.Segment.ID+`","starts_at":"2026-07-15T09:00:00-04:00"}`)
		if got.Discount.Status != "SCHEDULED" || got.Discount.SegmentID != seg.Segment.ID ||
			!got.Discount.StartsAt.Equal(time.Date(2026, 7, 15, 13, 0, 0, 0, time.UTC)) {
			t.Errorf("discount = %+v, want SCHEDULED for %s from 13:00 UTC", got.Discount, seg.Segment.ID)
		}
	})
	t.Run("ForProducts", func(t *testing.T) {
		s := sandbox.Fixture()
		got := callInto[discountResult](t, s, "create_discount",
			`{"title":"Boots","code":"BOOTS","kind":"PERCENTAGE","value":10,"applies_to":"PRODUCTS","product_ids":["prod_2032","prod_2001","prod_2032"]}`)
		if diff := cmp.Diff([]string{"prod_2001", "prod_2032"}, got.Discount.ProductIDs); diff != "" {
			t.Errorf("product_ids (-want +got):\n%s", diff)
		}
	})
	s := sandbox.Fixture()
	for _, tt := range []struct {
		name, args, code, want string
	}{
		{"ErrDuplicateCode", `{"title":"x","code":"welcome10","kind":"PERCENTAGE","value":5}`, sandbox.CodeInvalid, "WELCOME10 already exists"},
		{"ErrPercentOver100", `{"title":"x","code":"BIG","kind":"PERCENTAGE","value":150}`, sandbox.CodeInvalid, "between 0 and 100"},
		{"ErrFixedWithoutValue", `{"title":"x","code":"FIX","kind":"FIXED_AMOUNT"}`, sandbox.CodeInvalid, "FIXED_AMOUNT needs value"},
		{"ErrFreeShippingValue", `{"title":"x","code":"SHIP","kind":"FREE_SHIPPING","value":5}`, sandbox.CodeInvalid, "takes no value"},
		{"ErrProductsWithoutIDs", `{"title":"x","code":"PRD","kind":"PERCENTAGE","value":5,"applies_to":"PRODUCTS"}`, sandbox.CodeInvalid, "needs product_ids"},
		{"ErrAllWithSegment", `{"title":"x","code":"ALLSEG","kind":"PERCENTAGE","value":5,"segment_id":"seg_1"}`, sandbox.CodeInvalid, "applies_to ALL"},
		{"ErrUnknownProduct", `{"title":"x","code":"PRD","kind":"PERCENTAGE","value":5,"applies_to":"PRODUCTS","product_ids":["prod_9"]}`, sandbox.CodeNotFound, "prod_9"},
		{"ErrUnknownSegment", `{"title":"x","code":"SEG","kind":"PERCENTAGE","value":5,"applies_to":"SEGMENT","segment_id":"seg_99"}`, sandbox.CodeNotFound, "seg_99"},
		{"ErrEndBeforeStart", `{"title":"x","code":"WIN","kind":"PERCENTAGE","value":5,"starts_at":"2026-08-01","ends_at":"2026-07-01"}`, sandbox.CodeInvalid, "must be after starts_at"},
		{"ErrBadCode", `{"title":"x","code":"SUMMER 15","kind":"PERCENTAGE","value":5}`, sandbox.CodeBadRequest, "code:"},
		{"ErrWrongKind", `{"title":"x","code":"K","kind":"percent","value":5}`, sandbox.CodeBadRequest, "kind:"},
	} {
		t.Run(tt.name, func(t *testing.T) { callErr(t, s, "create_discount", tt.args, tt.code, tt.want) })
	}
}

func TestStore_Call_ListDiscounts(t *testing.T) {
	s := sandbox.Fixture()
	callInto[discountResult](t, s, "create_discount", `{"title":"Ship","code":"SHIPFREE","kind":"FREE_SHIPPING"}`)
	got := callInto[struct {
		Discounts []sandbox.Discount `json:"discounts"`
	}](t, s, "list_discounts", `{}`)
	if diff := cmp.Diff(s.Discounts, got.Discounts); diff != "" || len(got.Discounts) != 4 {
		t.Errorf("discounts (-want +got):\n%s", diff)
	}
}
