package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const labelRows = `{"item":"toronto-customers","criterion":"helpfulness","rater":"expert:ana","kind":"human","label":4}
{"item":"toronto-customers","criterion":"helpfulness","rater":"expert:ben","kind":"human","label":"nope"
{"item":"toronto-customers","criterion":"helpfulness","rater":"expert:chloe","kind":"human","label":7}
{"item":"toronto-customers","criterion":"hallucination","rater":"llm:m","kind":"judge","label":1.0}
{"item":"toronto-customers","criterion":"vibe","rater":"expert:ana","kind":"human","label":"warm"}
{"item":"toronto-customers","criterion":"helpfulness","rater":"expert:ana","kind":"human","label":5}
`

func TestLabels_ImportExport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "labels.jsonl")
	if err := os.WriteFile(file, []byte(labelRows), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "arena.db")

	t.Run("StrictImportsNothing", func(t *testing.T) {
		r := run(t, t.Context(), nil, "labels", "import", file, "--db", db, "--strict")
		if r.code != 2 || !strings.Contains(r.stderr, "nothing imported") {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		if _, err := os.Stat(db); err == nil {
			t.Error("--strict with bad lines created the results file")
		}
	})
	r := run(t, t.Context(), nil, "labels", "import", file, "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "imported 3 label(s)") || !strings.Contains(r.stdout, "3 bad line(s)") {
		t.Fatalf("import: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"labels.jsonl:2:", "labels.jsonl:3: criterion helpfulness", "is not a level of the scale ordinal:1,2,3,4,5", "labels.jsonl:6: rater expert:ana already labelled"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	exp := run(t, t.Context(), nil, "labels", "export", "--db", db)
	if exp.code != 0 {
		t.Fatalf("export: exit %d\n%s", exp.code, exp.stderr)
	}
	want := []string{
		`{"item":"toronto-customers","criterion":"hallucination","rater":"llm:m","kind":"judge","label":1}`,
		`{"item":"toronto-customers","criterion":"helpfulness","rater":"expert:ana","kind":"human","label":4}`,
		`{"item":"toronto-customers","criterion":"vibe","rater":"expert:ana","kind":"human","label":"warm"}`,
	}
	got := strings.Split(strings.TrimSpace(exp.stdout), "\n")
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}

	t.Run("RoundTrip", func(t *testing.T) {
		again := filepath.Join(dir, "again.jsonl")
		if err := os.WriteFile(again, []byte(exp.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		db2 := filepath.Join(dir, "second.db")
		if r := run(t, t.Context(), nil, "labels", "import", again, "--db", db2, "--strict"); r.code != 0 {
			t.Fatalf("re-import: exit %d\n%s", r.code, r.stderr)
		}
		exp2 := run(t, t.Context(), nil, "labels", "export", "--db", db2)
		if diff := cmp.Diff(exp.stdout, exp2.stdout); diff != "" {
			t.Errorf("second export (-first +second):\n%s", diff)
		}
		judgesOnly := run(t, t.Context(), nil, "labels", "export", "--db", db2, "--kind", "judge")
		if strings.Count(judgesOnly.stdout, "\n") != 1 || !strings.Contains(judgesOnly.stdout, "llm:m") {
			t.Errorf("export --kind judge:\n%s", judgesOnly.stdout)
		}
	})
	t.Run("NothingImported", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.jsonl")
		if err := os.WriteFile(bad, []byte("{}\nnot json\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		r := run(t, t.Context(), nil, "labels", "import", bad, "--db", db)
		if r.code != 2 || !strings.Contains(r.stderr, "no label could be read") || !strings.Contains(r.stderr, "bad.jsonl:1: bad label: field") {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
	})
}

func TestLabels_Help(t *testing.T) {
	for _, cmd := range [][]string{{"labels", "import"}, {"labels", "export"}, {"judges", "agreement"}, {"judges", "calibrate"}, {"judges", "sensitivity"}, {"labels"}, {"judges"}} {
		r := run(t, t.Context(), nil, append(cmd, "--help")...)
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "arena "+cmd[0]) {
			t.Errorf("%v --help: exit %d, want usage with examples on stdout:\n%s%s", cmd, r.code, r.stdout, r.stderr)
		}
	}
}
