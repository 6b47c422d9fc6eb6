package candidates

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// Turn is what a Handler gets: the request, plus access to the session's
// tools through its sandbox. Every call goes through the sandbox service, so
// the judges see what the build really did.
type Turn struct {
	TurnRequest
	sandbox *sandbox.Client // nil when the request names no sandbox
}

// NewTurn returns the Turn that Serve would hand a Handler for req, with tool
// calls going over nc. Builds use it to test a Handler without serving it.
func NewTurn(nc *nats.Conn, req TurnRequest) *Turn {
	t := &Turn{TurnRequest: req}
	if req.Sandbox.Subject != "" {
		t.sandbox = sandbox.NewClient(nc, req.Sandbox.Subject, req.Sandbox.Token)
	}
	return t
}

// CallTool runs one tool call in the session's sandbox and returns the tool
// result message for it: Content is the result JSON, or, when the sandbox
// refuses the call or cannot be reached, the reason with Error set. Either
// way the message can go back to a model, which is how an agent loop learns
// from its mistakes, so CallTool returns no error.
func (t *Turn) CallTool(ctx context.Context, call transcript.ToolCall) transcript.Message {
	msg := transcript.Message{Role: transcript.RoleTool, ToolCallID: call.ID, Name: call.Function.Name}
	res, err := t.call(ctx, call)
	var te *sandbox.ToolError
	switch {
	case errors.As(err, &te):
		msg.Content, msg.Error = te.Message, true
	case err != nil:
		msg.Content, msg.Error = err.Error(), true
	default:
		msg.Content = string(res)
	}
	return msg
}

func (t *Turn) call(ctx context.Context, call transcript.ToolCall) (json.RawMessage, error) {
	if t.sandbox == nil {
		return nil, ErrNoSandbox
	}
	args := json.RawMessage(call.Function.Arguments)
	if strings.TrimSpace(call.Function.Arguments) == "" {
		// OpenAI sends "" for a call without arguments.
		args = json.RawMessage("{}")
	}
	if !json.Valid(args) {
		return nil, fmt.Errorf("arguments of %s are not valid JSON: %.200q", call.Function.Name, call.Function.Arguments)
	}
	// The sandbox client's errors already name the tool.
	return t.sandbox.Call(ctx, call.ID, call.Function.Name, args)
}

// Tools returns the session's tool declarations in the OpenAI shape, ready
// to hand to a model.
func (t *Turn) Tools(ctx context.Context) ([]transcript.Tool, error) {
	if t.sandbox == nil {
		return nil, ErrNoSandbox
	}
	tools, err := t.sandbox.Tools(ctx)
	if err != nil {
		return nil, fmt.Errorf("list tools: %w", err)
	}
	return tools, nil
}
