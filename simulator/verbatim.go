package simulator

import (
	"context"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/transcript"
)

// DefaultMaxTurns bounds a session when the caller sets no limit.
const DefaultMaxTurns = 20

// Verbatim replays a card's logged merchant turns in order, whatever the
// assistant says (open loop). It stops when the script runs out or at
// MaxTurns merchant messages.
type Verbatim struct {
	Card     *personas.Card
	MaxTurns int
}

var _ Merchant = (*Verbatim)(nil)

// NewVerbatim returns a verbatim merchant for card with the default turn
// limit.
func NewVerbatim(card *personas.Card) *Verbatim {
	return &Verbatim{Card: card, MaxTurns: DefaultMaxTurns}
}

// Next returns the next logged merchant turn, or a stop.
func (v *Verbatim) Next(_ context.Context, dialogue []transcript.Message) (Decision, error) {
	n := merchantTurns(dialogue)
	limit := v.MaxTurns
	if limit <= 0 {
		limit = DefaultMaxTurns
	}
	switch {
	case n >= len(v.Card.Script):
		return Decision{Stop: true, Reason: StopScriptDone}, nil
	case n >= limit:
		return Decision{Stop: true, Reason: StopTurnLimit}, nil
	}
	return Decision{Message: v.Card.Script[n]}, nil
}
