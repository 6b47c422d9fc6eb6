package replay

import (
	"strings"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// Play is one conversation, as logged or as a build played it, with what
// is known of its outcome. Only Conversation is required.
type Play struct {
	Conversation transcript.Conversation
	// Findings are the validators' findings, shown inline by turn (and by
	// call when they name one).
	Findings []judges.Finding
	// Changes is what the conversation did to the store, from the initial
	// store to the final one (sandbox (*Store).ChangesFrom or
	// sandbox.Diff). It is compared only when both sides set StoreKnown;
	// WithStore sets both.
	Changes    []sandbox.Change
	StoreKnown bool
	// Goals are the goal checks of the verdict; compared by goal ID when
	// both sides have some.
	Goals []judges.GoalResult
	// Success is the verdict's success; nil when there is no verdict.
	Success *bool
}

// WithStore sets p's store changes to those from initial to final.
func (p Play) WithStore(initial, final *sandbox.Store) Play {
	p.Changes, p.StoreKnown = sandbox.Diff(initial, final), true
	return p
}

// WithVerdict sets p's findings, goals and success from a verdict.
func (p Play) WithVerdict(v judges.Verdict) Play {
	ok := v.Success
	p.Findings, p.Goals, p.Success = v.Findings, v.Goals, &ok
	return p
}

// FromSteps builds the conversation of a played session from its steps
// (as the arena records them), in order.
func FromSteps(id string, steps []judges.Step) transcript.Conversation {
	msgs := make([]transcript.Message, len(steps))
	for i, s := range steps {
		msgs[i] = s.Message
	}
	return transcript.Conversation{ID: id, Messages: msgs}
}

// turn is one merchant turn of a conversation: the merchant message and
// what the assistant did until the next one.
type turn struct {
	merchant string
	calls    []Call
	replies  []string
}

func (t *turn) replied() bool { return len(t.replies) > 0 }

func (t *turn) reply() string { return strings.Join(t.replies, "\n\n") }

// turns splits msgs by merchant message: turns[i] is merchant turn i+1.
// What came before the first merchant message (a system prompt, a
// greeting) belongs to turn 1. Each call carries its result, linked by tool_call_id
// (the oldest unanswered call with that ID), and, in known, the text of
// the conversation before that result, which dependsOn reads.
func turns(msgs []transcript.Message) []turn {
	out := []turn{{}}
	type ref struct{ turn, call int }
	pending := map[string][]ref{}
	var seen strings.Builder
	merchants := 0
	for _, m := range msgs {
		cur := &out[len(out)-1]
		switch m.Role {
		case transcript.RoleUser:
			if merchants > 0 {
				out = append(out, turn{})
			}
			out[len(out)-1].merchant = m.Content
			merchants++
		case transcript.RoleAssistant:
			if strings.TrimSpace(m.Content) != "" {
				cur.replies = append(cur.replies, m.Content)
			}
			for _, tc := range m.ToolCalls {
				pending[tc.ID] = append(pending[tc.ID], ref{len(out) - 1, len(cur.calls)})
				cur.calls = append(cur.calls, newCall(tc))
			}
		case transcript.RoleTool:
			if q := pending[m.ToolCallID]; len(q) > 0 {
				c := &out[q[0].turn].calls[q[0].call]
				c.Result, c.Error, c.knownEnd = m.Content, m.Error, seen.Len()
				pending[m.ToolCallID] = q[1:]
			}
		}
		seen.WriteString(m.Content)
		seen.WriteByte('\n')
		for _, tc := range m.ToolCalls {
			seen.WriteString(tc.Function.Arguments)
			seen.WriteByte('\n')
		}
	}
	// Substrings of one text: no copy per call.
	all := seen.String()
	for i := range out {
		for j := range out[i].calls {
			out[i].calls[j].known = all[:out[i].calls[j].knownEnd]
		}
	}
	return out
}
