package agreement

import (
	"errors"
	"fmt"
	"slices"
)

// Alphas holds Krippendorff's alpha under each metric. Ordinal and Interval
// are nil on a scale without order.
type Alphas struct {
	Nominal  *float64 `json:"nominal"`
	Ordinal  *float64 `json:"ordinal"`
	Interval *float64 `json:"interval"`
}

// Report is everything Analyze computes for one criterion, ready for JSON:
// undefined values are null, never NaN.
type Report struct {
	Scale  string   `json:"scale"`
	Items  int      `json:"items"`
	Raters int      `json:"raters"`
	Labels int      `json:"labels"`
	Humans []string `json:"humans"`
	// KrippendorffAlpha and FleissKappa measure the humans alone, the
	// reliability a judge is measured against; FleissItems counts the items
	// Fleiss' kappa used (see FleissKappa).
	KrippendorffAlpha Alphas   `json:"krippendorff_alpha"`
	FleissKappa       *float64 `json:"fleiss_kappa"`
	FleissItems       int      `json:"fleiss_items"`
	// Pairs covers every pair of raters, humans and judges alike, in table
	// order.
	Pairs   []Pair                 `json:"pairs"`
	Ceiling *Ceiling               `json:"ceiling"` // nil with fewer than two humans
	Judges  map[string]JudgeReport `json:"judges"`  // empty with fewer than two humans
}

// Analyze computes every statistic for one criterion's table. Raters in
// o.Judges are judges; the rest are humans unless o.Humans names them.
// With fewer than two humans there is no ceiling and no judge report; the
// alt-test needs three. It fails on bad options or unknown raters only.
func Analyze(t *Table, o Options) (Report, error) {
	if err := o.validate(); err != nil {
		return Report{}, fmt.Errorf("analyze: %w", err)
	}
	humans, err := humansOf(t, o)
	if err != nil {
		return Report{}, fmt.Errorf("analyze: %w", err)
	}
	r := Report{Scale: t.Scale.String(), Items: len(t.Items), Raters: len(t.Raters), Labels: t.Labels(),
		Humans: humans, Judges: map[string]JudgeReport{}}
	ht, err := t.WithRaters(humans...)
	if err != nil {
		return Report{}, fmt.Errorf("analyze: %w", err)
	}
	r.KrippendorffAlpha = alphas(ht)
	var fk float64
	fk, r.FleissItems = FleissKappa(ht)
	r.FleissKappa = num(fk)
	for a := range t.Raters {
		for b := a + 1; b < len(t.Raters); b++ {
			p, _ := ComparePair(t, t.Raters[a], t.Raters[b]) // both raters exist
			r.Pairs = append(r.Pairs, p)
		}
	}
	if len(humans) < 2 {
		return r, nil
	}
	c, err := HumanCeiling(t, humans)
	if err != nil {
		return Report{}, fmt.Errorf("analyze: %w", err)
	}
	r.Ceiling = &c
	o.Rand = o.rng() // one source for every judge, so each gets its own draws
	for _, j := range o.Judges {
		if r.Judges[j], err = CompareJudge(t, j, humans, o); err != nil {
			return Report{}, fmt.Errorf("analyze: %w", err)
		}
	}
	return r, nil
}

// humansOf returns o.Humans, or every rater not among o.Judges, after
// checking that every named rater exists and none is both.
func humansOf(t *Table, o Options) ([]string, error) {
	if _, err := t.columns(o.Judges); err != nil {
		return nil, fmt.Errorf("judges: %w", err)
	}
	if o.Humans != nil {
		if _, err := t.columns(o.Humans); err != nil {
			return nil, fmt.Errorf("humans: %w", err)
		}
		for _, h := range o.Humans {
			if slices.Contains(o.Judges, h) {
				return nil, fmt.Errorf("rater %q is both human and judge", h)
			}
		}
		return slices.Clone(o.Humans), nil
	}
	var hs []string
	for _, r := range t.Raters {
		if !slices.Contains(o.Judges, r) {
			hs = append(hs, r)
		}
	}
	return hs, nil
}

// alphas computes alpha under every metric the scale allows.
func alphas(t *Table) Alphas {
	get := func(m Kind) *float64 {
		a, err := KrippendorffAlpha(t, m)
		if errors.Is(err, ErrUnordered) {
			return nil
		}
		return num(a)
	}
	return Alphas{Nominal: get(Nominal), Ordinal: get(Ordinal), Interval: get(Interval)}
}
