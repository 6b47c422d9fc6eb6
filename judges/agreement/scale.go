package agreement

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

var (
	// ErrUnordered is returned when a statistic needs ordered levels
	// (ordinal or interval metric) and the scale is nominal with non-numeric
	// levels.
	ErrUnordered = errors.New("scale has no order")
	// ErrNotNumeric is returned when an interval scale meets a value that is
	// not a number.
	ErrNotNumeric = errors.New("value is not a number")
)

// Kind is a level of measurement. It names both a scale's kind and the
// metric Krippendorff's alpha uses.
type Kind int

// The levels of measurement, weakest first.
const (
	Nominal Kind = iota
	Ordinal
	Interval
)

// String returns "nominal", "ordinal" or "interval".
func (k Kind) String() string {
	switch k {
	case Nominal:
		return "nominal"
	case Ordinal:
		return "ordinal"
	case Interval:
		return "interval"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Scale is a criterion's scale: its kind and its levels in order. Levels is
// the full scale, unused levels included, because weighted kappa and the
// ordinal metric depend on them. An Interval scale may leave Levels empty:
// NewTable then takes the distinct numbers seen, in numeric order.
type Scale struct {
	Kind   Kind
	Levels []string
}

// ParseScale reads "nominal", "ordinal" or "interval", optionally followed
// by ":" and the comma-separated levels in order, such as
// "ordinal:1,2,3,4,5" or "nominal:yes,no". Without levels, NewTable infers
// them from the labels; an ordinal scale can be inferred only when every
// label is a number, since strings carry no order.
func ParseScale(s string) (Scale, error) {
	kind, list, hasList := strings.Cut(strings.TrimSpace(s), ":")
	var sc Scale
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "nominal":
		sc.Kind = Nominal
	case "ordinal":
		sc.Kind = Ordinal
	case "interval":
		sc.Kind = Interval
	default:
		return Scale{}, fmt.Errorf("parse scale %q: unknown kind %q (want nominal, ordinal or interval)", s, kind)
	}
	if !hasList {
		return sc, nil
	}
	seen := map[string]int{}
	for i, lv := range strings.Split(list, ",") {
		lv = strings.TrimSpace(lv)
		if lv == "" {
			return Scale{}, fmt.Errorf("parse scale %q: level %d is empty", s, i+1)
		}
		if j, dup := seen[lv]; dup {
			return Scale{}, fmt.Errorf("parse scale %q: level %d %q repeats level %d", s, i+1, lv, j+1)
		}
		if _, ok := number(lv); sc.Kind == Interval && !ok {
			return Scale{}, fmt.Errorf("parse scale %q: level %d %q: %w", s, i+1, lv, ErrNotNumeric)
		}
		seen[lv] = i
		sc.Levels = append(sc.Levels, lv)
	}
	return sc, nil
}

// InferScale returns the scale for labels that came without one: nominal
// over the distinct values seen, in numeric order when every value is a
// number and in string order otherwise.
func InferScale(values []string) Scale {
	return Scale{Kind: Nominal, Levels: distinctSorted(values)}
}

// String returns the scale in the form ParseScale reads.
func (s Scale) String() string {
	if len(s.Levels) == 0 {
		return s.Kind.String()
	}
	return s.Kind.String() + ":" + strings.Join(s.Levels, ",")
}

// Numeric reports whether every level is a number.
func (s Scale) Numeric() bool {
	if len(s.Levels) == 0 {
		return false
	}
	for _, lv := range s.Levels {
		if _, ok := number(lv); !ok {
			return false
		}
	}
	return true
}

// Ordered reports whether the levels have an order: an ordinal or interval
// scale, or a nominal one whose levels are all numbers (as inferred scales
// of scores are).
func (s Scale) Ordered() bool { return s.Kind != Nominal || s.Numeric() }

// positions returns the number each level stands for: its value when every
// level is a number, else its rank 1..k. Ranks are only meaningful when the
// scale is ordered.
func (s Scale) positions() []float64 {
	pos := make([]float64, len(s.Levels))
	numeric := s.Numeric()
	for i, lv := range s.Levels {
		pos[i] = float64(i + 1)
		if numeric {
			pos[i], _ = number(lv)
		}
	}
	return pos
}

// index returns the position of v among the levels: an exact match first,
// then, on a numeric scale, a numeric one, so "3.0" finds level "3".
func (s Scale) index(v string) (int, bool) {
	if i := slices.Index(s.Levels, v); i >= 0 {
		return i, true
	}
	x, ok := number(v)
	if !ok || !s.Numeric() {
		return 0, false
	}
	for i, lv := range s.Levels {
		if y, _ := number(lv); y == x {
			return i, true
		}
	}
	return 0, false
}

func number(s string) (float64, bool) {
	x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	return x, true
}

// distinctSorted returns the distinct values, numerically sorted when all
// are numbers and lexically otherwise.
func distinctSorted(values []string) []string {
	set := map[string]bool{}
	var out []string
	for _, v := range values {
		if !set[v] {
			set[v] = true
			out = append(out, v)
		}
	}
	allNum := true
	for _, v := range out {
		if _, ok := number(v); !ok {
			allNum = false
			break
		}
	}
	if !allNum {
		slices.Sort(out)
		return out
	}
	// "3" and "3.0" are one level; the first spelling seen names it.
	byValue := map[float64]bool{}
	uniq := out[:0]
	for _, v := range out {
		x, _ := number(v)
		if !byValue[x] {
			byValue[x] = true
			uniq = append(uniq, v)
		}
	}
	slices.SortFunc(uniq, func(a, b string) int {
		x, _ := number(a)
		y, _ := number(b)
		return cmp.Compare(x, y)
	})
	return uniq
}
