package results

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/merchantarena/merchantarena/llm"
)

// runCall is an LLM call and the run it was made for.
type runCall struct {
	run string
	llm.Call
}

// WriteLLMCalls appends a run's LLM calls to the call log (llm_calls) in
// one immediate transaction. Calls are written as they happen, so a run
// that crashes keeps the spend of its first life and a resumed run's
// RunUsage counts both.
//
// It is not idempotent: an llm.Call has no identity, so every call given
// is a new row. A run the file lacks is created as a stub, as
// WriteSessions does. A zero At becomes db.Now(). A call that fails
// validation is reported as an *InvalidError naming its index and field
// and the rest are written; any other error means none was.
func (db *DB) WriteLLMCalls(ctx context.Context, run string, calls []llm.Call) error {
	rc := make([]runCall, len(calls))
	for i, c := range calls {
		rc[i] = runCall{run: run, Call: c}
	}
	return db.write(ctx, nil, rc)
}

func validateCall(i int, c *runCall) error {
	field, err := callFault(c)
	if err == nil {
		return nil
	}
	return &InvalidError{Kind: "llm_call", Index: i, Key: c.run + "/" + string(c.Role), Field: field, Err: err}
}

func callFault(c *runCall) (string, error) {
	switch {
	case c.run == "":
		return "run", errEmpty
	case c.Role == "":
		return "role", errEmpty
	case c.PromptTokens < 0:
		return "prompt_tokens", fmt.Errorf("%d is negative", c.PromptTokens)
	case c.CompletionTokens < 0:
		return "completion_tokens", fmt.Errorf("%d is negative", c.CompletionTokens)
	case c.Retries < 0:
		return "retries", fmt.Errorf("%d is negative", c.Retries)
	case c.Latency < 0:
		return "latency", fmt.Errorf("%v is negative", c.Latency)
	case checkFinite(c.Cost) != nil:
		return "cost", checkFinite(c.Cost)
	case c.Cost < 0:
		return "cost", fmt.Errorf("%v is negative", c.Cost)
	}
	return "", nil
}

// call appends one call, creating its run's stub if needed.
func (b *batch) call(c *runCall) error {
	at := c.At
	if at.IsZero() {
		at = b.now
	}
	if err := b.ensureRun(c.run, at); err != nil {
		return err
	}
	return b.exec("llmCall", c.run, sqlText(c.Session), string(c.Role), c.Model, c.PromptTokens,
		c.CompletionTokens, c.Cost, c.Cached, c.Retries, sqlMillis(c.Latency), c.Err, sqlTime(at))
}

// LLMCalls returns a run's call log in the order the calls were written.
// Times come back with millisecond precision, in UTC.
func (db *DB) LLMCalls(ctx context.Context, runID string) ([]llm.Call, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT session, role, model, prompt_tokens, completion_tokens, cost, cached, retries,
			latency_ms, error, at
		FROM llm_calls WHERE run_id = ? ORDER BY id`, runID)
	if err != nil {
		return nil, fmt.Errorf("llm calls of %q: %w", runID, err)
	}
	defer rows.Close()
	var calls []llm.Call
	for rows.Next() {
		c, err := scanCall(rows)
		if err != nil {
			return nil, fmt.Errorf("llm calls of %q: %w", runID, err)
		}
		calls = append(calls, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("llm calls of %q: %w", runID, err)
	}
	return calls, nil
}

func scanCall(rows *sql.Rows) (llm.Call, error) {
	var (
		c           llm.Call
		session, at sql.NullString
		latency     sql.NullFloat64
		err         error
	)
	if err := rows.Scan(&session, &c.Role, &c.Model, &c.PromptTokens, &c.CompletionTokens, &c.Cost,
		&c.Cached, &c.Retries, &latency, &c.Err, &at); err != nil {
		return llm.Call{}, err
	}
	c.Session, c.Latency = session.String, millis(latency)
	if c.At, err = parseTime(at); err != nil {
		return llm.Call{}, err
	}
	return c, nil
}

// RunUsage returns a run's LLM spend by role, read from the run_usage
// view: the same sums llm.Client.Totals keeps in memory, but over every
// call the run ever logged, across crashes and resumes. A run with no
// calls has an empty map.
func (db *DB) RunUsage(ctx context.Context, runID string) (map[llm.Role]llm.Totals, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT role, calls, cache_hits, retries, errors, prompt_tokens, completion_tokens, cost
		FROM run_usage WHERE run_id = ?`, runID)
	if err != nil {
		return nil, fmt.Errorf("usage of %q: %w", runID, err)
	}
	defer rows.Close()
	usage := map[llm.Role]llm.Totals{}
	for rows.Next() {
		var (
			role llm.Role
			t    llm.Totals
		)
		if err := rows.Scan(&role, &t.Calls, &t.CacheHits, &t.Retries, &t.Errors, &t.PromptTokens,
			&t.CompletionTokens, &t.Cost); err != nil {
			return nil, fmt.Errorf("usage of %q: %w", runID, err)
		}
		usage[role] = t
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("usage of %q: %w", runID, err)
	}
	return usage, nil
}
