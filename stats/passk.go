package stats

import "math"

// Count is one persona's trials of one build: C successes in N trials.
type Count struct {
	C int `json:"c"`
	N int `json:"n"`
}

// PassK is the unbiased estimate, from c successes in n trials, of the
// chance that k fresh trials all succeed: C(c,k)/C(n,k). It is NaN when k
// exceeds n, since n trials say nothing about k > n.
func PassK(c, n, k int) float64 {
	if k < 1 || k > n || c < 0 || c > n {
		return math.NaN()
	}
	p := 1.0
	for i := range k {
		p *= float64(c-i) / float64(n-i)
		if p <= 0 {
			return 0
		}
	}
	return p
}

// MeanPassK averages PassK over the personas with at least k trials; NaN
// when none has.
func MeanPassK(counts []Count, k int) float64 {
	sum, n := 0.0, 0
	for _, c := range counts {
		if c.N >= k {
			sum += PassK(c.C, c.N, k)
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
