package sandbox

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/natsbus"
)

// ServiceName and ServiceVersion identify the sandbox in micro discovery.
const (
	ServiceName    = "arena-sandbox"
	ServiceVersion = "0.1.0"
)

// Service serves sandbox sessions over NATS: a micro service with a call
// endpoint (run one tool call in one session) and a tools endpoint (the
// tool declarations). Build it with NewService, adjust the fields, then
// Start.
//
// Calls of one session run one at a time, in arrival order; calls of
// different sessions run concurrently, at most Workers at once.
type Service struct {
	// Instance names this sandbox; its subjects are natsbus.SandboxGroup(Instance).
	// Default: "sbx-" and eight random letters and digits.
	Instance string
	// Fixture returns the store each new session starts from. Default: Fixture.
	Fixture func() *Store
	// Logger gets failures and, at debug level, every call. Default: slog.Default().
	Logger *slog.Logger
	// Workers bounds how many calls run at once. Default: 4 × GOMAXPROCS.
	Workers int

	nc  *nats.Conn
	svc micro.Service
	sem chan struct{}
	wg  sync.WaitGroup

	baseOnce  sync.Once
	baseStore *Store

	mu       sync.Mutex
	sessions map[string]*Session // by token
	stopped  bool
}

// NewService returns an unstarted service on nc with the defaults above.
func NewService(nc *nats.Conn) *Service {
	return &Service{
		Instance: "sbx-" + strings.ToLower(rand.Text()[:8]),
		Fixture:  Fixture,
		Logger:   slog.Default(),
		Workers:  4 * runtime.GOMAXPROCS(0),
		nc:       nc,
		sessions: map[string]*Session{},
	}
}

// base is the store sessions start from: Fixture's, made once.
func (s *Service) base() *Store {
	s.baseOnce.Do(func() { s.baseStore = s.Fixture() })
	return s.baseStore
}

// Subject is the subject of the call endpoint, which clients send
// CallRequests to.
func (s *Service) Subject() string { return natsbus.SandboxCall(s.Instance) }

// Start registers the micro service and its endpoints, and returns once
// the server routes requests to them.
func (s *Service) Start() error {
	if err := natsbus.CheckName(s.Instance); err != nil {
		return fmt.Errorf("start sandbox: instance: %w", err)
	}
	if s.svc != nil {
		return errors.New("start sandbox: already started")
	}
	s.sem = make(chan struct{}, max(1, s.Workers))
	svc, err := micro.AddService(s.nc, micro.Config{
		Name:        ServiceName,
		Version:     ServiceVersion,
		Description: "Merchant Arena store sandbox: tool calls per session",
		Metadata:    map[string]string{natsbus.MetaKind: natsbus.KindSandbox, "instance": s.Instance},
	})
	if err != nil {
		return fmt.Errorf("start sandbox %s: %w", s.Instance, err)
	}
	g := svc.AddGroup(natsbus.SandboxGroup(s.Instance))
	err = errors.Join(
		g.AddEndpoint(natsbus.CallEndpoint, micro.HandlerFunc(s.handleCall)),
		g.AddEndpoint(natsbus.ToolsEndpoint, micro.HandlerFunc(s.handleTools)),
	)
	if err == nil {
		// Until the server has the subscriptions, requests from other
		// connections find no responders; a round trip makes sure.
		err = s.nc.Flush()
	}
	if err != nil {
		return errors.Join(fmt.Errorf("start sandbox %s: %w", s.Instance, err), svc.Stop())
	}
	s.svc = svc
	return nil
}

// Stop drains the endpoints, refuses further calls and waits for the calls
// under way. Sessions keep their stores and records.
func (s *Service) Stop() error {
	var err error
	if s.svc != nil {
		err = s.svc.Stop()
	}
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	s.wg.Wait()
	if err != nil {
		return fmt.Errorf("stop sandbox %s: %w", s.Instance, err)
	}
	return nil
}

// Open starts a session named name on the fixture and gives it an
// unguessable token. Sessions share one copy of the fixture until they
// write: most sessions read far more than they change, and copying the
// whole store for each was a quarter of the arena's CPU.
func (s *Service) Open(name string) *Session {
	ss := &Session{svc: s, name: name, token: rand.Text(), store: s.base(), shared: true}
	s.mu.Lock()
	s.sessions[ss.token] = ss
	s.mu.Unlock()
	return ss
}

// OpenRecorded starts a session like Open whose tools the sandbox lacks
// are answered from rec (see Recording for the rule), and whose tools
// endpoint lists rec.Tools. Native tools still run on the session's own
// copy of the fixture. rec may be shared by many sessions; each keeps its
// own place in repeated calls.
func (s *Service) OpenRecorded(name string, rec *Recording) *Session {
	ss := &Session{svc: s, name: name, token: rand.Text(), store: s.base(), shared: true, rec: rec, seen: map[string]int{}}
	s.mu.Lock()
	s.sessions[ss.token] = ss
	s.mu.Unlock()
	return ss
}

func (s *Service) forget(token string) {
	s.mu.Lock()
	delete(s.sessions, token)
	s.mu.Unlock()
}

var toolsJSON = sync.OnceValue(func() []byte {
	b, err := json.Marshal(Tools())
	if err != nil {
		panic(fmt.Sprintf("sandbox: encode tools: %v", err)) // the declarations are ours
	}
	return b
})

// handleTools answers with the native declarations, or, when the body is a
// CallRequest whose token names a recorded session, that session's.
func (s *Service) handleTools(req micro.Request) {
	body := toolsJSON()
	if rec := s.recordingOf(req.Data()); rec != nil {
		body = rec.toolsJSON
		if len(rec.tools) == 0 {
			body = toolsJSON()
		}
	}
	if err := req.Respond(body); err != nil {
		s.Logger.Error("sandbox tools reply", "instance", s.Instance, "err", err)
	}
}

// recordingOf returns the recording of the session a tools request names
// by token; nil for an empty body, an unknown token or a plain session.
func (s *Service) recordingOf(data []byte) *Recording {
	var cr CallRequest
	if len(data) == 0 || json.Unmarshal(data, &cr) != nil || cr.Token == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss := s.sessions[cr.Token]; ss != nil {
		return ss.rec
	}
	return nil
}

// handleCall finds the session and queues the call on it. It never runs a
// tool itself: the endpoint is one subscription, and running tools here
// would serialise every session behind the slowest one.
func (s *Service) handleCall(req micro.Request) {
	var cr CallRequest
	if err := json.Unmarshal(req.Data(), &cr); err != nil {
		s.reply(req.Reply(), nil, toolErrorf(CodeBadRequest, "call body is not a CallRequest: %v", err))
		return
	}
	if terr := s.enqueue(req.Reply(), cr); terr != nil {
		s.reply(req.Reply(), nil, terr)
	}
}

// enqueue queues a call on its session and starts draining the session if
// it was idle. The lock makes the check for Stop and the wg.Add one step.
func (s *Service) enqueue(reply string, cr CallRequest) *ToolError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return toolErrorf(CodeInternal, "sandbox %s is stopping", s.Instance)
	}
	ss := s.sessions[cr.Token]
	if ss == nil {
		return toolErrorf(CodeUnauthorized, "unknown or closed session token")
	}
	if ss.push(pendingCall{reply: reply, req: cr}) {
		s.wg.Add(1)
		go s.drain(ss)
	}
	return nil
}

// drain runs a session's queued calls in order, each holding one of the
// Workers slots, until the queue is empty.
func (s *Service) drain(ss *Session) {
	defer s.wg.Done()
	for {
		p, ok := ss.pop()
		if !ok {
			return
		}
		s.sem <- struct{}{}
		res, err := ss.exec(p.req)
		<-s.sem
		s.reply(p.reply, res, err)
	}
}

// reply answers a request. It publishes on the reply subject itself rather
// than through micro.Request, whose Error and Respond record state that
// micro reads when the handler returns: calling them from another goroutine
// is a data race.
func (s *Service) reply(subject string, res json.RawMessage, terr *ToolError) {
	if subject == "" {
		return // published without a reply subject: nobody is waiting
	}
	msg := &nats.Msg{Subject: subject, Data: res}
	if terr != nil {
		msg = errorMsg(subject, terr)
	}
	err := s.nc.PublishMsg(msg)
	if errors.Is(err, nats.ErrMaxPayload) {
		err = s.nc.PublishMsg(errorMsg(subject, toolErrorf(CodeInvalid,
			"result of %d bytes is over the %d-byte limit; ask for fewer results (lower limit)", len(res), s.nc.MaxPayload())))
	}
	if err != nil {
		s.Logger.Error("sandbox reply", "instance", s.Instance, "err", err)
	}
}

// errorMsg carries a tool error the micro way, in the error headers, and
// as a JSON body for clients that do not read headers.
func errorMsg(subject string, terr *ToolError) *nats.Msg {
	msg := &nats.Msg{Subject: subject, Header: nats.Header{}}
	// A header value cannot hold line breaks.
	msg.Header.Set(micro.ErrorHeader, strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(terr.Message))
	msg.Header.Set(micro.ErrorCodeHeader, terr.Code)
	msg.Data, _ = json.Marshal(terr) // a struct of two strings always encodes
	return msg
}
