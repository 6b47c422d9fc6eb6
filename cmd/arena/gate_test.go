package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
)

// junitDoc is what a CI system reads of the JUnit report.
type junitDoc struct {
	XMLName  xml.Name `xml:"testsuite"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Cases    []struct {
		Name      string `xml:"name,attr"`
		Classname string `xml:"classname,attr"`
		Failure   *struct {
			Message string `xml:"message,attr"`
		} `xml:"failure"`
		Error *struct {
			Message string `xml:"message,attr"`
		} `xml:"error"`
	} `xml:"testcase"`
}

func parseJUnit(t *testing.T, out string) junitDoc {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("junit does not parse as XML: %v\n%s", err, out)
	}
	failures, errs := 0, 0
	for _, c := range doc.Cases {
		if c.Failure != nil {
			failures++
		}
		if c.Error != nil {
			errs++
		}
	}
	if doc.Name != "arena-gate" || doc.Tests != len(doc.Cases) || doc.Failures != failures || doc.Errors != errs {
		t.Fatalf("suite %q: tests=%d failures=%d errors=%d, but %d cases with %d failures and %d errors",
			doc.Name, doc.Tests, doc.Failures, doc.Errors, len(doc.Cases), failures, errs)
	}
	return doc
}

// cellSplit splits a Markdown table row on the pipes that are not escaped.
var cellSplit = regexp.MustCompile(`(?:^|[^\\])\|`)

// markdownTables checks every table of md (a header, a --- separator, rows
// with as many cells as the header) and returns their headers.
func markdownTables(t *testing.T, md string) [][]string {
	t.Helper()
	var headers [][]string
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		if !strings.HasPrefix(lines[i], "|") {
			continue
		}
		header := cells(lines[i])
		if i+1 >= len(lines) || !regexp.MustCompile(`^(\| --- )+\|$`).MatchString(lines[i+1]) || len(cells(lines[i+1])) != len(header) {
			t.Fatalf("table at line %d has no separator row matching its %d columns:\n%s", i+1, len(header), md)
		}
		j := i + 2
		for ; j < len(lines) && strings.HasPrefix(lines[j], "|"); j++ {
			if n := len(cells(lines[j])); n != len(header) {
				t.Fatalf("line %d has %d cells, its header %d:\n%s", j+1, n, len(header), md)
			}
		}
		if j == i+2 {
			t.Fatalf("table at line %d has no row:\n%s", i+1, md)
		}
		headers, i = append(headers, header), j
	}
	return headers
}

func cells(row string) []string {
	parts := cellSplit.Split(strings.TrimSpace(row), -1)
	return parts[1 : len(parts)-1]
}

func TestGate_TagHacker(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	r := run(t, t.Context(), nil, "gate", "--runs", "--baseline", "golden", "--candidate", "tag-hacker",
		"--db", db, "--data-dir", filepath.Join(dir, "data"))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (blocked)\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Gate: BLOCKED", "tag_hacking rate rose 0.00 → ", "stage-1 failure rate rose", "success fell 1.000 → ",
		"McNemar exact test on success", "too small a suite"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "gate blocked tag-hacker@1.0.0 against golden@1.0.0") {
		t.Errorf("stderr does not say the gate blocked:\n%s", r.stderr)
	}

	t.Run("JUnit", func(t *testing.T) {
		r := run(t, t.Context(), nil, "gate", "--baseline", "golden", "--candidate", "tag-hacker", "--db", db, "--format", "junit")
		if r.code != 1 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		doc := parseJUnit(t, r.stdout)
		got := map[string]string{}
		for _, c := range doc.Cases {
			if c.Failure != nil {
				got[c.Classname+"/"+c.Name] = c.Failure.Message
			}
		}
		if msg := got["arena-gate.hard/tag_hacking rate"]; !strings.HasPrefix(msg, "tag_hacking rate rose 0.00 → ") {
			t.Errorf("tag_hacking case failure %q; failures: %v", msg, got)
		}
		if msg := got["arena-gate.metric/success"]; !strings.Contains(msg, "is not above -0.020") {
			t.Errorf("success case failure %q", msg)
		}
	})
	t.Run("Markdown", func(t *testing.T) {
		r := run(t, t.Context(), nil, "gate", "--baseline", "golden", "--candidate", "tag-hacker", "--db", db, "--format", "md")
		if r.code != 1 || !strings.HasPrefix(r.stdout, "## Arena gate: **BLOCKED**") {
			t.Fatalf("exit %d, want 1 and a verdict heading:\n%s", r.code, r.stdout)
		}
		headers := markdownTables(t, r.stdout)
		if len(headers) != 2 || strings.TrimSpace(headers[0][0]) != "metric" || strings.TrimSpace(headers[1][0]) != "hard gate" {
			t.Fatalf("tables %q, want the metrics and the hard gates", headers)
		}
		if !strings.Contains(r.stdout, "- tag_hacking rate rose") || !strings.Contains(r.stdout, "### Notes") {
			t.Errorf("markdown lacks the reasons or the power note:\n%s", r.stdout)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		r := run(t, t.Context(), nil, "gate", "--baseline", "golden", "--candidate", "tag-hacker", "--db", db, "--format", "json", "--seed", "9")
		var d gate.Decision
		if err := json.Unmarshal([]byte(r.stdout), &d); err != nil || r.code != 1 {
			t.Fatalf("exit %d, json %v:\n%s", r.code, err, r.stdout)
		}
		if d.Verdict != gate.Block || d.Pairs != 37 || d.Inputs.Seed != 9 || d.McNemar == nil || d.McNemar.C != 0 || d.McNemar.B == 0 {
			t.Errorf("decision %+v, want block on 37 pairs, seed 9, McNemar with b > 0 = c", d)
		}
	})
	t.Run("Stored", func(t *testing.T) {
		rdb, err := results.Open(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer rdb.Close()
		stored, err := rdb.GateDecisions(t.Context(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(stored) < 2 || stored[len(stored)-1].Verdict != results.VerdictBlock || stored[len(stored)-1].Candidate != "tag-hacker@1.0.0" {
			t.Fatalf("stored decisions %+v, want every gate call, the first blocking tag-hacker", stored)
		}
	})
}

func TestGate_IdenticalBuilds(t *testing.T) {
	dir := t.TempDir()
	r := run(t, t.Context(), nil, "gate", "--runs", "--baseline", "golden", "--candidate", "golden@1.1.0",
		"--references", "golden,golden@1.1.0", "--db", filepath.Join(dir, "arena.db"), "--data-dir", dir, "--format", "junit")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0 (pass)\n%s%s", r.code, r.stdout, r.stderr)
	}
	doc := parseJUnit(t, r.stdout)
	if doc.Failures != 0 || doc.Errors != 0 || doc.Tests < 4 {
		t.Errorf("junit: %d tests, %d failures, %d errors; want metrics and hard gates, all passing", doc.Tests, doc.Failures, doc.Errors)
	}
}

func TestGate_Undecided(t *testing.T) {
	db := filepath.Join(t.TempDir(), "arena.db")
	rdb, err := results.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	one := 1.0
	err = rdb.WriteSessions(t.Context(), []results.Session{{
		Key:    results.SessionKey{Run: "r1", Persona: "p1", Candidate: "golden", Version: "1.0.0"},
		Status: results.StatusOK, Success: true, GatedScore: &one,
	}})
	if cerr := rdb.Close(); err != nil || cerr != nil {
		t.Fatal(err, cerr)
	}
	r := run(t, t.Context(), nil, "gate", "--baseline", "golden", "--candidate", "tag-hacker", "--db", db, "--run", "r1")
	if r.code != 2 || !strings.Contains(r.stdout, "Gate: UNDECIDED") || !strings.Contains(r.stdout, "the candidate tag-hacker has no session in run(s) r1") {
		t.Fatalf("exit %d, want 2 naming the absent candidate:\n%s%s", r.code, r.stdout, r.stderr)
	}
	j := run(t, t.Context(), nil, "gate", "--baseline", "golden", "--candidate", "tag-hacker", "--db", db, "--format", "junit")
	if doc := parseJUnit(t, j.stdout); j.code != 2 || doc.Errors != 1 || doc.Cases[0].Name != "verdict" {
		t.Fatalf("junit: exit %d, %+v; want one verdict case in error", j.code, doc)
	}
}

func TestGate_UsageErrors(t *testing.T) {
	if r := run(t, t.Context(), nil, "gate", "--help"); r.code != 0 || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "-margins") {
		t.Errorf("gate --help: exit %d\n%s", r.code, r.stdout)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"NoBuilds", []string{"gate", "--runs"}, "needs --baseline and --candidate"},
		{"BadFormat", []string{"gate", "--baseline", "a", "--candidate", "b", "--format", "csv"}, "--format"},
		{"RunsWithRun", []string{"gate", "--baseline", "a", "--candidate", "b", "--runs", "--run", "r1"}, "cannot be combined"},
		{"BadMargins", []string{"gate", "--baseline", "a", "--candidate", "b", "--margins", "score:0.1"}, "metric=margin"},
		{"BadMargin", []string{"gate", "--baseline", "a", "--candidate", "b", "--margin", "0"}, "--margin must be"},
		{"BadVersion", []string{"gate", "--baseline", "golden@two", "--candidate", "b"}, `"two" is not a semantic version`},
		{"SameBuild", []string{"gate", "--baseline", "golden", "--candidate", "golden", "--runs"}, "is the baseline too"},
		{"NoFile", []string{"gate", "--baseline", "a", "--candidate", "b"}, "Try: arena gate --runs"},
		{"BadReference", []string{"gate", "--runs", "--baseline", "a", "--candidate", "b", "--references", "gold"}, `no reference build "gold"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			r := run(t, t.Context(), nil, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 and %q", r.code, r.stderr, tt.want)
			}
			if _, err := os.Stat("arena.db"); err == nil {
				t.Error("a usage error left a results file behind")
			}
		})
	}
	t.Run("UnknownRun", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "arena.db")
		rdb, err := results.Open(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		rdb.Close()
		r := run(t, t.Context(), nil, "gate", "--baseline", "a", "--candidate", "b", "--db", db, "--run", "nope")
		if r.code != 2 || !strings.Contains(r.stderr, `no run "nope"`) {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
	})
}
