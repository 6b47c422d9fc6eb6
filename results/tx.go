package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
)

// busyRetries is how many times a write transaction is tried again after
// SQLITE_BUSY. Each try already waited busyTimeout for the lock, so a retry
// only helps against a long writer in another process; a few are enough.
const busyRetries = 3

// busyBackoff is the pause before the first retry; it doubles each time.
const busyBackoff = 50 * time.Millisecond

// inTx runs fn in one immediate write transaction and commits it. The
// whole transaction is run again, from BEGIN, when SQLite answers
// SQLITE_BUSY or SQLITE_LOCKED, so fn must not keep state across calls.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	return retryBusy(ctx, func() error { return db.tryTx(ctx, fn) })
}

// retryBusy calls fn until it succeeds, fails with another error than
// SQLITE_BUSY or SQLITE_LOCKED, or has been retried busyRetries times.
func retryBusy(ctx context.Context, fn func() error) error {
	wait := busyBackoff
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil || !isBusy(err) || attempt == busyRetries {
			return err
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("%w (gave up retrying: %w)", err, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

func (db *DB) tryTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		// The rollback error adds nothing: the transaction is gone either way.
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// isBusy reports whether err is SQLite saying another connection holds the
// lock, which a later try may not meet.
func isBusy(err error) bool {
	var se sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	return se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked
}
