package personas

import (
	"strings"

	"github.com/merchantarena/merchantarena/transcript"
)

// Both extractors cut a conversation the same way: each goal owns what the
// logged assistant did from the merchant turn that asks for it until the
// next goal's turn, or until the merchant signs off. The extractors differ
// only in which turns open goals: the heuristic decides by rule, the LLM
// extractor takes the model's word. Everything copied from the log (actions
// and outputs) comes from here, so neither extractor can invent it.

// merchantTurn is one merchant message and what the assistant said just
// before it.
type merchantTurn struct {
	Turn int // 1-based
	Text string
	// Asked is the assistant's last text since the previous merchant turn.
	Asked string
}

// merchantTurns lists the merchant messages of c in order.
func merchantTurns(c transcript.Conversation) []merchantTurn {
	var out []merchantTurn
	asked := ""
	for _, m := range c.Messages {
		switch {
		case m.Role == transcript.RoleUser:
			out = append(out, merchantTurn{Turn: len(out) + 1, Text: m.Content, Asked: asked})
			asked = ""
		case m.Role == transcript.RoleAssistant && m.Content != "":
			asked = m.Content
		}
	}
	return out
}

// answers reports whether the merchant's message answers the assistant's
// question, which makes it a fact rather than a new request.
func (t merchantTurn) answers() bool { return asksQuestion(t.Asked) }

// signsOff reports whether the message ends the current goal without
// asking for anything: a thank-you that answers no question.
func (t merchantTurn) signsOff() bool { return !t.answers() && isSignOff(t.Text) }

// span is what the logged assistant did for one goal.
type span struct {
	actions   []Action
	results   []string // successful tool results, in order
	lastReply string   // the assistant's last text
}

// outputs are the facts from the span's tool results its last reply passed
// on.
func (s span) outputs() []string { return outputs(s.lastReply, s.results) }

// spans cuts c into one span per goal. starts are the goals' merchant
// turns, increasing; a goal's span runs until the next start or the first
// turn in ends after it, whichever comes first. A courtesy reply to a
// sign-off must not become a goal's last reply and wipe its outputs, hence
// ends.
func spans(c transcript.Conversation, starts []int, ends map[int]bool) []span {
	out := make([]span, len(starts))
	for i := range out {
		out[i].actions = []Action{}
	}
	at := map[int]int{}
	for i, t := range starts {
		at[t] = i
	}
	cur, turn := -1, 0
	for _, m := range c.Messages {
		switch m.Role {
		case transcript.RoleUser:
			turn++
			if i, ok := at[turn]; ok {
				cur = i
			} else if ends[turn] {
				cur = -1
			}
		case transcript.RoleAssistant:
			if cur >= 0 {
				out[cur].addAssistant(m)
			}
		case transcript.RoleTool:
			if cur >= 0 && !m.Error {
				out[cur].results = append(out[cur].results, m.Content)
			}
		}
	}
	return out
}

func (s *span) addAssistant(m transcript.Message) {
	if m.Content != "" {
		s.lastReply = m.Content
	}
	for _, tc := range m.ToolCalls {
		s.actions = append(s.actions, Action{Tool: tc.Function.Name, Arguments: transcript.RawJSON(tc.Function.Arguments)})
	}
}

// asksQuestion reports whether an assistant message ends by asking the
// merchant something, so the merchant's next message answers it.
func asksQuestion(text string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return false
	}
	paras := strings.Split(text, "\n")
	last := strings.TrimSpace(paras[len(paras)-1])
	return strings.HasSuffix(last, "?") && !isOffer(last)
}

// isOffer is an assistant's closing courtesy ("Anything else I can help
// with?"), which the merchant's next message does not answer.
func isOffer(s string) bool {
	s = strings.ToLower(s)
	for _, p := range []string{"anything else", "something else", "help with anything", "else i can"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func isSignOff(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	if len(t) > 80 || strings.Contains(t, "?") {
		return false
	}
	for _, p := range []string{"thanks", "thank you", "that's all", "that is all", "bye", "perfect", "great, that", "all set"} {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
}
