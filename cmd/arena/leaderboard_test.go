package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/results"
)

// offlineDB runs golden, tag-hacker and opt-out once and returns the file.
func offlineDB(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	r := run(t, t.Context(), nil, "run", "--db", db, "--data-dir", dir, "--references", "golden,tag-hacker,opt-out", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	return db
}

func TestLeaderboard_Formats(t *testing.T) {
	db := offlineDB(t)
	t.Run("CSV", func(t *testing.T) {
		r := run(t, t.Context(), nil, "leaderboard", "--db", db, "--format", "csv", "--by", "skill")
		recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
		if r.code != 0 || err != nil {
			t.Fatalf("exit %d, csv: %v\n%s", r.code, err, r.stdout)
		}
		groups := map[string]bool{}
		for _, rec := range recs[1:] {
			groups[rec[0]+"/"+rec[1]] = true
		}
		if recs[1][3] != "golden" || !groups["/"] || !groups["skill/customer_segmentation"] {
			t.Errorf("csv rows: board and skill groups expected, got %v", groups)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		r := run(t, t.Context(), nil, "leaderboard", "--db", db, "--format", "json", "--baseline", "opt-out")
		var b struct {
			Baseline string
			Builds   []struct {
				Name   string
				Rating *float64
			}
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &b) != nil {
			t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, x := range b.Builds {
			if x.Name == "opt-out" && (x.Rating == nil || *x.Rating != 1000) {
				t.Errorf("baseline opt-out rated %v, want 1000", x.Rating)
			}
		}
	})
	t.Run("Markdown", func(t *testing.T) {
		r := run(t, t.Context(), nil, "leaderboard", "--db", db, "--format", "md")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != 0 || !strings.HasPrefix(lines[2], "| rank |") || !strings.HasPrefix(lines[3], "| --- |") {
			t.Fatalf("md table:\n%s", r.stdout)
		}
	})
	t.Run("Filters", func(t *testing.T) {
		r := run(t, t.Context(), nil, "leaderboard", "--db", db, "--candidate", "golden,opt-out@1.0.0", "--skill", "discounts", "--format", "csv")
		if r.code != 0 || strings.Count(r.stdout, "\n") != 3 || strings.Contains(r.stdout, "tag-hacker") {
			t.Fatalf("filtered:\n%s%s", r.stdout, r.stderr)
		}
		if builds := storedBuilds(t, db); !builds["tag-hacker"] {
			t.Errorf("a filtered leaderboard replaced the run's stored ranking: builds %v", builds)
		}
		none := run(t, t.Context(), nil, "leaderboard", "--db", db, "--since", "2999-01-01")
		if none.code != 2 || !strings.Contains(none.stderr, "no session matches") {
			t.Fatalf("no match: exit %d\n%s", none.code, none.stderr)
		}
	})
}

func TestLeaderboard_UsageErrors(t *testing.T) {
	db := offlineDB(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--by", "colour"}, "use skill or criterion"},
		{[]string{"--since", "yesterday"}, "give a date"},
		{[]string{"--run", "r1", "--latest"}, "pick one"},
		{[]string{"--resamples", "5"}, "100 or more"},
		{[]string{"--baseline", "nope"}, `baseline "nope" is not among the builds`},
	} {
		r := run(t, t.Context(), nil, append([]string{"leaderboard", "--db", db}, tt.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%v: exit %d\n%s\nwant %q", tt.args, r.code, r.stderr, tt.want)
		}
	}
}

// storedBuilds returns the builds of the latest run's stored ranking.
func storedBuilds(t *testing.T, path string) map[string]bool {
	t.Helper()
	db, err := results.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := db.LatestRun(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Ranking(t.Context(), r.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, row := range rows {
		out[row.Candidate] = true
	}
	return out
}
