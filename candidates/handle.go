package candidates

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/transcript"
)

// panicError is a handler's panic, kept with its stack for the log.
type panicError struct {
	value any
	stack []byte
}

func (e *panicError) Error() string { return fmt.Sprintf("build panicked: %v", e.value) }

// handle receives one turn request on micro's subscription goroutine. It
// decodes the request, waits for a free slot and hands the turn to a
// goroutine, because a micro endpoint serves one request at a time and
// sessions must not queue behind each other. Waiting for a slot blocks the
// subscription, which is the backpressure MaxConcurrent asks for.
func (s *Service) handle(req micro.Request) {
	s.begin()
	reply := req.Reply()
	if reply == "" {
		// Published, not requested: nobody waits for the turn, and playing
		// it would still touch the sandbox.
		s.b.Logger.Debug("drop turn without reply subject", logBuild, s.b.Name)
		s.end()
		return
	}
	var tr TurnRequest
	if err := json.Unmarshal(req.Data(), &tr); err != nil {
		s.refuse(req, CodeBadRequest, "decode turn request: "+err.Error())
		s.end()
		return
	}
	// The deadline counts from arrival, so time spent waiting for a slot
	// comes out of the turn's budget, as it does for the caller.
	ctx, cancel := context.WithTimeout(s.ctx, turnTimeout(&tr))
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		cancel()
		s.refuse(req, CodeBusy, fmt.Sprintf("build busy: no free slot of %d within %v", cap(s.slots), turnTimeout(&tr)))
		s.end()
		return
	}
	// micro's request is not safe to answer from another goroutine (its
	// wrapper reads the request's error state once handle returns), so the
	// turn answers on the reply subject directly.
	go func() {
		defer s.end()
		defer func() { <-s.slots }()
		defer cancel()
		out, err := s.play(ctx, &tr)
		s.answer(ctx, reply, &tr, out, err)
	}()
}

// refuse answers a request before it reaches the handler.
func (s *Service) refuse(req micro.Request, code, description string) {
	if err := req.Error(code, cleanDescription(description), nil); err != nil {
		s.b.Logger.Warn("refuse turn", logBuild, s.b.Name, logCode, code, logError, err)
	}
}

// play runs the handler, turning a panic into an error so that a crashing
// build fails its session and never the process.
func (s *Service) play(ctx context.Context, tr *TurnRequest) (reply *TurnReply, err error) {
	defer func() {
		if v := recover(); v != nil {
			reply, err = nil, &panicError{value: v, stack: debug.Stack()}
		}
	}()
	reply, err = s.b.Handler.Turn(ctx, NewTurn(s.nc, *tr))
	if err == nil && reply == nil {
		err = errors.New("handler returned neither a reply nor an error")
	}
	return reply, err
}

// answer sends the handler's outcome to the caller: the reply JSON, or a
// micro error when the handler failed or the reply cannot be sent.
func (s *Service) answer(ctx context.Context, subject string, tr *TurnRequest, reply *TurnReply, err error) {
	var data []byte
	if err == nil {
		data, err = s.encode(reply)
	}
	if err == nil {
		s.publish(subject, data, nil)
		return
	}
	be := failure(ctx, tr, err)
	attrs := []any{logBuild, s.b.Name, logSession, tr.Session, logTurn, tr.Turn, logCode, be.Code, logError, err}
	if pe := (*panicError)(nil); errors.As(err, &pe) {
		// The stack only helps the build's authors; a run that plays a
		// crashing build on purpose would drown in it.
		s.b.Logger.Error("build panicked", attrs...)
		s.b.Logger.Debug("build panic stack", logBuild, s.b.Name, logStack, string(pe.stack))
	} else {
		s.b.Logger.Warn("turn failed", attrs...)
	}
	s.publish(subject, nil, be)
}

// failure words a failed turn for the caller. A handler's *BuildError keeps
// its code and wording; a failure after the turn's deadline is CodeTimeout,
// so the caller sees ErrTimeout whichever of the two deadlines fires first.
func failure(ctx context.Context, tr *TurnRequest, err error) *BuildError {
	if be := (*BuildError)(nil); errors.As(err, &be) {
		return &BuildError{Code: cmp.Or(be.Code, CodeFailed), Description: be.Description}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &BuildError{Code: CodeTimeout, Description: fmt.Sprintf(
			"turn deadline of %v passed: %v", turnTimeout(tr), err)}
	}
	return &BuildError{Code: CodeFailed, Description: err.Error()}
}

// encode marshals a reply and refuses one the server would not carry.
func (s *Service) encode(reply *TurnReply) ([]byte, error) {
	out := *reply
	if out.Messages == nil {
		// Callers in other languages read [] better than null.
		out.Messages = []transcript.Message{}
	}
	data, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode reply: %w", err)
	}
	if limit := s.nc.MaxPayload(); int64(len(data)) > limit {
		return nil, &BuildError{Code: CodeTooLarge, Description: fmt.Sprintf(
			"%v: reply is %d bytes, the server's max payload is %d", ErrPayloadTooLarge, len(data), limit)}
	}
	return data, nil
}

// publish sends a reply, or the micro error headers when be is set.
func (s *Service) publish(subject string, data []byte, be *BuildError) {
	msg := &nats.Msg{Subject: subject, Data: data}
	if be != nil {
		msg.Header = nats.Header{
			micro.ErrorHeader:     []string{cleanDescription(be.Description)},
			micro.ErrorCodeHeader: []string{be.Code},
		}
	}
	if err := s.nc.PublishMsg(msg); err != nil {
		s.b.Logger.Warn("send turn reply", logBuild, s.b.Name, logError, err)
	}
}
