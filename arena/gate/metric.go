package gate

import (
	"math"
	"slices"
	"strings"

	"github.com/merchantarena/merchantarena/stats"
)

// Metric names besides criteria.
const (
	MetricSuccess = "success"
	MetricScore   = "score"
)

// merchantCriteria judge the simulated merchant, not the build: they never
// count for or against it (see judges.SubjectMerchant).
var merchantCriteria = []string{"merchant_fidelity"}

// seResamples caps the resamples of the standard errors behind the power
// note: a standard error settles with a few hundred resamples (Efron &
// Tibshirani 1993, §6.4), unlike the tail quantile of a lower bound.
const seResamples = 2000

// series is one metric's paired differences, per persona (indexed as
// pairing.personas), and its sums on each side.
type series struct {
	name       string
	diffs      [][]float64
	sumA, sumB float64
	n          int
}

func (s *series) add(persona int, a, b float64) {
	s.diffs[persona] = append(s.diffs[persona], b-a)
	s.sumA, s.sumB, s.n = s.sumA+a, s.sumB+b, s.n+1
}

// collect builds the series of success, score and every criterion both
// sessions of a pair hold.
func collect(p pairing) []*series {
	index := make(map[string]int, len(p.personas))
	for i, name := range p.personas {
		index[name] = i
	}
	newSeries := func(name string) *series {
		return &series{name: name, diffs: make([][]float64, len(p.personas))}
	}
	success, score := newSeries(MetricSuccess), newSeries(MetricScore)
	crit := map[string]*series{}
	for _, pr := range p.pairs {
		i := index[pr.persona]
		success.add(i, b2f(pr.a.Success), b2f(pr.b.Success))
		score.add(i, pr.a.Gated, pr.b.Gated)
		for c, va := range pr.a.Criteria {
			vb, ok := pr.b.Criteria[c]
			if !ok || slices.Contains(merchantCriteria, c) {
				continue
			}
			name := criterionMetric(c)
			if crit[name] == nil {
				crit[name] = newSeries(name)
			}
			crit[name].add(i, va, vb)
		}
	}
	out := []*series{success, score}
	for _, name := range sortedKeys(crit) {
		out = append(out, crit[name])
	}
	return out
}

// criterionMetric names a criterion's metric: its own name, unless that
// is taken by success or score.
func criterionMetric(c string) string {
	if c == MetricSuccess || c == MetricScore {
		return "criterion:" + c
	}
	return c
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// measure computes each series' lower bound and minimum detectable drop.
// Series covering the same personas share one bootstrap pass.
func measure(all []*series, cfg Config) ([]Metric, map[string]float64) {
	groups := map[string][]*series{}
	for _, s := range all {
		groups[coverage(s)] = append(groups[coverage(s)], s)
	}
	boot := stats.Bootstrap{Resamples: cfg.Resamples, Seed: cfg.Seed}
	seBoot := stats.Bootstrap{Resamples: min(cfg.Resamples, seResamples), Seed: cfg.Seed}
	lowers := map[string]float64{}
	mde := map[string]float64{}
	for _, g := range groups {
		sets := make([][][]float64, len(g))
		for m, s := range g {
			sets[m] = nonEmpty(s.diffs)
		}
		_, lo := boot.LowerBounds(sets, cfg.Alpha)
		for m, s := range g {
			lowers[s.name] = lo[m]
			if len(sets[m]) >= 2 {
				se := seBoot.StdErr(sets[m])
				mde[s.name] = stats.MinDetectable(se, cfg.Alpha, cfg.Power)
			}
		}
	}
	var out []Metric
	for _, s := range all {
		if s.n == 0 {
			continue
		}
		n := float64(s.n)
		m := Metric{
			Name: s.name, Baseline: s.sumA / n, Candidate: s.sumB / n, Diff: (s.sumB - s.sumA) / n,
			Lower: lowers[s.name], Margin: cfg.margin(s.name), Pairs: s.n, Personas: len(nonEmpty(s.diffs)),
		}
		m.Pass = m.Lower > -m.Margin
		out = append(out, m)
	}
	return out, mde
}

// coverage is a series' set of personas, as a key.
func coverage(s *series) string {
	var b strings.Builder
	for _, d := range s.diffs {
		if len(d) > 0 {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

func nonEmpty(clusters [][]float64) [][]float64 {
	out := make([][]float64, 0, len(clusters))
	for _, c := range clusters {
		if len(c) > 0 {
			out = append(out, c)
		}
	}
	return out
}

// tooSmall returns the metrics whose margin the suite cannot resolve, by
// name: those whose minimum detectable drop exceeds their margin or could
// not be estimated.
func tooSmall(ms []Metric, mde map[string]float64) []string {
	var out []string
	for _, m := range ms {
		v, ok := mde[m.Name]
		if !ok || math.IsNaN(v) || v > m.Margin {
			out = append(out, m.Name)
		}
	}
	return out
}
