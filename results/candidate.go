package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Candidate is a build under test, keyed by name and version.
type Candidate struct {
	ID       int64 // assigned by the file; ignored by PutCandidates
	Name     string
	Version  string
	Kind     string          // such as "mutant", "refagent" or "adapter"
	Metadata json.RawMessage // the build's micro metadata, as JSON
}

// PutCandidates inserts the candidates, or updates the kind and metadata of
// those already there, in one transaction. A candidate that fails
// validation is skipped and reported as an *InvalidError; the others are
// still written.
func (db *DB) PutCandidates(ctx context.Context, cs []Candidate) error {
	var invalid []error
	valid := make([]Candidate, 0, len(cs))
	for i, c := range cs {
		if err := validateCandidate(i, c); err != nil {
			invalid = append(invalid, err)
			continue
		}
		valid = append(valid, c)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error { return putCandidates(ctx, tx, valid) })
	if err != nil {
		err = fmt.Errorf("put candidates: %w", err)
	}
	return errors.Join(append(invalid, err)...)
}

func putCandidates(ctx context.Context, tx *sql.Tx, cs []Candidate) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO candidates (name, version, kind, metadata) VALUES (?, ?, ?, ?)
		ON CONFLICT (name, version) DO UPDATE SET kind = excluded.kind, metadata = excluded.metadata`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, c := range cs {
		if _, err := stmt.ExecContext(ctx, c.Name, c.Version, c.Kind, sqlJSON(c.Metadata)); err != nil {
			return fmt.Errorf("%s@%s: %w", c.Name, c.Version, err)
		}
	}
	return nil
}

func validateCandidate(i int, c Candidate) error {
	key := c.Name + "@" + c.Version
	switch {
	case c.Name == "":
		return &InvalidError{Kind: "candidate", Index: i, Key: key, Field: "name", Err: errEmpty}
	case checkJSON(c.Metadata) != nil:
		return &InvalidError{Kind: "candidate", Index: i, Key: key, Field: "metadata", Err: errInvalidJSON}
	}
	return nil
}

// Candidates returns every candidate, by name then version.
func (db *DB) Candidates(ctx context.Context) ([]Candidate, error) {
	rows, err := db.r.QueryContext(ctx,
		`SELECT id, name, version, kind, metadata FROM candidates ORDER BY name, version`)
	if err != nil {
		return nil, fmt.Errorf("list candidates: %w", err)
	}
	defer rows.Close()
	var cs []Candidate
	for rows.Next() {
		var (
			c    Candidate
			meta sql.NullString
		)
		if err := rows.Scan(&c.ID, &c.Name, &c.Version, &c.Kind, &meta); err != nil {
			return nil, fmt.Errorf("list candidates: %w", err)
		}
		c.Metadata = rawJSON(meta)
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list candidates: %w", err)
	}
	return cs, nil
}
