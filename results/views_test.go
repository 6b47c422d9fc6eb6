package results_test

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
)

// twoRuns writes an older run r-old and a newer run r-new, each with three
// candidates, and returns the sessions.
func twoRuns(t *testing.T, db *results.DB) []results.Session {
	t.Helper()
	ok := results.StatusOK
	for i, run := range []string{"r-old", "r-new"} {
		if err := db.PutRun(t.Context(), results.Run{ID: run, StartedAt: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	ss := []results.Session{
		verdict("r-old", "p1", "golden", 0, ok, true, ptr(1), 10*ms, 20*ms, 0),
		verdict("r-old", "p1", "opt-out", 0, ok, false, ptr(0.25), 10*ms, 20*ms, 1),
		verdict("r-old", "p1", "tag-hacker", 0, ok, false, ptr(0.5), 10*ms, 20*ms, 2),
		verdict("r-new", "p1", "golden", 0, ok, true, ptr(0.5), 10*ms, 20*ms, 0),
		verdict("r-new", "p1", "opt-out", 0, ok, false, ptr(0.25), 10*ms, 20*ms, 1),
		verdict("r-new", "p1", "tag-hacker", 0, ok, true, ptr(0.75), 10*ms, 20*ms, 2),
	}
	if err := db.WriteSessions(t.Context(), ss); err != nil {
		t.Fatal(err)
	}
	return ss
}

func TestViews(t *testing.T) {
	t.Run("LeaderboardByPlainSQL", func(t *testing.T) {
		db := MustOpenDB(t)
		twoRuns(t, db)
		rows, err := MustRawDB(t, db.Path()).Query("SELECT * FROM leaderboard")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		wantCols := []string{"run_id", "rank", "candidate", "version", "sessions", "ok", "errors",
			"timeouts", "cancelled", "simulator_faults", "success_rate", "mean_score", "violations", "mean_turns",
			"latency_p50_ms", "latency_p95_ms", "prompt_tokens", "completion_tokens"}
		if diff := cmp.Diff(wantCols, cols); diff != "" {
			t.Errorf("leaderboard columns (-want +got):\n%s", diff)
		}
		var got []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			got = append(got, vals[0].(string)+" "+vals[2].(string))
		}
		want := []string{ // newest run first, then by rank
			"r-new tag-hacker", "r-new golden", "r-new opt-out",
			"r-old golden", "r-old tag-hacker", "r-old opt-out",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("select * from leaderboard (-want +got):\n%s", diff)
		}
	})

	t.Run("LeaderboardBySQLiteShell", func(t *testing.T) {
		// The shell of the distribution (3.40 on Debian 12) is older than
		// the SQLite inside go-sqlite3: the schema must stay readable by it.
		shell, err := exec.LookPath("sqlite3")
		if err != nil {
			t.Fatalf("sqlite3 shell not found (apt-get install sqlite3): %v", err)
		}
		db := MustOpenDB(t)
		twoRuns(t, db)
		out, err := exec.CommandContext(t.Context(), shell, db.Path(),
			"select run_id, rank, candidate, violations from leaderboard").CombinedOutput()
		if err != nil {
			t.Fatalf("sqlite3: %v\n%s", err, out)
		}
		want := "r-new|1|tag-hacker|2\nr-new|2|golden|0\nr-new|3|opt-out|1\n" +
			"r-old|1|golden|0\nr-old|2|tag-hacker|2\nr-old|3|opt-out|1\n"
		if diff := cmp.Diff(want, string(out)); diff != "" {
			t.Errorf("sqlite3 output (-want +got):\n%s", diff)
		}
	})

	t.Run("V2ViewsBySQLiteShell", func(t *testing.T) {
		shell, err := exec.LookPath("sqlite3")
		if err != nil {
			t.Fatalf("sqlite3 shell not found (apt-get install sqlite3): %v", err)
		}
		db := MustOpenDB(t)
		twoRuns(t, db)
		spoilt := verdict("r-new", "p2", "golden", 0, results.StatusOK, false, ptr(0), 10*ms, 20*ms, 0)
		spoilt.SimulatorFault, spoilt.FaultReason = true, "echo"
		spoilt.Simulator = results.SimulatorInfo{Model: "gpt-sim", Prompt: "merchant/1"}
		if err := db.WriteSessions(t.Context(), []results.Session{spoilt}); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteLLMCalls(t.Context(), "r-new", []llm.Call{
			{Role: llm.RoleJudge, PromptTokens: 100, CompletionTokens: 10, Cost: 0.25, At: t0},
			{Role: llm.RoleJudge, Cached: true, At: t0},
			{Role: llm.RoleSimulator, PromptTokens: 50, Retries: 2, Err: "status 500", Cost: 0.5, At: t0},
		}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct{ query, want string }{
			{"select run_id, candidate, sessions, simulator_faults from leaderboard where run_id = 'r-new'",
				"r-new|tag-hacker|1|0\nr-new|golden|1|1\nr-new|opt-out|1|0\n"},
			{"select persona_id, candidate, simulator_model, simulator_prompt, simulator_fault, fault_reason " +
				"from session_scores where run_id = 'r-new' and candidate = 'golden' order by persona_id",
				"p1|golden|||0|\np2|golden|gpt-sim|merchant/1|1|echo\n"},
			{"select * from run_usage", "r-new|judge|2|1|0|0|100|10|0.25\nr-new|simulator|1|0|2|1|50|0|0.5\n"},
			{"select count(*) > 0, sum(wins) = sum(losses) from pairwise where run_id = 'r-new'", "1|1\n"},
			{"select count(*) from gate_decisions", "0\n"},
			{"select count(*) from rankings", "0\n"},
		} {
			out, err := exec.CommandContext(t.Context(), shell, db.Path(), c.query).CombinedOutput()
			if err != nil {
				t.Fatalf("sqlite3 %q: %v\n%s", c.query, err, out)
			}
			if diff := cmp.Diff(c.want, string(out)); diff != "" {
				t.Errorf("sqlite3 %q (-want +got):\n%s", c.query, diff)
			}
		}
	})

	t.Run("SessionScoresShowSimulatorFaults", func(t *testing.T) {
		db := MustOpenDB(t)
		sound := fullSession(key("r1", "p1", "golden", 0), 2, 0, 1)
		spoilt := fullSession(key("r1", "p1", "golden", 1), 2, 0, 0)
		spoilt.SimulatorFault, spoilt.FaultReason = true, "simulator fault: speaks as the assistant claiming an action"
		if err := db.WriteSessions(t.Context(), []results.Session{sound, spoilt}); err != nil {
			t.Fatal(err)
		}
		got, err := db.SessionScores(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		var want []results.SessionScore
		for _, s := range []results.Session{sound, spoilt} {
			want = append(want, results.SessionScore{SessionID: sessionID(t, db, s.Key), Key: s.Key,
				Status: s.Status, StopReason: s.StopReason, Turns: s.Turns, RawScore: s.RawScore,
				GatedScore: s.GatedScore, Success: s.Success, Violations: len(s.Findings), Duration: s.Duration,
				SimulatorModel: s.Simulator.Model, SimulatorPrompt: s.Simulator.Prompt,
				SimulatorFault: s.SimulatorFault, FaultReason: s.FaultReason})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SessionScores (-want +got):\n%s", diff)
		}
	})

	t.Run("ViolationsOnePerFinding", func(t *testing.T) {
		db := MustOpenDB(t)
		twoRuns(t, db)
		got, err := db.Violations(t.Context(), "r-new")
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, v := range got {
			lines = append(lines, v.RunID+" "+v.Candidate+" "+v.Persona+" "+v.Rule+" "+v.Kind)
		}
		want := []string{
			"r-new opt-out p1 schema validation",
			"r-new tag-hacker p1 schema validation",
			"r-new tag-hacker p1 schema validation",
		}
		if diff := cmp.Diff(want, lines); diff != "" {
			t.Errorf("Violations (-want +got):\n%s", diff)
		}
		var n int
		if err := MustRawDB(t, db.Path()).QueryRow(`SELECT count(*) FROM violations`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 6 {
			t.Errorf("select count(*) from violations = %d, want 6 findings", n)
		}
	})

	t.Run("ViolationsCarryWhere", func(t *testing.T) {
		db := MustOpenDB(t)
		s := fullSession(key("r1", "p1", "golden", 4), 2, 2, 1)
		if err := db.WriteSessions(t.Context(), []results.Session{s}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Violations(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		f := s.Findings[0]
		want := []results.ViolationRow{{RunID: "r1", Candidate: "golden", Version: "1.0.0", Persona: "p1",
			SessionID: sessionID(t, db, s.Key), Trial: 4, Turn: f.Turn, CallID: f.CallID, Tool: f.Tool,
			Rule: f.Rule, Kind: f.Kind, Gate: f.Gate, Message: f.Message}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Violations (-want +got):\n%s", diff)
		}
	})

	t.Run("ViolationKindsCountPerBuild", func(t *testing.T) {
		db := MustOpenDB(t)
		a := fullSession(key("r1", "p1", "golden", 0), 1, 1, 3)
		b := fullSession(key("r1", "p2", "golden", 0), 1, 1, 2)
		c := fullSession(key("r2", "p1", "golden", 0), 1, 1, 4)
		if err := db.WriteSessions(t.Context(), []results.Session{a, b, c}); err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]int{}
		for _, s := range []results.Session{a, b} {
			for _, f := range s.Findings {
				build := s.Key.Candidate + "@" + s.Key.Version
				if want[build] == nil {
					want[build] = map[string]int{}
				}
				want[build][f.Kind]++
			}
		}
		got, err := db.ViolationKinds(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ViolationKinds (-want +got):\n%s", diff)
		}
	})

	t.Run("SessionScoresOnePerSession", func(t *testing.T) {
		db := MustOpenDB(t)
		ss := twoRuns(t, db)
		got, err := db.SessionScores(t.Context(), "r-old")
		if err != nil {
			t.Fatal(err)
		}
		var want []results.SessionScore
		for _, s := range ss[:3] {
			want = append(want, results.SessionScore{SessionID: sessionID(t, db, s.Key), Key: s.Key,
				Status: s.Status, Turns: s.Turns, RawScore: s.RawScore, GatedScore: s.GatedScore,
				Success: s.Success, Violations: len(s.Findings)})
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SessionScores (-want +got):\n%s", diff)
		}
	})

	t.Run("OneRunQueriesUseTheIndex", func(t *testing.T) {
		// A query for one run must not scan every session of the file: at
		// 100k sessions over many runs that is the difference between
		// milliseconds and seconds.
		db := MustOpenDB(t)
		raw := MustRawDB(t, db.Path())
		fullScan := regexp.MustCompile(`^SCAN (s|x|f|sessions|findings|llm_calls)\b`)
		for _, view := range []string{"leaderboard", "violations", "session_scores", "run_usage"} {
			rows, err := raw.Query("EXPLAIN QUERY PLAN SELECT * FROM "+view+" WHERE run_id = ?", "r1")
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			rows.Close()
			for _, step := range plan {
				if fullScan.MatchString(step) {
					t.Errorf("%s for one run scans a whole table (%q); plan:\n%s", view, step, strings.Join(plan, "\n"))
				}
			}
		}
	})
}
