package results

import "time"

// SetBusyTimeout shortens how long DBs opened afterwards wait for a lock,
// so tests of the SQLITE_BUSY retry run in milliseconds. It returns a func
// that restores the old value. Tests that use it must not run in parallel.
func SetBusyTimeout(d time.Duration) (restore func()) {
	old := busyTimeout
	busyTimeout = d
	return func() { busyTimeout = old }
}
