package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// WriteSessions records a batch of sessions, with their messages, tool
// calls, findings and scores, in one immediate transaction.
//
// It is idempotent on SessionKey: a session already in the file is left as
// it is and its children are not written again, so a verdict redelivered by
// NATS or replayed after a crash is stored once. The one exception is a
// stored session whose status is StatusCancelled: a session with the same
// key and another status replaces it, so a resumed run records the sessions
// its cancellation cut short.
//
// A run, persona or candidate that a session names and the file lacks is
// created as a stub (run status RunRunning, persona and candidate with only
// their keys) that PutRun, PutPersonas and PutCandidates fill in later, so a
// recorder that sees verdicts before the run's plan loses none.
//
// A session that fails validation is not written and is reported as an
// *InvalidError naming its index, key and field; the rest of the batch is
// still written. Any other error means nothing from the batch was written.
// On SQLITE_BUSY the whole transaction is retried a few times.
func (db *DB) WriteSessions(ctx context.Context, ss []Session) error {
	return db.write(ctx, ss, nil)
}

// write validates sessions and calls and writes the valid ones in one
// transaction: the one path of WriteSessions, WriteLLMCalls and Writer.
func (db *DB) write(ctx context.Context, ss []Session, calls []runCall) error {
	valid, validCalls, errs := validRecords(ss, calls)
	if len(valid)+len(validCalls) > 0 {
		now := db.Now()
		err := db.inTx(ctx, func(tx *sql.Tx) error { return writeBatch(ctx, tx, now, valid, validCalls) })
		if err != nil {
			errs = append(errs, fmt.Errorf("write %s: %w", batchContents(len(valid), len(validCalls)), err))
		}
	}
	return errors.Join(errs...)
}

// validRecords returns the records that pass validation, and an
// *InvalidError for each of the others.
func validRecords(ss []Session, calls []runCall) ([]*Session, []*runCall, []error) {
	var errs []error
	valid := make([]*Session, 0, len(ss))
	for i := range ss {
		if err := validateSession(i, &ss[i]); err != nil {
			errs = append(errs, err)
			continue
		}
		valid = append(valid, &ss[i])
	}
	validCalls := make([]*runCall, 0, len(calls))
	for i := range calls {
		if err := validateCall(i, &calls[i]); err != nil {
			errs = append(errs, err)
			continue
		}
		validCalls = append(validCalls, &calls[i])
	}
	return valid, validCalls, errs
}

// batchContents names what a batch holds, for its error: "3 sessions",
// "2 llm calls" or both.
func batchContents(sessions, calls int) string {
	switch {
	case calls == 0:
		return fmt.Sprintf("%d sessions", sessions)
	case sessions == 0:
		return fmt.Sprintf("%d llm calls", calls)
	}
	return fmt.Sprintf("%d sessions and %d llm calls", sessions, calls)
}

func writeBatch(ctx context.Context, tx *sql.Tx, now time.Time, ss []*Session, calls []*runCall) error {
	b := newBatch(ctx, tx, now)
	defer b.close()
	for _, s := range ss {
		if err := b.write(s); err != nil {
			return fmt.Errorf("session %s: %w", s.Key, err)
		}
	}
	for i, c := range calls {
		if err := b.call(c); err != nil {
			return fmt.Errorf("llm call %d of run %s: %w", i, c.run, err)
		}
	}
	return nil
}

// batch holds one transaction's prepared statements and what it already
// made sure exists.
type batch struct {
	ctx   context.Context
	tx    *sql.Tx
	now   time.Time
	stmts map[string]*sql.Stmt
	runs  map[string]bool
	pers  map[string]bool
	cands map[[2]string]int64
}

// batchSQL is every statement a batch runs, by name.
var batchSQL = map[string]string{
	"run":           `INSERT INTO runs (id, started_at, status) VALUES (?, ?, 'running') ON CONFLICT (id) DO NOTHING`,
	"persona":       `INSERT INTO personas (id) VALUES (?) ON CONFLICT (id) DO NOTHING`,
	"findCandidate": `SELECT id FROM candidates WHERE name = ? AND version = ?`,
	"addCandidate":  `INSERT INTO candidates (name, version) VALUES (?, ?) RETURNING id`,
	"dropCancelled": `DELETE FROM sessions WHERE run_id = ? AND persona_id = ? AND candidate_id = ?
		AND trial = ? AND status = 'cancelled'`,
	"session": `INSERT INTO sessions (run_id, persona_id, candidate_id, trial, status, stop_reason,
		turns, started_at, finished_at, duration_ms, latency_p50_ms, latency_p95_ms,
		prompt_tokens, completion_tokens, error, raw_score, gated_score, success,
		simulator_model, simulator_prompt, seed, temperature, goal_status, simulator_fault,
		fault_reason, gate_kinds, criteria)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (run_id, persona_id, candidate_id, trial) DO NOTHING
		RETURNING id`,
	"message": `INSERT INTO messages (session_id, seq, turn, role, content, tool_calls,
		tool_call_id, name, is_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"toolCall": `INSERT INTO tool_calls (session_id, seq, turn, call_id, tool, arguments, result,
		error, code, duration_ms, valid, validation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	"finding": `INSERT INTO findings (session_id, turn, call_id, tool, rule, kind, gate, message)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	"score": `INSERT INTO scores (session_id, judge, criterion, score, gated, rationale, version,
		cited_turns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
	"llmCall": `INSERT INTO llm_calls (run_id, session, role, model, prompt_tokens,
		completion_tokens, cost, cached, retries, latency_ms, error, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
}

func newBatch(ctx context.Context, tx *sql.Tx, now time.Time) *batch {
	return &batch{ctx: ctx, tx: tx, now: now, stmts: map[string]*sql.Stmt{},
		runs: map[string]bool{}, pers: map[string]bool{}, cands: map[[2]string]int64{}}
}

// stmt returns the named statement, prepared on first use: a batch of
// calls alone never prepares the session statements, nor the reverse.
func (b *batch) stmt(name string) (*sql.Stmt, error) {
	if st, ok := b.stmts[name]; ok {
		return st, nil
	}
	st, err := b.tx.PrepareContext(b.ctx, batchSQL[name])
	if err != nil {
		return nil, fmt.Errorf("prepare %s: %w", name, err)
	}
	b.stmts[name] = st
	return st, nil
}

func (b *batch) close() {
	for _, st := range b.stmts {
		// Closing a statement of a finished transaction cannot fail in a
		// way the caller could act on.
		_ = st.Close()
	}
}

func (b *batch) exec(name string, args ...any) error {
	st, err := b.stmt(name)
	if err != nil {
		return err
	}
	if _, err := st.ExecContext(b.ctx, args...); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// scan runs the named one-row query into dest. sql.ErrNoRows comes back
// unwrapped by any name, for errors.Is.
func (b *batch) scan(name string, dest []any, args ...any) error {
	st, err := b.stmt(name)
	if err != nil {
		return err
	}
	return st.QueryRowContext(b.ctx, args...).Scan(dest...)
}

// write records s unless its key is already there.
func (b *batch) write(s *Session) error {
	candID, err := b.ensureParents(s)
	if err != nil {
		return err
	}
	k := s.Key
	if s.Status != StatusCancelled {
		if err := b.exec("dropCancelled", k.Run, k.Persona, candID, k.Trial); err != nil {
			return err
		}
	}
	var id int64
	sim := s.Simulator
	err = b.scan("session", []any{&id}, k.Run, k.Persona, candID, k.Trial,
		s.Status, s.StopReason, s.Turns, sqlTime(s.StartedAt), sqlTime(s.FinishedAt),
		sqlMillis(s.Duration), sqlMillis(s.LatencyP50), sqlMillis(s.LatencyP95),
		s.PromptTokens, s.CompletionTokens, s.Error,
		sqlFloat(s.RawScore), sqlFloat(s.GatedScore), s.Success,
		sqlText(sim.Model), sqlText(sim.Prompt), sqlInt(sim.Seed), sqlFloat(sim.Temperature),
		sqlJSON(s.GoalStatus), s.SimulatorFault, s.FaultReason, packKinds(s.Findings), packCriteria(s.Scores))
	if errors.Is(err, sql.ErrNoRows) {
		return nil // already recorded: leave it and its children as they are
	}
	if err != nil {
		return fmt.Errorf("session: %w", err)
	}
	return b.writeChildren(id, s)
}

// ensureParents creates stub rows for the session's run, persona and
// candidate when the file lacks them, and returns the candidate's ID.
func (b *batch) ensureParents(s *Session) (int64, error) {
	k := s.Key
	if err := b.ensureRun(k.Run, s.StartedAt); err != nil {
		return 0, err
	}
	if !b.pers[k.Persona] {
		if err := b.exec("persona", k.Persona); err != nil {
			return 0, err
		}
		b.pers[k.Persona] = true
	}
	return b.candidate(k.Candidate, k.Version)
}

// ensureRun creates a stub for run when the file lacks it, started at
// started (the batch's clock if zero).
func (b *batch) ensureRun(run string, started time.Time) error {
	if b.runs[run] {
		return nil
	}
	if started.IsZero() {
		started = b.now
	}
	if err := b.exec("run", run, sqlTime(started)); err != nil {
		return err
	}
	b.runs[run] = true
	return nil
}

func (b *batch) candidate(name, version string) (int64, error) {
	key := [2]string{name, version}
	if id, ok := b.cands[key]; ok {
		return id, nil
	}
	var id int64
	err := b.scan("findCandidate", []any{&id}, name, version)
	if errors.Is(err, sql.ErrNoRows) {
		err = b.scan("addCandidate", []any{&id}, name, version)
	}
	if err != nil {
		return 0, fmt.Errorf("candidate %s@%s: %w", name, version, err)
	}
	b.cands[key] = id
	return id, nil
}

func (b *batch) writeChildren(id int64, s *Session) error {
	for i, m := range s.Messages {
		if err := b.message(id, i, m); err != nil {
			return fmt.Errorf("messages[%d]: %w", i, err)
		}
	}
	for i, c := range s.ToolCalls {
		if err := b.exec("toolCall", id, i, c.Turn, c.CallID, c.Tool, c.Arguments, c.Result,
			c.Error, c.Code, sqlMillis(c.Duration), c.Valid, sqlJSON(c.Validation)); err != nil {
			return fmt.Errorf("tool_calls[%d]: %w", i, err)
		}
	}
	for i, f := range s.Findings {
		if err := b.exec("finding", id, f.Turn, f.CallID, f.Tool, f.Rule, f.Kind, f.Gate, f.Message); err != nil {
			return fmt.Errorf("findings[%d]: %w", i, err)
		}
	}
	for i, sc := range s.Scores {
		if err := b.score(id, sc); err != nil {
			return fmt.Errorf("scores[%d]: %w", i, err)
		}
	}
	for i, c := range s.LLMCalls {
		if c.Session == "" {
			c.Session = s.Key.String()
		}
		if err := b.call(&runCall{run: s.Key.Run, Call: c}); err != nil {
			return fmt.Errorf("llm_calls[%d]: %w", i, err)
		}
	}
	return nil
}

func (b *batch) score(id int64, sc Score) error {
	var cited json.RawMessage
	if len(sc.CitedTurns) > 0 {
		var err error
		if cited, err = json.Marshal(sc.CitedTurns); err != nil {
			return fmt.Errorf("cited_turns: %w", err)
		}
	}
	return b.exec("score", id, sc.Judge, sc.Criterion, sc.Score, sc.Gated, sc.Rationale, sc.Version,
		sqlJSON(cited))
}

func (b *batch) message(id int64, seq int, m Message) error {
	var calls json.RawMessage
	if len(m.ToolCalls) > 0 {
		var err error
		if calls, err = json.Marshal(m.ToolCalls); err != nil {
			return fmt.Errorf("tool_calls: %w", err)
		}
	}
	return b.exec("message", id, seq, m.Turn, string(m.Role), m.Content, sqlJSON(calls),
		m.ToolCallID, m.Name, m.Error)
}
