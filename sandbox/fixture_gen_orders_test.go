package sandbox_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/merchantarena/merchantarena/sandbox"
)

// monthWeight is how busy each month is, January first: quiet late winter,
// a summer bump, and the holiday peak.
var monthWeight = []float64{0.7, 0.6, 0.7, 0.8, 0.9, 1.0, 0.9, 0.9, 1.1, 1.3, 1.8, 1.9}

func (g *gen) orders() {
	var all []sandbox.Order
	for i := range g.s.Customers {
		c := &g.s.Customers[i]
		p := g.plans[c.ID]
		from := c.CreatedAt
		if from.Before(ordersFrom) {
			from = ordersFrom
		}
		if p.orders == 0 || shopNow.Sub(from) < 2*time.Hour {
			continue
		}
		times := make([]time.Time, p.orders)
		for k := range times {
			times[k] = g.orderTime(from)
		}
		slices.SortFunc(times, time.Time.Compare)
		for k, t := range times {
			all = append(all, g.order(c, p, t, k == 0))
		}
	}
	// Order numbers follow the order of placement.
	slices.SortStableFunc(all, func(a, b sandbox.Order) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for i := range all {
		g.s.Seq.Order++
		all[i].ID = fmt.Sprintf("ord_%d", 5000+g.s.Seq.Order)
		all[i].Name = fmt.Sprintf("#%d", 1000+g.s.Seq.Order)
	}
	g.s.Orders = all
}

// orderTime draws a time between from and an hour before the shop's clock,
// following the seasons and the Black Friday rush.
func (g *gen) orderTime(from time.Time) time.Time {
	const peak = 1.9 * 3
	for {
		t := g.between(from, shopNow.Add(-time.Hour))
		w := monthWeight[t.Month()-1]
		if !t.Before(bfcmStart) && t.Before(bfcmEnd) {
			w *= 3
		}
		if g.r.Float64()*peak < w {
			return t
		}
	}
}

func (g *gen) order(c *sandbox.Customer, p *plan, t time.Time, first bool) sandbox.Order {
	o := sandbox.Order{CustomerID: c.ID, CreatedAt: t, LineItems: g.lines(p, t)}
	for _, li := range o.LineItems {
		o.Subtotal += li.Price * sandbox.Money(li.Quantity)
	}
	code, pct := g.discount(p, t, first)
	if code != "" {
		o.DiscountCode = code
		o.DiscountTotal = sandbox.MoneyOf(o.Subtotal.Float() * pct / 100)
	}
	o.Total = o.Subtotal - o.DiscountTotal
	o.FinancialStatus, o.TotalRefunded = g.payment(p, t, o.Total)
	o.FulfillmentStatus = g.fulfillment(o.FinancialStatus, t, len(o.LineItems))
	return o
}

func (g *gen) discount(p *plan, t time.Time, first bool) (string, float64) {
	switch {
	case !t.Before(bfcmStart) && t.Before(bfcmEnd) && g.chance(0.7):
		return "BFCM25", 25
	case p.vip && !t.Before(vipStart) && g.chance(0.4):
		return "VIP15", 15
	case first && !p.wholesale && g.chance(0.3):
		return "WELCOME10", 10
	}
	return "", 0
}

// lines picks one to three products on sale at time t, bestsellers more
// often; wholesale accounts buy by the case.
func (g *gen) lines(p *plan, t time.Time) []sandbox.LineItem {
	var pool []int
	var weights []int
	for i, pr := range g.s.Products {
		onSale := pr.Status == sandbox.StatusActive ||
			pr.Status == sandbox.StatusArchived && t.Before(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
		if !onSale || p.wholesale && pr.ProductType == "Gift Cards" {
			continue
		}
		w := 2
		if slices.Contains(pr.Tags, "bestseller") {
			w = 5
		}
		pool, weights = append(pool, i), append(weights, w)
	}
	var items []sandbox.LineItem
	for range 1 + g.weighted(60, 30, 10) {
		pr := &g.s.Products[pool[g.weighted(weights...)]]
		v := pr.Variants[g.pick(len(pr.Variants))]
		qty := 1 + g.weighted(80, 15, 5)
		if p.wholesale {
			qty = 4 + g.pick(9)
		}
		if i := slices.IndexFunc(items, func(li sandbox.LineItem) bool { return li.VariantID == v.ID }); i >= 0 {
			items[i].Quantity += qty
			continue
		}
		title := pr.Title
		if v.Title != "Default" {
			title += " - " + v.Title
		}
		items = append(items, sandbox.LineItem{ProductID: pr.ID, VariantID: v.ID, Title: title, Quantity: qty, Price: v.Price})
	}
	return items
}

// payment decides the financial status: recent orders may still be
// pending, a few older ones were refunded in full or in part.
func (g *gen) payment(p *plan, t time.Time, total sandbox.Money) (string, sandbox.Money) {
	if shopNow.Sub(t) < 5*24*time.Hour {
		if g.chance(0.3) {
			return sandbox.FinancialPending, 0
		}
		return sandbox.FinancialPaid, 0
	}
	pending := 2
	if p.wholesale {
		pending = 12 // net-30 invoices
	}
	switch g.weighted(90, pending, 4, 4) {
	case 1:
		return sandbox.FinancialPending, 0
	case 2:
		return sandbox.FinancialRefunded, total
	case 3:
		part := sandbox.MoneyOf(total.Float() * (0.2 + 0.3*g.r.Float64()))
		return sandbox.FinancialPartiallyRefunded, part
	}
	return sandbox.FinancialPaid, 0
}

func (g *gen) fulfillment(financial string, t time.Time, lines int) string {
	age := shopNow.Sub(t)
	switch {
	case financial == sandbox.FinancialPending:
		return "UNFULFILLED"
	case age < 3*24*time.Hour:
		return []string{"UNFULFILLED", "FULFILLED", partial(lines)}[g.weighted(70, 20, 10)]
	case financial == sandbox.FinancialRefunded && g.chance(0.4):
		return "UNFULFILLED"
	case g.chance(0.03):
		return partial(lines)
	}
	return "FULFILLED"
}

// partial is PARTIALLY_FULFILLED when an order has several lines to split.
func partial(lines int) string {
	if lines > 1 {
		return "PARTIALLY_FULFILLED"
	}
	return "FULFILLED"
}
