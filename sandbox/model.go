package sandbox

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// IDPattern matches every ID the store hands out, wherever it appears in
// text: cus_, prod_, var_, ord_, seg_ and dsc_ followed by digits.
var IDPattern = regexp.MustCompile(`\b(cus|prod|var|ord|seg|dsc)_[0-9]+\b`)

// Store is one merchant's shop. Every field is exported and JSON-tagged so a
// store can be saved, diffed with go-cmp and compared across sessions. A
// Store is not safe for concurrent use; the service serialises the calls of a
// session.
type Store struct {
	Shop      Shop       `json:"shop"`
	Now       time.Time  `json:"now"` // the shop's fixed clock
	Seq       Sequences  `json:"seq"`
	Customers []Customer `json:"customers"`
	Products  []Product  `json:"products"`
	Orders    []Order    `json:"orders"`
	Segments  []Segment  `json:"segments"`
	Discounts []Discount `json:"discounts"`

	// touched holds the IDs write calls named, so ChangesFrom compares
	// only the records that can differ.
	touched map[string]bool
}

// Shop names the merchant.
type Shop struct {
	Name     string `json:"name"`
	Domain   string `json:"domain"`
	Currency string `json:"currency"`
}

// Sequences holds the last number issued for each kind of ID, so the same
// calls on a fresh copy of a store give the same IDs.
type Sequences struct {
	Customer int `json:"customer"`
	Product  int `json:"product"`
	Variant  int `json:"variant"`
	Order    int `json:"order"`
	Segment  int `json:"segment"`
	Discount int `json:"discount"`
}

// Customer is a shop customer. AmountSpent, OrdersCount and LastOrderAt are
// derived from the customer's orders: the spend is the order totals less
// refunds, over orders that are not PENDING.
type Customer struct {
	ID             string     `json:"id"`
	FirstName      string     `json:"first_name"`
	LastName       string     `json:"last_name"`
	Email          string     `json:"email"`
	Phone          string     `json:"phone"`
	AccountStatus  string     `json:"account_status"`
	City           string     `json:"city"`
	ProvinceCode   string     `json:"province_code"`
	CountryCode    string     `json:"country_code"`
	Tags           []string   `json:"tags"`
	TaxExempt      bool       `json:"tax_exempt"`
	AmountSpent    Money      `json:"amount_spent"`
	OrdersCount    int        `json:"orders_count"`
	EmailMarketing string     `json:"email_marketing"`
	CreatedAt      time.Time  `json:"created_at"`
	LastOrderAt    *time.Time `json:"last_order_at"`
}

// Name is the customer's full name.
func (c *Customer) Name() string { return strings.TrimSpace(c.FirstName + " " + c.LastName) }

// Product is a catalogue product with its variants.
type Product struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Handle      string    `json:"handle"`
	Description string    `json:"description"`
	Vendor      string    `json:"vendor"`
	ProductType string    `json:"product_type"`
	Status      string    `json:"status"`
	Tags        []string  `json:"tags"`
	SEO         SEO       `json:"seo"`
	Variants    []Variant `json:"variants"`
	CreatedAt   time.Time `json:"created_at"`
}

// SEO is what search engines show for a product; empty means the shop falls
// back to the title and description.
type SEO struct {
	Title       string `json:"title"`
	Description string `json:"description"`
}

// Variant is one purchasable option of a product. A nil CompareAtPrice
// means the variant is not on sale.
type Variant struct {
	ID                string `json:"id"`
	Title             string `json:"title"`
	SKU               string `json:"sku"`
	Price             Money  `json:"price"`
	CompareAtPrice    *Money `json:"compare_at_price"`
	InventoryQuantity int    `json:"inventory_quantity"`
}

// Order is a placed order. Total is Subtotal less DiscountTotal;
// TotalRefunded is what was paid back.
type Order struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	CustomerID        string     `json:"customer_id"`
	CreatedAt         time.Time  `json:"created_at"`
	FinancialStatus   string     `json:"financial_status"`
	FulfillmentStatus string     `json:"fulfillment_status"`
	LineItems         []LineItem `json:"line_items"`
	Subtotal          Money      `json:"subtotal"`
	DiscountCode      string     `json:"discount_code"`
	DiscountTotal     Money      `json:"discount_total"`
	TotalRefunded     Money      `json:"total_refunded"`
	Total             Money      `json:"total"`
}

// LineItem is one product line of an order, at the price paid per unit.
type LineItem struct {
	ProductID string `json:"product_id"`
	VariantID string `json:"variant_id"`
	Title     string `json:"title"`
	Quantity  int    `json:"quantity"`
	Price     Money  `json:"price"`
}

// Segment is a saved customer query, stored in canonical form.
type Segment struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Query     string    `json:"query"`
	CreatedAt time.Time `json:"created_at"`
}

// Discount is a discount code. Value is a percentage for PERCENTAGE, an
// amount for FIXED_AMOUNT and 0 for FREE_SHIPPING. UsageLimit 0 means no
// limit; a nil EndsAt means no end.
type Discount struct {
	ID         string     `json:"id"`
	Title      string     `json:"title"`
	Code       string     `json:"code"`
	Kind       string     `json:"kind"`
	Value      float64    `json:"value"`
	AppliesTo  string     `json:"applies_to"`
	ProductIDs []string   `json:"product_ids"`
	SegmentID  string     `json:"segment_id"`
	StartsAt   time.Time  `json:"starts_at"`
	EndsAt     *time.Time `json:"ends_at"`
	UsageLimit int        `json:"usage_limit"`
	Status     string     `json:"status"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Clone returns a deep copy of the store.
func (s *Store) Clone() *Store {
	// A session opens with a clone of the fixture, so the per-record
	// slices share a few backing arrays instead of thousands of small
	// ones. Each sub-slice has its length as capacity: an append by one
	// record moves it out rather than writing over its neighbour.
	c := *s
	c.Customers = slices.Clone(s.Customers)
	tags := pool[string]{}
	times := make([]time.Time, 0, len(c.Customers))
	for i := range c.Customers {
		cu := &c.Customers[i]
		cu.Tags = tags.clone(cu.Tags)
		if cu.LastOrderAt != nil {
			times = append(times, *cu.LastOrderAt)
			cu.LastOrderAt = &times[len(times)-1]
		}
	}
	c.Products = slices.Clone(s.Products)
	for i := range c.Products {
		p := &c.Products[i]
		p.Tags = tags.clone(p.Tags)
		p.Variants = slices.Clone(p.Variants)
		for j := range p.Variants {
			if cp := p.Variants[j].CompareAtPrice; cp != nil {
				v := *cp
				p.Variants[j].CompareAtPrice = &v
			}
		}
	}
	c.Orders = slices.Clone(s.Orders)
	items := pool[LineItem]{}
	for i := range c.Orders {
		c.Orders[i].LineItems = items.clone(c.Orders[i].LineItems)
	}
	c.Segments = slices.Clone(s.Segments)
	c.Discounts = slices.Clone(s.Discounts)
	c.touched = maps.Clone(s.touched)
	for i := range c.Discounts {
		d := &c.Discounts[i]
		d.ProductIDs = slices.Clone(d.ProductIDs)
		d.EndsAt = cloneTime(d.EndsAt)
	}
	return &c
}

// forWrite copies s for a session's first write: the records and the
// variants (set_variant_price writes them in place), sharing every other
// nested slice and pointer with s, and the orders, which no tool writes.
// That is sound because the write tools replace tags, product IDs and
// times wholesale; a tool that writes through a nested slice, or writes
// orders, must copy them here.
func (s *Store) forWrite() *Store {
	c := *s
	c.Customers = slices.Clone(s.Customers)
	c.Products = slices.Clone(s.Products)
	for i := range c.Products {
		c.Products[i].Variants = slices.Clone(c.Products[i].Variants)
	}
	c.Segments = slices.Clone(s.Segments)
	c.Discounts = slices.Clone(s.Discounts)
	c.touched = maps.Clone(s.touched)
	return &c
}

// pool hands out copies of small slices carved from shared chunks.
type pool[T any] struct{ buf []T }

func (p *pool[T]) clone(src []T) []T {
	if src == nil {
		return nil
	}
	if len(p.buf)+len(src) > cap(p.buf) {
		p.buf = make([]T, 0, max(4096, len(src)))
	}
	start := len(p.buf)
	p.buf = append(p.buf, src...)
	return p.buf[start:len(p.buf):len(p.buf)]
}

func cloneTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}

// Exists reports whether id names a customer, product, variant, order,
// segment or discount of the store.
func (s *Store) Exists(id string) bool {
	prefix, _, ok := strings.Cut(id, "_")
	if !ok {
		return false
	}
	switch prefix {
	case "cus":
		return s.customer(id) != nil
	case "prod":
		return s.product(id) != nil
	case "var":
		_, v := s.variant(id)
		return v != nil
	case "ord":
		return s.order(id) != nil
	case "seg":
		return s.segment(id) != nil
	case "dsc":
		return s.discount(id) != nil
	}
	return false
}

// The lookups scan: a shop holds hundreds of records, and an index would be
// state that Clone, JSON and go-cmp would all have to know about.

func (s *Store) customer(id string) *Customer {
	i := slices.IndexFunc(s.Customers, func(c Customer) bool { return c.ID == id })
	if i < 0 {
		return nil
	}
	return &s.Customers[i]
}

func (s *Store) product(id string) *Product {
	i := slices.IndexFunc(s.Products, func(p Product) bool { return p.ID == id })
	if i < 0 {
		return nil
	}
	return &s.Products[i]
}

func (s *Store) variant(id string) (*Product, *Variant) {
	for i := range s.Products {
		p := &s.Products[i]
		for j := range p.Variants {
			if p.Variants[j].ID == id {
				return p, &p.Variants[j]
			}
		}
	}
	return nil, nil
}

func (s *Store) order(id string) *Order {
	i := slices.IndexFunc(s.Orders, func(o Order) bool { return o.ID == id })
	if i < 0 {
		return nil
	}
	return &s.Orders[i]
}

func (s *Store) segment(id string) *Segment {
	i := slices.IndexFunc(s.Segments, func(g Segment) bool { return g.ID == id })
	if i < 0 {
		return nil
	}
	return &s.Segments[i]
}

func (s *Store) discount(id string) *Discount {
	i := slices.IndexFunc(s.Discounts, func(d Discount) bool { return d.ID == id })
	if i < 0 {
		return nil
	}
	return &s.Discounts[i]
}

// nextID issues the next ID of a kind from the store's counter.
func nextID(prefix string, counter *int) string {
	*counter++
	return fmt.Sprintf("%s_%d", prefix, *counter)
}
