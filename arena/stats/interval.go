package stats

import "math"

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
