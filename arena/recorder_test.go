package arena_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/results"
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
