package agreement

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// TTest is the result of a one-sample (or paired) t-test.
type TTest struct {
	N    int     // observations
	Mean float64 // their mean
	T    float64 // the t statistic; ±Inf when every observation is equal
	DF   float64 // degrees of freedom, N−1
	P    float64 // the one-sided p-value; NaN when N < 2
}

// OneSidedTTest tests H0: mean ≤ mu0 against H1: mean > mu0 with Student's
// t on N−1 degrees of freedom; for a paired test pass the differences.
// When every observation is equal the variance is 0 and t is infinite: P is
// 0 when the mean exceeds mu0 and 1 otherwise (scipy would answer NaN; a
// judge that always ties a human must not be undecidable). P is NaN when
// fewer than two observations are given.
func OneSidedTTest(d []float64, mu0 float64) TTest {
	n := len(d)
	r := TTest{N: n, DF: float64(n - 1), Mean: math.NaN(), T: math.NaN(), P: math.NaN()}
	if n == 0 {
		return r
	}
	r.Mean = sum(d) / float64(n)
	if n < 2 {
		return r
	}
	var ss float64
	for _, x := range d {
		ss += (x - r.Mean) * (x - r.Mean)
	}
	se := math.Sqrt(ss / float64(n-1) / float64(n))
	if se == 0 {
		r.T, r.P = math.Inf(-1), 1.0
		if r.Mean > mu0 {
			r.T, r.P = math.Inf(1), 0.0
		}
		return r
	}
	r.T = (r.Mean - mu0) / se
	r.P = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: r.DF}.Survival(r.T)
	return r
}

// BenjaminiYekutieli returns the Benjamini–Yekutieli (2001) adjusted
// p-values, which control the false discovery rate under any dependence
// between the tests: with m tests, c(m) = Σ_{i=1..m} 1/i and p sorted
// ascending, p̃(i) = min_{j≥i} min(1, m·c(m)·p(j)/j). Reject where
// p̃ ≤ q. NaN p-values are treated as 1 (no evidence) but counted in m,
// and come back as NaN.
func BenjaminiYekutieli(p []float64) []float64 {
	m := len(p)
	adj := make([]float64, m)
	if m == 0 {
		return adj
	}
	var c float64
	for i := 1; i <= m; i++ {
		c += 1 / float64(i)
	}
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	val := func(i int) float64 {
		if math.IsNaN(p[i]) {
			return 1
		}
		return p[i]
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(val(a), val(b)) })
	running := 1.0
	for rank := m; rank >= 1; rank-- {
		i := order[rank-1]
		running = min(running, float64(m)*c*val(i)/float64(rank))
		adj[i] = running
	}
	for i := range p {
		if math.IsNaN(p[i]) {
			adj[i] = math.NaN()
		}
	}
	return adj
}
