package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

// writer is where reports go.
type writer = io.Writer

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

// num prints a statistic with three decimals, "-" when undefined.
func num3(f *float64) string {
	if f == nil {
		return "-"
	}
	return fmt.Sprintf("%.3f", *f)
}

// printCriterion prints one criterion's report: a headline, the alphas,
// the pairs, and the judges against the ceiling.
func printCriterion(w writer, format, name string, r agreement.Report) error {
	heading := func(s string) {
		if format == "md" {
			fmt.Fprintf(w, "### %s\n\n", s)
			return
		}
		fmt.Fprintln(w, s)
	}
	line := func(s string) {
		fmt.Fprintln(w, s)
		if format == "md" {
			fmt.Fprintln(w)
		}
	}
	heading(fmt.Sprintf("Criterion %s (%s): %d items, %d raters, %d labels; humans %s",
		name, r.Scale, r.Items, r.Raters, r.Labels, strings.Join(r.Humans, ", ")))
	a := r.KrippendorffAlpha
	line(fmt.Sprintf("Humans: Krippendorff's alpha nominal %s, ordinal %s, interval %s; Fleiss' kappa %s (%d items)",
		num3(a.Nominal), num3(a.Ordinal), num3(a.Interval), num3(r.FleissKappa), r.FleissItems))
	if c := r.Ceiling; c != nil {
		line(fmt.Sprintf("Human ceiling (mean %s kappa between humans): %s", c.Weighting, num3(c.MeanKappa)))
	} else {
		line("Human ceiling: none (fewer than two humans)")
	}
	if format != "md" {
		fmt.Fprintln(w)
	}
	if err := render(w, format, pairsTable(r)); err != nil {
		return err
	}
	if len(r.Judges) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	return render(w, format, judgesTable(r))
}

func pairsTable(r agreement.Report) table {
	t := table{Header: []string{"a", "b", "n", "exact", "cohen", "linear", "quadratic", "tau_b", "spearman", "pearson"}}
	for _, p := range r.Pairs {
		t.Rows = append(t.Rows, []string{p.A, p.B, fmt.Sprint(p.N), num3(p.ExactAgreement), num3(p.CohenKappa),
			num3(p.LinearKappa), num3(p.QuadraticKappa), num3(p.KendallTauB), num3(p.Spearman), num3(p.Pearson)})
	}
	return t
}

func judgesTable(r agreement.Report) table {
	t := table{Header: []string{"judge", "kappa_vs_humans", "ceiling", "ratio", "difference", "interval",
		"alpha_substituted", "alt_winning_rate", "alt_advantage", "alt_test"}}
	ceiling := "-"
	if r.Ceiling != nil {
		ceiling = num3(r.Ceiling.MeanKappa)
	}
	for _, name := range sortedJudges(r.Judges) {
		j := r.Judges[name]
		interval := "-"
		if ci := j.DifferenceInterval; ci != nil {
			interval = fmt.Sprintf("[%.3f, %.3f]", ci.Lo, ci.Hi)
		}
		win, adv, pass := "-", "-", "not run (needs 3 humans)"
		if at := j.AltTest; at != nil {
			win, adv, pass = num3(at.WinningRate), num3(at.AdvantageProbability), "FAIL"
			if at.Passed {
				pass = "pass"
			}
		}
		t.Rows = append(t.Rows, []string{name, num3(j.MeanKappaVsHumans), ceiling, num3(j.Ratio), num3(j.Difference), interval,
			substituted(j), win, adv, pass})
	}
	return t
}

// substituted summarises alpha with the judge in place of each human as
// its range over the humans replaced.
func substituted(j agreement.JudgeReport) string {
	lo, hi, n := 0.0, 0.0, 0
	for _, v := range j.AlphaSubstituted {
		if v == nil {
			continue
		}
		if n == 0 || *v < lo {
			lo = *v
		}
		if n == 0 || *v > hi {
			hi = *v
		}
		n++
	}
	if n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.3f..%.3f (%s)", lo, hi, j.AlphaMetric)
}
