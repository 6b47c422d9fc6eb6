package calibrate

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// ConversationEvidence is what a judge sees of a logged conversation
// played as a session: the heuristic persona card, the logged messages as
// steps by merchant turn (the system prompt left out), and the logged tool
// calls replayed in order on a fresh sandbox.Fixture() as the sandbox's
// record, so the judge reads the calls' real results. It also returns the
// stage-1 verdict, whose findings the judge is shown.
//
// The logs must be of the fixture shop (as the bundled examples are):
// calls on IDs the fixture lacks come back as refusals.
func ConversationEvidence(c transcript.Conversation) (*judges.Evidence, judges.Verdict, error) {
	card, err := personas.Extract(c)
	if err != nil {
		return nil, judges.Verdict{}, fmt.Errorf("evidence for %s: %w", c.ID, err)
	}
	calls, final := replayCalls(c)
	ev := &judges.Evidence{Card: &card, Steps: steps(c), Calls: calls, Initial: sandbox.Fixture(), Final: final,
		Status: judges.StatusOK, Session: "calibrate/" + c.ID}
	v, err := judges.NewProcedural().Judge(ev)
	if err != nil {
		return nil, judges.Verdict{}, fmt.Errorf("evidence for %s: stage 1: %w", c.ID, err)
	}
	return ev, v, nil
}

// steps numbers a log's messages by merchant turn; the system prompt is
// the build's own and is left out.
func steps(c transcript.Conversation) []judges.Step {
	var out []judges.Step
	turn := 0
	for _, m := range c.Messages {
		switch m.Role {
		case transcript.RoleSystem:
			continue
		case transcript.RoleUser:
			turn++
		}
		out = append(out, judges.Step{Turn: turn, Message: m})
	}
	return out
}

// replayCalls runs a log's tool calls in order on a fresh fixture, as the
// sandbox would record them.
func replayCalls(c transcript.Conversation) ([]sandbox.CallRecord, *sandbox.Store) {
	store := sandbox.Fixture()
	var calls []sandbox.CallRecord
	turn := 0
	for _, m := range c.Messages {
		if m.Role == transcript.RoleUser {
			turn++
		}
		for _, tc := range m.ToolCalls {
			rec := sandbox.CallRecord{Seq: len(calls) + 1, Turn: turn, CallID: tc.ID, Tool: tc.Function.Name,
				Arguments: json.RawMessage(tc.Function.Arguments), At: store.Now}
			res, err := store.Call(tc.Function.Name, rec.Arguments)
			var te *sandbox.ToolError
			switch {
			case errors.As(err, &te):
				rec.Error, rec.Code = te.Message, te.Code
			case err != nil:
				rec.Error, rec.Code = err.Error(), sandbox.CodeInternal
			default:
				rec.Result = res
			}
			calls = append(calls, rec)
		}
	}
	return calls, store
}
