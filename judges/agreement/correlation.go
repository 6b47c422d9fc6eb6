package agreement

import (
	"fmt"
	"math"
	"slices"
)

// Pearson returns Pearson's product-moment correlation of x and y, or NaN
// when fewer than two pairs are given or either has no variance. It panics
// when x and y differ in length.
func Pearson(x, y []float64) float64 {
	sameLen("Pearson", x, y)
	n := float64(len(x))
	if n < 2 {
		return math.NaN()
	}
	mx, my := sum(x)/n, sum(y)/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman returns Spearman's rho: Pearson's r of the ranks, ties given the
// mean of the ranks they span. NaN as for Pearson.
func Spearman(x, y []float64) float64 {
	sameLen("Spearman", x, y)
	return Pearson(ranks(x), ranks(y))
}

// KendallTauB returns Kendall's tau-b, (C − D)/√((n0 − n1)(n0 − n2)) with
// n0 = n(n−1)/2 and n1, n2 the pairs tied in x and in y. It is O(n²),
// which is fine for the few thousand items a criterion has. NaN when either
// variable is constant or fewer than two pairs are given.
func KendallTauB(x, y []float64) float64 {
	sameLen("KendallTauB", x, y)
	var conc, disc, tiesX, tiesY float64
	for i := range x {
		for j := i + 1; j < len(x); j++ {
			sx, sy := sign(x[i]-x[j]), sign(y[i]-y[j])
			switch {
			case sx == 0 && sy == 0:
				tiesX++
				tiesY++
			case sx == 0:
				tiesX++
			case sy == 0:
				tiesY++
			case sx == sy:
				conc++
			default:
				disc++
			}
		}
	}
	n0 := float64(len(x)) * float64(len(x)-1) / 2
	den := math.Sqrt((n0 - tiesX) * (n0 - tiesY))
	if den == 0 {
		return math.NaN()
	}
	return (conc - disc) / den
}

// ranks returns the 1-based ranks of xs, ties sharing their mean rank.
func ranks(xs []float64) []float64 {
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(xs[a], xs[b]) })
	r := make([]float64, len(xs))
	for lo := 0; lo < len(order); {
		hi := lo
		for hi+1 < len(order) && xs[order[hi+1]] == xs[order[lo]] {
			hi++
		}
		mean := float64(lo+hi)/2 + 1
		for _, i := range order[lo : hi+1] {
			r[i] = mean
		}
		lo = hi + 1
	}
	return r
}

func cmpFloat(a, b float64) int { return int(sign(a - b)) }

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

func sameLen(op string, x, y []float64) {
	if len(x) != len(y) {
		panic(fmt.Sprintf("agreement: %s with %d and %d values", op, len(x), len(y)))
	}
}
