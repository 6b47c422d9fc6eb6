package agreement

import "math"

// FleissKappa returns Fleiss' kappa (Fleiss 1971) for the table, treating
// levels as nominal categories, and the number of items it used.
//
// Fleiss' kappa assumes every item has the same number of ratings. When
// counts differ, it uses only the items with the modal count (on a tie, the
// larger count), rather than failing: a table with a few missing labels
// still gets a kappa, and used says how many items it rests on. Use
// KrippendorffAlpha for the statistic that takes every label. It returns
// NaN when fewer than two ratings per item are available or when every
// rating falls in one category.
func FleissKappa(t *Table) (kappa float64, used int) {
	k := len(t.Scale.Levels)
	counts := make([][]float64, len(t.Items))
	perItem := map[int]int{}
	for i := range t.Items {
		counts[i] = make([]float64, k)
		m := 0
		for r := range t.Raters {
			if lv := t.level(i, r); lv >= 0 {
				counts[i][lv]++
				m++
			}
		}
		perItem[m]++
	}
	n := modalCount(perItem)
	if n < 2 {
		return math.NaN(), 0
	}
	var pBar float64
	p := make([]float64, k)
	for i := range t.Items {
		if sum(counts[i]) != float64(n) {
			continue
		}
		used++
		var sq float64
		for j, c := range counts[i] {
			sq += c * c
			p[j] += c
		}
		pBar += (sq - float64(n)) / float64(n*(n-1))
	}
	pBar /= float64(used)
	var pe float64
	for j := range p {
		p[j] /= float64(used * n)
		pe += p[j] * p[j]
	}
	if pe == 1 {
		return math.NaN(), used
	}
	return (pBar - pe) / (1 - pe), used
}

// modalCount returns the most common number of ratings per item, ignoring
// items with fewer than two; on a tie, the larger count wins.
func modalCount(perItem map[int]int) int {
	best, bestN := 0, 0
	for m, n := range perItem {
		if m < 2 {
			continue
		}
		if n > bestN || (n == bestN && m > best) {
			best, bestN = m, n
		}
	}
	return best
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}
