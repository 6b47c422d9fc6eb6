package transcript_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/merchantarena/merchantarena/transcript"
)

func TestParseError_Error(t *testing.T) {
	cause := fmt.Errorf("messages[2]: %w", transcript.ErrOrphanResult)
	tests := []struct {
		name string
		err  *transcript.ParseError
		want string
	}{
		{"FileLineRecord", &transcript.ParseError{File: "a.jsonl", Line: 12, Record: "c7", Err: cause},
			"a.jsonl:12: messages[2]: tool result answers no earlier call (record c7)"},
		{"NoRecord", &transcript.ParseError{File: "a.jsonl", Line: 3, Err: transcript.ErrSyntax},
			"a.jsonl:3: invalid JSON"},
		{"WholeFile", &transcript.ParseError{File: "b.json", Err: transcript.ErrSyntax},
			"b.json: invalid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestParseError_Unwrap(t *testing.T) {
	var err error = &transcript.ParseError{File: "a.jsonl", Line: 1, Err: fmt.Errorf("x: %w", transcript.ErrUnknownRole)}
	if !errors.Is(err, transcript.ErrUnknownRole) {
		t.Errorf("errors.Is(%v, ErrUnknownRole) = false; want true", err)
	}
	wrapped := fmt.Errorf("import: %w", err)
	var pe *transcript.ParseError
	if !errors.As(wrapped, &pe) || pe.Line != 1 {
		t.Errorf("errors.As(%v) = %v; want the *ParseError of line 1", wrapped, pe)
	}
}
