package transcript

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
)

// Sentinels wrapped by the Err of a *ParseError (or, for ErrFormat, by the
// error Read returns), so that callers can tell problems apart with
// errors.Is.
var (
	// ErrFormat: the format name is unknown, cannot be detected, or does not
	// match the file.
	ErrFormat = errors.New("bad log format")
	// ErrSyntax: the record is not valid JSON.
	ErrSyntax = errors.New("invalid JSON")
	// ErrField: a field is missing or has the wrong JSON type.
	ErrField = errors.New("bad field")
	// ErrUnknownRole: a message role other than system, user, assistant, tool.
	ErrUnknownRole = errors.New("unknown role")
	// ErrArguments: tool-call arguments that are not a JSON object.
	ErrArguments = errors.New("tool call arguments are not a JSON object")
	// ErrContentPart: a content part that is not text was left out.
	ErrContentPart = errors.New("content part left out")
	// ErrOrphanResult: a tool result whose tool_call_id answers no earlier,
	// still unanswered call.
	ErrOrphanResult = errors.New("tool result answers no earlier call")
	// ErrUnansweredCall: a tool call no later tool result answers.
	ErrUnansweredCall = errors.New("tool call never answered")
	// ErrDuplicateCallID: a call ID reused while a call with that ID is
	// still unanswered, so a result could answer either.
	ErrDuplicateCallID = errors.New("duplicate tool call id")
	// ErrToolName: a tool result whose name differs from its call's.
	ErrToolName = errors.New("tool result name differs from its call")
	// ErrDuplicateID: two conversations with one ID; the later is renamed.
	ErrDuplicateID = errors.New("duplicate conversation id")
)

// ParseError is one problem found while reading a log. Dropped says whether
// the record was lost: true when it could not be loaded at all, false for a
// problem inside a record that was still loaded as written (an unknown role,
// arguments that are not JSON, a tool result that answers no call, a call
// never answered, a reused call ID).
type ParseError struct {
	File string
	// Line is the 1-based line of the problem: the line of the JSON syntax
	// error or of the offending message when known, else where the record
	// starts. 0 for problems about the whole file.
	Line int
	// Record is the conversation ID, when it could be read.
	Record  string
	Dropped bool
	Err     error
}

// Error returns "file:line: what is wrong (record X)".
func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	if e.Record != "" {
		s += " (record " + e.Record + ")"
	}
	return s
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// jsonError turns an encoding/json error about the bytes starting at base
// into a message in JSON terms (field path, JSON types) and the absolute
// offset it points at, or -1 when it points nowhere.
func jsonError(err error, field string, base int) (error, int) {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Errorf("%w: %s", ErrSyntax, syn.Error()), base + int(syn.Offset) - 1
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		path := joinPath(field, typ.Field)
		if path == "" {
			path = "record"
		}
		return fmt.Errorf("%w: %s: want %s, found %s", ErrField, path, jsonKind(typ.Type), typ.Value),
			base + int(typ.Offset) - 1
	}
	if field != "" {
		return fmt.Errorf("%w: %s: %v", ErrField, field, err), -1
	}
	return fmt.Errorf("%w: %v", ErrSyntax, err), -1
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// jsonKind names the JSON type a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return t.String()
}
