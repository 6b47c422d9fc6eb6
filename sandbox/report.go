package sandbox

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

var reportTools = []*tool{
	{
		name: "sales_report",
		desc: "Sales between two days (both inclusive, UTC): orders, units, gross sales, discounts, refunds, net sales " +
			"(gross - discounts - refunds) and average order value ((gross - discounts) / orders), in total and grouped. " +
			"Every order placed in the window counts, whatever its payment status. Day and month rows are in date order, other rows by net sales, highest first.",
		params: object([]string{"start_date", "end_date"}, map[string]schema{
			"start_date": date("first day"),
			"end_date":   date("last day"),
			"group_by":   enumOf("how to split the rows (default none: totals only)", reportGroups),
			"limit":      limit(50, 500),
		}),
		run: handle(salesReport),
	},
}

// SalesReport is the result of sales_report. RowCount is the number of
// groups before limit cut Rows short.
type SalesReport struct {
	StartDate string      `json:"start_date"`
	EndDate   string      `json:"end_date"`
	GroupBy   string      `json:"group_by"`
	Currency  string      `json:"currency"`
	Totals    ReportRow   `json:"totals"`
	RowCount  int         `json:"row_count"`
	Rows      []ReportRow `json:"rows"`
}

// ReportRow is one group of a sales report, or its totals (no key).
type ReportRow struct {
	Key               string `json:"key,omitempty"`
	Label             string `json:"label,omitempty"`
	Orders            int    `json:"orders"`
	Units             int    `json:"units"`
	Gross             Money  `json:"gross"`
	Discounts         Money  `json:"discounts"`
	Refunds           Money  `json:"refunds"`
	Net               Money  `json:"net"`
	AverageOrderValue Money  `json:"average_order_value"`
}

func (r *ReportRow) add(orders, units int, gross, discounts, refunds Money) {
	r.Orders += orders
	r.Units += units
	r.Gross += gross
	r.Discounts += discounts
	r.Refunds += refunds
}

// finish derives net and the average order value from the sums.
func (r *ReportRow) finish() {
	r.Net = r.Gross - r.Discounts - r.Refunds
	if r.Orders > 0 {
		r.AverageOrderValue = MoneyOf((r.Gross - r.Discounts).Float() / float64(r.Orders))
	}
}

type salesReportArgs struct {
	StartDate string `json:"start_date"`
	EndDate   string `json:"end_date"`
	GroupBy   string `json:"group_by"`
	Limit     *int   `json:"limit"`
}

func salesReport(s *Store, a salesReportArgs) (any, error) {
	start, err := parseDay("start_date", a.StartDate)
	if err != nil {
		return nil, err
	}
	end, err := parseDay("end_date", a.EndDate)
	if err != nil {
		return nil, err
	}
	if end.Before(start) {
		return nil, toolErrorf(CodeInvalid, "end_date %s is before start_date %s", a.EndDate, a.StartDate)
	}
	rep := SalesReport{StartDate: a.StartDate, EndDate: a.EndDate, GroupBy: cmp.Or(a.GroupBy, "none"),
		Currency: s.Shop.Currency, Rows: []ReportRow{}}
	groups := map[string]*ReportRow{}
	for i := range s.Orders {
		o := &s.Orders[i]
		if o.CreatedAt.Before(start) || !o.CreatedAt.Before(end.AddDate(0, 0, 1)) {
			continue
		}
		rep.Totals.add(1, units(o), o.Subtotal, o.DiscountTotal, o.TotalRefunded)
		s.groupOrder(groups, rep.GroupBy, o)
	}
	rep.Totals.finish()
	for _, r := range groups {
		r.finish()
		rep.Rows = append(rep.Rows, *r)
	}
	slices.SortFunc(rep.Rows, rowOrder(rep.GroupBy))
	rep.RowCount = len(rep.Rows)
	rep.Rows = rep.Rows[:min(len(rep.Rows), orDefault(a.Limit, 50))]
	return rep, nil
}

func units(o *Order) int {
	n := 0
	for _, li := range o.LineItems {
		n += li.Quantity
	}
	return n
}

func row(groups map[string]*ReportRow, key, label string) *ReportRow {
	r := groups[key]
	if r == nil {
		r = &ReportRow{Key: key, Label: label}
		groups[key] = r
	}
	return r
}

// groupOrder adds an order to its group. For products, the order's
// discount and refund are shared out over its lines in proportion to their
// value, the last line taking the rounding remainder so the shares add up.
func (s *Store) groupOrder(groups map[string]*ReportRow, by string, o *Order) {
	whole := func(key, label string) {
		row(groups, key, label).add(1, units(o), o.Subtotal, o.DiscountTotal, o.TotalRefunded)
	}
	switch by {
	case "day":
		whole(o.CreatedAt.Format(time.DateOnly), "")
	case "month":
		whole(o.CreatedAt.Format("2006-01"), "")
	case "customer":
		label := ""
		if c := s.customer(o.CustomerID); c != nil {
			label = c.Name()
		}
		whole(o.CustomerID, label)
	case "city":
		label := "unknown"
		if c := s.customer(o.CustomerID); c != nil {
			label = fmt.Sprintf("%s, %s, %s", c.City, c.ProvinceCode, c.CountryCode)
		}
		whole(label, "")
	case "product":
		s.groupLines(groups, o)
	}
}

func (s *Store) groupLines(groups map[string]*ReportRow, o *Order) {
	discLeft, refundLeft := o.DiscountTotal, o.TotalRefunded
	seen := map[string]bool{}
	for i, li := range o.LineItems {
		gross := li.Price * Money(li.Quantity)
		disc, refund := discLeft, refundLeft
		if i < len(o.LineItems)-1 && o.Subtotal > 0 {
			share := gross.Float() / o.Subtotal.Float()
			disc = MoneyOf(o.DiscountTotal.Float() * share)
			refund = MoneyOf(o.TotalRefunded.Float() * share)
		}
		discLeft -= disc
		refundLeft -= refund
		orders := 0
		if !seen[li.ProductID] {
			seen[li.ProductID], orders = true, 1
		}
		label := li.Title
		if p := s.product(li.ProductID); p != nil {
			label = p.Title
		}
		row(groups, li.ProductID, label).add(orders, li.Quantity, gross, disc, refund)
	}
}

func rowOrder(by string) func(a, b ReportRow) int {
	if by == "day" || by == "month" {
		return func(a, b ReportRow) int { return cmp.Compare(a.Key, b.Key) }
	}
	return func(a, b ReportRow) int {
		if c := cmp.Compare(b.Net, a.Net); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	}
}
