package llm

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	openai "github.com/sashabaranov/go-openai"
)

// StatusError is an HTTP error status from the API, after any retries.
// Message is the server's message with the API key removed.
type StatusError struct {
	Status  int
	Type    string // OpenAI error type, if the body had one
	Code    string // OpenAI error code, if the body had one
	Message string
	Retries int
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("status %d %s", e.Status, http.StatusText(e.Status))
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	if e.Retries > 0 {
		s += fmt.Sprintf(" after %d retries", e.Retries)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// statusError turns go-openai's error types into a StatusError with the
// secret cut from its message, so callers need not import go-openai and
// nothing of the request leaks through.
func statusError(err error, retries int, secret redactor) (*StatusError, bool) {
	var e *StatusError
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	switch {
	case errors.As(err, &apiErr):
		e = &StatusError{Status: apiErr.HTTPStatusCode, Type: apiErr.Type, Message: apiErr.Message}
		if apiErr.Code != nil {
			e.Code = fmt.Sprint(apiErr.Code)
		}
	case errors.As(err, &reqErr):
		e = &StatusError{Status: reqErr.HTTPStatusCode, Message: clip(string(reqErr.Body), 200)}
	default:
		return nil, false
	}
	e.Retries = retries
	e.Message = secret.text(e.Message)
	return e, true
}

// secretError is an error whose text had the API key cut out. It keeps
// errors.Is working on the original but does not unwrap to it, so the key
// cannot be printed by accident.
type secretError struct {
	msg string
	err error
}

func (e *secretError) Error() string        { return e.msg }
func (e *secretError) Is(target error) bool { return errors.Is(e.err, target) }
func (e *secretError) As(target any) bool   { return errors.As(e.err, target) }

// redactor removes one secret from text.
type redactor string

const redacted = "[REDACTED]"

func (r redactor) text(s string) string {
	if r == "" {
		return s
	}
	return strings.ReplaceAll(s, string(r), redacted)
}

func (r redactor) err(err error) error {
	if err == nil || r == "" || !strings.Contains(err.Error(), string(r)) {
		return err
	}
	return &secretError{msg: r.text(err.Error()), err: err}
}

// redactURL drops the user info and query of a URL, where credentials
// hide, for messages.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery = ""
	return u.String()
}

// clip shortens s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
