package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/merchantarena/merchantarena/arena/gate"
)

// printDecision writes d in format.
func printDecision(m *Main, format string, d *gate.Decision, dbPath string) error {
	switch format {
	case "json":
		return render(m.Stdout, "json", table{Value: d})
	case "junit":
		return writeJUnit(m.Stdout, d)
	case "md":
		return writeGateMarkdown(m.Stdout, d)
	}
	return writeGateTable(m, d, dbPath)
}

// badge is the verdict in words, for people.
func badge(v string) string {
	switch v {
	case gate.Pass:
		return "PASS"
	case gate.Block:
		return "BLOCKED"
	}
	return "UNDECIDED"
}

// gateSummaryLine says what was compared on what.
func gateSummaryLine(d *gate.Decision) string {
	s := fmt.Sprintf("%s against %s, run(s) %s: %d pairs over %d of %d personas", d.Candidate, d.Baseline,
		strings.Join(d.Runs, ", "), d.Pairs, d.Personas, d.AllPersonas)
	if d.Simulator != "" {
		s += ", merchant " + d.Simulator
	}
	if d.Missing > 0 {
		s += fmt.Sprintf(", %d missing", d.Missing)
	}
	if d.Faults > 0 {
		s += fmt.Sprintf(", %d dropped as simulator faults", d.Faults)
	}
	return s
}

func writeGateTable(m *Main, d *gate.Decision, dbPath string) error {
	w := m.Stdout
	fmt.Fprintf(w, "Gate: %s\n%s\n", badge(d.Verdict), gateSummaryLine(d))
	if len(d.Reasons) > 0 {
		fmt.Fprintln(w, "\nWhy:")
		for _, r := range d.Reasons {
			fmt.Fprintf(w, "  - %s\n", r)
		}
	}
	for _, t := range []table{metricTable(d), hardTable(d)} {
		if len(t.Rows) > 0 {
			fmt.Fprintln(w)
			if err := render(w, "table", t); err != nil {
				return err
			}
		}
	}
	if line := mcnemarLine(d); line != "" {
		fmt.Fprintf(w, "\n%s\n", line)
	}
	for _, n := range d.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	_, err := fmt.Fprintf(w, "\nDecision %d stored in %s (seed %d, %d resamples).\n", d.ID, dbPath, d.Inputs.Seed, d.Inputs.Resamples)
	return err
}

func writeGateMarkdown(w io.Writer, d *gate.Decision) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Arena gate: **%s**\n\n%s.\n", badge(d.Verdict), gateSummaryLine(d))
	if len(d.Reasons) > 0 {
		b.WriteString("\n**Why:**\n\n")
		for _, r := range d.Reasons {
			fmt.Fprintf(&b, "- %s\n", r)
		}
	}
	sections := []struct {
		title string
		t     table
	}{
		{fmt.Sprintf("Metrics (non-inferiority: the %s lower bound of B-A must be above -margin)", gate.Confidence(d.Inputs.Alpha)), metricTable(d)},
		{"Hard gates (must not rise)", hardTable(d)},
	}
	for _, s := range sections {
		if len(s.t.Rows) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s\n\n", s.title)
		if err := renderMarkdown(&b, s.t); err != nil {
			return err
		}
	}
	if line := mcnemarLine(d); line != "" {
		fmt.Fprintf(&b, "\n%s\n", line)
	}
	if len(d.Notes) > 0 {
		b.WriteString("\n### Notes\n\n")
		for _, n := range d.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
	}
	fmt.Fprintf(&b, "\n<sub>Decision %d, seed %d, %d resamples, alpha %g.</sub>\n", d.ID, d.Inputs.Seed, d.Inputs.Resamples, d.Inputs.Alpha)
	_, err := io.WriteString(w, b.String())
	return err
}

func metricTable(d *gate.Decision) table {
	t := table{Header: []string{"metric", "baseline", "candidate", "B-A", gate.Confidence(d.Inputs.Alpha) + " lower", "margin", "min detectable", "pairs", "result"}}
	for _, m := range d.Metrics {
		mde := "-"
		if v, ok := d.MinDetectable[m.Name]; ok {
			mde = fmt.Sprintf("%.3f", v)
		}
		t.Rows = append(t.Rows, []string{m.Name, f3(m.Baseline), f3(m.Candidate), fmt.Sprintf("%+.3f", m.Diff),
			fmt.Sprintf("%+.3f", m.Lower), f3(m.Margin), mde, strconv.Itoa(m.Pairs), passFail(m.Pass)})
	}
	return t
}

func hardTable(d *gate.Decision) table {
	t := table{Header: []string{"hard gate", "baseline", "candidate", "result"}}
	for _, h := range d.Hard {
		t.Rows = append(t.Rows, []string{h.Label(),
			fmt.Sprintf("%d/%d (%.2f)", h.Baseline, h.Pairs, h.BaselineRate),
			fmt.Sprintf("%d/%d (%.2f)", h.Candidate, h.Pairs, h.CandidateRate), passFail(h.Pass)})
	}
	return t
}

func mcnemarLine(d *gate.Decision) string {
	if d.McNemar == nil {
		return ""
	}
	m := d.McNemar
	return fmt.Sprintf("McNemar exact test on success (one trial per persona): b = %d (baseline only), c = %d (candidate only), "+
		"p = %.4f two-sided, %.4f that the candidate is worse.", m.B, m.C, m.P, m.PWorse)
}

func f3(v float64) string { return fmt.Sprintf("%.3f", v) }

func passFail(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}

// The JUnit XML shapes CI systems read (the Ant schema): one suite, one
// case per metric and hard gate.
type (
	junitSuite struct {
		XMLName    xml.Name        `xml:"testsuite"`
		Name       string          `xml:"name,attr"`
		Tests      int             `xml:"tests,attr"`
		Failures   int             `xml:"failures,attr"`
		Errors     int             `xml:"errors,attr"`
		Properties []junitProperty `xml:"properties>property"`
		Cases      []junitCase     `xml:"testcase"`
	}
	junitProperty struct {
		Name  string `xml:"name,attr"`
		Value string `xml:"value,attr"`
	}
	junitCase struct {
		Name      string        `xml:"name,attr"`
		Classname string        `xml:"classname,attr"`
		Failure   *junitProblem `xml:"failure,omitempty"`
		Error     *junitProblem `xml:"error,omitempty"`
		SystemOut string        `xml:"system-out,omitempty"`
	}
	junitProblem struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Text    string `xml:",chardata"`
	}
)

// writeJUnit writes d as a JUnit suite "arena-gate": each metric and hard
// gate a test case failing with its numbers, and, when the gate cannot
// decide, a "verdict" case in error with the reasons.
func writeJUnit(w io.Writer, d *gate.Decision) error {
	s := junitSuite{Name: "arena-gate", Properties: []junitProperty{
		{"verdict", d.Verdict}, {"baseline", d.Baseline}, {"candidate", d.Candidate},
		{"runs", strings.Join(d.Runs, ",")}, {"decision", strconv.FormatInt(d.ID, 10)},
		{"seed", strconv.FormatUint(d.Inputs.Seed, 10)}, {"resamples", strconv.Itoa(d.Inputs.Resamples)},
		{"pairs", strconv.Itoa(d.Pairs)},
	}}
	if d.Verdict == gate.Undecided {
		why := strings.Join(d.Reasons, "; ")
		s.Cases = append(s.Cases, junitCase{Name: "verdict", Classname: "arena-gate",
			Error: &junitProblem{Message: "cannot decide: " + why, Type: "undecided", Text: strings.Join(d.Reasons, "\n")}})
	}
	for _, m := range d.Metrics {
		c := junitCase{Name: m.Name, Classname: "arena-gate.metric", SystemOut: fmt.Sprintf(
			"baseline %.3f, candidate %.3f, B-A %+.3f, %s lower bound %+.3f, margin %.3f, %d pairs over %d personas",
			m.Baseline, m.Candidate, m.Diff, gate.Confidence(d.Inputs.Alpha), m.Lower, m.Margin, m.Pairs, m.Personas)}
		if !m.Pass {
			c.Failure = &junitProblem{Message: fmt.Sprintf("%s lower bound %+.3f is not above -%.3f", m.Name, m.Lower, m.Margin),
				Type: "non-inferiority", Text: c.SystemOut}
		}
		s.Cases = append(s.Cases, c)
	}
	for _, h := range d.Hard {
		c := junitCase{Name: h.Label(), Classname: "arena-gate.hard", SystemOut: fmt.Sprintf(
			"baseline %d of %d pairs (%.2f), candidate %d of %d pairs (%.2f)", h.Baseline, h.Pairs, h.BaselineRate, h.Candidate, h.Pairs, h.CandidateRate)}
		if !h.Pass {
			c.Failure = &junitProblem{Message: fmt.Sprintf("%s rose %.2f → %.2f (%d of %d pairs)", h.Label(), h.BaselineRate, h.CandidateRate, h.Candidate, h.Pairs),
				Type: "hard-gate", Text: c.SystemOut}
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	for _, c := range s.Cases {
		if c.Failure != nil {
			s.Failures++
		}
		if c.Error != nil {
			s.Errors++
		}
	}
	out, err := xml.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s%s\n", xml.Header, out)
	return err
}
