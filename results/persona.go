package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// Persona is a persona card as stored: its ID, where it was extracted
// from, by which extractor, its skill tags, and the whole card as JSON.
type Persona struct {
	ID                 string
	SourceConversation string
	SourceFile         string
	Extractor          string
	Skills             []string
	Card               json.RawMessage
}

// PutPersonas inserts the personas, or replaces those already there, in one
// transaction. A persona that fails validation is skipped and reported as
// an *InvalidError; the others are still written.
func (db *DB) PutPersonas(ctx context.Context, ps []Persona) error {
	var invalid []error
	valid := make([]Persona, 0, len(ps))
	for i, p := range ps {
		if err := validatePersona(i, p); err != nil {
			invalid = append(invalid, err)
			continue
		}
		valid = append(valid, p)
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error { return putPersonas(ctx, tx, valid) })
	if err != nil {
		err = fmt.Errorf("put personas: %w", err)
	}
	return errors.Join(append(invalid, err)...)
}

func putPersonas(ctx context.Context, tx *sql.Tx, ps []Persona) error {
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO personas (id, source_conversation, source_file, extractor, skills, card)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			source_conversation = excluded.source_conversation, source_file = excluded.source_file,
			extractor = excluded.extractor, skills = excluded.skills, card = excluded.card`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, p := range ps {
		skills, err := json.Marshal(p.Skills)
		if err != nil {
			return fmt.Errorf("persona %q: skills: %w", p.ID, err)
		}
		if p.Skills == nil {
			skills = nil
		}
		if _, err := stmt.ExecContext(ctx, p.ID, p.SourceConversation, p.SourceFile, p.Extractor,
			sqlJSON(skills), sqlJSON(p.Card)); err != nil {
			return fmt.Errorf("persona %q: %w", p.ID, err)
		}
	}
	return nil
}

func validatePersona(i int, p Persona) error {
	switch {
	case p.ID == "":
		return &InvalidError{Kind: "persona", Index: i, Field: "id", Err: errEmpty}
	case checkJSON(p.Card) != nil:
		return &InvalidError{Kind: "persona", Index: i, Key: p.ID, Field: "card", Err: errInvalidJSON}
	}
	return nil
}

// Persona returns the persona with the given ID, or an error wrapping
// ErrPersonaNotFound.
func (db *DB) Persona(ctx context.Context, id string) (Persona, error) {
	var (
		p           Persona
		skills, crd sql.NullString
	)
	err := db.r.QueryRowContext(ctx, `
		SELECT id, source_conversation, source_file, extractor, skills, card
		FROM personas WHERE id = ?`, id).
		Scan(&p.ID, &p.SourceConversation, &p.SourceFile, &p.Extractor, &skills, &crd)
	if errors.Is(err, sql.ErrNoRows) {
		return Persona{}, fmt.Errorf("persona %q: %w", id, ErrPersonaNotFound)
	}
	if err != nil {
		return Persona{}, fmt.Errorf("persona %q: %w", id, err)
	}
	if skills.Valid {
		if err := json.Unmarshal([]byte(skills.String), &p.Skills); err != nil {
			return Persona{}, fmt.Errorf("persona %q: skills: %w", id, err)
		}
	}
	p.Card = rawJSON(crd)
	return p, nil
}

// PersonaIDs returns the IDs of every stored persona, sorted.
func (db *DB) PersonaIDs(ctx context.Context) ([]string, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id FROM personas ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("persona ids: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("persona ids: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("persona ids: %w", err)
	}
	return ids, nil
}
