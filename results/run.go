package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Run statuses the arena writes. The column is free text, so a later status
// needs no migration; these are the ones every tool understands.
const (
	RunRunning   = "running"
	RunDone      = "done"
	RunFailed    = "failed"
	RunCancelled = "cancelled"
)

// Run is one arena run: a plan of personas × candidates × trials.
type Run struct {
	ID         string
	StartedAt  time.Time
	FinishedAt time.Time // zero while the run is going
	Mode       string    // how merchants were played, such as "verbatim"
	Status     string    // RunRunning, RunDone, ...
	// Config is the run's configuration as JSON. The caller redacts it
	// first: it is stored as given.
	Config json.RawMessage
	Notes  string
}

const runColumns = "id, started_at, finished_at, mode, status, config, notes"

// PutRun inserts r, or replaces every field of the run with r's ID. A zero
// StartedAt becomes db.Now() and an empty Status RunRunning.
func (db *DB) PutRun(ctx context.Context, r Run) error {
	r = db.runDefaults(r)
	if err := validateRun(r); err != nil {
		return err
	}
	_, err := db.w.ExecContext(ctx, `
		INSERT INTO runs (`+runColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			started_at = excluded.started_at, finished_at = excluded.finished_at,
			mode = excluded.mode, status = excluded.status,
			config = excluded.config, notes = excluded.notes`,
		r.ID, sqlTime(r.StartedAt), sqlTime(r.FinishedAt), r.Mode, r.Status, sqlJSON(r.Config), r.Notes)
	if err != nil {
		return fmt.Errorf("put run %q: %w", r.ID, err)
	}
	return nil
}

// BeginRun records that run r starts, or resumes if a run with its ID is
// already in the file, and returns the run as stored. A new run gets
// StartedAt (db.Now() if zero). A resumed run keeps its start time, goes
// back to RunRunning with no finish time, and takes r's Mode, Config and
// Notes where they are set.
func (db *DB) BeginRun(ctx context.Context, r Run) (Run, error) {
	r = db.runDefaults(r)
	r.Status = RunRunning
	if err := validateRun(r); err != nil {
		return Run{}, err
	}
	row := db.w.QueryRowContext(ctx, `
		INSERT INTO runs (`+runColumns+`) VALUES (?, ?, NULL, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			finished_at = NULL, status = excluded.status,
			mode = CASE WHEN excluded.mode <> '' THEN excluded.mode ELSE runs.mode END,
			config = coalesce(excluded.config, runs.config),
			notes = CASE WHEN excluded.notes <> '' THEN excluded.notes ELSE runs.notes END
		RETURNING `+runColumns,
		r.ID, sqlTime(r.StartedAt), r.Mode, r.Status, sqlJSON(r.Config), r.Notes)
	got, err := scanRun(row)
	if err != nil {
		return Run{}, fmt.Errorf("begin run %q: %w", r.ID, err)
	}
	return got, nil
}

// FinishRun sets a run's status and finish time (db.Now() if zero). It
// returns an error wrapping ErrRunNotFound if no run has that ID.
func (db *DB) FinishRun(ctx context.Context, id, status string, finishedAt time.Time) error {
	if finishedAt.IsZero() {
		finishedAt = db.Now()
	}
	if status == "" {
		return &InvalidError{Kind: "run", Key: id, Field: "status", Err: errEmpty}
	}
	res, err := db.w.ExecContext(ctx, `UPDATE runs SET status = ?, finished_at = ? WHERE id = ?`,
		status, sqlTime(finishedAt), id)
	if err != nil {
		return fmt.Errorf("finish run %q: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("finish run %q: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("finish run %q: %w", id, ErrRunNotFound)
	}
	return nil
}

// Run returns the run with the given ID, or an error wrapping
// ErrRunNotFound.
func (db *DB) Run(ctx context.Context, id string) (Run, error) {
	r, err := scanRun(db.r.QueryRowContext(ctx, `SELECT `+runColumns+` FROM runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("run %q: %w", id, ErrRunNotFound)
	}
	if err != nil {
		return Run{}, fmt.Errorf("run %q: %w", id, err)
	}
	return r, nil
}

// Runs returns every run, the newest first.
func (db *DB) Runs(ctx context.Context) ([]Run, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+runColumns+` FROM runs ORDER BY started_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, fmt.Errorf("list runs: %w", err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list runs: %w", err)
	}
	return runs, nil
}

// ModeReplay is the mode of the runs "arena replay" stores. They replay a
// few logged conversations rather than rank builds, so "the latest run" of
// the leaderboard, the gate and resume never means one of them.
const ModeReplay = "replay"

// LatestRun returns the run that started last, replays aside, or an error wrapping
// ErrNoRuns when the file has none.
func (db *DB) LatestRun(ctx context.Context) (Run, error) {
	r, err := scanRun(db.r.QueryRowContext(ctx,
		`SELECT `+runColumns+` FROM runs WHERE mode <> ? ORDER BY started_at DESC, id LIMIT 1`, ModeReplay))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("latest run: %w", ErrNoRuns)
	}
	if err != nil {
		return Run{}, fmt.Errorf("latest run: %w", err)
	}
	return r, nil
}

func (db *DB) runDefaults(r Run) Run {
	if r.StartedAt.IsZero() {
		r.StartedAt = db.Now()
	}
	if r.Status == "" {
		r.Status = RunRunning
	}
	return r
}

func validateRun(r Run) error {
	switch {
	case r.ID == "":
		return &InvalidError{Kind: "run", Field: "id", Err: errEmpty}
	case checkJSON(r.Config) != nil:
		return &InvalidError{Kind: "run", Key: r.ID, Field: "config", Err: errInvalidJSON}
	}
	return nil
}

type scanner interface {
	Scan(dest ...any) error
}

func scanRun(s scanner) (Run, error) {
	var (
		r                 Run
		started, finished sql.NullString
		config            sql.NullString
		err               error
	)
	if err := s.Scan(&r.ID, &started, &finished, &r.Mode, &r.Status, &config, &r.Notes); err != nil {
		return Run{}, err
	}
	if r.StartedAt, err = parseTime(started); err != nil {
		return Run{}, err
	}
	if r.FinishedAt, err = parseTime(finished); err != nil {
		return Run{}, err
	}
	r.Config = rawJSON(config)
	return r, nil
}
