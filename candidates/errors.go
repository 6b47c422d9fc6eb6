package candidates

import (
	"errors"
	"fmt"
)

// Errors of the turn transport. Client.Turn wraps them with the subject and
// the detail, so test them with errors.Is.
var (
	// ErrBuildDown means no replica of the build is subscribed to its turn
	// subject.
	ErrBuildDown = errors.New("build down: no replica answers")
	// ErrTimeout means the build did not answer before the ctx deadline.
	ErrTimeout = errors.New("build timed out")
	// ErrPayloadTooLarge means a request or reply exceeds the NATS
	// server's max payload.
	ErrPayloadTooLarge = errors.New("payload too large")
	// ErrInvalidBuild means a Build given to Serve is not usable; the
	// wrapping error names the field.
	ErrInvalidBuild = errors.New("invalid build")
	// ErrNoSandbox means the turn's request names no sandbox, so it has
	// no tools.
	ErrNoSandbox = errors.New("no sandbox in this session")
)

// Codes the turn endpoint answers with in the micro error headers.
const (
	CodeBadRequest = "400" // the request is not a TurnRequest
	CodeTooLarge   = "413" // the reply exceeds the max payload
	CodeFailed     = "500" // the handler returned an error or panicked
	CodeBusy       = "503" // no free slot before the turn's deadline
	CodeTimeout    = "504" // the handler failed after the turn's deadline
)

// BuildError is a turn the build refused or failed: either a micro error
// (Code is its code, such as CodeFailed) or a reply whose Error field is set
// (Code is empty). A Handler may return a *BuildError to pick the code.
type BuildError struct {
	Code        string
	Description string
}

func (e *BuildError) Error() string {
	if e.Code == "" {
		return "build error: " + e.Description
	}
	return fmt.Sprintf("build error %s: %s", e.Code, e.Description)
}

// Is matches a target *BuildError with the same Code and, when the target
// has one, the same Description: errors.Is(err, &BuildError{Code: CodeBusy}).
func (e *BuildError) Is(target error) bool {
	t, ok := target.(*BuildError)
	return ok && t.Code == e.Code && (t.Description == "" || t.Description == e.Description)
}
