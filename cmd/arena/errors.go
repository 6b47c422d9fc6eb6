package main

import (
	"errors"
	"fmt"
)

var (
	// errHelp ends a command that printed its help: exit 0.
	errHelp = errors.New("help shown")
	// errSilentUsage ends a command whose usage text was already printed.
	errSilentUsage = errors.New("usage shown")
)

// usageError is bad input from the user: exit 2, with a "Try:" hint.
type usageError struct {
	msg  string
	hint string
}

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) *usageError {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func (e *usageError) try(hint string) *usageError {
	e.hint = hint
	return e
}

// exitError carries a specific exit code (1 for a blocked gate or a failed
// check); err, when set, is printed.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }
