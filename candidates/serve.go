package candidates

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/natsbus"
)

// DefaultTurnTimeout bounds a turn whose request carries no TimeoutMS, and a
// Client.Turn whose ctx has no deadline.
const DefaultTurnTimeout = 2 * time.Minute

// maxDescription caps an error description sent in a header; a panic value
// or a wrapped model error can be arbitrarily long.
const maxDescription = 2048

// Log keys.
const (
	logBuild   = "build"
	logSession = "session"
	logTurn    = "turn"
	logCode    = "code"
	logError   = "error"
	logStack   = "stack"
)

// Service is one served replica of a build.
type Service struct {
	b     Build
	nc    *nats.Conn
	svc   micro.Service
	slots chan struct{} // one token per turn running; cap MaxConcurrent

	// ctx is the parent of every turn's ctx. It ends when the connection
	// closes under the service, since no reply could be sent any more.
	ctx      context.Context
	cancel   context.CancelFunc
	stopping atomic.Bool

	mu       sync.Mutex
	inflight int // requests received and not answered yet
	idle     *sync.Cond
}

// Serve registers b as a micro service on nc and starts answering turns on
// natsbus.CandidateTurn(b.Name, b.Version); when it returns, the server routes turns to
// it. Every replica of a build calls Serve with
// the same Name and Version; they share a queue group. Serve fails with
// ErrInvalidBuild naming the field when Name is not a valid name, Version is
// not semver, Handler is nil, MaxConcurrent is negative or Metadata sets
// arena.kind.
func Serve(nc *nats.Conn, b Build) (*Service, error) {
	if nc == nil {
		return nil, errors.New("serve build: no NATS connection")
	}
	b, err := b.validate()
	if err != nil {
		return nil, fmt.Errorf("serve build: %w", err)
	}
	s := &Service{b: b, nc: nc, slots: make(chan struct{}, b.MaxConcurrent)}
	s.idle = sync.NewCond(&s.mu)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if err := s.register(); err != nil {
		s.cancel()
		return nil, fmt.Errorf("serve build %s: %w", b.Name, err)
	}
	return s, nil
}

// register adds the micro service and its turn endpoint.
func (s *Service) register() error {
	svc, err := micro.AddService(s.nc, micro.Config{
		Name:         s.b.Name,
		Version:      s.b.Version,
		Description:  s.b.Description,
		Metadata:     s.b.Metadata,
		DoneHandler:  s.done,
		ErrorHandler: s.asyncError,
	})
	if err != nil {
		return err
	}
	g := svc.AddGroup(natsbus.CandidateGroup(s.b.Name, s.b.Version), micro.WithGroupQueueGroup(natsbus.CandidateQueue(s.b.Name, s.b.Version)))
	if err := g.AddEndpoint(natsbus.TurnEndpoint, micro.HandlerFunc(s.handle)); err != nil {
		return errors.Join(fmt.Errorf("add turn endpoint: %w", err), svc.Stop())
	}
	// Subscriptions reach the server asynchronously; without the round trip
	// a turn sent from another connection right after Serve could find no
	// responder.
	if err := s.nc.Flush(); err != nil {
		return errors.Join(fmt.Errorf("flush: %w", err), svc.Stop())
	}
	s.svc = svc
	return nil
}

// Info describes this replica as Discover would, with Replicas 1. After
// Stop it has no Subject.
func (s *Service) Info() Info {
	return infoFrom(s.svc.Info())
}

// Stop drains the service: it stops taking turns, answers the ones already
// received (each still bounded by its own timeout) and returns once they are
// answered. Calling it again does nothing.
func (s *Service) Stop() error {
	s.stopping.Store(true)
	err := s.svc.Stop()
	if err != nil {
		err = fmt.Errorf("stop build %s: %w", s.b.Name, err)
	}
	// The drain has sent the unsubscribe. After a flush round trip every
	// request the server routed here before it has arrived, and the drain
	// hands each to handle, which counts it in flight first thing. (A request
	// dequeued in the very instant waitIdle sees zero is answered after Stop
	// returns: micro gives no way to watch the drain end.)
	if ferr := s.nc.Flush(); ferr != nil && !errors.Is(ferr, nats.ErrConnectionClosed) {
		err = errors.Join(err, fmt.Errorf("stop build %s: flush: %w", s.b.Name, ferr))
	}
	s.waitIdle()
	s.cancel()
	return err
}

// asyncError reports subscription trouble, such as a slow consumer, that
// only the operator can act on.
func (s *Service) asyncError(_ micro.Service, err *micro.NATSError) {
	s.b.Logger.Warn("build service error", logBuild, s.b.Name, logError, err)
}

// done runs when micro stops the service. Unless Stop asked for it, the
// connection closed: end every turn, since none could answer.
func (s *Service) done(micro.Service) {
	if !s.stopping.Load() {
		s.cancel()
	}
}

func (s *Service) begin() {
	s.mu.Lock()
	s.inflight++
	s.mu.Unlock()
}

func (s *Service) end() {
	s.mu.Lock()
	s.inflight--
	if s.inflight == 0 {
		s.idle.Broadcast()
	}
	s.mu.Unlock()
}

func (s *Service) waitIdle() {
	s.mu.Lock()
	for s.inflight > 0 {
		s.idle.Wait()
	}
	s.mu.Unlock()
}

// turnTimeout is how long a turn may run: what the request says, or the
// default when it says nothing.
func turnTimeout(r *TurnRequest) time.Duration {
	if r.TimeoutMS <= 0 {
		return DefaultTurnTimeout
	}
	return r.Timeout()
}

// cleanDescription makes text fit a NATS header value: one line, bounded.
func cleanDescription(text string) string {
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > maxDescription {
		cut := maxDescription
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	if text == "" {
		text = "unknown error"
	}
	return text
}
