package simulator

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/transcript"
)

// Errors of the simulate mode. Next wraps them with the merchant turn.
var (
	// ErrEmptyMessage: the model chose to continue but wrote no message.
	ErrEmptyMessage = errors.New("empty message with decision continue")
	// ErrNoOpening: the card has no opening message to start with.
	ErrNoOpening = errors.New("card has no opening message")
)

// Completer is the part of *llm.Client the simulate mode needs.
// CompleteJSON validates the reply against req.Schema and decodes it into v;
// a reply that fails twice is an *llm.OutputError.
type Completer interface {
	CompleteJSON(ctx context.Context, req llm.Request, v any) (*llm.Response, error)
}

var _ Completer = (*llm.Client)(nil)

// LLM plays a card's merchant with a language model, closed loop: each turn
// the model sees the card and the visible dialogue, writes the merchant's
// next message, reports each goal's status and decides whether to go on.
// Build it with NewLLM and adjust the exported fields before the first Next.
//
// LLM keeps no state between calls, so one value may serve several
// sessions of its card at once, and a resumed session goes on where it
// stopped. Its turns are never cached: trials of a card differ by Seed.
type LLM struct {
	Client Completer
	Card   *personas.Card
	// Model overrides the client's model for llm.RoleSimulator.
	Model       string
	Temperature float64
	Seed        int
	// MaxTurns bounds the merchant's messages; 0 means DefaultMaxTurns.
	MaxTurns int
	Logger   *slog.Logger
	// Session names the session in the model client's call log.
	Session string
}

var _ Merchant = (*LLM)(nil)

// NewLLM returns a simulated merchant for card that asks client with seed,
// temperature 0.7, the client's simulator model, DefaultMaxTurns and
// slog.Default().
func NewLLM(client Completer, card *personas.Card, seed int) *LLM {
	return &LLM{
		Client: client, Card: card, Seed: seed,
		Temperature: 0.7, MaxTurns: DefaultMaxTurns, Logger: slog.Default(),
	}
}

// Next returns the merchant's next move. The first message is the card's
// opening, verbatim, with no model call; at MaxTurns merchant messages it
// stops with StopTurnLimit, also without a call. Otherwise it asks the
// model once. Every decision carries every card goal's status (pending
// when the model did not say) and the model's reason in Note. Errors are
// wrapped with the merchant turn: the client's (an *llm.OutputError for a
// reply that does not fit the schema, llm.ErrBudget, …) and ErrEmptyMessage.
func (m *LLM) Next(ctx context.Context, dialogue []transcript.Message) (Decision, error) {
	if m.Card == nil {
		return Decision{}, errors.New("simulate: no card")
	}
	n := merchantTurns(dialogue)
	turn := n + 1
	switch {
	case n >= m.maxTurns():
		return Decision{Stop: true, Reason: StopTurnLimit, Goals: normaliseGoals(m.Card, nil),
			Note: fmt.Sprintf("turn limit: %d merchant messages sent; goals not re-assessed", n)}, nil
	case n == 0:
		if m.Card.Opening == "" {
			return Decision{}, fmt.Errorf("merchant turn 1: card %s: %w", m.Card.ID, ErrNoOpening)
		}
		return Decision{Message: m.Card.Opening, Goals: normaliseGoals(m.Card, nil),
			Note: "opening message from the card"}, nil
	}
	d, err := m.ask(ctx, visibleText(dialogue))
	if err != nil {
		return Decision{}, fmt.Errorf("merchant turn %d: %w", turn, err)
	}
	m.logger().Debug("merchant turn", "card", m.Card.ID, "turn", turn, "stop", d.Stop, "reason", d.Reason, "note", d.Note)
	return d, nil
}

// ask makes the one model call of a turn and turns its reply into a
// decision.
func (m *LLM) ask(ctx context.Context, visible []transcript.Message) (Decision, error) {
	if m.Client == nil {
		return Decision{}, llm.ErrNotConfigured
	}
	req, err := m.request(visible)
	if err != nil {
		return Decision{}, err
	}
	var r reply
	if _, err := m.Client.CompleteJSON(ctx, req, &r); err != nil {
		return Decision{}, err
	}
	d, err := decide(m.Card, &r)
	if err != nil {
		return Decision{}, err
	}
	return d, nil
}

// request builds the turn's request. The merchant is never cached, even at
// temperature 0: a cached turn would make every trial of a card the same.
func (m *LLM) request(visible []transcript.Message) (llm.Request, error) {
	system, err := SystemPrompt(m.Card)
	if err != nil {
		return llm.Request{}, err
	}
	temp, seed := m.Temperature, m.Seed
	return llm.Request{
		Role:        llm.RoleSimulator,
		Model:       m.Model,
		Session:     m.Session,
		Messages:    flip(system, visible),
		Temperature: &temp,
		Seed:        &seed,
		Schema: &llm.Schema{
			Name:        schemaName,
			Description: "The merchant's next message, goal statuses and decision.",
			JSON:        schema(),
		},
		Cache: llm.CacheOff,
	}, nil
}

// decide turns a reply into a decision.
func decide(card *personas.Card, r *reply) (Decision, error) {
	d := Decision{Goals: normaliseGoals(card, r.Goals), Note: r.Reason}
	switch r.Decision {
	case decisionContinue:
		if isBlank(r.Message) {
			return Decision{}, ErrEmptyMessage
		}
		d.Message = r.Message
	case decisionFinish:
		d.Stop, d.Reason = true, StopGoalsMet
		if open := notDone(d.Goals); open != "" {
			// Kept as goals_met (the model's word), but flagged: the
			// judges settle goals from the store, not from this.
			d.Note = joinNote(d.Note, "finished with goals not done: "+open)
		}
	case decisionGiveUp:
		d.Stop, d.Reason = true, StopGaveUp
	default:
		return Decision{}, fmt.Errorf("unknown decision %q", r.Decision)
	}
	return d, nil
}

func (m *LLM) maxTurns() int {
	if m.MaxTurns <= 0 {
		return DefaultMaxTurns
	}
	return m.MaxTurns
}

func (m *LLM) logger() *slog.Logger {
	if m.Logger == nil {
		return slog.Default()
	}
	return m.Logger
}

func joinNote(note, more string) string {
	if note == "" {
		return more
	}
	return note + "; " + more
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
