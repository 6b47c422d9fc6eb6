package candidates

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"
)

// Client plays turns against builds over NATS. It is safe for concurrent
// use.
type Client struct {
	nc *nats.Conn
}

// NewClient returns a Client that sends turns over nc.
func NewClient(nc *nats.Conn) *Client {
	return &Client{nc: nc}
}

// Turn sends req to the build answering on subject (Info.Subject, or
// natsbus.CandidateTurn(name, version)) and waits for its reply. When ctx has no
// deadline, DefaultTurnTimeout applies; when req.TimeoutMS is zero, the
// request sent carries the time left until the deadline (req itself is not
// changed).
//
// Errors, each wrapped with the subject:
//   - ErrPayloadTooLarge: the request exceeds the server's max payload and
//     was not sent, or the build's reply would (then with a *BuildError of
//     CodeTooLarge).
//   - ErrBuildDown: no replica listens.
//   - ErrTimeout, which also matches context.DeadlineExceeded: the deadline
//     passed on the caller's clock, or on the build's (then with a
//     *BuildError of CodeTimeout).
//   - *BuildError: the build answered with a micro error, or with a reply
//     whose Error is set, in which case the reply is returned too.
func (c *Client) Turn(ctx context.Context, subject string, req *TurnRequest) (*TurnReply, error) {
	ctx, cancel := withDefaultTimeout(ctx)
	defer cancel()
	data, err := c.encode(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("turn %s: %w", subject, err)
	}
	msg, err := c.nc.RequestWithContext(ctx, subject, data)
	if err != nil {
		return nil, fmt.Errorf("turn %s: %w", subject, requestError(err))
	}
	reply, err := decodeReply(msg)
	if err != nil {
		return reply, fmt.Errorf("turn %s: %w", subject, err)
	}
	return reply, nil
}

// withDefaultTimeout adds DefaultTurnTimeout to a ctx without a deadline, so
// a turn never waits forever.
func withDefaultTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, DefaultTurnTimeout)
}

// encode marshals the request, filling in TimeoutMS from ctx, and refuses
// one the server would not carry.
func (c *Client) encode(ctx context.Context, req *TurnRequest) ([]byte, error) {
	r := *req
	if deadline, ok := ctx.Deadline(); ok && r.TimeoutMS == 0 {
		// At least 1 ms: 0 would mean "no timeout" to the build.
		r.TimeoutMS = max(time.Until(deadline).Milliseconds(), 1)
	}
	data, err := json.Marshal(&r)
	if err != nil {
		return nil, fmt.Errorf("encode request: %w", err)
	}
	if limit := c.nc.MaxPayload(); int64(len(data)) > limit {
		return nil, fmt.Errorf("%w: request is %d bytes, the server's max payload is %d",
			ErrPayloadTooLarge, len(data), limit)
	}
	return data, nil
}

// requestError maps the transport's errors to the package's sentinels.
func requestError(err error) error {
	switch {
	case errors.Is(err, nats.ErrNoResponders):
		return fmt.Errorf("%w (%w)", ErrBuildDown, err)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, nats.ErrTimeout):
		return fmt.Errorf("%w (%w)", ErrTimeout, context.DeadlineExceeded)
	case errors.Is(err, nats.ErrMaxPayload):
		return fmt.Errorf("%w (%w)", ErrPayloadTooLarge, err)
	}
	return err
}

// decodeReply reads a build's answer: micro error headers first, since a
// micro error arrives as a normal message.
func decodeReply(msg *nats.Msg) (*TurnReply, error) {
	if code := msg.Header.Get(micro.ErrorCodeHeader); code != "" {
		be := &BuildError{Code: code, Description: msg.Header.Get(micro.ErrorHeader)}
		switch code {
		case CodeTimeout:
			// The build's clock ran out a moment before the caller's.
			return nil, fmt.Errorf("%w (%w): %w", ErrTimeout, context.DeadlineExceeded, be)
		case CodeTooLarge:
			return nil, fmt.Errorf("%w: %w", ErrPayloadTooLarge, be)
		}
		return nil, be
	}
	var reply TurnReply
	if err := json.Unmarshal(msg.Data, &reply); err != nil {
		return nil, fmt.Errorf("decode reply: %w", err)
	}
	if reply.Error != "" {
		return &reply, &BuildError{Description: reply.Error}
	}
	return &reply, nil
}
