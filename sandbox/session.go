package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/merchantarena/merchantarena/transcript"
)

// CallRecord is one tool call as the sandbox saw it, refused calls
// included. Seq counts from 1 within the session; Turn is the session's
// turn when the call ran; Error and Code are empty for a call that
// succeeded.
type CallRecord struct {
	Seq       int             `json:"seq"`
	Turn      int             `json:"turn"`
	CallID    string          `json:"call_id,omitempty"`
	Tool      string          `json:"tool"`
	Arguments json.RawMessage `json:"arguments,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     string          `json:"error,omitempty"`
	Code      string          `json:"code,omitempty"`
	At        time.Time       `json:"at"`
	Duration  time.Duration   `json:"duration"`
}

// Session is one conversation's store and call record. Its methods are safe
// for concurrent use.
type Session struct {
	svc   *Service
	name  string
	token string

	mu    sync.Mutex // guards the fields below; held while a call runs
	store *Store
	// shared: store is the service's fixture, shared read-only by every
	// session that has not written yet; the first write copies it.
	shared bool
	calls  []CallRecord
	turn   int
	closed bool
	rec    *Recording     // nil unless opened with OpenRecorded
	seen   map[string]int // recorded calls answered so far, by call key

	qmu   sync.Mutex // guards queue and busy
	queue []pendingCall
	busy  bool // a goroutine is draining queue
}

type pendingCall struct {
	reply string
	req   CallRequest
}

// Name is the name the session was opened with.
func (ss *Session) Name() string { return ss.name }

// Token is the secret a client puts in each CallRequest.
func (ss *Session) Token() string { return ss.token }

// SetTurn sets the turn that later calls are recorded with.
func (ss *Session) SetTurn(n int) {
	ss.mu.Lock()
	ss.turn = n
	ss.mu.Unlock()
}

// Calls returns a copy of the calls recorded so far, in order.
func (ss *Session) Calls() []CallRecord {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return slices.Clone(ss.calls)
}

// Store returns a copy of the session's store as it is now.
func (ss *Session) Store() *Store {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.store.Clone()
}

// Close ends the session: its token stops working, calls still queued are
// refused, and the store and record stay readable.
func (ss *Session) Close() {
	ss.svc.forget(ss.token)
	ss.mu.Lock()
	ss.closed = true
	ss.mu.Unlock()
}

// Final closes the session and returns its store as the calls left it.
// Nothing can change a closed session's store, so it is not copied; the
// caller must not change it either.
func (ss *Session) Final() *Store {
	ss.Close()
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return ss.store
}

// push queues a call and reports whether the caller must start draining.
func (ss *Session) push(p pendingCall) bool {
	ss.qmu.Lock()
	defer ss.qmu.Unlock()
	ss.queue = append(ss.queue, p)
	start := !ss.busy
	ss.busy = true
	return start
}

// pop takes the next queued call; when there is none it marks the session
// idle, so the next push starts a new drain.
func (ss *Session) pop() (pendingCall, bool) {
	ss.qmu.Lock()
	defer ss.qmu.Unlock()
	if len(ss.queue) == 0 {
		ss.busy = false
		return pendingCall{}, false
	}
	p := ss.queue[0]
	ss.queue = ss.queue[1:]
	return p, true
}

// Call runs one call in the session directly, without NATS, and records
// it like a call that came over the wire.
func (ss *Session) Call(callID, tool string, args json.RawMessage) (json.RawMessage, error) {
	res, terr := ss.exec(CallRequest{Token: ss.token, CallID: callID, Tool: tool, Arguments: args})
	if terr != nil {
		return nil, terr
	}
	return res, nil
}

// exec runs a call on the store and records it. A call on a closed session
// is refused and not recorded; a panicking tool is recorded as internal.
func (ss *Session) exec(req CallRequest) (res json.RawMessage, terr *ToolError) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if ss.closed {
		return nil, toolErrorf(CodeUnauthorized, "unknown or closed session token")
	}
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			ss.svc.Logger.Error("sandbox tool panic", "session", ss.name, "tool", req.Tool, "panic", p)
			res, terr = nil, toolErrorf(CodeInternal, "%s failed inside the sandbox; this is a sandbox bug", req.Tool)
		}
		ss.record(req, start, res, terr)
	}()
	if ss.rec != nil && lookupTool(req.Tool) == nil {
		return ss.rec.answer(req.Tool, req.Arguments, ss.seen)
	}
	if ss.shared && IsWrite(req.Tool) {
		ss.store, ss.shared = ss.store.forWrite(), false
	}
	out, err := ss.store.Call(req.Tool, req.Arguments)
	return out, asToolError(err)
}

func (ss *Session) record(req CallRequest, start time.Time, res json.RawMessage, terr *ToolError) {
	rec := CallRecord{
		Seq: len(ss.calls) + 1, Turn: ss.turn, CallID: req.CallID, Tool: req.Tool,
		Arguments: slices.Clone(req.Arguments), Result: res, At: start, Duration: time.Since(start),
	}
	if ss.rec != nil {
		rec.Result = transcript.RawJSON(string(res))
	}
	if terr != nil {
		rec.Error, rec.Code = terr.Message, terr.Code
	}
	ss.calls = append(ss.calls, rec)
	ss.svc.Logger.Debug("sandbox call", "session", ss.name, "seq", rec.Seq, "tool", rec.Tool, "code", rec.Code, "duration", rec.Duration)
}

func asToolError(err error) *ToolError {
	if err == nil {
		return nil
	}
	var te *ToolError
	if errors.As(err, &te) {
		return te
	}
	return toolErrorf(CodeInternal, "internal error: %v", fmt.Sprint(err))
}
