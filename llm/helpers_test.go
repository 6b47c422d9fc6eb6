package llm_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/transcript"
)

// logBuffer captures a Client's log output, safe for concurrent writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLog returns a debug-level logger writing into the returned buffer.
func captureLog() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

// callLog collects OnCall entries.
type callLog struct {
	mu    sync.Mutex
	calls []llm.Call
}

func (l *callLog) add(c llm.Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls = append(l.calls, c)
}

func (l *callLog) all() []llm.Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]llm.Call(nil), l.calls...)
}

func user(text string) []transcript.Message {
	return []transcript.Message{
		{Role: transcript.RoleSystem, Content: "You are terse."},
		{Role: transcript.RoleUser, Content: text},
	}
}

// gaps returns the time between consecutive arrivals.
func gaps(at []time.Time) []time.Duration {
	var out []time.Duration
	for i := 1; i < len(at); i++ {
		out = append(out, at[i].Sub(at[i-1]))
	}
	return out
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
