package examples_test

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"

	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

var loaded = sync.OnceValues(examples.Conversations)

// mustConversations returns the bundled conversations, read once per test
// binary.
func mustConversations(tb testing.TB) []transcript.Conversation {
	tb.Helper()
	convs, err := loaded()
	if err != nil {
		tb.Fatal(err)
	}
	return convs
}

// replay runs a conversation's logged tool calls in order on a fresh
// fixture, as the sandbox would record them: Turn is the merchant turn
// (1-based) the call belongs to, CallID the logged tool_call id.
func replay(c transcript.Conversation) ([]sandbox.CallRecord, *sandbox.Store) {
	store := sandbox.Fixture()
	var calls []sandbox.CallRecord
	turn := 0
	for _, m := range c.Messages {
		if m.Role == transcript.RoleUser {
			turn++
		}
		for _, tc := range m.ToolCalls {
			rec := sandbox.CallRecord{Seq: len(calls) + 1, Turn: turn, CallID: tc.ID, Tool: tc.Function.Name,
				Arguments: json.RawMessage(tc.Function.Arguments), At: store.Now}
			res, err := store.Call(tc.Function.Name, rec.Arguments)
			var te *sandbox.ToolError
			switch {
			case errors.As(err, &te):
				rec.Error, rec.Code = te.Message, te.Code
			case err != nil:
				rec.Error, rec.Code = err.Error(), sandbox.CodeInternal
			default:
				rec.Result = res
			}
			calls = append(calls, rec)
		}
	}
	return calls, store
}

// results maps each tool_call id of a conversation to its logged result.
func results(c transcript.Conversation) map[string]transcript.Message {
	out := map[string]transcript.Message{}
	for _, m := range c.Messages {
		if m.Role == transcript.RoleTool {
			out[m.ToolCallID] = m
		}
	}
	return out
}

// jsonEqual reports whether a and b hold the same JSON value.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xb, _ := json.Marshal(x) // decoded JSON always re-encodes
	yb, _ := json.Marshal(y)
	return string(xb) == string(yb)
}
