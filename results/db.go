package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// busyTimeout is how long a statement waits for another process's lock
// before SQLite answers SQLITE_BUSY. A variable only so tests can shorten it.
var busyTimeout = 5 * time.Second

// DB is an open results file: one writer connection and a pool of readers.
// Its methods are safe for concurrent use; writes are serialised on the one
// writer connection.
type DB struct {
	// Now is the clock used for times the caller leaves zero (a run's start
	// when BeginRun is given none, FinishRun's finish time). Open sets it to
	// time.Now; tests replace it.
	Now func() time.Time

	path string
	w    *sql.DB // the only connection that writes
	r    *sql.DB // read-only pool for queries
}

// Open opens the results file at path, creating it if needed, and migrates
// it to the newest schema this build knows. The file must be on a
// filesystem that supports WAL; an in-memory database is refused.
//
// A file written by a newer build (its user_version is above what this build
// knows) is refused with an error wrapping [ErrSchemaTooNew], and left
// untouched.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open results: path %q: want a file path", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open results %s: %w", path, err)
	}
	db := &DB{Now: time.Now, path: abs}
	if err := db.open(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("open results %s: %w", path, err), db.Close())
	}
	return db, nil
}

func (db *DB) open(ctx context.Context) error {
	var err error
	if db.w, err = sql.Open("sqlite3", dsn(db.path, writerParams())); err != nil {
		return err
	}
	// One writer connection: SQLite has one write lock per file anyway, and
	// a single connection turns lock contention inside this process into a
	// queue in database/sql instead of SQLITE_BUSY errors.
	db.w.SetMaxOpenConns(1)
	// Turning a new file to WAL needs an exclusive lock, and SQLite answers
	// SQLITE_BUSY at once, without waiting, when another process opens the
	// same new file at the same moment: try again.
	if err := retryBusy(ctx, func() error { return checkWAL(ctx, db.w) }); err != nil {
		return err
	}
	if err := migrate(ctx, db.w); err != nil {
		return err
	}
	if db.r, err = sql.Open("sqlite3", dsn(db.path, readerParams())); err != nil {
		return err
	}
	db.r.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	return db.r.PingContext(ctx)
}

// DSN parameters. With a duplicated parameter go-sqlite3 keeps the first, so
// each appears once. WAL lets readers run while the writer commits;
// synchronous=NORMAL is durable across process crashes in WAL mode and is
// about 9x faster than FULL; immediate transactions take the write lock at
// BEGIN, so a transaction never fails half-way when it upgrades a read.
func writerParams() url.Values {
	return url.Values{
		"_journal_mode": {"WAL"},
		"_busy_timeout": {fmt.Sprint(busyTimeout.Milliseconds())},
		"_txlock":       {"immediate"},
		"_foreign_keys": {"on"},
		"_synchronous":  {"NORMAL"},
	}
}

func readerParams() url.Values {
	return url.Values{
		"_busy_timeout": {fmt.Sprint(busyTimeout.Milliseconds())},
		"_foreign_keys": {"on"},
		"_query_only":   {"1"},
	}
}

// dsn builds a file: URI. The path is escaped so that '?', '#' and '%' in a
// folder name reach SQLite as part of the name.
func dsn(path string, params url.Values) string {
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath() + "?" + params.Encode()
}

// checkWAL verifies that WAL is really on: SQLite silently keeps another
// journal mode where WAL is impossible (some network filesystems).
func checkWAL(ctx context.Context, w *sql.DB) error {
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("read journal mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("journal mode is %q, want wal (is the file on a local filesystem?)", mode)
	}
	return nil
}

// Path returns the absolute path of the results file.
func (db *DB) Path() string { return db.path }

// Close closes the readers, then the writer, and returns their errors
// joined. Closing the last connection checkpoints the WAL into the file.
func (db *DB) Close() error {
	var errs []error
	if db.r != nil {
		errs = append(errs, db.r.Close())
	}
	if db.w != nil {
		errs = append(errs, db.w.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close results %s: %w", db.path, err)
	}
	return nil
}
