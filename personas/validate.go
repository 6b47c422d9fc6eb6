package personas

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// What a *FieldError matches with errors.Is.
var (
	// ErrInvalidCard: a card breaks its schema (Validate).
	ErrInvalidCard = errors.New("invalid persona card")
	// ErrInvalidReply: the LLM extractor's reply cannot make a card.
	ErrInvalidReply = errors.New("invalid extractor reply")
)

// FieldError is one thing wrong with a card, or with an LLM extractor's
// reply: the field (a JSON path such as "goals[1].turn") and what is wrong
// with it.
type FieldError struct {
	// Card is the card's ID, when it has one.
	Card    string
	Field   string
	Problem string
	// Kind is ErrInvalidCard or ErrInvalidReply.
	Kind error
}

func (e *FieldError) Error() string {
	if e.Card == "" {
		return e.Field + ": " + e.Problem
	}
	return "card " + e.Card + ": " + e.Field + ": " + e.Problem
}

// Unwrap returns the error's kind, ErrInvalidCard or ErrInvalidReply.
func (e *FieldError) Unwrap() error { return e.Kind }

// Patience bounds in a profile; 0 means the extractor did not say.
const (
	MinPatience = 1
	MaxPatience = 10
)

// Validate checks the card against its own schema and returns the first
// problem as a *FieldError: the ID, extractor, source conversation,
// opening and script are required; there is at least one goal; goal IDs
// are present and unique; goal turns are merchant turns of the script, in
// strictly increasing order (one goal per turn, as the judges read them);
// every goal has a request; every expected action names a tool and has
// JSON arguments; patience is 0 (unknown) or 1–10; no fact, unknown or skill
// is blank. Both extractors validate what they build, and ReadJSONL
// validates what it reads.
func (c *Card) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &FieldError{Card: c.ID, Field: field, Problem: fmt.Sprintf(format, args...), Kind: ErrInvalidCard}
	}
	switch {
	case blank(c.ID):
		return bad("id", "required")
	case blank(c.Extractor):
		return bad("extractor", "required")
	case blank(c.Source.Conversation):
		return bad("source.conversation", "required")
	case blank(c.Opening):
		return bad("opening", "required")
	case len(c.Script) == 0:
		return bad("script", "required: at least the opening message")
	case len(c.Goals) == 0:
		return bad("goals", "required: at least one goal")
	case c.Profile.Patience != 0 && (c.Profile.Patience < MinPatience || c.Profile.Patience > MaxPatience):
		return bad("profile.patience", "%d is outside %d-%d", c.Profile.Patience, MinPatience, MaxPatience)
	}
	lists := []struct {
		name  string
		items []string
	}{{"facts", c.Facts}, {"unknowns", c.Unknowns}, {"skills", c.Skills}}
	for _, l := range lists {
		for i, s := range l.items {
			if blank(s) {
				return bad(fmt.Sprintf("%s[%d]", l.name, i), "blank")
			}
		}
	}
	return c.validateGoals(bad)
}

func (c *Card) validateGoals(bad func(field, format string, args ...any) error) error {
	seen := map[string]int{}
	for i, g := range c.Goals {
		at := fmt.Sprintf("goals[%d]", i)
		if blank(g.ID) {
			return bad(at+".id", "required")
		}
		if j, dup := seen[g.ID]; dup {
			return bad(at+".id", "%q repeats goals[%d].id", g.ID, j)
		}
		seen[g.ID] = i
		if g.Turn < 1 || g.Turn > len(c.Script) {
			return bad(at+".turn", "%d is not a merchant turn of the script (1-%d)", g.Turn, len(c.Script))
		}
		if i > 0 && g.Turn <= c.Goals[i-1].Turn {
			return bad(at+".turn", "%d does not come after goals[%d].turn %d", g.Turn, i-1, c.Goals[i-1].Turn)
		}
		if blank(g.Request) {
			return bad(at+".request", "required")
		}
		for j, a := range g.ExpectedActions {
			if blank(a.Tool) {
				return bad(fmt.Sprintf("%s.expected_actions[%d].tool", at, j), "required")
			}
			if !json.Valid(a.Arguments) {
				return bad(fmt.Sprintf("%s.expected_actions[%d].arguments", at, j), "not JSON")
			}
		}
	}
	return nil
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
