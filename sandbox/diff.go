package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Change is one difference between two stores. An empty Want means the path
// is absent in want; an empty Got, absent in got.
type Change struct {
	Path string `json:"path"`
	Want string `json:"want"`
	Got  string `json:"got"`
}

// Flatten returns the store as path → canonical JSON value, with natural
// keys so that stores from different sessions compare:
//
//	customers/cus_1001/tags        ["returning","vip"]
//	variants/var_3001/price        49.00
//	segments/toronto vips/query    "customer_city = 'Toronto'"
//	discounts/SUMMER15/segment     "toronto vips"
//
// Customers, products, variants and orders are keyed by ID (the fixture's
// IDs are stable); segments by lower-cased name and discounts by upper-cased
// code, leaving out their generated IDs and creation times. A discount
// names its segment by lower-cased name. The ID counters are left out.
func (s *Store) Flatten() map[string]string {
	// About 14 fields a record; sizing the map up front halves the time.
	out := make(map[string]string, 14*(len(s.Customers)+len(s.Orders)+len(s.Products)*4))
	flatten(out, "shop", s.Shop)
	s.flattenSome(out, nil)
	return out
}

// ChangesFrom returns what differs between base and s, the way Diff(base,
// s) would, comparing only the records that write calls on s named, and
// every segment and discount. s must have started equal to base and
// changed only through Call, as a session's store against its fixture. It
// costs a few records instead of the whole store.
func (s *Store) ChangesFrom(base *Store) []Change {
	keep := func(id string) bool { return s.touched[id] }
	a, b := map[string]string{}, map[string]string{}
	base.flattenSome(a, keep)
	s.flattenSome(b, keep)
	return diffFlat(a, b)
}

func (s *Store) touch(args json.RawMessage) {
	if s.touched == nil {
		s.touched = map[string]bool{}
	}
	for _, id := range IDPattern.FindAllString(string(args), -1) {
		s.touched[id] = true
	}
}

// flattenSome adds customers, orders and products (with their variants)
// that keep accepts (all when keep is nil), and every segment and discount.
func (s *Store) flattenSome(out map[string]string, keep func(id string) bool) {
	for _, c := range s.Customers {
		if keep == nil || keep(c.ID) {
			flatten(out, "customers/"+c.ID, c, "id")
		}
	}
	for _, o := range s.Orders {
		if keep == nil || keep(o.ID) {
			flatten(out, "orders/"+o.ID, o, "id")
		}
	}
	for _, p := range s.Products {
		if keep != nil && !keep(p.ID) && !slices.ContainsFunc(p.Variants, func(v Variant) bool { return keep(v.ID) }) {
			continue
		}
		flatten(out, "products/"+p.ID, p, "id", "variants")
		for _, v := range p.Variants {
			flatten(out, "variants/"+v.ID, v, "id")
			out["variants/"+v.ID+"/product_id"] = canonical(p.ID)
		}
	}
	for _, g := range s.Segments {
		flatten(out, "segments/"+strings.ToLower(g.Name), g, "id", "created_at")
	}
	for _, d := range s.Discounts {
		key := "discounts/" + strings.ToUpper(d.Code)
		flatten(out, key, d, "id", "created_at", "segment_id")
		seg := d.SegmentID
		if g := s.segment(d.SegmentID); g != nil {
			seg = strings.ToLower(g.Name)
		}
		out[key+"/segment"] = canonical(seg)
	}
}

// flatten adds one record's fields under prefix, by their JSON names,
// skipping the named ones. Reading the struct fields directly keeps this
// in step with the model without a JSON round trip per record.
func flatten(out map[string]string, prefix string, v any, skip ...string) {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	for i := range rt.NumField() {
		name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" && !slices.Contains(skip, name) {
			out[prefix+"/"+name] = canonical(rv.Field(i).Interface())
		}
	}
}

// canonical encodes v as compact JSON. Plain strings, numbers, money and
// times, most of a store, take a short cut that writes what encoding/json
// would.
func canonical(v any) string {
	switch v := v.(type) {
	case string:
		if plainJSON(v) {
			return `"` + v + `"`
		}
	case int:
		return strconv.Itoa(v)
	case bool:
		return strconv.FormatBool(v)
	case Money:
		return v.String()
	case time.Time:
		return `"` + v.Format(time.RFC3339Nano) + `"`
	}
	b, err := marshal(v)
	if err != nil {
		panic(fmt.Sprintf("sandbox: canonical %v: %v", v, err))
	}
	return string(b)
}

// plainJSON reports whether s needs no escaping inside JSON quotes.
func plainJSON(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == '"' || r == '\\' || r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// marshal encodes v compactly, leaving <, > and & as they are: results are
// read by agents and diffs by people, and \u003e serves neither.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Diff compares two stores by their flattened forms and returns every
// difference, sorted by path.
func Diff(want, got *Store) []Change {
	return diffFlat(want.Flatten(), got.Flatten())
}

func diffFlat(w, g map[string]string) []Change {
	var out []Change
	for p, wv := range w {
		if gv := g[p]; gv != wv {
			out = append(out, Change{Path: p, Want: wv, Got: gv})
		}
	}
	for p, gv := range g {
		if _, ok := w[p]; !ok {
			out = append(out, Change{Path: p, Got: gv})
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return strings.Compare(a.Path, b.Path) })
	return out
}
