package sandbox_test

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/sandbox"
)

var (
	accountStatuses = []string{"ENABLED", "DISABLED", "INVITED", "DECLINED"}
	marketingStates = []string{"SUBSCRIBED", "NOT_SUBSCRIBED", "UNSUBSCRIBED", "PENDING"}
)

func (g *gen) customers() {
	weights := make([]int, len(cities))
	for i, c := range cities {
		weights[i] = c.weight
	}
	type draft struct {
		c sandbox.Customer
		p *plan
	}
	var drafts []draft
	used := map[string]bool{}
	for range 400 {
		ci := cities[g.weighted(weights...)]
		first, last := g.name(ci.french)
		c := sandbox.Customer{FirstName: first, LastName: last, City: ci.name, ProvinceCode: ci.province, CountryCode: ci.country}
		p := g.plan()
		c.AccountStatus = accountStatuses[g.weighted(70, 10, 13, 7)]
		switch {
		case p.wholesale:
			c.AccountStatus = "ENABLED"
		case c.AccountStatus == "INVITED" || c.AccountStatus == "DECLINED":
			p.orders = min(p.orders, g.pick(3)) // mostly guest checkouts before the invite
		}
		c.EmailMarketing = marketingStates[g.weighted(45, 33, 16, 6)]
		c.Email = g.email(first, last, p.wholesale, used)
		if g.chance(0.8) {
			c.Phone = fmt.Sprintf("+1 %s 555 %04d", ci.areaCodes[g.pick(len(ci.areaCodes))], g.pick(10000))
		}
		c.TaxExempt = p.wholesale
		earliest := time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)
		latest := time.Date(2026, 6, 26, 0, 0, 0, 0, time.UTC)
		if p.orders > 6 {
			latest = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) // big buyers have been around
		}
		c.CreatedAt = g.between(earliest, latest)
		c.Tags = []string{}
		drafts = append(drafts, draft{c, p})
	}
	// IDs follow sign-up order, as in a real shop.
	slices.SortStableFunc(drafts, func(a, b draft) int { return a.c.CreatedAt.Compare(b.c.CreatedAt) })
	for _, d := range drafts {
		g.s.Seq.Customer++
		d.c.ID = fmt.Sprintf("cus_%d", 1000+g.s.Seq.Customer)
		g.plans[d.c.ID] = d.p
		g.s.Customers = append(g.s.Customers, d.c)
	}
}

// plan decides how much a customer buys: about 15% never order, most order
// a few times, a few are heavy buyers (mostly tagged vip) or wholesale
// accounts.
func (g *gen) plan() *plan {
	switch g.weighted(15, 45, 30, 7, 3) {
	case 0:
		return &plan{}
	case 1:
		return &plan{orders: 1 + g.pick(3)}
	case 2:
		return &plan{orders: 3 + g.pick(4), vip: g.chance(0.08)}
	case 3:
		return &plan{orders: 7 + g.pick(8), vip: g.chance(0.85)}
	}
	return &plan{orders: 5 + g.pick(7), wholesale: true}
}

func (g *gen) name(french bool) (string, string) {
	if french && g.chance(0.75) {
		return frenchFirstNames[g.pick(len(frenchFirstNames))], frenchLastNames[g.pick(len(frenchLastNames))]
	}
	return firstNames[g.pick(len(firstNames))], lastNames[g.pick(len(lastNames))]
}

func (g *gen) email(first, last string, wholesale bool, used map[string]bool) string {
	f := strings.ToLower(asciiFold(first))
	l := strings.ToLower(strings.ReplaceAll(asciiFold(last), " ", ""))
	var local, domain string
	if wholesale {
		local, domain = []string{f, "orders", "buying", f + "." + l}[g.pick(4)], wholesaleDomains[g.pick(len(wholesaleDomains))]
	} else {
		local = []string{f + "." + l, f + l, f[:1] + l, f + "_" + l + fmt.Sprint(g.pick(90)+10)}[g.weighted(45, 20, 20, 15)]
		domain = emailDomains[g.pick(len(emailDomains))]
	}
	email := local + "@" + domain
	for n := 2; used[email]; n++ {
		email = fmt.Sprintf("%s%d@%s", local, n, domain)
	}
	used[email] = true
	return email
}

func (g *gen) segmentsAndDiscounts() {
	segs := []struct {
		name, query string
		at          time.Time
	}{
		{"Newsletter subscribers", "email_subscription_status = SUBSCRIBED", time.Date(2025, 2, 1, 15, 30, 0, 0, time.UTC)},
		{"VIP customers", "customer_tags CONTAINS 'vip'", time.Date(2025, 9, 15, 14, 0, 0, 0, time.UTC)},
		{"Lapsed customers", "number_of_orders >= 1 AND last_order_date < 2026-01-01", time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC)},
	}
	for _, sg := range segs {
		q, err := sandbox.ParseQuery(sg.query)
		if err != nil {
			g.tb.Fatal(err)
		}
		g.s.Seq.Segment++
		g.s.Segments = append(g.s.Segments, sandbox.Segment{
			ID: fmt.Sprintf("seg_%d", g.s.Seq.Segment), Name: sg.name, Query: q.String(), CreatedAt: sg.at,
		})
	}
	vipEnd := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	bfcmEnd := bfcmEnd
	for _, d := range []sandbox.Discount{
		{Title: "Welcome 10% off a first order", Code: "WELCOME10", Value: 10, AppliesTo: sandbox.AppliesAll,
			StartsAt: ordersFrom, Status: sandbox.DiscountActive, CreatedAt: time.Date(2024, 12, 20, 9, 0, 0, 0, time.UTC)},
		{Title: "Black Friday / Cyber Monday 2025", Code: "BFCM25", Value: 25, AppliesTo: sandbox.AppliesAll,
			StartsAt: bfcmStart, EndsAt: &bfcmEnd, UsageLimit: 500, Status: sandbox.DiscountExpired,
			CreatedAt: time.Date(2025, 11, 10, 16, 0, 0, 0, time.UTC)},
		{Title: "VIP spring thank-you", Code: "VIP15", Value: 15, AppliesTo: sandbox.AppliesSegment, SegmentID: "seg_2",
			StartsAt: vipStart, EndsAt: &vipEnd, Status: sandbox.DiscountActive,
			CreatedAt: time.Date(2026, 2, 25, 11, 0, 0, 0, time.UTC)},
	} {
		g.s.Seq.Discount++
		d.ID = fmt.Sprintf("dsc_%d", g.s.Seq.Discount)
		d.Kind = sandbox.KindPercentage
		d.ProductIDs = []string{}
		g.s.Discounts = append(g.s.Discounts, d)
	}
}

// deriveCustomers sets each customer's spend, order count and last order
// from their orders, then the tags, some of which follow from the orders.
func (g *gen) deriveCustomers() {
	bought := map[string]map[string]bool{} // customer → facts: "gift", "bfcm"
	for _, o := range g.s.Orders {
		c := customerByID(g.s, o.CustomerID)
		c.OrdersCount++
		if o.FinancialStatus != sandbox.FinancialPending {
			c.AmountSpent += o.Total - o.TotalRefunded
		}
		if c.LastOrderAt == nil || o.CreatedAt.After(*c.LastOrderAt) {
			t := o.CreatedAt
			c.LastOrderAt = &t
		}
		if bought[c.ID] == nil {
			bought[c.ID] = map[string]bool{}
		}
		bought[c.ID]["bfcm"] = bought[c.ID]["bfcm"] || o.DiscountCode == "BFCM25"
		for _, li := range o.LineItems {
			bought[c.ID]["gift"] = bought[c.ID]["gift"] || strings.HasPrefix(li.Title, "Gift Card")
		}
	}
	toronto, mississauga := 0, 0
	for i := range g.s.Customers {
		c := &g.s.Customers[i]
		c.Tags = g.tags(c, g.plans[c.ID], bought[c.ID])
		// A couple of customers carry a "toronto" tag, as real shops have:
		// a trap for agents that filter on tags instead of the city field.
		switch c.City {
		case "Toronto":
			toronto++
			if toronto == 3 || toronto == 17 {
				c.Tags = sortedCopy(append(c.Tags, "toronto"))
			}
		case "Mississauga":
			mississauga++
			if mississauga == 2 {
				c.Tags = sortedCopy(append(c.Tags, "toronto"))
			}
		}
	}
}

func (g *gen) tags(c *sandbox.Customer, p *plan, facts map[string]bool) []string {
	tags := []string{}
	add := func(ok bool, tag string) {
		if ok {
			tags = append(tags, tag)
		}
	}
	add(p.vip, "vip")
	add(p.wholesale, "wholesale")
	newsletter := map[string]float64{"SUBSCRIBED": 0.7, "UNSUBSCRIBED": 0.12, "NOT_SUBSCRIBED": 0.04, "PENDING": 0.3}
	add(g.chance(newsletter[c.EmailMarketing]), "newsletter")
	add(c.OrdersCount >= 2 && g.chance(0.75), "returning")
	pickup := 0.015
	if slices.ContainsFunc(cities, func(ci city) bool { return ci.name == c.City && ci.gta }) {
		pickup = 0.35
	}
	add(g.chance(pickup), "local-pickup")
	add(g.chance(0.08), "trail-club")
	add(g.chance(0.02), "ambassador")
	add(facts["gift"], "gift-buyer")
	add(facts["bfcm"], "bfcm-2025")
	return sortedCopy(tags)
}

func customerByID(s *sandbox.Store, id string) *sandbox.Customer {
	for i := range s.Customers {
		if s.Customers[i].ID == id {
			return &s.Customers[i]
		}
	}
	panic("fixture generator: no customer " + id)
}
