package sandbox

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

var orderTools = []*tool{
	{
		name: "search_orders",
		desc: "Find orders, newest first. Every filter is optional; created_after is inclusive, created_before exclusive. " +
			"Returns the total number of matches and up to limit orders.",
		params: object(nil, map[string]schema{
			"customer_id":        idOf("cus", "only this customer's orders"),
			"financial_status":   enumOf("only orders with this payment status", financialStatuses),
			"fulfillment_status": enumOf("only orders with this fulfillment status", fulfillmentStatuses),
			"created_after":      date("only orders placed on or after this day"),
			"created_before":     date("only orders placed before this day"),
			"limit":              limit(50, 250),
		}),
		run: handle(searchOrders),
	},
	{
		name: "get_order",
		desc: "Get one order with its line items.",
		params: object([]string{"order_id"}, map[string]schema{
			"order_id": idOf("ord", "order ID, e.g. ord_5001"),
		}),
		run: handle(getOrder),
	},
	{
		name: "create_discount",
		desc: "Create a discount code. PERCENTAGE takes value 1-100, FIXED_AMOUNT an amount off, FREE_SHIPPING no value. " +
			"applies_to PRODUCTS needs product_ids, SEGMENT needs segment_id (see list_segments).",
		params: object([]string{"title", "code", "kind"}, map[string]schema{
			"title":       str("internal title", 1, 255),
			"code":        codeSchema(),
			"kind":        enumOf("what the discount does", discountKinds),
			"value":       number("percentage (PERCENTAGE) or amount off (FIXED_AMOUNT)", 0),
			"applies_to":  enumOf("who or what gets it (default ALL)", discountTargets),
			"product_ids": arrayOf(idOf("prod", "product ID"), "products it applies to (applies_to PRODUCTS)", 50),
			"segment_id":  idOf("seg", "customer segment it is limited to (applies_to SEGMENT)"),
			"starts_at":   timestamp("when it starts (default now)"),
			"ends_at":     timestamp("when it ends (default never)"),
			"usage_limit": integer("how many times it can be used in total (default unlimited)", 1, 1_000_000),
		}),
		write: true,
		run:   handle(createDiscount),
	},
	{
		name:   "list_discounts",
		desc:   "List the shop's discount codes.",
		params: object(nil, map[string]schema{}),
		run: handle(func(s *Store, _ struct{}) (any, error) {
			return struct {
				Discounts []Discount `json:"discounts"`
			}{append([]Discount{}, s.Discounts...)}, nil
		}),
	},
}

func codeSchema() schema {
	s := str("the code customers type; letters, digits, - and _ (unique, case-insensitive)", 3, 32)
	s["pattern"] = "^[A-Za-z0-9_-]+$"
	return s
}

func timestamp(desc string) schema {
	return schema{"type": "string", "description": desc + " (YYYY-MM-DD or RFC 3339)",
		"pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?$`}
}

// OrderSummary is the short form of an order in search results.
type OrderSummary struct {
	ID                string    `json:"id"`
	Name              string    `json:"name"`
	CustomerID        string    `json:"customer_id"`
	CreatedAt         time.Time `json:"created_at"`
	FinancialStatus   string    `json:"financial_status"`
	FulfillmentStatus string    `json:"fulfillment_status"`
	Items             int       `json:"items"`
	DiscountCode      string    `json:"discount_code"`
	Total             Money     `json:"total"`
}

func summarizeOrder(o *Order) OrderSummary {
	items := 0
	for _, li := range o.LineItems {
		items += li.Quantity
	}
	return OrderSummary{
		ID: o.ID, Name: o.Name, CustomerID: o.CustomerID, CreatedAt: o.CreatedAt,
		FinancialStatus: o.FinancialStatus, FulfillmentStatus: o.FulfillmentStatus,
		Items: items, DiscountCode: o.DiscountCode, Total: o.Total,
	}
}

// newestFirst orders by creation time, latest first, then by ID.
func newestFirst(a, b *Order) int {
	if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

func (s *Store) ordersOf(customerID string) []*Order {
	var out []*Order
	for i := range s.Orders {
		if s.Orders[i].CustomerID == customerID {
			out = append(out, &s.Orders[i])
		}
	}
	slices.SortFunc(out, newestFirst)
	return out
}

type searchOrdersArgs struct {
	CustomerID        string `json:"customer_id"`
	FinancialStatus   string `json:"financial_status"`
	FulfillmentStatus string `json:"fulfillment_status"`
	CreatedAfter      string `json:"created_after"`
	CreatedBefore     string `json:"created_before"`
	Limit             *int   `json:"limit"`
}

func searchOrders(s *Store, a searchOrdersArgs) (any, error) {
	if a.CustomerID != "" {
		if _, err := s.mustCustomer(a.CustomerID); err != nil {
			return nil, err
		}
	}
	after, err := parseDay("created_after", a.CreatedAfter)
	if err != nil {
		return nil, err
	}
	before, err := parseDay("created_before", a.CreatedBefore)
	if err != nil {
		return nil, err
	}
	var hits []*Order
	for i := range s.Orders {
		o := &s.Orders[i]
		if a.CustomerID != "" && o.CustomerID != a.CustomerID ||
			a.FinancialStatus != "" && o.FinancialStatus != a.FinancialStatus ||
			a.FulfillmentStatus != "" && o.FulfillmentStatus != a.FulfillmentStatus ||
			!after.IsZero() && o.CreatedAt.Before(after) ||
			!before.IsZero() && !o.CreatedAt.Before(before) {
			continue
		}
		hits = append(hits, o)
	}
	slices.SortFunc(hits, newestFirst)
	out := struct {
		Count  int            `json:"count"`
		Orders []OrderSummary `json:"orders"`
	}{Count: len(hits), Orders: []OrderSummary{}}
	for _, o := range hits[:min(len(hits), orDefault(a.Limit, 50))] {
		out.Orders = append(out.Orders, summarizeOrder(o))
	}
	return out, nil
}

// parseDay reads an optional YYYY-MM-DD argument as midnight UTC. The
// schema has checked the shape; this catches days that do not exist.
func parseDay(arg, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, toolErrorf(CodeBadRequest, "%s: %q is not a real date", arg, v)
	}
	return t, nil
}

func getOrder(s *Store, a idArgs) (any, error) {
	if o := s.order(a.OrderID); o != nil {
		return struct {
			Order *Order `json:"order"`
		}{o}, nil
	}
	return nil, notFound("order", a.OrderID, "find orders with search_orders")
}

type createDiscountArgs struct {
	Title      string   `json:"title"`
	Code       string   `json:"code"`
	Kind       string   `json:"kind"`
	Value      *float64 `json:"value"`
	AppliesTo  string   `json:"applies_to"`
	ProductIDs []string `json:"product_ids"`
	SegmentID  string   `json:"segment_id"`
	StartsAt   string   `json:"starts_at"`
	EndsAt     string   `json:"ends_at"`
	UsageLimit int      `json:"usage_limit"`
}

func createDiscount(s *Store, a createDiscountArgs) (any, error) {
	if i := slices.IndexFunc(s.Discounts, func(d Discount) bool { return strings.EqualFold(d.Code, a.Code) }); i >= 0 {
		return nil, toolErrorf(CodeInvalid, "discount code %s already exists (%s, %q); pick another code", s.Discounts[i].Code, s.Discounts[i].ID, s.Discounts[i].Title)
	}
	d := Discount{Title: strings.TrimSpace(a.Title), Code: a.Code, Kind: a.Kind,
		AppliesTo: cmp.Or(a.AppliesTo, AppliesAll), ProductIDs: []string{}, UsageLimit: a.UsageLimit}
	if d.Title == "" {
		return nil, toolErrorf(CodeInvalid, "title cannot be blank")
	}
	var err error
	if d.Value, err = discountValue(a.Kind, a.Value); err != nil {
		return nil, err
	}
	if err := s.discountTarget(&d, a); err != nil {
		return nil, err
	}
	if err := s.discountWindow(&d, a.StartsAt, a.EndsAt); err != nil {
		return nil, err
	}
	d.ID = nextID("dsc", &s.Seq.Discount)
	d.CreatedAt = s.Now
	s.Discounts = append(s.Discounts, d)
	return struct {
		Discount Discount `json:"discount"`
	}{d}, nil
}

func discountValue(kind string, v *float64) (float64, error) {
	switch kind {
	case KindFreeShipping:
		if v != nil && *v != 0 {
			return 0, toolErrorf(CodeInvalid, "FREE_SHIPPING takes no value; leave value out")
		}
		return 0, nil
	case KindPercentage:
		if v == nil || *v <= 0 || *v > 100 {
			return 0, toolErrorf(CodeInvalid, "PERCENTAGE needs value between 0 and 100 (15 means 15%% off)")
		}
	default:
		if v == nil || *v <= 0 {
			return 0, toolErrorf(CodeInvalid, "FIXED_AMOUNT needs value above 0 (the amount off, in the shop currency)")
		}
	}
	return MoneyOf(*v).Float(), nil
}

func (s *Store) discountTarget(d *Discount, a createDiscountArgs) error {
	switch d.AppliesTo {
	case AppliesProducts:
		if len(a.ProductIDs) == 0 || a.SegmentID != "" {
			return toolErrorf(CodeInvalid, "applies_to PRODUCTS needs product_ids and no segment_id")
		}
		for _, id := range a.ProductIDs {
			if _, err := s.mustProduct(id); err != nil {
				return err
			}
		}
		d.ProductIDs = sortedTags(a.ProductIDs)
	case AppliesSegment:
		if a.SegmentID == "" || len(a.ProductIDs) > 0 {
			return toolErrorf(CodeInvalid, "applies_to SEGMENT needs segment_id and no product_ids; find segments with list_segments")
		}
		if _, err := s.mustSegment(a.SegmentID); err != nil {
			return err
		}
		d.SegmentID = a.SegmentID
	default:
		if len(a.ProductIDs) > 0 || a.SegmentID != "" {
			return toolErrorf(CodeInvalid, "applies_to ALL takes no product_ids or segment_id; set applies_to PRODUCTS or SEGMENT")
		}
	}
	return nil
}

func (s *Store) discountWindow(d *Discount, startsAt, endsAt string) error {
	start, err := parseInstant("starts_at", startsAt)
	if err != nil {
		return err
	}
	d.StartsAt = start
	if start.IsZero() {
		d.StartsAt = s.Now
	}
	end, err := parseInstant("ends_at", endsAt)
	if err != nil {
		return err
	}
	if !end.IsZero() {
		if !end.After(d.StartsAt) {
			return toolErrorf(CodeInvalid, "ends_at %s must be after starts_at %s", end.Format(time.RFC3339), d.StartsAt.Format(time.RFC3339))
		}
		d.EndsAt = &end
	}
	switch {
	case d.StartsAt.After(s.Now):
		d.Status = DiscountScheduled
	case d.EndsAt != nil && !d.EndsAt.After(s.Now):
		d.Status = DiscountExpired
	default:
		d.Status = DiscountActive
	}
	return nil
}

// parseInstant reads an optional date (midnight UTC) or RFC 3339 time.
func parseInstant(arg, v string) (time.Time, error) {
	if len(v) <= len(time.DateOnly) {
		return parseDay(arg, v)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, toolErrorf(CodeBadRequest, "%s: %q is not a real time", arg, v)
	}
	return t.UTC(), nil
}
