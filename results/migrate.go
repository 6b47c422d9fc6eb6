package results

import (
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"fmt"
)

// ErrSchemaTooNew means the results file was written by a newer build: its
// schema version is above the newest this build knows.
var ErrSchemaTooNew = errors.New("results file schema is newer than this build")

//go:embed migrations/001_init.sql
var migration001 string

//go:embed migrations/002_llm.sql
var migration002 string

//go:embed migrations/003_ranking.sql
var migration003 string

//go:embed migrations/004_packed.sql
var migration004 string

//go:embed migrations/005_labels.sql
var migration005 string

//go:embed migrations/006_pairwise_simulators.sql
var migration006 string

// migrations are applied in order; migration i brings the file to
// user_version i+1. Append only: never edit or reorder a released one.
var migrations = []string{
	migration001,
	migration002,
	migration003,
	migration004,
	migration005,
	migration006,
}

// migrate applies every migration the file lacks, each in its own immediate
// transaction that also sets user_version, so a failed migration leaves the
// file at the previous version. The version is read again inside each
// transaction, so two processes opening one file migrate it once.
func migrate(ctx context.Context, w *sql.DB) error {
	have, err := userVersion(ctx, w)
	if err != nil {
		return err
	}
	if have > len(migrations) {
		return tooNew(have)
	}
	for v := have; v < len(migrations); v++ {
		if err := applyMigration(ctx, w, v); err != nil {
			return err
		}
	}
	return nil
}

func applyMigration(ctx context.Context, w *sql.DB, v int) error {
	tx, err := w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate to v%d: %w", v+1, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	have, err := userVersion(ctx, tx)
	switch {
	case err != nil:
		return err
	case have > len(migrations):
		return tooNew(have)
	case have > v:
		return nil // another process got here first
	}
	if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
		return fmt.Errorf("migrate to v%d: %w", v+1, err)
	}
	// PRAGMA takes no ? arguments; v comes from this code, not from input.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
		return fmt.Errorf("migrate to v%d: set user_version: %w", v+1, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate to v%d: commit: %w", v+1, err)
	}
	return nil
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func userVersion(ctx context.Context, q queryer) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("read user_version: %w", err)
	}
	return v, nil
}

func tooNew(have int) error {
	return fmt.Errorf("%w: the file is at schema v%d, this build knows up to v%d; use a newer arena",
		ErrSchemaTooNew, have, len(migrations))
}
