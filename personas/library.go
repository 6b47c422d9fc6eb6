package personas

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// A card library is a JSONL file: one card per line, as WriteJSONL writes
// it. Blank lines are allowed, so hand-edited libraries stay readable.

// LineError is a bad line of a card library.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// WriteJSONL writes cards to w, one per line. Every card is validated
// first, so an invalid card writes nothing and is reported by index.
func WriteJSONL(w io.Writer, cards []Card) error {
	for i := range cards {
		if err := cards[i].Validate(); err != nil {
			return fmt.Errorf("write cards: cards[%d]: %w", i, err)
		}
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false) // cards hold merchants' words; keep "<" and "&" readable
	for i := range cards {
		if err := enc.Encode(&cards[i]); err != nil {
			return fmt.Errorf("write cards: card %s: %w", cards[i].ID, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write cards: %w", err)
	}
	return nil
}

// ReadJSONL reads a card library from r; name is the file name errors
// give. A line that is not a card (bad JSON, an unknown field, a card that
// fails Validate, an ID seen on an earlier line) is skipped: the cards of
// every other line are returned, with an error joining one *LineError per
// bad line. Only a read failure stops early.
func ReadJSONL(r io.Reader, name string) ([]Card, error) {
	var (
		cards []Card
		bad   []error
		first = map[string]int{} // card ID → line
	)
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(bytes.TrimSpace(b)) > 0 {
			card, perr := parseCard(b, first)
			if perr != nil {
				bad = append(bad, &LineError{File: name, Line: line, Err: perr})
			} else {
				first[card.ID] = line
				cards = append(cards, card)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return cards, errors.Join(append(bad, fmt.Errorf("read %s: line %d: %w", name, line, err))...)
		}
	}
	return cards, errors.Join(bad...)
}

// parseCard decodes and validates one line; first maps the IDs already
// read to their lines.
func parseCard(b []byte, first map[string]int) (Card, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c Card
	if err := dec.Decode(&c); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return Card{}, fmt.Errorf("not a card: byte %d: %w", se.Offset, err)
		}
		return Card{}, fmt.Errorf("not a card: %w", err)
	}
	if rest := bytes.TrimSpace(b[dec.InputOffset():]); len(rest) > 0 {
		return Card{}, fmt.Errorf("not a card: byte %d: text after the card", dec.InputOffset()+1)
	}
	if err := c.Validate(); err != nil {
		return Card{}, err
	}
	if at, dup := first[c.ID]; dup {
		return Card{}, fmt.Errorf("card %s: repeats the card of line %d", c.ID, at)
	}
	return c, nil
}
