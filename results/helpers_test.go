package results_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// t0 is the fixed time test clocks start from.
var t0 = time.Date(2025, 3, 14, 9, 26, 53, 589_000_000, time.UTC)

// MustOpenDB opens a results file in a fresh temp dir with a fixed clock,
// and closes it when the test ends.
func MustOpenDB(tb testing.TB) *results.DB {
	tb.Helper()
	return MustOpenPath(tb, filepath.Join(tb.TempDir(), "arena.db"))
}

// MustOpenPath opens the results file at path, closed when the test ends.
func MustOpenPath(tb testing.TB, path string) *results.DB {
	tb.Helper()
	db, err := results.Open(tb.Context(), path)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	db.Now = func() time.Time { return t0 }
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// MustRawDB opens the file with plain database/sql, as a person with the
// sqlite3 shell would read it.
func MustRawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

func ptr(f float64) *float64 { return &f }

func seed(i int64) *int64 { return &i }

// fullSession returns a session with every field and child filled: msgs
// messages, calls tool calls, finds findings and two scores.
func fullSession(key results.SessionKey, msgs, calls, finds int) results.Session {
	s := results.Session{
		Key:              key,
		Status:           results.StatusOK,
		StopReason:       "goals_done",
		Turns:            (msgs + 1) / 2,
		StartedAt:        t0,
		FinishedAt:       t0.Add(42*time.Second + 125*time.Millisecond),
		Duration:         42*time.Second + 125*time.Millisecond,
		LatencyP50:       1250 * time.Microsecond,
		LatencyP95:       3*time.Second + 7*time.Microsecond,
		PromptTokens:     1200,
		CompletionTokens: 340,
		RawScore:         ptr(0.875),
		GatedScore:       ptr(0.5),
		Success:          true,
		Simulator: results.SimulatorInfo{Model: "gpt-sim", Prompt: "merchant/1",
			Seed: seed(7), Temperature: ptr(0.7)},
		GoalStatus: json.RawMessage(`[{"goal":"g1","status":"done"}]`),
	}
	for i := range msgs {
		s.Messages = append(s.Messages, message(i))
	}
	for i := range calls {
		s.ToolCalls = append(s.ToolCalls, results.ToolCall{
			Turn: i/2 + 1, CallID: fmt.Sprintf("call_%d", i), Tool: "search_customers",
			Arguments: `{"query":"customer_account_status = 'ENABLED'"}`,
			Result:    `{"customers":[{"id":"gid://shopify/Customer/1"}]}`,
			Error:     "", Code: "", Duration: 2 * time.Millisecond,
			Valid: i%2 == 0, Validation: json.RawMessage(`{"schema":"ok"}`),
		})
	}
	for i := range finds {
		s.Findings = append(s.Findings, results.Finding{
			Turn: i + 1, CallID: fmt.Sprintf("call_%d", i), Tool: "search_customers",
			Rule: "tag_hack", Kind: "hack", Gate: i == 0, Message: "filters on a tag instead of a field",
		})
	}
	s.Scores = []results.Score{
		{Judge: "rubric", Criterion: "helpfulness", Score: 0.9, Gated: 0.5, Rationale: "turn 2 answers", Version: "v3",
			CitedTurns: []int{2, 5}},
		{Judge: "rubric", Criterion: "accuracy", Score: 0.85, Gated: 0.5, Rationale: "ids match", Version: "v3"},
	}
	return s
}

func message(i int) results.Message {
	m := results.Message{Turn: i/2 + 1}
	switch i % 4 {
	case 0:
		m.Message = transcript.Message{Role: transcript.RoleUser, Content: fmt.Sprintf("merchant says %d", i)}
	case 1:
		m.Message = transcript.Message{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{
			ID: fmt.Sprintf("call_%d", i), Type: "function",
			Function: transcript.FunctionCall{Name: "search_customers", Arguments: `{"query":"x"}`},
		}}}
	case 2:
		m.Message = transcript.Message{Role: transcript.RoleTool, ToolCallID: fmt.Sprintf("call_%d", i-1),
			Name: "search_customers", Content: `{"error":"bad query"}`, Error: true}
	default:
		m.Message = transcript.Message{Role: transcript.RoleAssistant, Content: fmt.Sprintf("assistant says %d", i)}
	}
	return m
}

func key(run, persona, cand string, trial int) results.SessionKey {
	return results.SessionKey{Run: run, Persona: persona, Candidate: cand, Version: "1.0.0", Trial: trial}
}

// waitFor polls cond until it holds, failing the test after d.
func waitFor(tb testing.TB, d time.Duration, what string, cond func() bool) {
	tb.Helper()
	end := time.Now().Add(d)
	for !cond() {
		if time.Now().After(end) {
			tb.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func nanF() float64 { return math.NaN() }
