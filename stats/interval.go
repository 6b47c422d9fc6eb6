package stats

import (
	"encoding/json"
	"math"
	"strconv"
)

// Interval is a closed interval [Lo, Hi].
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// Overlaps reports whether two intervals share a point.
func (a Interval) Overlaps(b Interval) bool { return a.Lo <= b.Hi && b.Lo <= a.Hi }

// NormalQuantile returns z with P(Z ≤ z) = p for a standard normal Z.
func NormalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

// Wilson returns the Wilson score interval of a proportion at the given
// two-sided confidence (0.95 for 95%). With n = 0 nothing is known: [0, 1].
func Wilson(successes, n int, confidence float64) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	z := NormalQuantile(1 - (1-confidence)/2)
	nf := float64(n)
	p := float64(successes) / nf
	z2 := z * z
	denom := 1 + z2/nf
	centre := (p + z2/(2*nf)) / denom
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / denom
	return Interval{math.Max(0, centre-half), math.Min(1, centre+half)}
}

// MarshalJSON writes a bound that is not a number (an interval nothing
// could be estimated for) as null: JSON has no NaN.
func (a Interval) MarshalJSON() ([]byte, error) {
	return []byte(`{"lo":` + jsonNumber(a.Lo) + `,"hi":` + jsonNumber(a.Hi) + `}`), nil
}

func jsonNumber(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "null"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// UnmarshalJSON reads null bounds back as NaN.
func (a *Interval) UnmarshalJSON(b []byte) error {
	var v struct{ Lo, Hi *float64 }
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	a.Lo, a.Hi = math.NaN(), math.NaN()
	if v.Lo != nil {
		a.Lo = *v.Lo
	}
	if v.Hi != nil {
		a.Hi = *v.Hi
	}
	return nil
}
