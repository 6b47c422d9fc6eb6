package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// errUnknownItem is a labelled item that is neither a conversation of the
// logs nor a session of the results file.
var errUnknownItem = errors.New("unknown item")

// evidence finds what the judge sees of a labelled item: a conversation of
// the logs, else a session of the results file by its numeric ID.
func (cal *calibration) evidence(ctx context.Context, db *results.DB, item string) (*judges.Evidence, judges.Verdict, error) {
	if c, ok := cal.convs[item]; ok {
		return calibrate.ConversationEvidence(c)
	}
	id, err := strconv.ParseInt(item, 10, 64)
	if err != nil {
		return nil, judges.Verdict{}, fmt.Errorf("%w: no conversation %q in the logs, and it is no session ID", errUnknownItem, item)
	}
	s, err := db.Session(ctx, id)
	if errors.Is(err, results.ErrSessionNotFound) {
		return nil, judges.Verdict{}, fmt.Errorf("%w: no conversation %q in the logs nor session %d in %s", errUnknownItem, item, id, db.Path())
	}
	if err != nil {
		return nil, judges.Verdict{}, err
	}
	return sessionEvidence(ctx, db, s)
}

// sessionEvidence rebuilds a recorded session for the judge: its persona
// card, its messages by turn, the calls the sandbox recorded and its
// stage-1 findings. The final store is not recorded, so the judge reads
// the calls' results, as it always does.
func sessionEvidence(ctx context.Context, db *results.DB, s results.Session) (*judges.Evidence, judges.Verdict, error) {
	p, err := db.Persona(ctx, s.Key.Persona)
	if err != nil {
		return nil, judges.Verdict{}, fmt.Errorf("session %d: %w", s.ID, err)
	}
	var card personas.Card
	if err := json.Unmarshal(p.Card, &card); err != nil {
		return nil, judges.Verdict{}, fmt.Errorf("session %d: persona %s: card: %w", s.ID, p.ID, err)
	}
	ev := &judges.Evidence{Card: &card, Status: judges.Status(s.Status), Session: s.Key.String(),
		Simulated: s.Simulator.Model != "", StopReason: s.StopReason}
	for _, m := range s.Messages {
		ev.Steps = append(ev.Steps, judges.Step{Turn: m.Turn, Message: m.Message})
	}
	for i, c := range s.ToolCalls {
		ev.Calls = append(ev.Calls, sandbox.CallRecord{Seq: i + 1, Turn: c.Turn, CallID: c.CallID, Tool: c.Tool,
			Arguments: transcript.RawJSON(c.Arguments), Result: transcript.RawJSON(c.Result), Error: c.Error, Code: c.Code, Duration: c.Duration})
	}
	var v judges.Verdict
	for _, f := range s.Findings {
		v.Findings = append(v.Findings, judges.Finding{Rule: f.Rule, Kind: f.Kind, Gate: f.Gate, Turn: f.Turn, CallID: f.CallID, Tool: f.Tool, Message: f.Message})
	}
	return ev, v, nil
}
