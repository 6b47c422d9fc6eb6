package results

import (
	"errors"
	"fmt"
)

// Errors callers test with errors.Is.
var (
	// ErrNoRuns means the results file holds no run yet.
	ErrNoRuns = errors.New("no runs in the results file")
	// ErrRunNotFound means no run has the given ID.
	ErrRunNotFound = errors.New("run not found")
	// ErrPersonaNotFound means no persona has the given ID.
	ErrPersonaNotFound = errors.New("persona not found")
	// ErrSessionNotFound means no session has the given ID.
	ErrSessionNotFound = errors.New("session not found")
	// ErrInvalid matches every *InvalidError.
	ErrInvalid = errors.New("invalid record")
	// ErrWriterClosed means Add, AddCall or Flush was called after
	// Writer.Close.
	ErrWriterClosed = errors.New("results writer closed")

	errInvalidJSON = errors.New("not valid JSON")
	errEmpty       = errors.New("empty")
)

// InvalidError is a record refused before it reached the file. It names the
// record (its kind, its position in the slice the caller passed and its key)
// and the field at fault. Other records of the same call are still written.
type InvalidError struct {
	Kind  string // "run", "candidate", "persona", "session" or "llm_call"
	Index int    // position in the slice passed; 0 for a single record
	Key   string // the record's key as the caller gave it
	Field string // such as "status" or "tool_calls[2].validation"
	Err   error
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("invalid %s #%d (%s): %s: %v", e.Kind, e.Index, e.Key, e.Field, e.Err)
}

func (e *InvalidError) Unwrap() error { return e.Err }

// Is reports whether target is ErrInvalid.
func (e *InvalidError) Is(target error) bool { return target == ErrInvalid }
