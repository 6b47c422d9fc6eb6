package sandbox_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// foreignLog is a conversation with tools the sandbox does not have, in
// the shape of a tau-bench log: a plain-text result, a call made twice
// with different results, a logged error, and one declared schema.
func foreignLog() transcript.Conversation {
	call := func(id, name, args string) transcript.Message {
		return transcript.Message{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{
			{ID: id, Type: "function", Function: transcript.FunctionCall{Name: name, Arguments: args}}}}
	}
	result := func(id, name, content string, failed bool) transcript.Message {
		return transcript.Message{Role: transcript.RoleTool, ToolCallID: id, Name: name, Content: content, Error: failed}
	}
	return transcript.Conversation{
		ID: "foreign-1",
		Messages: []transcript.Message{
			{Role: transcript.RoleUser, Content: "my email is ann@example.com, cancel #W1"},
			call("c1", "find_user_id_by_email", `{"email":"ann@example.com"}`),
			result("c1", "find_user_id_by_email", "ann_1", false),
			call("c2", "get_user_details", `{"user_id":"ann_1"}`),
			result("c2", "get_user_details", `{"name":"Ann","balance":1}`, false),
			call("c2", "get_user_details", `{"user_id":"ann_1"}`), // tau-bench reuses IDs once answered
			result("c2", "get_user_details", `{"name":"Ann","balance":2}`, false),
			call("c3", "cancel_pending_order", `{"order_id":"#W1","reason":"no longer needed"}`),
			result("c3", "cancel_pending_order", "order #W1 is not pending", true),
			{Role: transcript.RoleAssistant, Content: "Order #W1 cannot be cancelled."},
		},
		Tools: []transcript.Tool{{Type: "function", Function: transcript.Function{
			Name:       "get_user_details",
			Parameters: json.RawMessage(`{"type":"object","properties":{"user_id":{"type":"string"}},"required":["user_id"],"additionalProperties":false}`),
		}}},
	}
}

func TestService_OpenRecorded(t *testing.T) {
	svc, nc := mustStartService(t)
	rec := sandbox.NewRecording(foreignLog())
	session := svc.OpenRecorded("replay", rec)
	c := sandbox.NewClient(nc, svc.Subject(), session.Token())

	t.Run("RecordedHit", func(t *testing.T) {
		// Other key order and spacing: equal once normalised.
		got := mustCall(t, c, "find_user_id_by_email", `{ "email" : "ann@example.com" }`)
		if got != "ann_1" {
			t.Errorf("result %q, want the logged plain text ann_1", got)
		}
	})
	t.Run("RepeatsInOrderThenLast", func(t *testing.T) {
		var got []string
		for range 3 {
			got = append(got, mustCall(t, c, "get_user_details", `{"user_id":"ann_1"}`))
		}
		want := []string{`{"name":"Ann","balance":1}`, `{"name":"Ann","balance":2}`, `{"name":"Ann","balance":2}`}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("results (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrNoRecording", func(t *testing.T) {
		te := callRefused(t, c, "get_user_details", `{"user_id": "bob_2"}`, sandbox.CodeNoRecording)
		if want := `no recording for this call: get_user_details({"user_id":"bob_2"})`; !strings.Contains(te.Message, want) {
			t.Errorf("message %q lacks %q", te.Message, want)
		}
	})
	t.Run("RecordedErrorIsRefused", func(t *testing.T) {
		te := callRefused(t, c, "cancel_pending_order", `{"reason":"no longer needed","order_id":"#W1"}`, sandbox.CodeInvalid)
		if te.Message != "order #W1 is not pending" {
			t.Errorf("message %q, want the logged text", te.Message)
		}
	})
	t.Run("ErrUnknownTool", func(t *testing.T) {
		te := callRefused(t, c, "book_flight", `{}`, sandbox.CodeNotFound)
		if !strings.Contains(te.Message, "get_user_details") || !strings.Contains(te.Message, "update_customer") {
			t.Errorf("message %q should list both the recorded and the native tools", te.Message)
		}
	})
	t.Run("NativeToolRunsOnStore", func(t *testing.T) {
		mustCall(t, c, "update_customer", `{"customer_id":"cus_1002","add_tags":["vip"]}`)
		changes := session.Store().ChangesFrom(sandbox.Fixture())
		if diff := cmp.Diff([]string{"customers/cus_1002/tags"}, paths(changes)); diff != "" {
			t.Errorf("store changes (-want +got):\n%s", diff)
		}
	})
	t.Run("ToolsListsTheLogsTools", func(t *testing.T) {
		tools, err := c.Tools(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tl := range tools {
			names = append(names, tl.Function.Name)
		}
		// Declared first, then the undeclared ones the log called, by name.
		want := []string{"get_user_details", "cancel_pending_order", "find_user_id_by_email"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Errorf("tools (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(foreignLog().Tools[0], tools[0]); diff != "" {
			t.Errorf("declared schema (-want +got):\n%s", diff)
		}
	})
	t.Run("CallsAreRecorded", func(t *testing.T) {
		calls := session.Calls()
		if len(calls) == 0 || string(calls[0].Result) != `"ann_1"` {
			t.Fatalf("first record %+v; want the plain-text result kept as a JSON string", calls)
		}
		var codes []string
		for _, r := range calls {
			codes = append(codes, r.Tool+":"+r.Code)
		}
		want := []string{"find_user_id_by_email:", "get_user_details:", "get_user_details:", "get_user_details:",
			"get_user_details:" + sandbox.CodeNoRecording, "cancel_pending_order:" + sandbox.CodeInvalid,
			"book_flight:" + sandbox.CodeNotFound, "update_customer:"}
		if diff := cmp.Diff(want, codes); diff != "" {
			t.Errorf("recorded calls (-want +got):\n%s", diff)
		}
		if _, err := json.Marshal(calls); err != nil {
			t.Errorf("the call record must encode: %v", err)
		}
	})
	t.Run("SessionsKeepTheirOwnPlace", func(t *testing.T) {
		other := sandbox.NewClient(nc, svc.Subject(), svc.OpenRecorded("replay-2", rec).Token())
		if got := mustCall(t, other, "get_user_details", `{"user_id":"ann_1"}`); got != `{"name":"Ann","balance":1}` {
			t.Errorf("a new session got %s; want the first logged result", got)
		}
	})
	t.Run("PlainSessionHasNoRecording", func(t *testing.T) {
		plain := sandbox.NewClient(nc, svc.Subject(), svc.Open("plain").Token())
		callRefused(t, plain, "get_user_details", `{"user_id":"ann_1"}`, sandbox.CodeNotFound)
		tools, err := plain.Tools(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sandbox.Tools(), tools); diff != "" {
			t.Errorf("plain session tools (-want +got):\n%s", diff)
		}
	})
}

func TestRecording_ValidateArgs(t *testing.T) {
	conv := foreignLog()
	conv.Tools = append(conv.Tools, transcript.Tool{Type: "function", Function: transcript.Function{
		Name: "broken", Parameters: json.RawMessage(`{"type":5}`)}})
	rec := sandbox.NewRecording(conv)
	tests := []struct {
		name, tool, args string
		wantCode         string // "" for valid
	}{
		{"OKDeclared", "get_user_details", `{"user_id":"ann_1"}`, ""},
		{"ErrDeclaredSchema", "get_user_details", `{"user":"ann_1"}`, sandbox.CodeBadRequest},
		{"OKUndeclaredObject", "find_user_id_by_email", `{"anything":1}`, ""},
		{"ErrUndeclaredNotObject", "find_user_id_by_email", `[1]`, sandbox.CodeBadRequest},
		{"ErrNative", "update_customer", `{"customer_id":"cus_1002","add_tags":"vip"}`, sandbox.CodeBadRequest},
		{"ErrUnknownTool", "book_flight", `{}`, sandbox.CodeNotFound},
		{"OKBrokenSchemaValidatesNothing", "broken", `{"x":1}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rec.ValidateArgs(tt.tool, json.RawMessage(tt.args))
			if tt.wantCode == "" {
				if err != nil {
					t.Errorf("want valid, got %v", err)
				}
				return
			}
			if !errors.Is(err, &sandbox.ToolError{Code: tt.wantCode}) {
				t.Errorf("got %v, want a tool error with code %s", err, tt.wantCode)
			}
		})
	}
	t.Run("ProblemsNameTheTool", func(t *testing.T) {
		probs := rec.Problems()
		if len(probs) != 1 || !strings.Contains(probs[0].Error(), "tools[1] (broken).parameters") {
			t.Errorf("problems %v; want one naming tools[1] (broken).parameters", probs)
		}
	})
}

func TestNormalizeArgs(t *testing.T) {
	tests := []struct {
		name, a, b string // a and b must normalise to the same text
		want       string
	}{
		{"KeyOrderSpacingNumbers", `{"a":1,"b":2}`, `{ "b":2.0, "a":1 }`, `{"a":1,"b":2}`},
		{"EmptyIsObject", ``, `null`, `{}`},
		{"Exponent", `{"n":1e3}`, `{"n":1000}`, `{"n":1000}`},
		{"LongIntegersKeepDigits", `{"id":12345678901234567890123}`, `{"id": 12345678901234567890123}`, `{"id":12345678901234567890123}`},
		{"NestedAndUnescaped", `{"q":{"z":[1.50,"<a&b>"],"y":-0}}`, `{"q":{"y":0,"z":[1.5,"<a&b>"]}}`, `{"q":{"y":0,"z":[1.5,"<a&b>"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, in := range []string{tt.a, tt.b} {
				got, err := sandbox.NormalizeArgs([]byte(in))
				if err != nil {
					t.Fatalf("%q: %v", in, err)
				}
				if got != tt.want {
					t.Errorf("%q → %s, want %s", in, got, tt.want)
				}
			}
		})
	}
	for _, bad := range []string{`{"a":`, `{"a":1} {"b":2}`, `nope`} {
		if got, err := sandbox.NormalizeArgs([]byte(bad)); err == nil {
			t.Errorf("%q → %s, want an error", bad, got)
		}
	}
}

// TestService_OpenRecorded_TauBench replays every logged call of a real
// tau-bench airline conversation, in order, and must get back exactly the
// logged results.
func TestService_OpenRecorded_TauBench(t *testing.T) {
	dir := os.Getenv("ARENA_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	path := filepath.Join(dir, "tau-bench", "airline", "trajectories-gpt-4o.json")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared data folder absent (%v); CI has it, or set ARENA_SHARED_DATA", err)
	}
	log, err := transcript.ReadFile(path, transcript.Options{})
	if err != nil {
		t.Fatal(err)
	}
	svc, nc := mustStartService(t)
	replayed := 0
	for _, conv := range log.Conversations[:8] {
		c := sandbox.NewClient(nc, svc.Subject(), svc.OpenRecorded(conv.ID, sandbox.NewRecording(conv)).Token())
		pairs := loggedPairs(conv)
		replayed += len(pairs)
		for _, p := range pairs {
			got, err := c.Call(t.Context(), p.call.ID, p.call.Function.Name, json.RawMessage(p.call.Function.Arguments))
			if err != nil {
				t.Fatalf("%s: %s(%s): %v", conv.ID, p.call.Function.Name, p.call.Function.Arguments, err)
			}
			if string(got) != p.result {
				t.Errorf("%s: %s: got %.80q, want %.80q", conv.ID, p.call.Function.Name, got, p.result)
			}
		}
	}
	if replayed < 10 {
		t.Errorf("replayed %d calls; the first eight conversations hold more, so pairing lost some", replayed)
	}
}

type loggedPair struct {
	call   transcript.ToolCall
	result string
}

// loggedPairs pairs each answered call with its result, in the order the
// results were logged; a result answers the oldest unanswered call with its
// ID (tau-bench reuses IDs once answered).
func loggedPairs(conv transcript.Conversation) []loggedPair {
	pending := map[string][]transcript.ToolCall{}
	var out []loggedPair
	for _, m := range conv.Messages {
		for _, tc := range m.ToolCalls {
			pending[tc.ID] = append(pending[tc.ID], tc)
		}
		if q := pending[m.ToolCallID]; m.Role == transcript.RoleTool && len(q) > 0 {
			out = append(out, loggedPair{q[0], m.Content})
			pending[m.ToolCallID] = q[1:]
		}
	}
	return out
}

// mustCall runs a call that must succeed and returns its result as text.
func mustCall(tb testing.TB, c *sandbox.Client, tool, args string) string {
	tb.Helper()
	res, err := c.Call(tb.Context(), "call", tool, json.RawMessage(args))
	if err != nil {
		tb.Fatalf("%s %s: %v", tool, args, err)
	}
	return string(res)
}

// callRefused runs a call that the sandbox must refuse with code.
func callRefused(tb testing.TB, c *sandbox.Client, tool, args, code string) *sandbox.ToolError {
	tb.Helper()
	res, err := c.Call(tb.Context(), "call", tool, json.RawMessage(args))
	var te *sandbox.ToolError
	if !errors.As(err, &te) || te.Code != code {
		tb.Fatalf("%s %s: got %s, %v; want a tool error with code %s", tool, args, res, err, code)
	}
	return te
}
