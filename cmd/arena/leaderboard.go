package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/merchantarena/merchantarena/arena/ranking"
	"github.com/merchantarena/merchantarena/results"
)

// LeaderboardCommand ranks the builds of one or more runs, with confidence.
type LeaderboardCommand struct {
	m *Main
}

const leaderboardSummary = `Rank the builds of a results file, with the uncertainty a suite of this size
deserves: success rate with a 95% Wilson interval, mean gated score with a
persona-bootstrap interval, pass^k, Bradley-Terry ratings from per-persona
wins, ties and losses (anchored at 1000 on --baseline), violations by kind,
turns, latency, tokens and cost. Builds whose rating intervals overlap share a
rank. Simulator faults are counted apart and never scored; errors score 0.

A ranking of exactly one run, unfiltered, is stored in the file (table
rankings); filters and --baseline leave the stored one as it is.
The plain leaderboard view (sqlite3 arena.db 'select * from leaderboard') holds
the same sessions, scores and success rates without the statistics.`

const leaderboardExamples = `  arena leaderboard                                   # the latest run in ./arena.db
  arena leaderboard --by skill --format md            # one board per skill, for a pull request
  arena leaderboard --run run-A,run-B --candidate golden,jit --baseline golden@1.0.0
  arena leaderboard --since 2026-11-01 --skill customer_segmentation --format csv > board.csv
  arena leaderboard --by criterion --format json      # per judge criterion (LLM path)`

// Run prints the ranking.
func (c *LeaderboardCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("leaderboard", leaderboardSummary, leaderboardExamples)
	dbPath := fs.String("db", "arena.db", "results file (SQLite)")
	runs := fs.String("run", "", "run ID(s), comma-separated (default: the latest run)")
	latest := fs.Bool("latest", false, "rank the latest run (the default without --run)")
	cands := fs.String("candidate", "", "builds to rank, comma-separated: name or name@version (default: all)")
	skill := fs.String("skill", "", "only personas with this skill")
	since := fs.String("since", "", "only sessions started at or after this date (2026-11-01) or time (RFC 3339)")
	by := fs.String("by", "", "also rank within each skill or criterion: skill, criterion")
	baseline := fs.String("baseline", "", "build the ratings are anchored to, rated 1000 (default: the one with most sessions)")
	resamples := fs.Int("resamples", 1000, "persona-bootstrap resamples for the intervals")
	seed := fs.Uint64("seed", 1, "bootstrap seed")
	format := fs.String("format", "table", "output format: table, json, md, csv")
	if err := fs.parse(args); err != nil {
		return err
	}
	opt, err := boardOptions(*runs, *latest, *cands, *skill, *since, *by, *baseline, *resamples, *seed)
	if err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	db, err := openExisting(ctx, *dbPath, "arena run (writes arena.db), or --db FILE")
	if err != nil {
		return err
	}
	defer db.Close()
	board, err := ranking.Compute(ctx, db, opt)
	if errors.Is(err, results.ErrNoRuns) {
		return usageErrorf("%s holds no run yet", db.Path()).try("arena run")
	}
	if err != nil {
		return usageErrorf("%v", err).try("arena leaderboard --help")
	}
	// A filtered or re-anchored board is a view, not the run's ranking.
	if len(board.Runs) == 1 && opt.Whole() {
		if err := ranking.Store(ctx, db, board.Runs[0], board); err != nil {
			return err
		}
	}
	if *format == "table" || *format == "md" {
		fmt.Fprintf(c.m.Stdout, "%s\n\n", boardHeadline(board))
	}
	return renderBoard(c.m.Stdout, *format, board)
}

func boardOptions(runs string, latest bool, cands, skill, since, by, baseline string, resamples int, seed uint64) (ranking.Options, error) {
	opt := ranking.Options{Runs: splitList(runs), Candidates: splitList(cands), Skill: skill,
		By: by, Baseline: baseline, Resamples: resamples, Seed: seed}
	if latest && len(opt.Runs) > 0 {
		return opt, usageErrorf("--latest and --run: pick one").try("arena leaderboard --run ID")
	}
	switch by {
	case "", "skill", "criterion":
	default:
		return opt, usageErrorf("--by %q: use skill or criterion", by)
	}
	if resamples < 100 {
		return opt, usageErrorf("--resamples %d: use 100 or more (1000 is the default)", resamples)
	}
	if since != "" {
		t, err := parseSince(since)
		if err != nil {
			return opt, err
		}
		opt.Since = t
	}
	return opt, nil
}

func parseSince(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageErrorf("--since %q: give a date (2026-11-01) or an RFC 3339 time", s)
}

func boardHeadline(b *ranking.Board) string {
	return fmt.Sprintf("Ranking of %s: baseline %s rated 1000; 95%% intervals from %d persona-bootstrap resamples (seed %d)",
		joinRuns(b.Runs), b.Baseline, b.Resamples, b.Seed)
}

func joinRuns(runs []string) string {
	if len(runs) == 1 {
		return "run " + runs[0]
	}
	return fmt.Sprintf("%d runs %v", len(runs), runs)
}

func pct(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*f)
}

func ms(d time.Duration) string {
	if d < time.Millisecond {
		return fmt.Sprintf("%dµs", d.Microseconds())
	}
	return fmt.Sprintf("%dms", d.Milliseconds())
}
