package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// DoneSessions returns the keys of a run's sessions that are recorded and
// need no replay: every session except cancelled ones. A resumed run skips
// these.
func (db *DB) DoneSessions(ctx context.Context, runID string) (map[SessionKey]bool, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT s.persona_id, c.name, c.version, s.trial
		FROM sessions s JOIN candidates c ON c.id = s.candidate_id
		WHERE s.run_id = ? AND s.status <> 'cancelled'`, runID)
	if err != nil {
		return nil, fmt.Errorf("done sessions of %q: %w", runID, err)
	}
	defer rows.Close()
	done := map[SessionKey]bool{}
	for rows.Next() {
		k := SessionKey{Run: runID}
		if err := rows.Scan(&k.Persona, &k.Candidate, &k.Version, &k.Trial); err != nil {
			return nil, fmt.Errorf("done sessions of %q: %w", runID, err)
		}
		done[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("done sessions of %q: %w", runID, err)
	}
	return done, nil
}

// SessionCount counts a run's recorded sessions, as DoneSessions would.
func (db *DB) SessionCount(ctx context.Context, runID string) (int, error) {
	var n int
	err := db.r.QueryRowContext(ctx, `SELECT count(*) FROM sessions WHERE run_id = ? AND status <> 'cancelled'`, runID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count sessions of %q: %w", runID, err)
	}
	return n, nil
}

// Session returns one session with its messages, tool calls, findings and
// scores, read from one snapshot. It returns an error wrapping
// ErrSessionNotFound if no session has that ID.
func (db *DB) Session(ctx context.Context, id int64) (Session, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Session{}, fmt.Errorf("session %d: %w", id, err)
	}
	// A read transaction has nothing to commit; Rollback only releases
	// the snapshot.
	defer tx.Rollback() //nolint:errcheck
	s, err := readSession(ctx, tx, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, fmt.Errorf("session %d: %w", id, ErrSessionNotFound)
	}
	if err != nil {
		return Session{}, fmt.Errorf("session %d: %w", id, err)
	}
	return s, nil
}

func readSession(ctx context.Context, tx *sql.Tx, id int64) (Session, error) {
	s, err := readSessionRow(ctx, tx, id)
	if err != nil {
		return Session{}, err
	}
	if s.Messages, err = readMessages(ctx, tx, id); err != nil {
		return Session{}, fmt.Errorf("messages: %w", err)
	}
	if s.ToolCalls, err = readToolCalls(ctx, tx, id); err != nil {
		return Session{}, fmt.Errorf("tool calls: %w", err)
	}
	if s.Findings, err = readFindings(ctx, tx, id); err != nil {
		return Session{}, fmt.Errorf("findings: %w", err)
	}
	if s.Scores, err = readScores(ctx, tx, id); err != nil {
		return Session{}, fmt.Errorf("scores: %w", err)
	}
	return s, nil
}

func readSessionRow(ctx context.Context, tx *sql.Tx, id int64) (Session, error) {
	var (
		s                   Session
		started, finished   sql.NullString
		dur, p50, p95       sql.NullFloat64
		rawScore, gatedScre sql.NullFloat64
		simModel, simPrompt sql.NullString
		seed                sql.NullInt64
		temp                sql.NullFloat64
		goals               sql.NullString
	)
	err := tx.QueryRowContext(ctx, `
		SELECT s.id, s.run_id, s.persona_id, c.name, c.version, s.trial, s.status, s.stop_reason,
			s.turns, s.started_at, s.finished_at, s.duration_ms, s.latency_p50_ms, s.latency_p95_ms,
			s.prompt_tokens, s.completion_tokens, s.error, s.raw_score, s.gated_score, s.success,
			s.simulator_model, s.simulator_prompt, s.seed, s.temperature, s.goal_status,
			s.simulator_fault, s.fault_reason
		FROM sessions s JOIN candidates c ON c.id = s.candidate_id
		WHERE s.id = ?`, id).Scan(
		&s.ID, &s.Key.Run, &s.Key.Persona, &s.Key.Candidate, &s.Key.Version, &s.Key.Trial,
		&s.Status, &s.StopReason, &s.Turns, &started, &finished, &dur, &p50, &p95,
		&s.PromptTokens, &s.CompletionTokens, &s.Error, &rawScore, &gatedScre, &s.Success,
		&simModel, &simPrompt, &seed, &temp, &goals, &s.SimulatorFault, &s.FaultReason)
	if err != nil {
		return Session{}, err
	}
	if s.StartedAt, err = parseTime(started); err != nil {
		return Session{}, err
	}
	if s.FinishedAt, err = parseTime(finished); err != nil {
		return Session{}, err
	}
	s.Duration, s.LatencyP50, s.LatencyP95 = millis(dur), millis(p50), millis(p95)
	s.RawScore, s.GatedScore = floatPtr(rawScore), floatPtr(gatedScre)
	s.Simulator = SimulatorInfo{Model: simModel.String, Prompt: simPrompt.String,
		Seed: intPtr(seed), Temperature: floatPtr(temp)}
	s.GoalStatus = rawJSON(goals)
	return s, nil
}

func readMessages(ctx context.Context, tx *sql.Tx, id int64) ([]Message, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT turn, role, content, tool_calls, tool_call_id, name, is_error
		FROM messages WHERE session_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ms []Message
	for rows.Next() {
		var (
			m     Message
			calls sql.NullString
		)
		if err := rows.Scan(&m.Turn, &m.Role, &m.Content, &calls, &m.ToolCallID, &m.Name, &m.Error); err != nil {
			return nil, err
		}
		if calls.Valid {
			if err := json.Unmarshal([]byte(calls.String), &m.ToolCalls); err != nil {
				return nil, fmt.Errorf("message %d: tool_calls: %w", len(ms), err)
			}
		}
		ms = append(ms, m)
	}
	return ms, rows.Err()
}

func readToolCalls(ctx context.Context, tx *sql.Tx, id int64) ([]ToolCall, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT turn, call_id, tool, arguments, result, error, code, duration_ms, valid, validation
		FROM tool_calls WHERE session_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cs []ToolCall
	for rows.Next() {
		var (
			c          ToolCall
			dur        sql.NullFloat64
			validation sql.NullString
		)
		if err := rows.Scan(&c.Turn, &c.CallID, &c.Tool, &c.Arguments, &c.Result, &c.Error,
			&c.Code, &dur, &c.Valid, &validation); err != nil {
			return nil, err
		}
		c.Duration, c.Validation = millis(dur), rawJSON(validation)
		cs = append(cs, c)
	}
	return cs, rows.Err()
}

func readFindings(ctx context.Context, tx *sql.Tx, id int64) ([]Finding, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT turn, call_id, tool, rule, kind, gate, message
		FROM findings WHERE session_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var fs []Finding
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.Turn, &f.CallID, &f.Tool, &f.Rule, &f.Kind, &f.Gate, &f.Message); err != nil {
			return nil, err
		}
		fs = append(fs, f)
	}
	return fs, rows.Err()
}

func readScores(ctx context.Context, tx *sql.Tx, id int64) ([]Score, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT judge, criterion, score, gated, rationale, version, cited_turns
		FROM scores WHERE session_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ss []Score
	for rows.Next() {
		var (
			sc    Score
			cited sql.NullString
		)
		if err := rows.Scan(&sc.Judge, &sc.Criterion, &sc.Score, &sc.Gated, &sc.Rationale, &sc.Version,
			&cited); err != nil {
			return nil, err
		}
		if cited.Valid {
			if err := json.Unmarshal([]byte(cited.String), &sc.CitedTurns); err != nil {
				return nil, fmt.Errorf("score %d: cited_turns: %w", len(ss), err)
			}
		}
		ss = append(ss, sc)
	}
	return ss, rows.Err()
}
