package arena_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

func mustExamples(tb testing.TB) []transcript.Conversation {
	tb.Helper()
	convs, err := examples.Conversations()
	if err != nil {
		tb.Fatal(err)
	}
	return convs
}

func mustDB(tb testing.TB) *results.DB {
	tb.Helper()
	db, err := results.Open(tb.Context(), filepath.Join(tb.TempDir(), "arena.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func config(t *testing.T, db *results.DB) arena.Config {
	return arena.Config{
		Bus:           arena.BusConfig{DataDir: t.TempDir()},
		DB:            db,
		Conversations: mustExamples(t),
		TurnTimeout:   time.Second,
	}
}

// TestExecute_RanksReferenceBuilds is the arena's own acceptance test: a
// sound pipeline ranks golden first with no violation, and every mutant
// shows its own defect.
func TestExecute_RanksReferenceBuilds(t *testing.T) {
	db := mustDB(t)
	rep, err := arena.Execute(t.Context(), config(t, db))
	if err != nil {
		t.Fatal(err)
	}
	board := rep.Leaderboard
	if len(board) != 7 {
		t.Fatalf("leaderboard has %d builds, want the 7 reference builds", len(board))
	}
	top := board[0]
	if top.Candidate != "golden" || top.Rank != 1 || top.Violations != 0 || top.SuccessRate != 1 || top.Errors+top.Timeouts != 0 {
		t.Fatalf("top = %+v, want golden alone at rank 1, all sessions successful, no violation", top)
	}
	for _, r := range board[1:] {
		if r.Rank == 1 || r.MeanScore >= top.MeanScore {
			t.Errorf("%s ranks %d with score %.3f, level with golden", r.Candidate, r.Rank, r.MeanScore)
		}
	}
	defects := map[string]string{"tag-hacker": "tag_hacking", "opt-out": "opt_out", "hallucinator": "hallucinated_id", "wrong-enum": "wrong_enum"}
	for build, kind := range defects {
		if rep.Kinds[build+"@1.0.0"][kind] == 0 {
			t.Errorf("%s shows no %s: %v", build, kind, rep.Kinds[build+"@1.0.0"])
		}
	}
	for _, r := range board {
		switch r.Candidate {
		case "crashy":
			if r.Errors != r.Sessions {
				t.Errorf("crashy: %d errors in %d sessions, want every session errored", r.Errors, r.Sessions)
			}
		case "slow":
			if r.Timeouts != r.Sessions {
				t.Errorf("slow: %d timeouts in %d sessions", r.Timeouts, r.Sessions)
			}
		}
	}
	assertViewAgrees(t, db, rep)
}

// assertViewAgrees reads the leaderboard as an analyst would, with plain
// SQL on the file.
func assertViewAgrees(t *testing.T, db *results.DB, rep *arena.Report) {
	t.Helper()
	raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`select candidate, rank from leaderboard where run_id = ?`, rep.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var name string
		var rank int
		if err := rows.Scan(&name, &rank); err != nil {
			t.Fatal(err)
		}
		if want := rep.Leaderboard[i]; name != want.Candidate || rank != want.Rank {
			t.Errorf("view row %d = %s #%d, CLI says %s #%d", i, name, rank, want.Candidate, want.Rank)
		}
	}
	if i != len(rep.Leaderboard) {
		t.Errorf("view has %d rows, CLI %d", i, len(rep.Leaderboard))
	}
}

// TestExecute_Resume cuts a run short and resumes it: every session ends up
// recorded exactly once.
func TestExecute_Resume(t *testing.T) {
	db := mustDB(t)
	cfg := config(t, db)
	cfg.References = []string{"golden", "opt-out"}
	cfg.Concurrency = 2
	ctx, cancel := context.WithCancel(t.Context())
	var seen atomic.Int32
	cfg.Progress = func(done, total int, _ *arena.Outcome) {
		if seen.Add(1) == 10 {
			cancel()
		}
	}
	rep, err := arena.Execute(ctx, cfg)
	if err == nil {
		t.Fatal("a cancelled run reported success")
	}
	if rep == nil || rep.Run.ID == "" {
		t.Fatalf("report = %+v, want the run ID to resume", rep)
	}
	done, err := db.DoneSessions(t.Context(), rep.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	planned := rep.Personas * 2
	if len(done) == 0 || len(done) >= planned {
		t.Fatalf("%d of %d sessions done after the cut; want some, not all", len(done), planned)
	}
	cfg.Progress = nil
	cfg.Resume = rep.Run.ID
	rep2, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep2.Summary.Skipped != len(done) || rep2.Summary.Played != planned-len(done) {
		t.Fatalf("resume skipped %d and played %d; want %d and %d", rep2.Summary.Skipped, rep2.Summary.Played, len(done), planned-len(done))
	}
	total := 0
	for _, r := range rep2.Leaderboard {
		total += r.Sessions
	}
	if total != planned {
		t.Fatalf("leaderboard counts %d sessions, want %d", total, planned)
	}
}

// TestExecute_OutsideBuild plays a build that another process serves on a
// shared NATS server, and no reference build.
func TestExecute_OutsideBuild(t *testing.T) {
	srv := natstest.Server(t)
	nc := natstest.Connect(t, srv)
	echo := candidates.HandlerFunc(func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
		return &candidates.TurnReply{Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "Let me check that for you."}}}, nil
	})
	svc, err := candidates.Serve(nc, candidates.Build{Name: "outsider", Version: "0.3.1", Handler: echo})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	db := mustDB(t)
	cfg := config(t, db)
	cfg.Bus = arena.BusConfig{URL: srv.ClientURL()}
	cfg.References = []string{}
	cfg.Workers, cfg.Record = 4, true // no "arena worker" or "arena record" elsewhere
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Leaderboard) != 1 || rep.Leaderboard[0].Candidate != "outsider" || rep.Leaderboard[0].Version != "0.3.1" {
		t.Fatalf("leaderboard = %+v, want the outside build alone", rep.Leaderboard)
	}
	if r := rep.Leaderboard[0]; r.Sessions != rep.Personas || r.SuccessRate == 1 {
		t.Fatalf("outsider: %+v; want every persona played and a build that does nothing not to succeed everywhere", r)
	}
}

func TestExecute_ErrUnknownCandidate(t *testing.T) {
	cfg := config(t, mustDB(t))
	cfg.References = []string{"golden"}
	cfg.Candidates = []string{"nope"}
	if _, err := arena.Execute(t.Context(), cfg); err == nil {
		t.Fatal("want an error naming the missing build")
	}
}

// TestExecute_TwoVersions serves golden twice, as production and as its
// release candidate, and plays both as separate builds.
func TestExecute_TwoVersions(t *testing.T) {
	cfg := config(t, mustDB(t))
	cfg.Conversations = cfg.Conversations[:4]
	cfg.References = []string{"golden", "golden@1.1.0"}
	cfg.Candidates = []string{"golden@1.0.0", "golden@1.1.0"}
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Leaderboard) != 2 {
		t.Fatalf("leaderboard = %+v, want both versions", rep.Leaderboard)
	}
	for _, r := range rep.Leaderboard {
		if r.Candidate != "golden" || r.Sessions != 4 || r.SuccessRate != 1 || r.Rank != 1 {
			t.Errorf("%s@%s: %+v; want two identical, perfect, tied builds", r.Candidate, r.Version, r)
		}
	}
}
