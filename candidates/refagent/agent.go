package refagent

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/transcript"
)

// errorPrefix marks a refused call's result for the model: the chat shape
// has no error flag on tool messages, so the flag is spelled out.
const errorPrefix = "Error: "

// emptyReply stands in for a final model reply with neither text nor tool
// calls, so that the merchant is never answered with nothing.
const emptyReply = "Sorry, I don't have an answer for that. Could you tell me a bit more about what you need?"

// agent is the tool-using loop both builds share.
type agent struct {
	client   Completer
	model    string
	mode     mode
	maxSteps int
}

var _ candidates.Handler = (*agent)(nil)

// loop is one turn in progress.
type loop struct {
	t      *candidates.Turn
	system transcript.Message
	tools  []transcript.Tool
	reply  candidates.TurnReply
}

// Turn plays one assistant turn: it asks the model, runs the tool calls
// the model makes, feeds the results back, and stops at the first reply
// without tool calls or after maxSteps model calls. A model error or the
// turn's deadline fails the turn; a refused tool call goes back to the
// model.
func (a *agent) Turn(ctx context.Context, t *candidates.Turn) (*candidates.TurnReply, error) {
	tools, err := sessionTools(ctx, t)
	if err != nil {
		return nil, err
	}
	l := &loop{
		t:      t,
		system: transcript.Message{Role: transcript.RoleSystem, Content: systemPrompt(a.mode, t.Context)},
		tools:  tools,
	}
	for step := 1; step <= a.maxSteps; step++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("before model call %d: %w", step, err)
		}
		msg, err := a.ask(ctx, l)
		if err != nil {
			return nil, fmt.Errorf("model call %d of at most %d: %w", step, a.maxSteps, err)
		}
		if len(msg.ToolCalls) == 0 {
			if strings.TrimSpace(msg.Content) == "" {
				msg.Content = emptyReply
			}
			l.reply.Messages = append(l.reply.Messages, msg)
			return &l.reply, nil
		}
		nameCalls(&msg, t.Turn, step)
		l.reply.Messages = append(l.reply.Messages, msg)
		a.run(ctx, l, msg.ToolCalls)
	}
	l.reply.Messages = append(l.reply.Messages, transcript.Message{
		Role: transcript.RoleAssistant, Content: stepLimitReply(a.maxSteps)})
	return &l.reply, nil
}

// sessionTools fetches the sandbox's tool schemas. A request without a
// sandbox is answered without tools rather than failed: the model can
// still talk.
func sessionTools(ctx context.Context, t *candidates.Turn) ([]transcript.Tool, error) {
	tools, err := t.Tools(ctx)
	if errors.Is(err, candidates.ErrNoSandbox) {
		return nil, nil
	}
	return tools, err
}

// ask sends the conversation so far and returns the assistant's message,
// adding its tokens to the turn's usage.
func (a *agent) ask(ctx context.Context, l *loop) (transcript.Message, error) {
	msgs := make([]transcript.Message, 0, 1+len(l.t.Messages)+len(l.reply.Messages))
	msgs = append(msgs, l.system)
	msgs = appendView(msgs, l.t.Messages)
	msgs = appendView(msgs, l.reply.Messages)
	resp, err := a.client.Complete(ctx, llm.Request{
		Role:        llm.RoleAgent,
		Model:       a.model,
		Messages:    msgs,
		Tools:       l.tools,
		Temperature: llm.Temperature(0),
		// Trials of a build must stay independent draws.
		Cache:   llm.CacheOff,
		Session: l.t.Session,
	})
	if err != nil {
		return transcript.Message{}, err
	}
	l.reply.Usage.PromptTokens += resp.Usage.PromptTokens
	l.reply.Usage.CompletionTokens += resp.Usage.CompletionTokens
	msg := resp.Message
	msg.Role = transcript.RoleAssistant
	return msg, nil
}

// run makes the calls in order through the sandbox and appends their
// results, with guidance when the build is jit.
func (a *agent) run(ctx context.Context, l *loop, calls []transcript.ToolCall) {
	for _, c := range calls {
		res := l.t.CallTool(ctx, c)
		if a.mode == modeJIT {
			res = attach(res, l.t.Context, shownIn(l.t.Messages, l.reply.Messages))
		}
		l.reply.Messages = append(l.reply.Messages, res)
	}
}

// appendView appends msgs as the model should read them: a refused call's
// result starts with errorPrefix.
func appendView(dst, msgs []transcript.Message) []transcript.Message {
	for _, m := range msgs {
		if m.Role == transcript.RoleTool && m.Error && !strings.HasPrefix(m.Content, errorPrefix) {
			m.Content = errorPrefix + m.Content
		}
		dst = append(dst, m)
	}
	return dst
}

// nameCalls gives every call an ID and a type. Some OpenAI-compatible
// servers leave the ID out, and a result must name the call it answers.
func nameCalls(msg *transcript.Message, turn, step int) {
	calls := make([]transcript.ToolCall, len(msg.ToolCalls))
	for i, c := range msg.ToolCalls {
		if c.ID == "" {
			c.ID = fmt.Sprintf("call_t%d_s%d_%d", turn, step, i+1)
		}
		if c.Type == "" {
			c.Type = "function"
		}
		calls[i] = c
	}
	msg.ToolCalls = calls
}

// stepLimitReply is the turn's last word when the model kept calling
// tools: polite, and claiming nothing beyond the calls above it.
func stepLimitReply(steps int) string {
	return fmt.Sprintf("I'm sorry, I couldn't finish this within the %d steps I'm allowed for one reply. "+
		"The tool calls above are everything I did, so nothing else has changed. "+
		"Would you like me to carry on, or to try a narrower request?", steps)
}
