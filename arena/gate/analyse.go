package gate

import (
	"fmt"
	"math"
	"strings"

	"github.com/merchantarena/merchantarena/stats"
)

// analyse pairs the sessions, measures, and reaches the verdict.
func analyse(d *Decision, cfg Config, sel selection) {
	if reasons := absent(sel); len(reasons) > 0 {
		d.Verdict, d.Reasons = Undecided, reasons
		return
	}
	p := pairSessions(sel.a, sel.b)
	d.Personas, d.AllPersonas, d.Pairs, d.Faults = len(p.personas), p.all, len(p.pairs), p.faults
	for _, n := range p.missing {
		d.Missing += n
	}
	if d.Missing > 0 {
		d.MissingReasons = p.missing
	}
	d.Simulator = strings.Join(p.sims, ", ")
	d.MinDetectable = map[string]float64{}
	if len(p.pairs) > 0 {
		d.Metrics, d.MinDetectable = measure(collect(p), cfg)
		d.Hard = hardChecks(p)
		d.McNemar = mcnemar(p)
		d.Notes = append(d.Notes, powerNotes(d, cfg)...)
	}
	d.Notes = append(d.Notes, marginNotes(d, cfg)...)
	if reasons := undecided(d, p); len(reasons) > 0 {
		d.Verdict, d.Reasons = Undecided, reasons
		return
	}
	d.Reasons = failures(d, cfg)
	d.Verdict = Pass
	if len(d.Reasons) > 0 {
		d.Verdict = Block
	}
}

// absent says which build has no session in the runs.
func absent(sel selection) []string {
	var out []string
	runs := strings.Join(sel.runs, ", ")
	if len(sel.a) == 0 {
		out = append(out, fmt.Sprintf("the baseline %s has no session in run(s) %s", sel.baseline, runs))
	}
	if len(sel.b) == 0 {
		out = append(out, fmt.Sprintf("the candidate %s has no session in run(s) %s", sel.candidate, runs))
	}
	return out
}

// undecided applies the rules under which the gate cannot answer (see the
// package doc).
func undecided(d *Decision, p pairing) []string {
	switch {
	case d.Pairs == 0:
		return []string{"no usable pair: " + breakdown(d, p)}
	case 2*(d.AllPersonas-d.Personas) > d.AllPersonas:
		return []string{fmt.Sprintf("pairs missing for %d of %d personas (more than half): %s",
			d.AllPersonas-d.Personas, d.AllPersonas, breakdown(d, p))}
	}
	for _, h := range d.Hard {
		if h.Name == CheckErrors && 2*h.Baseline > h.Pairs {
			return []string{fmt.Sprintf("the baseline errored or timed out in %d of %d pairs (more than half): "+
				"nothing sound to compare against; fix it or rerun", h.Baseline, h.Pairs)}
		}
	}
	return nil
}

// breakdown says where the pairs went.
func breakdown(d *Decision, p pairing) string {
	var parts []string
	for _, why := range []string{MissingCandidate, MissingBaseline, MissingSimulator} {
		if n := p.missing[why]; n > 0 {
			part := fmt.Sprintf("%d %s", n, why)
			if why == MissingSimulator {
				part += " (" + strings.Join(p.mismatched, "; ") + "; the gate never compares across simulators)"
			}
			parts = append(parts, part)
		}
	}
	if d.Faults > 0 {
		parts = append(parts, fmt.Sprintf("%d dropped as simulator faults", d.Faults))
	}
	parts = append(parts, fmt.Sprintf("%d usable", d.Pairs))
	return strings.Join(parts, ", ")
}

// failures lists every failing metric and hard gate with its numbers.
func failures(d *Decision, cfg Config) []string {
	var out []string
	for _, m := range d.Metrics {
		if !m.Pass {
			out = append(out, metricReason(m, cfg.Alpha))
		}
	}
	for _, h := range d.Hard {
		if !h.Pass {
			out = append(out, hardReason(h))
		}
	}
	return out
}

func metricReason(m Metric, alpha float64) string {
	verb := "held at"
	switch {
	case m.Diff < 0:
		verb = "fell"
	case m.Diff > 0:
		verb = "rose"
	}
	return fmt.Sprintf("%s %s %.3f → %.3f: B-A %+.3f, %s lower bound %+.3f is not above -%.3f (%d pairs, %d personas)",
		m.Name, verb, m.Baseline, m.Candidate, m.Diff, Confidence(alpha), m.Lower, m.Margin, m.Pairs, m.Personas)
}

func hardReason(h HardCheck) string {
	counts := fmt.Sprintf("%d of %d pairs", h.Candidate, h.Pairs)
	if h.Baseline > 0 {
		counts = fmt.Sprintf("%d → %d of %d pairs", h.Baseline, h.Candidate, h.Pairs)
	}
	return fmt.Sprintf("%s rose %.2f → %.2f (%s)", h.Label(), h.BaselineRate, h.CandidateRate, counts)
}

// Confidence names a one-sided level: "95%" for alpha 0.05.
func Confidence(alpha float64) string {
	return fmt.Sprintf("%g%%", math.Round((1-alpha)*1000)/10)
}

// mcnemar is the exact test on success when every paired persona has one
// pair (one trial): the pairs are then independent, as the test needs.
func mcnemar(p pairing) *McNemar {
	if len(p.pairs) != len(p.personas) {
		return nil
	}
	var m McNemar
	for _, pr := range p.pairs {
		switch {
		case pr.a.Success && !pr.b.Success:
			m.B++
		case !pr.a.Success && pr.b.Success:
			m.C++
		}
	}
	m.P, m.PWorse = stats.McNemarExact(m.B, m.C), stats.McNemarOneSided(m.B, m.C)
	return &m
}

// powerNotes flags, in one note, the metrics whose margin the suite
// cannot resolve, each with the smallest drop it could detect.
func powerNotes(d *Decision, cfg Config) []string {
	small := tooSmall(d.Metrics, d.MinDetectable)
	d.TooSmall = len(small) > 0
	if !d.TooSmall {
		return nil
	}
	var parts []string
	for _, m := range d.Metrics {
		if !contains(small, m.Name) {
			continue
		}
		if v, ok := d.MinDetectable[m.Name]; ok {
			parts = append(parts, fmt.Sprintf("%s (margin %.3f): %.3f", m.Name, m.Margin, v))
		} else {
			parts = append(parts, fmt.Sprintf("%s: cannot be estimated from %d persona(s)", m.Name, m.Personas))
		}
	}
	return []string{fmt.Sprintf("too small a suite: %d personas cannot detect a drop as small as the margin at %g%% power; "+
		"the smallest drop they could detect is, for %s (add personas or trials)", d.Personas, 100*cfg.Power, strings.Join(parts, "; "))}
}

// marginNotes flags --margins entries that name no metric: likely typos.
func marginNotes(d *Decision, cfg Config) []string {
	var names []string
	for _, m := range d.Metrics {
		names = append(names, m.Name)
	}
	var out []string
	for _, k := range sortedKeys(cfg.Margins) {
		if len(d.Metrics) > 0 && !contains(names, k) {
			out = append(out, fmt.Sprintf("margin %s=%g names no metric of this comparison (%s)", k, cfg.Margins[k], strings.Join(names, ", ")))
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
