package sandbox_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/sandbox"
)

// callInto runs a tool that must succeed and decodes its result into T.
func callInto[T any](tb testing.TB, s *sandbox.Store, tool, args string) T {
	tb.Helper()
	res, err := s.Call(tool, json.RawMessage(args))
	if err != nil {
		tb.Fatalf("%s %s: %v", tool, args, err)
	}
	var out T
	if err := json.Unmarshal(res, &out); err != nil {
		tb.Fatalf("%s: decode %s: %v", tool, res, err)
	}
	return out
}

// callErr runs a tool that must fail with code, its message holding every
// one of wantIn, and leave the store unchanged.
func callErr(tb testing.TB, s *sandbox.Store, tool, args, code string, wantIn ...string) *sandbox.ToolError {
	tb.Helper()
	before := s.Clone()
	res, err := s.Call(tool, json.RawMessage(args))
	var te *sandbox.ToolError
	if !errors.As(err, &te) {
		tb.Fatalf("%s %s: got result %s, err %v; want a *ToolError", tool, args, res, err)
	}
	if te.Code != code {
		tb.Errorf("%s %s: code %s (%s), want %s", tool, args, te.Code, te.Message, code)
	}
	for _, w := range wantIn {
		if !strings.Contains(te.Message, w) {
			tb.Errorf("%s: message %q lacks %q", tool, te.Message, w)
		}
	}
	if !reflect.DeepEqual(before, s) { // cheaper than Diff, which names the change
		tb.Errorf("%s: a refused call changed the store: %v", tool, sandbox.Diff(before, s))
	}
	return te
}

// paths returns the paths of changes, for compact comparisons.
func paths(changes []sandbox.Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.Path
	}
	return out
}

func customerWhere(s *sandbox.Store, keep func(*sandbox.Customer) bool) []string {
	var ids []string
	for i := range s.Customers {
		if keep(&s.Customers[i]) {
			ids = append(ids, s.Customers[i].ID)
		}
	}
	return ids
}

type customerList struct {
	Query     string                    `json:"query"`
	Count     int                       `json:"count"`
	Customers []sandbox.CustomerSummary `json:"customers"`
}

type segmentResult struct {
	Segment     sandbox.Segment `json:"segment"`
	MemberCount int             `json:"member_count"`
}
