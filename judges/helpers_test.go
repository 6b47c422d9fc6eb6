package judges_test

import (
	"encoding/json"
	"testing"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// session builds evidence the way the arena does: calls run against a real
// fixture copy and are recorded with their turn, the card says what the log
// expects.
type session struct {
	t     testing.TB
	card  *personas.Card
	store *sandbox.Store
	steps []judges.Step
	calls []sandbox.CallRecord
	turn  int
	sim   bool
	stop  string
	goals map[string]string
}

func newSession(t testing.TB, card *personas.Card) *session {
	return &session{t: t, card: card, store: sandbox.Fixture()}
}

func (s *session) merchant(text string) *session {
	s.turn++
	s.steps = append(s.steps, judges.Step{Turn: s.turn, Message: transcript.Message{Role: transcript.RoleUser, Content: text}})
	return s
}

// call runs a tool and records it as the sandbox would.
func (s *session) call(id, tool, args string) json.RawMessage {
	s.t.Helper()
	s.steps = append(s.steps, judges.Step{Turn: s.turn, Message: transcript.Message{Role: transcript.RoleAssistant,
		ToolCalls: []transcript.ToolCall{{ID: id, Type: "function", Function: transcript.FunctionCall{Name: tool, Arguments: args}}}}})
	res, err := s.store.Call(tool, json.RawMessage(args))
	rec := sandbox.CallRecord{Seq: len(s.calls) + 1, Turn: s.turn, CallID: id, Tool: tool, Arguments: json.RawMessage(args), Result: res}
	content := string(res)
	if err != nil {
		rec.Error = err.Error()
		if te, ok := err.(*sandbox.ToolError); ok {
			rec.Code = te.Code
		}
		content = err.Error()
	}
	s.calls = append(s.calls, rec)
	s.steps = append(s.steps, judges.Step{Turn: s.turn, Message: transcript.Message{Role: transcript.RoleTool, ToolCallID: id, Name: tool, Content: content, Error: err != nil}})
	return res
}

func (s *session) say(text string) *session {
	s.steps = append(s.steps, judges.Step{Turn: s.turn, Message: transcript.Message{Role: transcript.RoleAssistant, Content: text}})
	return s
}

// simulated marks the session as played by an LLM merchant that stopped
// for reason with these goal statuses (goal ID, status, ...).
func (s *session) simulated(reason string, statuses ...string) *session {
	s.sim, s.stop = true, reason
	s.goals = map[string]string{}
	for i := 0; i+1 < len(statuses); i += 2 {
		s.goals[statuses[i]] = statuses[i+1]
	}
	return s
}

func (s *session) evidence(status judges.Status) *judges.Evidence {
	return &judges.Evidence{
		Card: s.card, Steps: s.steps, Calls: s.calls, Initial: sandbox.Fixture(), Final: s.store, Status: status,
		Simulated: s.sim, StopReason: s.stop, MerchantGoals: s.goals,
	}
}

func (s *session) judge(status judges.Status) judges.Verdict {
	s.t.Helper()
	v, err := judges.NewProcedural().Judge(s.evidence(status))
	if err != nil {
		s.t.Fatal(err)
	}
	return v
}

// segmentCard expects one segment of enabled customers, as a log would
// show it.
func segmentCard() *personas.Card {
	return &personas.Card{ID: "p1", Goals: []personas.Goal{{
		ID: "g1", Turn: 1, Request: "Segment customers with status enabled.",
		ExpectedActions: []personas.Action{{Tool: "create_segment",
			Arguments: json.RawMessage(`{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)}},
	}}}
}

// lookupCard expects the Toronto count to be stated.
func lookupCard(count string) *personas.Card {
	return &personas.Card{ID: "p2", Goals: []personas.Goal{{
		ID: "g1", Turn: 1, Request: "Which of my customers are from Toronto?",
		ExpectedActions: []personas.Action{{Tool: "search_customers", Arguments: json.RawMessage(`{"query":"customer_city = 'Toronto'"}`)}},
		ExpectedOutputs: []string{count},
	}}}
}

// torontoCount is what search_customers answers for Toronto on the fixture.
func torontoCount(t testing.TB) string {
	t.Helper()
	res, err := sandbox.Fixture().Call("search_customers", json.RawMessage(`{"query":"customer_city = 'Toronto'"}`))
	if err != nil {
		t.Fatal(err)
	}
	var r struct{ Count json.Number }
	if err := json.Unmarshal(res, &r); err != nil {
		t.Fatal(err)
	}
	return r.Count.String()
}

func kinds(v judges.Verdict) map[string]int {
	out := map[string]int{}
	for _, f := range v.Findings {
		out[f.Kind]++
	}
	return out
}
