package results_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/merchantarena/merchantarena/results"
)

// TestDB_ConcurrentReadsWhileWriting reads leaderboards, runs and sessions
// from several goroutines while one writer commits batches: WAL readers
// must neither fail nor block the writer, and each read sees a committed
// state (never a batch half written).
func TestDB_ConcurrentReadsWhileWriting(t *testing.T) {
	db := MustOpenDB(t)
	if err := db.PutRun(t.Context(), results.Run{ID: "r1", StartedAt: t0}); err != nil {
		t.Fatal(err)
	}
	const batches, perBatch = 40, 25
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 4 {
		wg.Go(func() {
			if err := readUntil(ctx, db, perBatch); err != nil {
				errs <- err
				cancel()
			}
		})
	}
	for b := range batches {
		batch := make([]results.Session, perBatch)
		for i := range batch {
			batch[i] = fullSession(key("r1", fmt.Sprintf("p%d", i), "golden", b), 4, 2, 1)
		}
		if err := db.WriteSessions(t.Context(), batch); err != nil {
			t.Fatalf("batch %d: %v", b, err)
		}
	}
	cancel()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	board, err := db.Leaderboard(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(board) != 1 || board[0].Sessions != batches*perBatch {
		t.Errorf("final leaderboard = %+v, want one row with %d sessions", board, batches*perBatch)
	}
}

// readUntil reads until ctx ends, and checks that every leaderboard shows
// whole batches and never fewer sessions than the one before.
func readUntil(ctx context.Context, db *results.DB, perBatch int) error {
	last := 0
	for ctx.Err() == nil {
		board, err := db.Leaderboard(ctx, "r1")
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("leaderboard while writing: %w", err)
		}
		n := 0
		if len(board) == 1 {
			n = board[0].Sessions
		}
		if n < last || n%perBatch != 0 {
			return fmt.Errorf("leaderboard saw %d sessions after %d: not whole batches in order", n, last)
		}
		last = n
		if _, err := db.Runs(ctx); err != nil && ctx.Err() == nil {
			return fmt.Errorf("runs while writing: %w", err)
		}
	}
	return nil
}
