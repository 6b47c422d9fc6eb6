package results_test

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/results"
)

// sessionID returns the ID of the session with key k, by plain SQL.
func sessionID(t *testing.T, db *results.DB, k results.SessionKey) int64 {
	t.Helper()
	var id int64
	err := MustRawDB(t, db.Path()).QueryRow(`
		SELECT s.id FROM sessions s JOIN candidates c ON c.id = s.candidate_id
		WHERE s.run_id = ? AND s.persona_id = ? AND c.name = ? AND c.version = ? AND s.trial = ?`,
		k.Run, k.Persona, k.Candidate, k.Version, k.Trial).Scan(&id)
	if err != nil {
		t.Fatalf("find session %s: %v", k, err)
	}
	return id
}

func count(t *testing.T, db *results.DB, table string) int {
	t.Helper()
	var n int
	// table is a constant of the calling test, never input.
	if err := MustRawDB(t, db.Path()).QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDB_WriteSessions(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		db := MustOpenDB(t)
		want := fullSession(key("r1", "p1", "golden", 2), 10, 5, 3)
		want.ToolCalls[1].Error, want.ToolCalls[1].Code = "unknown customer", "404"
		want.ToolCalls[2].Arguments = `{"query": broken` // a build may send this
		want.ToolCalls[3].Validation = nil
		if err := db.WriteSessions(t.Context(), []results.Session{want}); err != nil {
			t.Fatal(err)
		}
		want.ID = sessionID(t, db, want.Key)
		got, err := db.Session(t.Context(), want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Session (-want +got):\n%s", diff)
		}
	})

	t.Run("NilScoresAndZeroTimesRoundTrip", func(t *testing.T) {
		db := MustOpenDB(t)
		want := results.Session{Key: key("r1", "p1", "crashy", 0), Status: results.StatusError,
			Error: "build crashed on turn 1"}
		if err := db.WriteSessions(t.Context(), []results.Session{want}); err != nil {
			t.Fatal(err)
		}
		want.ID = sessionID(t, db, want.Key)
		got, err := db.Session(t.Context(), want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Session (-want +got):\n%s", diff)
		}
	})

	t.Run("SimulatorFaultRoundTrips", func(t *testing.T) {
		db := MustOpenDB(t)
		want := fullSession(key("r1", "p1", "golden", 0), 4, 1, 0)
		want.SimulatorFault, want.FaultReason = true, "simulator fault: repeats the assistant's last message"
		want.Simulator.Seed, want.Simulator.Temperature = nil, ptr(0) // zero is a temperature, nil is none
		want.GoalStatus = json.RawMessage(`[{"goal":"g1","status":"pending"},{"goal":"g2","status":"blocked"}]`)
		verbatim := fullSession(key("r1", "p1", "golden", 1), 4, 1, 0)
		verbatim.Simulator, verbatim.GoalStatus = results.SimulatorInfo{}, nil
		if err := db.WriteSessions(t.Context(), []results.Session{want, verbatim}); err != nil {
			t.Fatal(err)
		}
		for _, s := range []results.Session{want, verbatim} {
			s.ID = sessionID(t, db, s.Key)
			got, err := db.Session(t.Context(), s.ID)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(s, got); diff != "" {
				t.Errorf("Session(%s) (-want +got):\n%s", s.Key, diff)
			}
		}
	})

	t.Run("JudgeScoreRoundTrips", func(t *testing.T) {
		db := MustOpenDB(t)
		want := fullSession(key("r1", "p1", "golden", 0), 2, 0, 0)
		want.Scores = []results.Score{
			{Judge: "llm", Criterion: "helpfulness", Score: 0.8, Gated: 0.8, Version: "judge/helpfulness/2",
				Rationale:  "Turn 3 lists the 12 customers.\nTurn 5 says \"tagged\" — and the call shows it.",
				CitedTurns: []int{3, 5}},
			{Judge: "llm", Criterion: "accuracy", Score: 0, Gated: 0, Version: "judge/accuracy/2",
				Rationale: "no turn to cite"},
			{Judge: "goals", Criterion: "goals", Score: 1, Gated: 0.5, Version: "goals/1"},
		}
		if err := db.WriteSessions(t.Context(), []results.Session{want}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Session(t.Context(), sessionID(t, db, want.Key))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.Scores, got.Scores); diff != "" {
			t.Errorf("Scores (-want +got):\n%s", diff)
		}
		var cited []sql.NullString
		rows, err := MustRawDB(t, db.Path()).Query(`SELECT cited_turns FROM scores ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var c sql.NullString
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			cited = append(cited, c)
		}
		wantCited := []sql.NullString{{String: "[3,5]", Valid: true}, {}, {}}
		if diff := cmp.Diff(wantCited, cited); diff != "" {
			t.Errorf("cited_turns column (-want +got):\n%s", diff)
		}
	})

	t.Run("InvalidV2FieldsNamed", func(t *testing.T) {
		db := MustOpenDB(t)
		s := func(trial int, spoil func(*results.Session)) results.Session {
			out := fullSession(key("r1", "p1", "golden", trial), 2, 0, 0)
			spoil(&out)
			return out
		}
		batch := []results.Session{
			s(0, func(s *results.Session) { s.Simulator.Temperature = ptr(math.Inf(1)) }),
			s(1, func(s *results.Session) { s.GoalStatus = json.RawMessage(`[{"goal":`) }),
			s(2, func(s *results.Session) { s.SimulatorFault = true }),
			s(3, func(s *results.Session) { s.Scores[0].CitedTurns = []int{2, -1} }),
			s(4, func(s *results.Session) {}),
		}
		err := db.WriteSessions(t.Context(), batch)
		var got []string
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var ie *results.InvalidError
			if !errors.As(e, &ie) {
				t.Fatalf("error %v is not an *InvalidError", e)
			}
			got = append(got, fmt.Sprintf("#%d %s", ie.Index, ie.Field))
		}
		want := []string{"#0 simulator.temperature", "#1 goal_status", "#2 fault_reason", "#3 scores[0].cited_turns[1]"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("invalid sessions (-want +got):\n%s", diff)
		}
		if n := count(t, db, "sessions"); n != 1 {
			t.Errorf("sessions has %d rows, want the 1 valid session", n)
		}
	})

	t.Run("RewriteIsIgnored", func(t *testing.T) {
		db := MustOpenDB(t)
		first := fullSession(key("r1", "p1", "golden", 0), 4, 2, 1)
		if err := db.WriteSessions(t.Context(), []results.Session{first}); err != nil {
			t.Fatal(err)
		}
		again := fullSession(key("r1", "p1", "golden", 0), 8, 4, 3)
		again.Status, again.GatedScore = results.StatusError, ptr(0)
		other := fullSession(key("r1", "p1", "golden", 1), 2, 1, 0)
		// The same key twice in one batch, and once more in a later batch.
		if err := db.WriteSessions(t.Context(), []results.Session{again, other, again}); err != nil {
			t.Fatal(err)
		}
		first.ID = sessionID(t, db, first.Key)
		got, err := db.Session(t.Context(), first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(first, got); diff != "" {
			t.Errorf("rewritten session changed (-first +got):\n%s", diff)
		}
		wantRows := map[string]int{"sessions": 2, "messages": 4 + 2, "tool_calls": 2 + 1,
			"findings": 1, "scores": 4}
		for table, want := range wantRows {
			if got := count(t, db, table); got != want {
				t.Errorf("%s has %d rows, want %d", table, got, want)
			}
		}
	})

	t.Run("CancelledIsReplaced", func(t *testing.T) {
		db := MustOpenDB(t)
		k := key("r1", "p1", "golden", 0)
		cut := fullSession(k, 2, 1, 1)
		cut.Status, cut.Error = results.StatusCancelled, "run cancelled"
		if err := db.WriteSessions(t.Context(), []results.Session{cut}); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteSessions(t.Context(), []results.Session{cut}); err != nil {
			t.Fatal(err)
		}
		replay := fullSession(k, 6, 3, 2)
		if err := db.WriteSessions(t.Context(), []results.Session{replay}); err != nil {
			t.Fatal(err)
		}
		replay.ID = sessionID(t, db, k)
		got, err := db.Session(t.Context(), replay.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(replay, got); diff != "" {
			t.Errorf("replayed session (-want +got):\n%s", diff)
		}
		if n := count(t, db, "messages"); n != 6 {
			t.Errorf("messages has %d rows, want the replay's 6 (cancelled ones deleted)", n)
		}
	})

	t.Run("InvalidSessionSkippedOthersWritten", func(t *testing.T) {
		db := MustOpenDB(t)
		good := fullSession(key("r1", "p1", "golden", 0), 2, 1, 1)
		badStatus := fullSession(key("r1", "p1", "golden", 1), 2, 1, 1)
		badStatus.Status = "done"
		badJSON := fullSession(key("r1", "p1", "golden", 2), 2, 3, 1)
		badJSON.ToolCalls[2].Validation = []byte(`{"api_key": "sk-live-secret"`)
		badScore := fullSession(key("r1", "p1", "golden", 3), 2, 1, 1)
		badScore.Scores[1].Score = math.NaN()
		noRun := good
		noRun.Key.Run = ""
		err := db.WriteSessions(t.Context(), []results.Session{badStatus, good, badJSON, badScore, noRun})
		if !errors.Is(err, results.ErrInvalid) {
			t.Fatalf("WriteSessions = %v, want ErrInvalid", err)
		}
		var got []string
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var ie *results.InvalidError
			if !errors.As(e, &ie) {
				t.Fatalf("error %v is not an *InvalidError", e)
			}
			got = append(got, fmt.Sprintf("%s #%d %s", ie.Key, ie.Index, ie.Field))
		}
		want := []string{
			"r1/p1/golden@1.0.0/1 #0 status",
			"r1/p1/golden@1.0.0/2 #2 tool_calls[2].validation",
			"r1/p1/golden@1.0.0/3 #3 scores[1].score",
			"/p1/golden@1.0.0/0 #4 key.run",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("invalid sessions (-want +got):\n%s", diff)
		}
		if n := count(t, db, "sessions"); n != 1 {
			t.Errorf("sessions has %d rows, want the 1 valid session", n)
		}
	})

	t.Run("MissingParentsBecomeStubs", func(t *testing.T) {
		db := MustOpenDB(t)
		s := fullSession(key("r9", "p9", "newbuild", 0), 2, 0, 0)
		if err := db.WriteSessions(t.Context(), []results.Session{s}); err != nil {
			t.Fatal(err)
		}
		run, err := db.Run(t.Context(), "r9")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(results.Run{ID: "r9", StartedAt: t0, Status: results.RunRunning}, run); diff != "" {
			t.Errorf("stub run (-want +got):\n%s", diff)
		}
		if _, err := db.Persona(t.Context(), "p9"); err != nil {
			t.Errorf("stub persona: %v", err)
		}
		// The plan arrives later and fills the stubs in.
		if err := db.PutCandidates(t.Context(), []results.Candidate{{Name: "newbuild", Version: "1.0.0", Kind: "mutant"}}); err != nil {
			t.Fatal(err)
		}
		cands, err := db.Candidates(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) != 1 || cands[0].Kind != "mutant" {
			t.Errorf("Candidates = %+v, want one mutant", cands)
		}
	})

	t.Run("RetriesWhileAnotherProcessHoldsTheLock", func(t *testing.T) {
		defer results.SetBusyTimeout(100 * time.Millisecond)()
		path := filepath.Join(t.TempDir(), "arena.db")
		db := MustOpenPath(t, path)
		other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		tx, err := other.Begin() // takes the write lock, as another arena process would
		if err != nil {
			t.Fatal(err)
		}
		// Held longer than the busy timeout, so the first try fails.
		released := make(chan struct{})
		time.AfterFunc(250*time.Millisecond, func() { tx.Rollback(); close(released) })
		start := time.Now()
		err = db.WriteSessions(t.Context(), []results.Session{fullSession(key("r1", "p1", "golden", 0), 2, 1, 1)})
		<-released
		if err != nil {
			t.Fatalf("WriteSessions while locked: %v", err)
		}
		if elapsed := time.Since(start); elapsed < 200*time.Millisecond {
			t.Errorf("WriteSessions returned after %v, before the lock was released", elapsed)
		}
		if n := count(t, db, "sessions"); n != 1 {
			t.Errorf("sessions has %d rows, want 1", n)
		}
	})

	t.Run("ErrBusyAfterRetries", func(t *testing.T) {
		defer results.SetBusyTimeout(20 * time.Millisecond)()
		path := filepath.Join(t.TempDir(), "arena.db")
		db := MustOpenPath(t, path)
		other, err := sql.Open("sqlite3", "file:"+path+"?_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		tx, err := other.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		err = db.WriteSessions(t.Context(), []results.Session{fullSession(key("r1", "p1", "golden", 0), 2, 1, 1)})
		if err == nil {
			t.Fatal("WriteSessions succeeded while another connection held the lock throughout")
		}
		if errors.Is(err, results.ErrInvalid) {
			t.Errorf("lock error %v reported as invalid input", err)
		}
	})
}

func TestDB_DoneSessions(t *testing.T) {
	db := MustOpenDB(t)
	ok := fullSession(key("r1", "p1", "golden", 0), 2, 0, 0)
	failed := fullSession(key("r1", "p1", "golden", 1), 2, 0, 0)
	failed.Status = results.StatusTimeout
	cut := fullSession(key("r1", "p2", "golden", 0), 2, 0, 0)
	cut.Status = results.StatusCancelled
	elsewhere := fullSession(key("r2", "p1", "golden", 0), 2, 0, 0)
	if err := db.WriteSessions(t.Context(), []results.Session{ok, failed, cut, elsewhere}); err != nil {
		t.Fatal(err)
	}
	got, err := db.DoneSessions(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	want := map[results.SessionKey]bool{ok.Key: true, failed.Key: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("DoneSessions (-want +got):\n%s", diff)
	}
}

func TestDB_Session(t *testing.T) {
	t.Run("ErrSessionNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.Session(t.Context(), 42); !errors.Is(err, results.ErrSessionNotFound) {
			t.Errorf("Session(42) = %v, want ErrSessionNotFound", err)
		}
	})
}
