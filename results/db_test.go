package results_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/results"
)

func TestOpen(t *testing.T) {
	t.Run("FreshFileIsMigrated", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		MustOpenPath(t, path)
		raw := MustRawDB(t, path)
		var version int
		if err := raw.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
			t.Fatal(err)
		}
		if version != results.SchemaVersion {
			t.Errorf("user_version = %d, want %d", version, results.SchemaVersion)
		}
		var names []string
		rows, err := raw.Query(`SELECT name FROM sqlite_schema WHERE type IN ('table', 'view')
			AND name NOT LIKE 'sqlite_%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
			names = append(names, n)
		}
		want := []string{"calibrations", "candidates", "findings", "gate_decisions", "labels", "leaderboard", "llm_cache", "llm_calls", "messages",
			"pairwise", "personas", "rankings", "run_usage", "runs", "scores", "session_scores", "sessions", "tool_calls", "violations"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("tables and views (-want +got):\n%s", diff)
		}
	})

	t.Run("ReopenKeepsDataAndVersion", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		db, err := results.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.PutRun(t.Context(), results.Run{ID: "r1", StartedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		before := userVersion(t, path)
		db = MustOpenPath(t, path)
		if got := userVersion(t, path); got != before {
			t.Errorf("user_version after reopen = %d, want %d", got, before)
		}
		runs, err := db.Runs(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(runs) != 1 || runs[0].ID != "r1" {
			t.Errorf("Runs after reopen = %+v, want run r1", runs)
		}
	})

	t.Run("ConcurrentOpenersMigrateOnce", func(t *testing.T) {
		// Processes (here DBs) opening a new file at once: one migrates,
		// the others see its migration inside their own transaction.
		path := filepath.Join(t.TempDir(), "arena.db")
		const openers = 4
		errs := make(chan error, openers)
		for range openers {
			go func() {
				db, err := results.Open(t.Context(), path)
				if err == nil {
					err = db.Close()
				}
				errs <- err
			}()
		}
		for range openers {
			if err := <-errs; err != nil {
				t.Errorf("concurrent Open: %v", err)
			}
		}
		if got := userVersion(t, path); got != results.SchemaVersion {
			t.Errorf("user_version = %d, want %d", got, results.SchemaVersion)
		}
	})

	t.Run("ErrSchemaTooNew", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		raw := MustRawDB(t, path)
		if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
			t.Fatal(err)
		}
		raw.Close()
		db, err := results.Open(t.Context(), path)
		if !errors.Is(err, results.ErrSchemaTooNew) {
			if db != nil {
				db.Close()
			}
			t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
		}
		for _, want := range []string{path, "v999"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not name %q", err, want)
			}
		}
		if got := userVersion(t, path); got != 999 {
			t.Errorf("user_version = %d after refused open, want it untouched at 999", got)
		}
	})

	t.Run("WALIsOn", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		MustOpenPath(t, path)
		var mode string
		if err := MustRawDB(t, path).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" {
			t.Errorf("journal_mode = %q, want wal", mode)
		}
	})

	t.Run("PathWithURICharacters", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a dir?#%")
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "arena.db")
		db := MustOpenPath(t, path)
		if err := db.PutRun(t.Context(), results.Run{ID: "r1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("results file not at %q: %v", path, err)
		}
		if db.Path() != path {
			t.Errorf("Path() = %q, want %q", db.Path(), path)
		}
	})

	t.Run("ErrNotAFilePath", func(t *testing.T) {
		for _, p := range []string{"", ":memory:", "file:x.db?mode=memory"} {
			if db, err := results.Open(t.Context(), p); err == nil {
				db.Close()
				t.Errorf("Open(%q) succeeded, want an error", p)
			}
		}
	})

	t.Run("ErrNotSQLite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.txt")
		if err := os.WriteFile(path, []byte(strings.Repeat("not a database\n", 100)), 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := results.Open(t.Context(), path)
		if err == nil {
			db.Close()
			t.Fatal("Open of a text file succeeded")
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name the file", err)
		}
	})
}

func TestDB_Path(t *testing.T) {
	t.Run("Absolute", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		db := MustOpenPath(t, "rel.db")
		if want := filepath.Join(dir, "rel.db"); db.Path() != want {
			t.Errorf("Path() = %q, want %q", db.Path(), want)
		}
	})
}

func TestDB_Close(t *testing.T) {
	t.Run("CheckpointsWAL", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		db, err := results.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.WriteSessions(t.Context(), []results.Session{fullSession(key("r", "p", "c", 0), 4, 2, 1)}); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
		if _, err := os.Stat(path + "-wal"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("-wal file still there after Close (stat err %v)", err)
		}
	})
}

func userVersion(t *testing.T, path string) int {
	t.Helper()
	raw := MustRawDB(t, path)
	defer raw.Close()
	var v int
	if err := raw.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}
