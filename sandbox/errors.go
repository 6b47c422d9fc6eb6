package sandbox

import "fmt"

// QueryError is a segment query that does not parse or type-check. Pos is
// the byte offset of the offending token; Line and Col (in characters) are
// 1-based.
type QueryError struct {
	Pos, Line, Col int
	Msg            string
	// Kind says which rule the query broke, so judges can tell a wrong
	// enum from a typo.
	Kind QueryErrorKind
}

// QueryErrorKind classifies query errors.
type QueryErrorKind string

// Query error kinds.
const (
	QueryErrSyntax QueryErrorKind = "syntax" // malformed text, unbalanced parentheses
	QueryErrField  QueryErrorKind = "field"  // unknown field
	QueryErrType   QueryErrorKind = "type"   // operator or value of the wrong type for the field
	QueryErrEnum   QueryErrorKind = "enum"   // a literal outside the field's enum
)

func (e *QueryError) Error() string {
	return fmt.Sprintf("query:%d:%d: %s", e.Line, e.Col, e.Msg)
}

// ToolError is a refused or failed tool call. Code is one of the Code*
// constants of wire.go; Message is written for the agent: it says what was
// wrong and what to send instead.
type ToolError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Enum is set when an argument was refused because its value is not
	// in the argument's enum.
	Enum bool `json:"enum,omitempty"`
}

func (e *ToolError) Error() string { return e.Message }

// Is matches another *ToolError with the same Code, so callers can test
// errors.Is(err, &sandbox.ToolError{Code: sandbox.CodeNotFound}).
func (e *ToolError) Is(target error) bool {
	t, ok := target.(*ToolError)
	return ok && t.Code == e.Code && (t.Message == "" || t.Message == e.Message)
}

func toolErrorf(code, format string, args ...any) *ToolError {
	return &ToolError{Code: code, Message: fmt.Sprintf(format, args...)}
}

func notFound(kind, id, hint string) *ToolError {
	return toolErrorf(CodeNotFound, "no %s with id %s; %s", kind, id, hint)
}
