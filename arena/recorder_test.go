package arena_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// TestRecorder_WriteFailureLosesNothing: a recorder whose file cannot be
// written stops with the error and acks nothing; a recorder on a good
// file then writes every verdict, each once, though one was sent twice.
func TestRecorder_WriteFailureLosesNothing(t *testing.T) {
	nc := natstest.Conn(t)
	streams, err := natsbus.OpenStreams(t.Context(), nc, natsbus.StreamConfig{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	const run = "run-rec"
	for i, persona := range []string{"p1", "p2", "p1"} { // p1 twice: a redelivered verdict
		s := results.Session{Key: results.SessionKey{Run: run, Persona: persona, Candidate: "golden", Version: "1.0.0"},
			Status: results.StatusOK, StartedAt: time.Unix(1e9+int64(i), 0), FinishedAt: time.Unix(1e9+int64(i)+1, 0)}
		data, err := json.Marshal(arena.SessionMessage{Session: s})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := streams.JS.Publish(t.Context(), natsbus.ResultSubject(run, natsbus.ResultSession), data); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "arena.db")
	broken, err := results.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	broken.Close() // every write now fails, as on a full disk

	t.Run("StopsWithTheError", func(t *testing.T) {
		rec := &arena.Recorder{Streams: streams, DB: broken, MaxFailures: 2, Wait: 50 * time.Millisecond}
		err := rec.Run(t.Context())
		if err == nil || !strings.Contains(err.Error(), "commits in a row failed") {
			t.Fatalf("Run = %v, want it to stop and say the commits failed", err)
		}
		if n, err := streams.ResultCount(t.Context(), run); err != nil || n != 3 {
			t.Fatalf("%d verdicts left in the stream (%v), want all 3: nothing acked", n, err)
		}
	})
	t.Run("RestartedRecorderWritesEachOnce", func(t *testing.T) {
		db, err := results.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		rec := &arena.Recorder{Streams: streams, DB: db, Wait: 50 * time.Millisecond}
		done := make(chan error, 1)
		go func() { done <- rec.Run(ctx) }()
		// The failed tries left the verdicts unacked; they come back after
		// NakWithDelay, well within the deadline.
		for {
			n, err := streams.ResultCount(ctx, run)
			if err == nil && n == 0 {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("verdicts still waiting: %d (%v)", n, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		got, err := db.DoneSessions(t.Context(), run)
		if err != nil || len(got) != 2 {
			t.Fatalf("sessions in the file = %v (%v), want p1 and p2 once each", got, err)
		}
		if n, err := streams.DoneCount(t.Context(), run); err != nil || n != 2 {
			t.Fatalf("Done bucket holds %d (%v), want 2", n, err)
		}
	})
}

// TestExecute_DetachedRunEndsDone publishes a run and returns; a worker
// and a recorder elsewhere play and write it, and the recorder ends the
// run when its last planned session is in the file.
func TestExecute_DetachedRunEndsDone(t *testing.T) {
	srv := natstest.Server(t)
	nc := natstest.Connect(t, srv)
	svc, err := candidates.Serve(nc, candidates.Build{Name: "outsider", Version: "1.0.0", Handler: candidates.HandlerFunc(
		func(context.Context, *candidates.Turn) (*candidates.TurnReply, error) {
			return &candidates.TurnReply{Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "Done."}}}, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Stop()
	db := mustDB(t)
	cfg := config(t, db)
	cfg.Conversations = cfg.Conversations[:5]
	cfg.Bus = arena.BusConfig{URL: srv.ClientURL()}
	cfg.References, cfg.Detach = []string{}, true
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := db.Run(t.Context(), rep.Run.ID); err == nil && r.Status != results.RunRunning {
		t.Fatalf("a detached run is %q before anyone played it", r.Status)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	bus := arena.BusConfig{URL: srv.ClientURL()}
	go func() { _ = arena.Work(ctx, arena.WorkConfig{Bus: bus, Concurrency: 4}) }()
	go func() { _ = arena.Record(ctx, arena.RecordConfig{Bus: bus, DB: db}) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := db.Run(t.Context(), rep.Run.ID)
		if err == nil && r.Status == results.RunDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %+v (%v) not done after 30s", r, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n, err := db.SessionCount(t.Context(), rep.Run.ID); err != nil || n != 5 {
		t.Fatalf("%d sessions (%v), want 5", n, err)
	}
	st, err := arena.RunStatus(t.Context(), bus, db, rep.Run.ID)
	if err != nil || st.Planned != 5 || st.Done != 5 || st.Queued != 0 || st.State != results.RunDone {
		t.Fatalf("status %+v (%v), want 5 planned and done", st, err)
	}
}

// TestExecute_QueueServedOneWay: on a shared server a planner plays and
// records only its own run; while "arena worker"s serve the server's jobs,
// a planner asked to play its own is refused at once, and the reverse.
func TestExecute_QueueServedOneWay(t *testing.T) {
	srv := natstest.Server(t)
	bus := arena.BusConfig{URL: srv.ClientURL()}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	workerDone := make(chan error, 1)
	go func() { workerDone <- arena.Work(ctx, arena.WorkConfig{Bus: bus, Concurrency: 2}) }()
	nc := natstest.Connect(t, srv)
	streams, err := natsbus.OpenStreams(t.Context(), nc, natsbus.StreamConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		if _, err := streams.Jobs.Consumer(t.Context(), natsbus.WorkersConsumer); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the worker's consumer did not appear")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cfg := config(t, mustDB(t))
	cfg.Bus, cfg.Workers, cfg.Record = bus, 2, true
	cfg.References = []string{"golden"}
	if _, err := arena.Execute(t.Context(), cfg); !errors.Is(err, natsbus.ErrQueueTaken) {
		t.Fatalf("Execute with its own workers beside arena workers = %v, want ErrQueueTaken", err)
	}
	cancel()
	if err := <-workerDone; err != nil {
		t.Fatal(err)
	}
	if err := streams.Jobs.DeleteConsumer(t.Context(), natsbus.WorkersConsumer); err != nil {
		t.Fatal(err)
	}
	if _, err := streams.Workers(t.Context(), "run-x"); err != nil {
		t.Fatal(err)
	}
	if err := arena.Work(t.Context(), arena.WorkConfig{Bus: bus}); !errors.Is(err, natsbus.ErrQueueTaken) {
		t.Fatalf("Work while a planner plays its own run = %v, want ErrQueueTaken", err)
	}
}

// TestExecute_AbsentBuildFailsItsSessions: a build that disappears in the
// middle of a run fails its remaining sessions, each after its bounded
// retries and with the reason, and the run completes.
func TestExecute_AbsentBuildFailsItsSessions(t *testing.T) {
	srv := natstest.Server(t)
	nc := natstest.Connect(t, srv)
	var svc *candidates.Service
	var once sync.Once
	svc, err := candidates.Serve(nc, candidates.Build{Name: "ghost", Version: "1.0.0", Handler: candidates.HandlerFunc(
		func(context.Context, *candidates.Turn) (*candidates.TurnReply, error) {
			once.Do(func() { go svc.Stop() }) // gone after its first turn
			return &candidates.TurnReply{Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "Done."}}}, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	db := mustDB(t)
	cfg := config(t, db)
	cfg.Conversations = cfg.Conversations[:6]
	cfg.Bus, cfg.Workers, cfg.Record, cfg.Concurrency = arena.BusConfig{URL: srv.ClientURL()}, 1, true, 1
	cfg.References = []string{}
	cfg.Streams = natsbus.StreamConfig{MaxDeliver: 3, RetryBase: 5 * time.Millisecond, Memory: true}
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatalf("the run did not go on without its build: %v", err)
	}
	if len(rep.Leaderboard) != 1 || rep.Leaderboard[0].Sessions != 6 {
		t.Fatalf("leaderboard %+v, want all 6 sessions recorded", rep.Leaderboard)
	}
	facts, err := db.SessionFacts(t.Context(), results.FactFilter{Runs: []string{rep.Run.ID}})
	if err != nil {
		t.Fatal(err)
	}
	absent := 0
	for _, f := range facts {
		if f.Status != results.StatusError {
			continue
		}
		s, err := db.Session(t.Context(), f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(s.Error, "no replica") && !strings.Contains(s.Error, "down") {
			t.Errorf("session %s failed with %q, want the build's absence named", s.Key, s.Error)
		}
		absent++
	}
	if absent < 5 {
		t.Fatalf("%d sessions failed, want the 5 or more played after the build left", absent)
	}
}
