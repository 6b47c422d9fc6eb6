package sandbox_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/sandbox"
)

var update = flag.Bool("update", false, "rewrite shop.json from the fixture generator")

// TestFixture checks that the generator still writes the committed,
// embedded shop.json byte for byte; with -update it rewrites the file.
func TestFixture(t *testing.T) {
	got := encodeShop(t, generateShop(t))
	if *update {
		if err := os.WriteFile("shop.json", got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote shop.json (%d bytes)", len(got))
		return
	}
	want, err := os.ReadFile("shop.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, got) {
		t.Fatal("shop.json differs from what the generator writes; run: go test ./sandbox -run TestFixture -update")
	}
}

var (
	shopNow    = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
	ordersFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	bfcmStart  = time.Date(2025, 11, 27, 0, 0, 0, 0, time.UTC)
	bfcmEnd    = time.Date(2025, 12, 2, 0, 0, 0, 0, time.UTC)
	vipStart   = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
)

// gen builds the fixture from one seeded source; every choice it makes goes
// through r, in a fixed order, so the output is the same on every run.
type gen struct {
	tb    testing.TB
	r     *rand.Rand
	s     *sandbox.Store
	plans map[string]*plan // by customer ID
}

// plan is what the generator decided about a customer before their orders.
type plan struct {
	orders    int
	wholesale bool
	vip       bool
}

func generateShop(tb testing.TB) *sandbox.Store {
	g := &gen{tb: tb, r: rand.New(rand.NewPCG(2026, 630)), plans: map[string]*plan{}}
	g.s = &sandbox.Store{
		Shop: sandbox.Shop{Name: "Maple & Pine Outfitters", Domain: "maple-and-pine.myshopify.com", Currency: "CAD"},
		Now:  shopNow,
	}
	g.products()
	g.customers()
	g.segmentsAndDiscounts()
	g.orders()
	g.deriveCustomers()
	return g.s
}

func (g *gen) pick(n int) int { return g.r.IntN(n) }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// weighted returns an index drawn in proportion to weights.
func (g *gen) weighted(weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

func (g *gen) between(from, to time.Time) time.Time {
	return from.Add(time.Duration(g.r.Int64N(int64(to.Sub(from))))).Truncate(time.Second)
}

func (g *gen) products() {
	created := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i, spec := range productSpecs {
		g.s.Seq.Product++
		p := sandbox.Product{
			ID: fmt.Sprintf("prod_%d", 2000+g.s.Seq.Product), Title: spec.title, Handle: handle(spec.title),
			Description: spec.desc, Vendor: spec.vendor, ProductType: spec.kind, Status: spec.status,
			Tags: sortedCopy(spec.tags), CreatedAt: created.AddDate(0, 0, i*9),
		}
		p.SEO = g.seo(spec)
		onSale := spec.status == sandbox.StatusActive && spec.prices == nil && g.chance(0.15)
		for j, vt := range spec.variants {
			g.s.Seq.Variant++
			price := spec.price
			if spec.prices != nil {
				price = spec.prices[j]
			}
			v := sandbox.Variant{
				ID: fmt.Sprintf("var_%d", 3000+g.s.Seq.Variant), Title: vt,
				SKU: fmt.Sprintf("MP-%03d-%s", i+1, skuPart(vt)), Price: sandbox.MoneyOf(price),
				InventoryQuantity: g.inventory(spec),
			}
			if onSale {
				was := sandbox.MoneyOf(price * 1.25)
				was -= was % 100 // whole dollars, as shops print them
				v.CompareAtPrice = &was
			}
			p.Variants = append(p.Variants, v)
		}
		g.s.Products = append(g.s.Products, p)
	}
}

// seo leaves a fifth of the catalogue without SEO text and another tenth
// with a title only, the gaps an SEO clean-up would fill.
func (g *gen) seo(spec productSpec) sandbox.SEO {
	switch g.weighted(70, 20, 10) {
	case 0:
		return sandbox.SEO{Title: spec.title + " | Maple & Pine Outfitters", Description: spec.desc}
	case 1:
		return sandbox.SEO{}
	}
	return sandbox.SEO{Title: spec.title + " | Maple & Pine Outfitters"}
}

func (g *gen) inventory(spec productSpec) int {
	switch {
	case spec.title == "Gift Card":
		return 9999
	case spec.status == sandbox.StatusArchived || g.chance(0.08):
		return 0
	}
	return 3 + g.pick(140)
}

func handle(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(asciiFold(title)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

func skuPart(variant string) string {
	return strings.ToUpper(strings.NewReplacer(" / ", "-", "/", "", "$", "", " ", "").Replace(variant))
}

func asciiFold(s string) string {
	return strings.NewReplacer("é", "e", "è", "e", "ë", "e", "É", "E", "ô", "o", "ç", "c", "à", "a", "'", "").Replace(s)
}

func sortedCopy(tags []string) []string {
	out := append([]string{}, tags...)
	slices.Sort(out)
	return out
}

// encodeShop writes the store with one record per line, so that a change
// to the generator shows up as a readable diff of shop.json.
func encodeShop(tb testing.TB, s *sandbox.Store) []byte {
	tb.Helper()
	var b bytes.Buffer
	line := func(v any) string {
		var lb bytes.Buffer
		enc := json.NewEncoder(&lb)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			tb.Fatal(err)
		}
		return strings.TrimSuffix(lb.String(), "\n")
	}
	fmt.Fprintf(&b, "{\n\"shop\": %s,\n\"now\": %s,\n\"seq\": %s", line(s.Shop), line(s.Now), line(s.Seq))
	list := func(name string, n int, item func(int) any) {
		fmt.Fprintf(&b, ",\n%q: [", name)
		for i := range n {
			sep := ","
			if i == n-1 {
				sep = ""
			}
			fmt.Fprintf(&b, "\n%s%s", line(item(i)), sep)
		}
		b.WriteString("\n]")
	}
	list("customers", len(s.Customers), func(i int) any { return s.Customers[i] })
	list("products", len(s.Products), func(i int) any { return s.Products[i] })
	list("orders", len(s.Orders), func(i int) any { return s.Orders[i] })
	list("segments", len(s.Segments), func(i int) any { return s.Segments[i] })
	list("discounts", len(s.Discounts), func(i int) any { return s.Discounts[i] })
	b.WriteString("\n}\n")
	return b.Bytes()
}
