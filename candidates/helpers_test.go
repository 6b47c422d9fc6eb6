package candidates_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/transcript"
)

// mustServe serves b on nc and stops it when the test ends.
func mustServe(tb testing.TB, nc *nats.Conn, b candidates.Build) *candidates.Service {
	tb.Helper()
	svc, err := candidates.Serve(nc, b)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := svc.Stop(); err != nil {
			tb.Errorf("stop %s: %v", b.Name, err)
		}
	})
	return svc
}

// echo answers with the last message's text, prefixed by "echo: ".
func echo(_ context.Context, t *candidates.Turn) (*candidates.TurnReply, error) {
	text := ""
	if n := len(t.Messages); n > 0 {
		text = t.Messages[n-1].Content
	}
	return &candidates.TurnReply{
		Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "echo: " + text}},
		Usage:    candidates.Usage{PromptTokens: len(text)},
	}, nil
}

// build returns a valid build named name around h. Its log is discarded;
// tests that read it set their own Logger.
func build(name string, h candidates.HandlerFunc) candidates.Build {
	return candidates.Build{
		Name: name, Version: "1.0.0", Description: "test build " + name, Handler: h,
		Logger: slog.New(slog.DiscardHandler),
	}
}

// say returns a request whose history is one merchant message.
func say(text string) *candidates.TurnRequest {
	return &candidates.TurnRequest{
		Session:  "s1",
		Persona:  "p1",
		Turn:     1,
		Messages: []transcript.Message{{Role: transcript.RoleUser, Content: text}},
	}
}

// smallConn starts a server whose max payload is limit bytes and connects
// to it, so size limits can be hit with small messages.
func smallConn(tb testing.TB, limit int32) *nats.Conn {
	tb.Helper()
	s, err := natsbus.StartServer(natsbus.ServerConfig{MaxPayload: limit})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	return nc
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// turnCtx returns a ctx for one turn that ends with the test.
func turnCtx(tb testing.TB, timeout time.Duration) context.Context {
	tb.Helper()
	ctx, cancel := context.WithTimeout(tb.Context(), timeout)
	tb.Cleanup(cancel)
	return ctx
}

// logBuffer collects a build's log lines; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
