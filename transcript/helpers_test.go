package transcript_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/merchantarena/merchantarena/transcript"
)

// sharedData returns the path of a file in the public sample data, or skips
// the test when the data folder is absent.
func sharedData(tb testing.TB, rel string) string {
	tb.Helper()
	dir := os.Getenv("ARENA_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("shared data folder absent (%v); CI has it, or set ARENA_SHARED_DATA", err)
	}
	return path
}

// mustRead reads a log that must load without a fatal error.
func mustRead(tb testing.TB, path string, opts transcript.Options) *transcript.Log {
	tb.Helper()
	l, err := transcript.ReadFile(path, opts)
	if err != nil {
		tb.Fatalf("ReadFile(%s): %v", path, err)
	}
	return l
}

// problem is the part of a *ParseError a test compares.
type problem struct {
	Line    int
	Record  string
	Dropped bool
	Kind    string
}

var kinds = []struct {
	name string
	err  error
}{
	{"syntax", transcript.ErrSyntax},
	{"field", transcript.ErrField},
	{"unknown-role", transcript.ErrUnknownRole},
	{"arguments", transcript.ErrArguments},
	{"content-part", transcript.ErrContentPart},
	{"orphan", transcript.ErrOrphanResult},
	{"unanswered", transcript.ErrUnansweredCall},
	{"duplicate-call-id", transcript.ErrDuplicateCallID},
	{"tool-name", transcript.ErrToolName},
	{"duplicate-id", transcript.ErrDuplicateID},
}

func kindOf(err error) string {
	for _, k := range kinds {
		if errors.Is(err, k.err) {
			return k.name
		}
	}
	return "other: " + err.Error()
}

func problems(l *transcript.Log) []problem {
	var out []problem
	for _, p := range l.Problems {
		out = append(out, problem{p.Line, p.Record, p.Dropped, kindOf(p)})
	}
	return out
}

func ids(l *transcript.Log) []string {
	var out []string
	for _, c := range l.Conversations {
		out = append(out, c.ID)
	}
	return out
}
