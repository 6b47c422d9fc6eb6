package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/transcript"
)

// DefaultTimeout bounds a client request whose context has no deadline.
const DefaultTimeout = 30 * time.Second

// Client calls tools in one sandbox session over NATS. It is safe for
// concurrent use, though the sandbox runs a session's calls one at a time.
type Client struct {
	nc      *nats.Conn
	subject string
	token   string
}

// NewClient returns a client for the session with token, whose sandbox
// listens on subject (Service.Subject; candidates get both in the turn
// request).
func NewClient(nc *nats.Conn, subject, token string) *Client {
	return &Client{nc: nc, subject: subject, token: token}
}

// Call runs tool with JSON args. A refusal by the sandbox is returned as a
// bare *ToolError carrying the code and the message the agent should read;
// other errors are transport failures (no sandbox, timeout).
func (c *Client) Call(ctx context.Context, callID, tool string, args json.RawMessage) (json.RawMessage, error) {
	body, err := json.Marshal(CallRequest{Token: c.token, CallID: callID, Tool: tool, Arguments: args})
	if err != nil {
		return nil, fmt.Errorf("sandbox call %s: arguments are not JSON: %w", tool, err)
	}
	msg, err := c.request(ctx, c.subject, body)
	var te *ToolError
	if errors.As(err, &te) {
		return nil, te // unwrapped: its message is what the agent reads
	}
	if err != nil {
		return nil, fmt.Errorf("sandbox call %s: %w", tool, err)
	}
	return msg.Data, nil
}

// Tools fetches the tool declarations of the client's session: the
// sandbox's own, or a recorded session's (Service.OpenRecorded).
func (c *Client) Tools(ctx context.Context) ([]transcript.Tool, error) {
	subject, err := toolsSubject(c.subject)
	if err != nil {
		return nil, fmt.Errorf("sandbox tools: %w", err)
	}
	// The token says which session's tools; a string always encodes.
	body, _ := json.Marshal(CallRequest{Token: c.token})
	msg, err := c.request(ctx, subject, body)
	if err != nil {
		return nil, fmt.Errorf("sandbox tools: %w", err)
	}
	var tools []transcript.Tool
	if err := json.Unmarshal(msg.Data, &tools); err != nil {
		return nil, fmt.Errorf("sandbox tools: decode reply: %w", err)
	}
	return tools, nil
}

// request sends one request, adding DefaultTimeout when ctx has no
// deadline, and turns micro error headers into a *ToolError: nats.go
// reports those replies as successes.
func (c *Client) request(ctx context.Context, subject string, body []byte) (*nats.Msg, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}
	msg, err := c.nc.RequestMsgWithContext(ctx, &nats.Msg{Subject: subject, Data: body})
	if errors.Is(err, nats.ErrNoResponders) {
		return nil, fmt.Errorf("no sandbox answers on %s: %w", subject, err)
	}
	if err != nil {
		return nil, err
	}
	if code := msg.Header.Get(micro.ErrorCodeHeader); code != "" {
		return nil, &ToolError{Code: code, Message: msg.Header.Get(micro.ErrorHeader)}
	}
	return msg, nil
}

// toolsSubject finds the tools endpoint of the sandbox whose call endpoint
// is callSubject, using natsbus to spell both.
func toolsSubject(callSubject string) (string, error) {
	prefix := natsbus.SandboxGroup("")
	instance, ok := strings.CutSuffix(strings.TrimPrefix(callSubject, prefix), "."+natsbus.CallEndpoint)
	if !ok || !strings.HasPrefix(callSubject, prefix) || natsbus.SandboxCall(instance) != callSubject {
		return "", fmt.Errorf("%s is not a sandbox call subject", callSubject)
	}
	return natsbus.SandboxTools(instance), nil
}
