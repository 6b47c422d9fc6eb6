package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/transcript"
)

// Server is a scripted OpenAI chat-completions API on 127.0.0.1.
type Server struct {
	// URL is the API base, ending in /v1, for llm.Config.BaseURL.
	URL string

	fail    func(msg string) // reports a misuse: tb.Error, or stderr
	handler Handler
	srv     *httptest.Server

	call sync.Mutex // serializes handler calls
	mu   sync.Mutex // guards reqs; never held while the handler runs
	reqs []Request
}

// NewServer starts a server that answers POST /v1/chat/completions with
// handler (nil answers every request with Text("ok")). tb.Cleanup closes
// it. Requests the server cannot decode, and other paths, fail the test.
func NewServer(tb testing.TB, handler Handler) *Server {
	tb.Helper()
	s := start(handler, func(msg string) { tb.Error(msg) })
	tb.Cleanup(s.Close)
	return s
}

// Start is NewServer for examples and programs without a testing.TB: the
// caller must Close the server, and misuses are printed to stderr instead
// of failing a test.
func Start(handler Handler) *Server {
	return start(handler, func(msg string) { fmt.Fprintln(os.Stderr, msg) })
}

func start(handler Handler, fail func(string)) *Server {
	if handler == nil {
		handler = func(*Request) Reply { return Text("ok") }
	}
	s := &Server{fail: fail, handler: handler}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.serveChat)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(fmt.Sprintf("llmtest: unexpected %s %s", r.Method, r.URL.Path))
		writeError(w, http.StatusNotFound, "llmtest: no route "+r.URL.Path)
	})
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL + "/v1"
	return s
}

// Close shuts the server down and waits for requests in flight. Calls after
// the first do nothing. Tests call it to make the endpoint unreachable.
func (s *Server) Close() { s.srv.Close() }

// Requests returns a copy of the requests received so far, in arrival
// order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

// Count returns how many requests arrived.
func (s *Server) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func (s *Server) serveChat(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "llmtest: read body: "+err.Error())
		return
	}
	req, err := decodeRequest(body, r.Header)
	if err != nil {
		s.fail("llmtest: " + err.Error())
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	reply := s.answer(&req)
	if reply.fail != "" {
		s.fail(reply.fail)
	}
	if reply.Delay > 0 && !wait(r, reply.Delay) {
		return // the client gave up; nobody reads a reply
	}
	writeReply(w, &req, reply)
}

// answer records req and calls the handler, one request at a time. The
// handler may call Requests and Count.
func (s *Server) answer(req *Request) Reply {
	s.call.Lock()
	defer s.call.Unlock()
	s.mu.Lock()
	req.N = len(s.reqs) + 1
	req.At = time.Now()
	s.reqs = append(s.reqs, *req)
	s.mu.Unlock()
	return s.handler(req)
}

// wait holds the reply back for d, and reports false when the client went
// away first.
func wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

func writeReply(w http.ResponseWriter, req *Request, rp Reply) {
	if rp.RetryAfter != "" {
		w.Header().Set("Retry-After", rp.RetryAfter)
	}
	status := rp.Status
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case rp.Body != "":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, rp.Body)
	case status >= http.StatusBadRequest:
		msg := rp.Content
		if msg == "" {
			msg = "llmtest: " + http.StatusText(status)
		}
		writeError(w, status, msg)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(response(req, rp))
	}
}

func response(req *Request, rp Reply) wireResponse {
	usage := rp.Usage
	if usage.Total() == 0 {
		usage.PromptTokens = estimate(req.Messages...)
		usage.CompletionTokens = estimate(transcript.Message{Content: rp.Content, ToolCalls: rp.ToolCalls})
	}
	finish := rp.FinishReason
	switch {
	case finish != "":
	case len(rp.ToolCalls) > 0:
		finish = "tool_calls"
	default:
		finish = "stop"
	}
	msg := wireReplyMessage{Role: "assistant", ToolCalls: rp.ToolCalls}
	if rp.Content != "" || len(rp.ToolCalls) == 0 {
		msg.Content = &rp.Content
	}
	return wireResponse{
		ID:      fmt.Sprintf("chatcmpl-llmtest-%d", req.N),
		Object:  "chat.completion",
		Created: req.At.Unix(),
		Model:   req.Model,
		Choices: []wireChoice{{Index: 0, Message: msg, FinishReason: finish}},
		Usage: wireUsage{
			PromptTokens: usage.PromptTokens, CompletionTokens: usage.CompletionTokens,
			TotalTokens: usage.Total(),
		},
	}
}

// estimate counts about one token per four characters of content and tool
// call arguments, and at least one.
func estimate(msgs ...transcript.Message) int {
	n := 0
	for _, m := range msgs {
		n += len(m.Content)
		for _, c := range m.ToolCalls {
			n += len(c.Function.Name) + len(c.Function.Arguments)
		}
	}
	return max(1, n/4)
}

// writeError sends an OpenAI-style error body.
func writeError(w http.ResponseWriter, status int, msg string) {
	var e wireError
	e.Error.Message = msg
	e.Error.Type, e.Error.Code = errorKind(status)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(e)
}

func errorKind(status int) (typ, code string) {
	switch {
	case status == http.StatusTooManyRequests:
		return "requests", "rate_limit_exceeded"
	case status == http.StatusUnauthorized:
		return "invalid_request_error", "invalid_api_key"
	case status >= 500:
		return "server_error", ""
	default:
		return "invalid_request_error", ""
	}
}
