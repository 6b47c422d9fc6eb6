package results

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SessionScore is one session's verdict without its transcript, as the
// session_scores view lists it: what ranking and gating statistics
// (pass^k, bootstrap intervals, paired comparisons) are computed from.
type SessionScore struct {
	SessionID  int64
	Key        SessionKey
	Status     string
	StopReason string
	Turns      int
	RawScore   *float64
	GatedScore *float64
	Success    bool
	Violations int
	Duration   time.Duration
	Error      string
	// Simulator model and prompt version: sessions played by different
	// simulators are never paired. Seed and temperature are not listed.
	SimulatorModel, SimulatorPrompt string
	// SimulatorFault flags a session the merchant spoiled; the leaderboard
	// counts it apart, and pairing statistics should leave it out.
	SimulatorFault bool
	FaultReason    string
}

// SessionScores returns every session of a run, read from the
// session_scores view, by candidate, persona and trial.
func (db *DB) SessionScores(ctx context.Context, runID string) ([]SessionScore, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT session_id, run_id, persona_id, candidate, version, trial, status, stop_reason,
			turns, raw_score, gated_score, success, violations, duration_ms, error,
			simulator_model, simulator_prompt, simulator_fault, fault_reason
		FROM session_scores WHERE run_id = ?
		ORDER BY candidate, version, persona_id, trial`, runID)
	if err != nil {
		return nil, fmt.Errorf("session scores of %q: %w", runID, err)
	}
	defer rows.Close()
	var out []SessionScore
	for rows.Next() {
		var (
			s          SessionScore
			raw, gated sql.NullFloat64
			dur        sql.NullFloat64
			model, pr  sql.NullString
		)
		if err := rows.Scan(&s.SessionID, &s.Key.Run, &s.Key.Persona, &s.Key.Candidate,
			&s.Key.Version, &s.Key.Trial, &s.Status, &s.StopReason, &s.Turns, &raw, &gated,
			&s.Success, &s.Violations, &dur, &s.Error, &model, &pr, &s.SimulatorFault,
			&s.FaultReason); err != nil {
			return nil, fmt.Errorf("session scores of %q: %w", runID, err)
		}
		s.RawScore, s.GatedScore, s.Duration = floatPtr(raw), floatPtr(gated), millis(dur)
		s.SimulatorModel, s.SimulatorPrompt = model.String, pr.String
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("session scores of %q: %w", runID, err)
	}
	return out, nil
}
