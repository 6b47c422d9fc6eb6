package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/results"
)

// LeaderboardCommand prints a run's ranking from a results file.
type LeaderboardCommand struct {
	m *Main
}

const leaderboardSummary = `Print how the builds of a run rank, read from a results file. The numbers come
from the file's leaderboard view, so "sqlite3 arena.db 'select * from leaderboard'"
shows the same ranking.`

const leaderboardExamples = `  arena leaderboard                           # the latest run in ./arena.db
  arena leaderboard --run run-20261126-231607-3f9a --format md
  arena leaderboard --db ci/results.db --format csv > board.csv`

// Run prints the leaderboard.
func (c *LeaderboardCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("leaderboard", leaderboardSummary, leaderboardExamples)
	dbPath := fs.String("db", "arena.db", "results file (SQLite)")
	runID := fs.String("run", "", "run ID (default: the latest run)")
	format := fs.String("format", "table", "output format: table, json, md, csv")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if _, err := os.Stat(*dbPath); err != nil {
		return usageErrorf("results file %s: %v", *dbPath, err).try("arena run (writes arena.db), or --db FILE")
	}
	db, err := results.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	run, err := pickRun(ctx, db, *runID)
	if err != nil {
		return err
	}
	rows, err := db.Leaderboard(ctx, run.ID)
	if err != nil {
		return err
	}
	kinds, err := db.ViolationKinds(ctx, run.ID)
	if err != nil {
		return err
	}
	if *format == "json" {
		return render(c.m.Stdout, "json", table{Value: map[string]any{"run": run, "leaderboard": rows, "violations": kinds}})
	}
	if *format == "table" || *format == "md" {
		fmt.Fprintf(c.m.Stdout, "Run %s — %s, %s, started %s\n\n", run.ID, run.Mode, run.Status, run.StartedAt.Format(time.RFC3339))
	}
	return render(c.m.Stdout, *format, leaderboardTable(rows, kinds))
}

func pickRun(ctx context.Context, db *results.DB, id string) (results.Run, error) {
	if id == "" {
		r, err := db.LatestRun(ctx)
		if errors.Is(err, results.ErrNoRuns) {
			return r, usageErrorf("%s holds no run yet", db.Path()).try("arena run")
		}
		return r, err
	}
	r, err := db.Run(ctx, id)
	if err != nil {
		return r, usageErrorf("run %s: %v", id, err).try("arena leaderboard (the latest run)")
	}
	return r, nil
}

// leaderboardTable lays out leaderboard rows, with each build's violation
// kinds, most frequent first.
func leaderboardTable(rows []results.LeaderRow, kinds map[string]map[string]int) table {
	t := table{
		Header: []string{"rank", "build", "version", "sessions", "success", "score", "errors", "timeouts", "sim faults", "violations", "kinds", "turns", "p50", "p95"},
		Value:  rows,
	}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{
			strconv.Itoa(r.Rank), r.Candidate, r.Version, strconv.Itoa(r.Sessions),
			pct(r.SuccessRate), fmt.Sprintf("%.3f", r.MeanScore), strconv.Itoa(r.Errors), strconv.Itoa(r.Timeouts), strconv.Itoa(r.SimulatorFaults),
			strconv.Itoa(r.Violations), kindList(kinds[r.Candidate+"@"+r.Version]),
			fmt.Sprintf("%.1f", r.MeanTurns), ms(r.LatencyP50), ms(r.LatencyP95),
		})
	}
	return t
}

func kindList(k map[string]int) string {
	if len(k) == 0 {
		return "-"
	}
	names := make([]string, 0, len(k))
	for n := range k {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if k[names[i]] != k[names[j]] {
			return k[names[i]] > k[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s:%d", n, k[n])
	}
	return strings.Join(parts, " ")
}

func pct(f float64) string { return fmt.Sprintf("%.0f%%", 100*f) }

func ms(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%dµs", d.Microseconds())
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}
