package agreement

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// JudgeReport compares one judge with the humans on one criterion.
type JudgeReport struct {
	// KappaVsHumans is the judge's kappa against each human, weighted as
	// the ceiling is (Ceiling.Weighting); MeanKappaVsHumans is their mean.
	KappaVsHumans     map[string]*float64 `json:"kappa_vs_humans"`
	MeanKappaVsHumans *float64            `json:"mean_kappa_vs_humans"`
	// Ratio is MeanKappaVsHumans / ceiling, nil when the ceiling is not
	// positive; Difference is MeanKappaVsHumans − ceiling.
	Ratio      *float64 `json:"ratio"`
	Difference *float64 `json:"difference"`
	// DifferenceInterval is the paired item-bootstrap percentile interval
	// of Difference; nil without resamples or a ceiling.
	DifferenceInterval *ConfidenceInterval `json:"difference_interval"`
	// AlphaSubstituted is Krippendorff's alpha, in AlphaMetric (the scale's
	// own kind), of the humans with the judge in place of each human in
	// turn, keyed by the human replaced. Compare it with the humans' alpha.
	AlphaMetric      string              `json:"alpha_metric"`
	AlphaSubstituted map[string]*float64 `json:"alpha_substituted"`
	// AltTest is nil with fewer than three humans.
	AltTest *AltTest `json:"alt_test"`
}

// Options tunes Analyze and CompareJudge. Start from DefaultOptions; the
// zero value is rejected (Q and Level must be in (0,1)).
type Options struct {
	Judges    []string   // raters that are judges; every other rater is human unless Humans is set
	Humans    []string   // optional: the human raters, in the order reports list them
	Epsilon   float64    // alt-test margin ε in [0,1); DefaultEpsilon
	Q         float64    // alt-test FDR level in (0,1); DefaultQ
	Resamples int        // bootstrap resamples; 0 skips the interval; DefaultResamples
	Level     float64    // interval coverage in (0,1); 0.95
	Rand      *rand.Rand // the bootstrap's source; nil means a fixed seed, so runs repeat
}

// DefaultResamples is the bootstrap's default number of resamples.
const DefaultResamples = 2000

// DefaultOptions returns the defaults for the given judges: ε 0.2, q 0.05,
// 2000 resamples, a 95% interval and a fixed seed.
func DefaultOptions(judges ...string) Options {
	return Options{Judges: judges, Epsilon: DefaultEpsilon, Q: DefaultQ, Resamples: DefaultResamples, Level: 0.95}
}

func (o Options) validate() error {
	switch {
	case o.Epsilon < 0 || o.Epsilon >= 1:
		return fmt.Errorf("options: epsilon %g not in [0,1)", o.Epsilon)
	case o.Q <= 0 || o.Q >= 1:
		return fmt.Errorf("options: q %g not in (0,1); start from DefaultOptions", o.Q)
	case o.Level <= 0 || o.Level >= 1:
		return fmt.Errorf("options: level %g not in (0,1); start from DefaultOptions", o.Level)
	case o.Resamples < 0:
		return fmt.Errorf("options: resamples %d is negative", o.Resamples)
	}
	return nil
}

func (o Options) rng() *rand.Rand {
	if o.Rand != nil {
		return o.Rand
	}
	return rand.New(rand.NewPCG(1, 2))
}

// CompareJudge compares judge with the humans (at least two; the alt-test
// needs three): kappas, ratio and bootstrap interval against the ceiling,
// alpha with the judge substituted, and the alt-test. It draws from
// o.Rand, so judges compared in turn from one source get different but
// repeatable resamples.
func CompareJudge(t *Table, judge string, humans []string, o Options) (JudgeReport, error) {
	if err := o.validate(); err != nil {
		return JudgeReport{}, err
	}
	if len(humans) < 2 {
		return JudgeReport{}, fmt.Errorf("compare judge %q: %w: %d, want at least 2", judge, ErrTooFewHumans, len(humans))
	}
	cols, err := t.columns(append([]string{judge}, humans...))
	if err != nil {
		return JudgeReport{}, fmt.Errorf("compare judge: %w", err)
	}
	ks := newKappaSet(t, cols[0], cols[1:])
	r := JudgeReport{KappaVsHumans: map[string]*float64{}, AlphaMetric: t.Scale.Kind.String()}
	for j, h := range humans {
		r.KappaVsHumans[h] = num(ks.kappa(cols[0], cols[1+j], nil))
	}
	mean, ceiling := ks.judgeMean(nil), ks.ceiling(nil)
	r.MeanKappaVsHumans = num(mean)
	r.Difference = num(mean - ceiling)
	if ceiling > 0 {
		r.Ratio = num(mean / ceiling)
	}
	if !math.IsNaN(ceiling) {
		r.DifferenceInterval = ks.bootstrapDifference(o.rng(), o.Resamples, o.Level)
	}
	if r.AlphaSubstituted, err = substitutedAlphas(t, judge, humans); err != nil {
		return JudgeReport{}, err
	}
	if len(humans) >= 3 {
		alt, err := AlternativeAnnotatorTest(t, judge, humans, o.Epsilon, o.Q)
		if err != nil {
			return JudgeReport{}, err
		}
		r.AltTest = &alt
	}
	return r, nil
}

// substitutedAlphas returns, for each human, alpha of the other humans plus
// the judge, in the scale's own metric.
func substitutedAlphas(t *Table, judge string, humans []string) (map[string]*float64, error) {
	out := map[string]*float64{}
	for j, h := range humans {
		raters := append(slices.Delete(slices.Clone(humans), j, j+1), judge)
		sub, err := t.WithRaters(raters...)
		if err != nil {
			return nil, err
		}
		a, err := KrippendorffAlpha(sub, t.Scale.Kind)
		if err != nil {
			return nil, fmt.Errorf("alpha with %q for %q: %w", judge, h, err)
		}
		out[h] = num(a)
	}
	return out, nil
}
