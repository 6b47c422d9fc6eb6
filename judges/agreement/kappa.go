package agreement

import (
	"fmt"
	"math"
)

// Weights chooses the disagreement weights of a kappa.
type Weights int

// The weightings. Linear and Quadratic weigh a disagreement between levels
// i and j by |i−j|/(k−1) and (|i−j|/(k−1))², where k counts every level of
// the scale, used or not.
const (
	Unweighted Weights = iota
	Linear
	Quadratic
)

// String returns "unweighted", "linear" or "quadratic".
func (w Weights) String() string {
	switch w {
	case Unweighted:
		return "unweighted"
	case Linear:
		return "linear"
	case Quadratic:
		return "quadratic"
	}
	return fmt.Sprintf("Weights(%d)", int(w))
}

// CohenKappa returns Cohen's (1960) unweighted kappa between two raters'
// level indices a[i], b[i] on a scale of k levels. It is WeightedKappa
// with Unweighted weights.
func CohenKappa(a, b []int, k int) float64 { return WeightedKappa(a, b, k, Unweighted) }

// WeightedKappa returns Cohen's (1968) weighted kappa,
// 1 − Σ v_ij o_ij / Σ v_ij e_ij, between two raters' level indices a[i],
// b[i] in [0,k). The weights use the distance between level positions over
// the full scale, so an unused level between two used ones still separates
// them, and an unused level at either end still counts in k−1. It returns
// NaN when undefined: no items, k < 2, or no expected disagreement (both
// raters used one and the same level). It panics when a and b differ in
// length or hold an index outside [0,k): that is the caller's bug.
func WeightedKappa(a, b []int, k int, w Weights) float64 {
	if len(a) != len(b) {
		panic(fmt.Sprintf("agreement: WeightedKappa with %d and %d labels", len(a), len(b)))
	}
	conf := make([]float64, k*k)
	for i := range a {
		if a[i] < 0 || a[i] >= k || b[i] < 0 || b[i] >= k {
			panic(fmt.Sprintf("agreement: WeightedKappa level out of [0,%d): %d, %d", k, a[i], b[i]))
		}
		conf[a[i]*k+b[i]]++
	}
	return kappaFromCounts(conf, k, disagreement(k, w))
}

// disagreement returns the k×k disagreement weights, row-major.
func disagreement(k int, w Weights) []float64 {
	v := make([]float64, k*k)
	for i := range k {
		for j := range k {
			d := math.Abs(float64(i-j)) / float64(k-1)
			switch w {
			case Unweighted:
				d = b2f(i != j)
			case Quadratic:
				d *= d
			}
			v[i*k+j] = d
		}
	}
	return v
}

// kappaFromCounts computes weighted kappa from a k×k confusion matrix of
// counts (row = first rater) and disagreement weights, both row-major.
func kappaFromCounts(conf []float64, k int, v []float64) float64 {
	if k < 2 {
		return math.NaN()
	}
	rows, cols := make([]float64, k), make([]float64, k)
	var n float64
	for i := range k {
		for j := range k {
			c := conf[i*k+j]
			rows[i] += c
			cols[j] += c
			n += c
		}
	}
	if n == 0 {
		return math.NaN()
	}
	var obs, exp float64
	for i := range k {
		for j := range k {
			obs += v[i*k+j] * conf[i*k+j] / n
			exp += v[i*k+j] * rows[i] * cols[j] / (n * n)
		}
	}
	if exp == 0 {
		return math.NaN()
	}
	return 1 - obs/exp
}
