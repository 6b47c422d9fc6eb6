package mutants

import (
	"context"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/transcript"
)

// lostReply is what every build says when a session left the logs behind.
const lostReply = "I'm not sure I follow. Could you tell me what you would like to do in your store?"

// defect is how a mutant departs from the logged assistant. The zero
// defect is golden.
type defect struct {
	// before runs first on every turn (crash, stall).
	before func(ctx context.Context, t *candidates.Turn, s *script, k int)
	// decline replaces the whole turn with one message.
	decline string
	// noTools skips every tool call but keeps the replies.
	noTools bool
	// args rewrites a call's JSON arguments.
	args func(tool, args string) string
	// text rewrites a reply after it was retold.
	text func(string) string
}

// player replays logged assistant turns with a defect.
type player struct {
	lib *Library
	d   defect
}

var _ candidates.Handler = (*player)(nil)

// Turn plays the logged assistant's answer to the session's latest
// merchant message, calling each logged tool through the sandbox.
func (p *player) Turn(ctx context.Context, t *candidates.Turn) (*candidates.TurnReply, error) {
	s, k, ok := p.lib.find(t.Messages)
	if !ok {
		return reply(say(lostReply)), nil
	}
	if p.d.before != nil {
		p.d.before(ctx, t, s, k)
	}
	if p.d.decline != "" {
		return reply(say(p.d.decline)), nil
	}
	var out []transcript.Message
	r := newRetell()
	for _, m := range s.segments[k] {
		if len(m.ToolCalls) > 0 && !p.d.noTools {
			out = append(out, p.callTools(ctx, t, s, m, r)...)
			continue
		}
		if m.Content != "" {
			out = append(out, say(p.rewrite(r.apply(m.Content))))
		}
	}
	if len(out) == 0 {
		out = append(out, say(lostReply))
	}
	return reply(out...), nil
}

// callTools replays one assistant message's tool calls (with the defect's
// argument rewrite) and returns it followed by the real results.
func (p *player) callTools(ctx context.Context, t *candidates.Turn, s *script, m transcript.Message, r *retell) []transcript.Message {
	asked := transcript.Message{Role: transcript.RoleAssistant, Content: m.Content}
	for _, c := range m.ToolCalls {
		if p.d.args != nil {
			c.Function.Arguments = p.d.args(c.Function.Name, c.Function.Arguments)
		}
		asked.ToolCalls = append(asked.ToolCalls, c)
	}
	out := []transcript.Message{asked}
	for _, c := range asked.ToolCalls {
		res := t.CallTool(ctx, c)
		r.learn(s.results[c.ID], res.Content)
		out = append(out, res)
	}
	return out
}

func (p *player) rewrite(text string) string {
	if p.d.text != nil {
		return p.d.text(text)
	}
	return text
}

func say(text string) transcript.Message {
	return transcript.Message{Role: transcript.RoleAssistant, Content: text}
}

func reply(msgs ...transcript.Message) *candidates.TurnReply {
	return &candidates.TurnReply{Messages: msgs}
}
