package candidates_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// mustSandbox starts a sandbox service on nc and opens one session.
func mustSandbox(tb testing.TB, nc *nats.Conn) (*sandbox.Service, *sandbox.Session) {
	tb.Helper()
	svc := sandbox.NewService(nc)
	svc.Logger = slog.New(slog.DiscardHandler)
	if err := svc.Start(); err != nil {
		tb.Fatal(err)
	}
	// Start does not wait for the server to know the subscriptions; the
	// build calls from another connection.
	if err := nc.Flush(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if err := svc.Stop(); err != nil {
			tb.Errorf("stop sandbox: %v", err)
		}
	})
	return svc, svc.Open("s1")
}

func call(id, tool, args string) transcript.ToolCall {
	return transcript.ToolCall{ID: id, Type: "function", Function: transcript.FunctionCall{Name: tool, Arguments: args}}
}

// agentCalls are what the test build asks for, good and bad.
var agentCalls = []transcript.ToolCall{
	call("call_1", "search_customers", `{"query": "customer_account_status = 'ENABLED'", "limit": 2}`),
	call("call_2", "get_customer", `{"customer_id": "cus_999999"}`),
	call("call_3", "no_such_tool", ""),
	call("call_4", "get_customer", `{"customer_id": `),
}

// agent is a build that lists the tools, runs agentCalls and reports the
// results like an agent loop feeding them back to its model.
func agent(ctx context.Context, t *candidates.Turn) (*candidates.TurnReply, error) {
	tools, err := t.Tools(ctx)
	if err != nil {
		return nil, err
	}
	out := []transcript.Message{{Role: transcript.RoleAssistant, ToolCalls: agentCalls}}
	for _, c := range agentCalls {
		out = append(out, t.CallTool(ctx, c))
	}
	names := make([]string, len(tools))
	for i, tool := range tools {
		names[i] = tool.Function.Name
	}
	out = append(out, transcript.Message{Role: transcript.RoleAssistant, Content: strings.Join(names, ",")})
	return &candidates.TurnReply{Messages: out}, nil
}

func TestTurn_CallTool(t *testing.T) {
	srv := natstest.Server(t)
	sbx, sess := mustSandbox(t, natstest.Connect(t, srv))
	mustServe(t, natstest.Connect(t, srv), build("agent", agent))

	req := say("how many enabled customers?")
	req.Sandbox = candidates.SandboxRef{Subject: sbx.Subject(), Token: sess.Token()}
	reply, err := candidates.NewClient(natstest.Connect(t, srv)).Turn(turnCtx(t, 10*time.Second), natsbus.CandidateTurn("agent", "1.0.0"), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(reply.Messages) != 2+len(agentCalls) {
		t.Fatalf("reply has %d messages, want %d: %+v", len(reply.Messages), 2+len(agentCalls), reply.Messages)
	}
	results := reply.Messages[1 : 1+len(agentCalls)]

	t.Run("ResultMessages", func(t *testing.T) {
		tool := func(id, name string, failed bool) transcript.Message {
			return transcript.Message{Role: transcript.RoleTool, ToolCallID: id, Name: name, Error: failed}
		}
		want := []transcript.Message{
			tool("call_1", "search_customers", false),
			tool("call_2", "get_customer", true),
			tool("call_3", "no_such_tool", true),
			tool("call_4", "get_customer", true),
		}
		if diff := cmp.Diff(want, results, cmpopts.IgnoreFields(transcript.Message{}, "Content")); diff != "" {
			t.Errorf("tool results (-want +got):\n%s", diff)
		}
		var found struct {
			Customers []json.RawMessage `json:"customers"`
		}
		if err := json.Unmarshal([]byte(results[0].Content), &found); err != nil || len(found.Customers) != 2 {
			t.Errorf("search result %.300q: want JSON with the 2 customers asked for (%v)", results[0].Content, err)
		}
		for i, want := range []string{"", "cus_999999", "unknown tool", "not valid JSON"} {
			if !strings.Contains(results[i].Content, want) {
				t.Errorf("result of %s = %q, want it to say %q", results[i].ToolCallID, results[i].Content, want)
			}
		}
	})
	t.Run("RecordedBySandbox", func(t *testing.T) {
		type rec struct{ CallID, Tool, Code string }
		var got []rec
		for _, c := range sess.Calls() {
			got = append(got, rec{c.CallID, c.Tool, c.Code})
		}
		// call_4 never left the build: its arguments are not JSON.
		want := []rec{
			{"call_1", "search_customers", ""},
			{"call_2", "get_customer", sandbox.CodeNotFound},
			{"call_3", "no_such_tool", sandbox.CodeNotFound},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("sandbox record (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrNoSandbox", noSandbox)
	t.Run("ToolsListed", func(t *testing.T) {
		var want []string
		for _, tool := range sandbox.Tools() {
			want = append(want, tool.Function.Name)
		}
		if diff := cmp.Diff(strings.Join(want, ","), reply.Messages[len(reply.Messages)-1].Content); diff != "" {
			t.Errorf("tools the build saw (-want +got):\n%s", diff)
		}
	})
}

// noSandbox plays a turn whose request names no sandbox.
func noSandbox(t *testing.T) {
	tr := candidates.NewTurn(nil, *say("hi"))
	got := tr.CallTool(t.Context(), call("call_1", "list_segments", "{}"))
	want := transcript.Message{
		Role: transcript.RoleTool, ToolCallID: "call_1", Name: "list_segments",
		Content: candidates.ErrNoSandbox.Error(), Error: true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CallTool (-want +got):\n%s", diff)
	}
	if _, err := tr.Tools(t.Context()); !errors.Is(err, candidates.ErrNoSandbox) {
		t.Errorf("Tools = %v, want ErrNoSandbox", err)
	}
}
