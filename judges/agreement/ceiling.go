package agreement

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// PairKappa is the kappa between two raters over the N items both labelled.
type PairKappa struct {
	A     string   `json:"a"`
	B     string   `json:"b"`
	N     int      `json:"n"`
	Kappa *float64 `json:"kappa"`
}

// Ceiling is the human ceiling for one criterion: how well humans agree
// with each other, the most a judge can be expected to reach.
type Ceiling struct {
	// Weighting is "quadratic" on an ordered scale and "unweighted"
	// (Cohen's kappa) on a nominal one, where distances mean nothing.
	Weighting string      `json:"weighting"`
	MeanKappa *float64    `json:"mean_kappa"` // mean over the pairs with a defined kappa
	Humans    []string    `json:"humans"`
	Pairs     []PairKappa `json:"pairs"`
}

// HumanCeiling returns the mean pairwise kappa between the humans (at least
// two), quadratic-weighted on an ordered scale, unweighted otherwise.
func HumanCeiling(t *Table, humans []string) (Ceiling, error) {
	if len(humans) < 2 {
		return Ceiling{}, fmt.Errorf("human ceiling: %w: %d, want at least 2", ErrTooFewHumans, len(humans))
	}
	cols, err := t.columns(humans)
	if err != nil {
		return Ceiling{}, fmt.Errorf("human ceiling: %w", err)
	}
	w := ceilingWeights(t.Scale)
	c := Ceiling{Weighting: w.String(), Humans: slices.Clone(humans)}
	var ks []float64
	for a := range cols {
		for b := a + 1; b < len(cols); b++ {
			la, lb := t.paired(cols[a], cols[b], nil)
			k := WeightedKappa(la, lb, len(t.Scale.Levels), w)
			c.Pairs = append(c.Pairs, PairKappa{A: humans[a], B: humans[b], N: len(la), Kappa: num(k)})
			ks = append(ks, k)
		}
	}
	c.MeanKappa = num(nanMean(ks))
	return c, nil
}

func ceilingWeights(sc Scale) Weights {
	if sc.Ordered() {
		return Quadratic
	}
	return Unweighted
}

// ConfidenceInterval is a bootstrap percentile interval.
type ConfidenceInterval struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	Level     float64 `json:"level"`     // e.g. 0.95
	Resamples int     `json:"resamples"` // resamples where the statistic was defined
}

// kappaSet computes the judge's and the humans' kappas on any multiset of
// items. Each pair's cells are coded once (x·k+y, or -1 when either label is
// missing), so a bootstrap resample only counts codes.
type kappaSet struct {
	t      *Table
	judge  int
	humans []int
	k      int
	v      []float64
	conf   []float64
	codes  map[[2]int][]int
}

func newKappaSet(t *Table, judge int, humans []int) *kappaSet {
	k := len(t.Scale.Levels)
	return &kappaSet{t: t, judge: judge, humans: humans, k: k,
		v: disagreement(k, ceilingWeights(t.Scale)), conf: make([]float64, k*k), codes: map[[2]int][]int{}}
}

// pairCodes returns the coded cells of columns a and b, computed once.
func (s *kappaSet) pairCodes(a, b int) []int {
	if c, ok := s.codes[[2]int{a, b}]; ok {
		return c
	}
	c := make([]int, len(s.t.Items))
	for i := range c {
		x, y := s.t.level(i, a), s.t.level(i, b)
		c[i] = -1
		if x >= 0 && y >= 0 {
			c[i] = x*s.k + y
		}
	}
	s.codes[[2]int{a, b}] = c
	return c
}

// kappa is the weighted kappa between columns a and b on items (nil: all).
func (s *kappaSet) kappa(a, b int, items []int) float64 {
	clear(s.conf)
	codes := s.pairCodes(a, b)
	if items == nil {
		for _, c := range codes {
			if c >= 0 {
				s.conf[c]++
			}
		}
	} else {
		for _, i := range items {
			if c := codes[i]; c >= 0 {
				s.conf[c]++
			}
		}
	}
	return kappaFromCounts(s.conf, s.k, s.v)
}

// judgeMean is the judge's mean kappa against the humans.
func (s *kappaSet) judgeMean(items []int) float64 {
	ks := make([]float64, len(s.humans))
	for j, h := range s.humans {
		ks[j] = s.kappa(s.judge, h, items)
	}
	return nanMean(ks)
}

// ceiling is the humans' mean pairwise kappa.
func (s *kappaSet) ceiling(items []int) float64 {
	var ks []float64
	for a := range s.humans {
		for b := a + 1; b < len(s.humans); b++ {
			ks = append(ks, s.kappa(s.humans[a], s.humans[b], items))
		}
	}
	return nanMean(ks)
}

// bootstrapDifference returns the paired item-bootstrap percentile interval
// of judge mean kappa − ceiling: each resample draws len(Items) items with
// replacement and recomputes both on the same draw, so the two stay paired.
// Resamples where either is undefined are dropped; with fewer than half
// left, there is no interval (nil).
func (s *kappaSet) bootstrapDifference(rng *rand.Rand, resamples int, level float64) *ConfidenceInterval {
	n := len(s.t.Items)
	if resamples <= 0 || n == 0 {
		return nil
	}
	diffs := make([]float64, 0, resamples)
	items := make([]int, n)
	for range resamples {
		for i := range items {
			items[i] = rng.IntN(n)
		}
		if d := s.judgeMean(items) - s.ceiling(items); !math.IsNaN(d) {
			diffs = append(diffs, d)
		}
	}
	if len(diffs) == 0 || 2*len(diffs) < resamples {
		return nil
	}
	slices.Sort(diffs)
	tail := (1 - level) / 2
	return &ConfidenceInterval{Lo: quantile(diffs, tail), Hi: quantile(diffs, 1-tail), Level: level, Resamples: len(diffs)}
}

// quantile interpolates linearly between order statistics of sorted xs
// (Hyndman and Fan's type 7, R's default).
func quantile(xs []float64, p float64) float64 {
	h := p * float64(len(xs)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(xs) {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}

// nanMean is the mean of the values that are not NaN, or NaN if none.
func nanMean(xs []float64) float64 {
	var s float64
	n := 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			s += x
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}
