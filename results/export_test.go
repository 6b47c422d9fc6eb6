package results

import (
	"context"
	"time"
)

// SetBusyTimeout shortens how long DBs opened afterwards wait for a lock,
// so tests of the SQLITE_BUSY retry run in milliseconds. It returns a func
// that restores the old value. Tests that use it must not run in parallel.
func SetBusyTimeout(d time.Duration) (restore func()) {
	old := busyTimeout
	busyTimeout = d
	return func() { busyTimeout = old }
}

// SchemaVersion is the newest schema version this build knows.
var SchemaVersion = len(migrations)

// OpenAtVersion opens path migrated only up to schema version v, as an
// older build would have left it, and closes it: tests build a v1 file
// with it and then Open it with this build.
func OpenAtVersion(ctx context.Context, path string, v int) error {
	all := migrations
	migrations = all[:v]
	defer func() { migrations = all }()
	db, err := Open(ctx, path)
	if err != nil {
		return err
	}
	return db.Close()
}
