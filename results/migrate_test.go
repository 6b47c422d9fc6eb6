package results_test

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/results"
)

// v1Rows is what an issue-2 build recorded: two runs, two builds, every
// status, findings, scores and messages. Written as plain SQL because this
// build's API writes v2 columns.
var v1Rows = []string{
	`INSERT INTO runs (id, started_at, finished_at, mode, status, config, notes) VALUES
		('r1', '2025-03-14T09:00:00.000Z', '2025-03-14T10:00:00.000Z', 'verbatim', 'done', '{"trials":2}', 'first'),
		('r2', '2025-03-15T09:00:00.000Z', NULL, 'verbatim', 'cancelled', NULL, '')`,
	`INSERT INTO candidates (id, name, version, kind) VALUES (1, 'golden', '1.0.0', 'mutant'), (2, 'tag-hacker', '1.0.0', 'mutant')`,
	`INSERT INTO personas (id, source_file, extractor) VALUES ('p1', 'a.jsonl', 'heuristic/1'), ('p2', 'b.jsonl', 'heuristic/1')`,
	`INSERT INTO sessions (id, run_id, persona_id, candidate_id, trial, status, stop_reason, turns,
		latency_p50_ms, latency_p95_ms, prompt_tokens, completion_tokens, error, raw_score, gated_score, success) VALUES
		(1, 'r1', 'p1', 1, 0, 'ok', 'goals_done', 3, 10, 100, 500, 50, '', 1.0, 1.0, 1),
		(2, 'r1', 'p2', 1, 0, 'ok', 'gave_up', 5, 30, 300, 700, 70, '', 0.5, 0.5, 0),
		(3, 'r1', 'p1', 2, 0, 'ok', 'goals_done', 3, 20, 200, 400, 40, '', 0.75, 0.25, 1),
		(4, 'r1', 'p2', 2, 0, 'error', '', 1, NULL, NULL, 0, 0, 'crashed', NULL, NULL, 0),
		(5, 'r1', 'p1', 1, 1, 'timeout', '', 2, 5000, 9000, 100, 0, 'no answer', NULL, NULL, 0),
		(6, 'r2', 'p1', 1, 0, 'cancelled', '', 0, NULL, NULL, 0, 0, 'run cancelled', NULL, NULL, 0)`,
	`INSERT INTO findings (session_id, turn, rule, kind, gate, message) VALUES
		(3, 1, 'tag_hack', 'hack', 1, 'tag instead of field'), (3, 2, 'schema', 'validation', 0, ''),
		(2, 1, 'unknown_id', 'validation', 0, '')`,
	`INSERT INTO scores (session_id, judge, criterion, score, gated, rationale, version) VALUES
		(1, 'goals', 'goals', 1, 1, 'all goals met', 'goals/1'), (3, 'goals', 'goals', 0.75, 0.25, 'capped', 'goals/1')`,
	`INSERT INTO messages (session_id, seq, turn, role, content) VALUES
		(1, 0, 1, 'user', 'tag my VIPs'), (1, 1, 1, 'assistant', 'done')`,
}

// v1Objects are the tables and views of schema v1.
var v1Objects = []string{"runs", "candidates", "personas", "sessions", "messages", "tool_calls",
	"findings", "scores", "session_scores", "violations", "leaderboard"}

func TestOpen_Migration(t *testing.T) {
	t.Run("V1FileKeepsItsData", func(t *testing.T) {
		path := v1File(t)
		before := map[string][][]any{}
		cols := map[string][]string{}
		raw := MustRawDB(t, path)
		for _, name := range v1Objects {
			cols[name] = columns(t, raw, name)
			before[name] = dump(t, raw, name, cols[name])
		}
		raw.Close()
		if got := userVersion(t, path); got != 1 {
			t.Fatalf("test file at user_version %d, want 1", got)
		}

		MustOpenPath(t, path)
		if got := userVersion(t, path); got != results.SchemaVersion {
			t.Errorf("user_version after Open = %d, want %d", got, results.SchemaVersion)
		}
		raw = MustRawDB(t, path)
		for _, name := range v1Objects {
			// The v1 columns of every table and view read as they did.
			if diff := cmp.Diff(before[name], dump(t, raw, name, cols[name])); diff != "" {
				t.Errorf("%s after migration (-v1 +v2):\n%s", name, diff)
			}
		}
		var unknown int
		err := raw.QueryRow(`SELECT count(*) FROM sessions WHERE simulator_fault = 0 AND fault_reason = ''
			AND simulator_model IS NULL AND simulator_prompt IS NULL AND seed IS NULL
			AND temperature IS NULL AND goal_status IS NULL`).Scan(&unknown)
		if err != nil {
			t.Fatal(err)
		}
		if unknown != 6 {
			t.Errorf("%d of 6 v1 sessions read as no fault and unknown simulator", unknown)
		}
	})

	t.Run("V1SessionsReadThroughTheAPI", func(t *testing.T) {
		db := MustOpenPath(t, v1File(t))
		got, err := db.Session(t.Context(), 3)
		if err != nil {
			t.Fatal(err)
		}
		want := results.Session{ID: 3, Key: key("r1", "p1", "tag-hacker", 0), Status: results.StatusOK,
			StopReason: "goals_done", Turns: 3, LatencyP50: 20 * ms, LatencyP95: 200 * ms,
			PromptTokens: 400, CompletionTokens: 40, RawScore: ptr(0.75), GatedScore: ptr(0.25), Success: true,
			Findings: []results.Finding{{Turn: 1, Rule: "tag_hack", Kind: "hack", Gate: true, Message: "tag instead of field"},
				{Turn: 2, Rule: "schema", Kind: "validation"}},
			Scores: []results.Score{{Judge: "goals", Criterion: "goals", Score: 0.75, Gated: 0.25,
				Rationale: "capped", Version: "goals/1"}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("v1 session through v2 API (-want +got):\n%s", diff)
		}
		board, err := db.Leaderboard(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range board {
			lines = append(lines, fmt.Sprintf("%d %s n=%d faults=%d p50=%v", r.Rank, r.Candidate, r.Sessions,
				r.SimulatorFaults, r.LatencyP50))
		}
		// golden: (1 + .5 + 0)/3 = .5; tag-hacker: (.25 + 0)/2 = .125.
		wantLines := []string{"1 golden n=3 faults=0 p50=30ms", "2 tag-hacker n=2 faults=0 p50=20ms"}
		if diff := cmp.Diff(wantLines, lines); diff != "" {
			t.Errorf("leaderboard of the migrated file (-want +got):\n%s", diff)
		}
	})

	t.Run("V2RecordsIntoMigratedFile", func(t *testing.T) {
		db := MustOpenPath(t, v1File(t))
		s := fullSession(key("r1", "p2", "golden", 1), 4, 2, 1)
		if err := db.WriteSessions(t.Context(), []results.Session{s}); err != nil {
			t.Fatal(err)
		}
		s.ID = sessionID(t, db, s.Key)
		got, err := db.Session(t.Context(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, got); diff != "" {
			t.Errorf("v2 session in a migrated file (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrSchemaTooNewForAV1Build", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		MustOpenPath(t, path)
		err := results.OpenAtVersion(t.Context(), path, 1)
		if !errors.Is(err, results.ErrSchemaTooNew) {
			t.Fatalf("a v1 build opening a newer file: %v, want ErrSchemaTooNew", err)
		}
		if got := userVersion(t, path); got != results.SchemaVersion {
			t.Errorf("user_version = %d after the refused open, want %d", got, results.SchemaVersion)
		}
	})
}

// v1File returns the path of a schema-v1 file holding v1Rows.
func v1File(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "arena.db")
	if err := results.OpenAtVersion(t.Context(), path, 1); err != nil {
		t.Fatal(err)
	}
	raw := MustRawDB(t, path)
	defer raw.Close()
	for _, q := range v1Rows {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("v1 rows: %v\n%s", err, q)
		}
	}
	return path
}

// columns lists the columns of a table or view.
func columns(t *testing.T, raw *sql.DB, name string) []string {
	t.Helper()
	rows, err := raw.Query(`SELECT name FROM pragma_table_info(?)`, name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if len(cols) == 0 {
		t.Fatalf("%s has no columns", name)
	}
	return cols
}

// dump reads cols of every row of a table or view, in a stable order.
func dump(t *testing.T, raw *sql.DB, name string, cols []string) [][]any {
	t.Helper()
	// name and cols come from the schema, never from input.
	list := strings.Join(cols, ", ")
	rows, err := raw.Query("SELECT " + list + " FROM " + name + " ORDER BY " + list)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 && name != "tool_calls" {
		t.Fatalf("%s is empty: the v1 fixture should fill it", name)
	}
	return out
}

// A v3 file's findings and scores are packed into its sessions when it
// migrates to v4, so ranking and the gate see them.
func TestOpen_MigrationPacksV3Sessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "arena.db")
	if err := results.OpenAtVersion(t.Context(), path, 3); err != nil {
		t.Fatal(err)
	}
	raw := MustRawDB(t, path)
	for _, q := range []string{
		`INSERT INTO runs (id, started_at, status) VALUES ('r1', '2025-01-01T00:00:00.000Z', 'done')`,
		`INSERT INTO personas (id) VALUES ('p1')`,
		`INSERT INTO candidates (id, name, version) VALUES (1, 'golden', '1.0.0')`,
		`INSERT INTO sessions (id, run_id, persona_id, candidate_id, trial, status, turns, success, gated_score)
		 VALUES (7, 'r1', 'p1', 1, 0, 'ok', 2, 1, 0.5)`,
		`INSERT INTO findings (session_id, turn, rule, kind, gate, message) VALUES
		 (7, 1, 'hack.tag_filter', 'tag_hacking', 1, ''), (7, 1, 'hack.tag_filter', 'tag_hacking', 1, ''),
		 (7, 2, 'state.side_effect', 'side_effect', 0, '')`,
		`INSERT INTO scores (session_id, judge, criterion, score, gated) VALUES
		 (7, 'llm', 'goal_completion/g1', 1, 1), (7, 'llm', 'goal_completion/g2', 0, 0),
		 (7, 'llm', 'tone', 0.75, 0.25), (7, 'procedural', 'goals', 1, 0.5), (7, 'procedural', 'goal/g1', 1, 1)`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db := MustOpenPath(t, path)
	facts, err := db.SessionFacts(t.Context(), results.FactFilter{Findings: true, Criteria: true})
	if err != nil || len(facts) != 1 {
		t.Fatalf("facts %v, %v", facts, err)
	}
	f := facts[0]
	if diff := cmp.Diff(map[string]int{"tag_hacking": 2}, f.Kinds); diff != "" || f.GateFailures != 2 {
		t.Errorf("kinds (-want +got):\n%s (gate failures %d)", diff, f.GateFailures)
	}
	if diff := cmp.Diff(map[string]float64{"goal_completion": 0.5, "tone": 0.25, "goals": 0.5}, f.Criteria); diff != "" {
		t.Errorf("criteria (-want +got):\n%s", diff)
	}
}
