package results

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// LeaderRow is one candidate's line in a run's leaderboard, as the
// leaderboard view computes it. Cancelled sessions are counted in Cancelled,
// and the other sessions flagged as simulator faults in SimulatorFaults;
// both are left out of every other field. Errors and timeouts score 0.
type LeaderRow struct {
	RunID     string
	Rank      int // 1 is best; ties share a rank
	Candidate string
	Version   string
	// Sessions counts ok, error and timeout sessions that are no simulator
	// fault.
	Sessions, OK, Errors, Timeouts, Cancelled int
	// SimulatorFaults counts the sessions the merchant spoiled (not
	// cancelled, flagged Session.SimulatorFault): the merchant's failure,
	// not the build's.
	SimulatorFaults int
	SuccessRate     float64 // successful sessions / Sessions
	MeanScore       float64 // mean gated score over Sessions
	Violations      int     // findings in those sessions
	MeanTurns       float64
	// LatencyP50 is the median of the sessions' median turn latency;
	// LatencyP95 the 95th percentile (nearest rank) of their p95.
	LatencyP50, LatencyP95 time.Duration
	PromptTokens           int64
	CompletionTokens       int64
}

// Leaderboard returns a run's leaderboard, best first, read from the
// leaderboard view so that the CLI and plain SQL always agree. A run with no
// sessions has an empty leaderboard.
func (db *DB) Leaderboard(ctx context.Context, runID string) ([]LeaderRow, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT run_id, rank, candidate, version, sessions, ok, errors, timeouts, cancelled,
			simulator_faults, success_rate, mean_score, violations, mean_turns, latency_p50_ms, latency_p95_ms,
			prompt_tokens, completion_tokens
		FROM leaderboard WHERE run_id = ?
		ORDER BY rank, candidate, version`, runID)
	if err != nil {
		return nil, fmt.Errorf("leaderboard of %q: %w", runID, err)
	}
	defer rows.Close()
	var board []LeaderRow
	for rows.Next() {
		r, err := scanLeaderRow(rows)
		if err != nil {
			return nil, fmt.Errorf("leaderboard of %q: %w", runID, err)
		}
		board = append(board, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("leaderboard of %q: %w", runID, err)
	}
	return board, nil
}

func scanLeaderRow(rows *sql.Rows) (LeaderRow, error) {
	var (
		r                     LeaderRow
		success, score, turns sql.NullFloat64
		p50, p95              sql.NullFloat64
	)
	err := rows.Scan(&r.RunID, &r.Rank, &r.Candidate, &r.Version, &r.Sessions, &r.OK, &r.Errors,
		&r.Timeouts, &r.Cancelled, &r.SimulatorFaults, &success, &score, &r.Violations, &turns, &p50, &p95,
		&r.PromptTokens, &r.CompletionTokens)
	if err != nil {
		return LeaderRow{}, err
	}
	// NULL means no session to average over (all cancelled): report 0,
	// which Sessions == 0 explains.
	r.SuccessRate, r.MeanScore, r.MeanTurns = success.Float64, score.Float64, turns.Float64
	r.LatencyP50, r.LatencyP95 = millis(p50), millis(p95)
	return r, nil
}
