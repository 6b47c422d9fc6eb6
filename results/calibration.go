package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Calibration is one calibration of an LLM judge on one criterion: which
// judge (name, model, prompt and rubric versions), the agreement results
// as JSON, and whether it passed.
type Calibration struct {
	ID            int64 // assigned by the file
	Judge         string
	Criterion     string
	PromptVersion string
	Model         string
	RubricVersion string
	Results       json.RawMessage
	Passed        bool
	CreatedAt     time.Time // zero means db.Now()
}

// CalibrationFilter narrows Calibrations. Empty fields do not filter.
type CalibrationFilter struct {
	Judge     string
	Criterion string
}

// PutCalibration stores c and returns its ID. Results must be valid JSON.
func (db *DB) PutCalibration(ctx context.Context, c Calibration) (int64, error) {
	bad := func(field string, err error) error {
		return &InvalidError{Kind: "calibration", Key: c.Judge + "/" + c.Criterion, Field: field, Err: err}
	}
	switch {
	case c.Judge == "":
		return 0, bad("judge", errEmpty)
	case c.Criterion == "":
		return 0, bad("criterion", errEmpty)
	case len(c.Results) == 0:
		return 0, bad("results", errEmpty)
	case !json.Valid(c.Results):
		return 0, bad("results", errInvalidJSON)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = db.Now()
	}
	var id int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO calibrations (judge, criterion, prompt_version, model, rubric_version, results, passed, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.Judge, c.Criterion, c.PromptVersion, c.Model, c.RubricVersion, string(c.Results), c.Passed, sqlTime(c.CreatedAt)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("put calibration: %w", err)
	}
	return id, nil
}

// Calibrations returns the calibrations that match f, the newest first.
func (db *DB) Calibrations(ctx context.Context, f CalibrationFilter) ([]Calibration, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT id, judge, criterion, prompt_version, model, rubric_version, results, passed, created_at
		FROM calibrations
		WHERE (? = '' OR judge = ?) AND (? = '' OR criterion = ?)
		ORDER BY created_at DESC, id DESC`,
		f.Judge, f.Judge, f.Criterion, f.Criterion)
	if err != nil {
		return nil, fmt.Errorf("calibrations: %w", err)
	}
	defer rows.Close()
	var out []Calibration
	for rows.Next() {
		var (
			c       Calibration
			results string
			at      sql.NullString
		)
		if err := rows.Scan(&c.ID, &c.Judge, &c.Criterion, &c.PromptVersion, &c.Model, &c.RubricVersion, &results, &c.Passed, &at); err != nil {
			return nil, fmt.Errorf("calibrations: %w", err)
		}
		if c.CreatedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("calibrations: %w", err)
		}
		c.Results = json.RawMessage(results)
		out = append(out, c)
	}
	return out, rows.Err()
}
