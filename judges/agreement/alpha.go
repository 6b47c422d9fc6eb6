package agreement

import (
	"fmt"
	"math"
)

// KrippendorffAlpha returns Krippendorff's alpha for the whole table under
// metric, computed from the coincidence matrix as in Krippendorff (2011),
// "Computing Krippendorff's Alpha-Reliability". Missing cells are allowed;
// items with fewer than two values are not pairable and are dropped.
//
// The metrics: Nominal counts any difference as 1. Ordinal uses the
// marginal counts n_g of the coincidence matrix over the full scale,
// δ²(c,k) = (Σ_{g=c..k} n_g − (n_c+n_k)/2)², so unused levels weigh
// nothing. Interval uses (v_c − v_k)², where v is the level's number, or
// its rank 1..k on an ordinal scale of strings.
//
// It returns ErrUnordered for the ordinal or interval metric on a scale
// without order, and NaN when alpha is undefined: fewer than two pairable
// values, or no variation at all (expected disagreement 0).
func KrippendorffAlpha(t *Table, metric Kind) (float64, error) {
	delta, err := metricDistances(t.Scale, metric)
	if err != nil {
		return math.NaN(), err
	}
	o := coincidences(t)
	k := len(t.Scale.Levels)
	marg := make([]float64, k)
	var n float64
	for c := range k {
		for d := range k {
			marg[c] += o[c][d]
		}
		n += marg[c]
	}
	if n < 2 {
		return math.NaN(), nil
	}
	d2 := delta(marg)
	var obs, exp float64
	for c := range k {
		for d := range k {
			obs += o[c][d] * d2[c][d]
			exp += marg[c] * marg[d] * d2[c][d]
		}
	}
	if exp == 0 {
		return math.NaN(), nil
	}
	return 1 - (n-1)*obs/exp, nil
}

// coincidences returns the coincidence matrix: for every item with m ≥ 2
// values, each ordered pair of values from different raters adds 1/(m−1).
func coincidences(t *Table) [][]float64 {
	k := len(t.Scale.Levels)
	o := make([][]float64, k)
	for c := range o {
		o[c] = make([]float64, k)
	}
	counts := make([]float64, k)
	for i := range t.Items {
		clear(counts)
		m := 0.0
		for r := range t.Raters {
			if lv := t.level(i, r); lv >= 0 {
				counts[lv]++
				m++
			}
		}
		if m < 2 {
			continue
		}
		for c := range k {
			if counts[c] == 0 {
				continue
			}
			for d := range k {
				pairs := counts[c] * counts[d]
				if c == d {
					pairs = counts[c] * (counts[c] - 1)
				}
				o[c][d] += pairs / (m - 1)
			}
		}
	}
	return o
}

// metricDistances returns a function from the coincidence marginals to the
// squared distances δ² between levels.
func metricDistances(sc Scale, metric Kind) (func(marg []float64) [][]float64, error) {
	k := len(sc.Levels)
	square := func(f func(c, d int) float64) [][]float64 {
		d2 := make([][]float64, k)
		for c := range k {
			d2[c] = make([]float64, k)
			for d := range k {
				d2[c][d] = f(c, d)
			}
		}
		return d2
	}
	if metric != Nominal && !sc.Ordered() {
		return nil, fmt.Errorf("krippendorff alpha, %s metric on %s: %w", metric, sc, ErrUnordered)
	}
	switch metric {
	case Nominal:
		return func([]float64) [][]float64 {
			return square(func(c, d int) float64 { return b2f(c != d) })
		}, nil
	case Ordinal:
		return func(marg []float64) [][]float64 {
			return square(func(c, d int) float64 {
				lo, hi := min(c, d), max(c, d)
				var s float64
				for g := lo; g <= hi; g++ {
					s += marg[g]
				}
				s -= (marg[c] + marg[d]) / 2
				return s * s
			})
		}, nil
	case Interval:
		pos := sc.positions()
		return func([]float64) [][]float64 {
			return square(func(c, d int) float64 { return (pos[c] - pos[d]) * (pos[c] - pos[d]) })
		}, nil
	}
	return nil, fmt.Errorf("krippendorff alpha: unknown metric %s", metric)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
