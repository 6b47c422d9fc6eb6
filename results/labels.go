package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Label kinds: who gave a label.
const (
	LabelHuman = "human"
	LabelJudge = "judge"
)

// Label is one rater's label for one item (a conversation or session ID) on
// one criterion. Value is text: numbers are written as such ("4", "0.5").
type Label struct {
	Item      string
	Criterion string
	Rater     string
	Kind      string // LabelHuman or LabelJudge
	Value     string
	// ImportedAt is when the label entered the file; zero means db.Now().
	ImportedAt time.Time
	// Source says where it came from, such as "labels.jsonl:12" or
	// "calibrate".
	Source string
}

// LabelFilter narrows Labels. Empty fields do not filter.
type LabelFilter struct {
	Criterion string
	Kind      string
	Rater     string
}

// PutLabels stores labels in one transaction; a label for an item,
// criterion and rater already in the file is replaced. A label that fails
// validation is skipped and reported as an *InvalidError (Kind "label",
// Index its position); the others are written. It returns how many were
// written.
func (db *DB) PutLabels(ctx context.Context, labels []Label) (int, error) {
	var invalid []error
	now := db.Now()
	ok := make([]Label, 0, len(labels))
	for i, l := range labels {
		if err := checkLabel(i, l); err != nil {
			invalid = append(invalid, err)
			continue
		}
		if l.ImportedAt.IsZero() {
			l.ImportedAt = now
		}
		ok = append(ok, l)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error { return putLabels(ctx, tx, ok) })
	if err != nil {
		return 0, errors.Join(append(invalid, fmt.Errorf("put labels: %w", err))...)
	}
	return len(ok), errors.Join(invalid...)
}

func checkLabel(i int, l Label) error {
	bad := func(field string, err error) error {
		return &InvalidError{Kind: "label", Index: i, Key: l.Item + "/" + l.Criterion + "/" + l.Rater, Field: field, Err: err}
	}
	switch {
	case l.Item == "":
		return bad("item", errEmpty)
	case l.Criterion == "":
		return bad("criterion", errEmpty)
	case l.Rater == "":
		return bad("rater", errEmpty)
	case l.Value == "":
		return bad("label", errEmpty)
	case l.Kind != LabelHuman && l.Kind != LabelJudge:
		return bad("kind", fmt.Errorf("%q is not %s or %s", l.Kind, LabelHuman, LabelJudge))
	}
	return nil
}

func putLabels(ctx context.Context, tx *sql.Tx, labels []Label) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO labels (item, criterion, rater, kind, label, imported_at, source)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (criterion, item, rater) DO UPDATE SET
			kind = excluded.kind, label = excluded.label,
			imported_at = excluded.imported_at, source = excluded.source`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, l := range labels {
		if _, err := stmt.ExecContext(ctx, l.Item, l.Criterion, l.Rater, l.Kind, l.Value, sqlTime(l.ImportedAt), l.Source); err != nil {
			return fmt.Errorf("label %s/%s/%s: %w", l.Item, l.Criterion, l.Rater, err)
		}
	}
	return nil
}

// Labels returns the labels that match f, by criterion, then in the order
// they were first imported (so items and raters keep the order of the file
// they came from), then item and rater.
func (db *DB) Labels(ctx context.Context, f LabelFilter) ([]Label, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT item, criterion, rater, kind, label, imported_at, source
		FROM labels
		WHERE (? = '' OR criterion = ?) AND (? = '' OR kind = ?) AND (? = '' OR rater = ?)
		ORDER BY criterion, rowid`,
		f.Criterion, f.Criterion, f.Kind, f.Kind, f.Rater, f.Rater)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	defer rows.Close()
	var out []Label
	for rows.Next() {
		var (
			l  Label
			at sql.NullString
		)
		if err := rows.Scan(&l.Item, &l.Criterion, &l.Rater, &l.Kind, &l.Value, &at, &l.Source); err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		if l.ImportedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("labels: %w", err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
