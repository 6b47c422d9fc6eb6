package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/results"
)

var queryRE = regexp.MustCompile("(?s)<!-- query: ([a-z-]+) -->\n```sql\n(.*?)```")

// readmeQueries returns the analyst queries the README documents, by name.
func readmeQueries(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range queryRE.FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2]
	}
	if len(out) < 10 {
		t.Fatalf("README documents %d queries, want ten", len(out))
	}
	return out
}

// TestReadme_Queries runs every documented query with the sqlite3 shell, as
// an analyst would, on a file with two runs, a regression and a blocked
// release, and checks each answers what it says it answers.
func TestReadme_Queries(t *testing.T) {
	sh, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 shell is not installed; .ci/run installs it (apt-get install sqlite3)")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	for range 2 {
		r := run(t, t.Context(), nil, "run", "--db", db, "--data-dir", dir, "--references", "golden,tag-hacker,opt-out", "--format", "csv")
		if r.code != 0 {
			t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
		}
	}
	regressed := plantRegression(t, sh, db)
	plantBlockedRelease(t, db)
	query := func(name, sql string) []map[string]any {
		out, err := exec.Command(sh, "-json", db, sql).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, out)
		}
		var rows []map[string]any
		if len(strings.TrimSpace(string(out))) > 0 {
			if err := json.Unmarshal(out, &rows); err != nil {
				t.Fatalf("%s: %v\n%s", name, err, out)
			}
		}
		return rows
	}
	checks := map[string]func([]map[string]any) bool{
		"top-builds-by-skill": func(rows []map[string]any) bool { return rows[0]["skill"] != nil && rows[0]["candidate"] != nil },
		"regressions-between-runs": func(rows []map[string]any) bool {
			return len(rows) == 1 && rows[0]["persona_id"] == regressed && rows[0]["candidate"] == "golden"
		},
		"worst-personas":   func(rows []map[string]any) bool { return rows[0]["violations"].(float64) > 0 },
		"cost-per-success": func(rows []map[string]any) bool { return len(rows) == 3 },
		"violations-by-kind": func(rows []map[string]any) bool {
			return hasValue(rows, "kind", "tag_hacking") && hasValue(rows, "kind", "opt_out")
		},
		"refused-tool-calls": func(rows []map[string]any) bool { return len(rows) == 0 || rows[0]["refused"].(float64) > 0 },
		"head-to-head":       func(rows []map[string]any) bool { return len(rows) == 2 && hasValue(rows, "opponent", "tag-hacker") },
		"blocked-releases":   func(rows []map[string]any) bool { return len(rows) == 2 && rows[0]["candidate"] == "tag-hacker@1.0.0" },
		"simulator-faults": func(rows []map[string]any) bool {
			return rows[0]["merchant"] == "verbatim" && rows[0]["faults"].(float64) == 0
		},
		"build-trend": func(rows []map[string]any) bool { return len(rows) == 2 && rows[0]["rank"].(float64) == 1 },
	}
	for name, sql := range readmeQueries(t) {
		check, ok := checks[name]
		if !ok {
			t.Errorf("query %s has no check", name)
			continue
		}
		rows := query(name, sql)
		if len(rows) == 0 || !check(rows) {
			t.Errorf("query %s answered %v", name, rows)
		}
	}
}

// plantRegression makes golden lose on one persona in the latest run and
// returns that persona.
func plantRegression(t *testing.T, sh, db string) string {
	t.Helper()
	out, err := exec.Command(sh, db, `
		UPDATE sessions SET gated_score = 0
		WHERE run_id = (SELECT id FROM runs ORDER BY started_at DESC LIMIT 1)
		  AND candidate_id = (SELECT id FROM candidates WHERE name = 'golden')
		  AND persona_id = (SELECT min(persona_id) FROM sessions)
		RETURNING persona_id;`).CombinedOutput()
	if err != nil {
		t.Fatalf("plant regression: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

func plantBlockedRelease(t *testing.T, path string) {
	t.Helper()
	db, err := results.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.PutGateDecision(t.Context(), results.GateDecision{Runs: []string{"r"}, Baseline: "golden@1.0.0",
		Candidate: "tag-hacker@1.0.0", Verdict: results.VerdictBlock,
		Reasons: []string{"tag_hacking rate rose", "gated score fell"}})
	if err != nil {
		t.Fatal(err)
	}
}

func hasValue(rows []map[string]any, key, want string) bool {
	for _, r := range rows {
		if r[key] == want {
			return true
		}
	}
	return false
}
