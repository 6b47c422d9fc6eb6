package refagent_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/refagent"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

const (
	testModel   = "agent-model"
	enabledAsk  = "How many enabled customers do I have in Toronto?"
	enabledArgs = `{"query":"customer_account_status = 'ENABLED' AND customer_city = 'Toronto'"}`
	// badEnumArgs writes the enum value as people say it; the sandbox
	// refuses it with a did-you-mean.
	badEnumArgs = `{"query":"customer_account_status = 'enabled'"}`
)

// testPrices prices testModel so the client has nothing to warn about.
var testPrices = map[string]llm.Price{testModel: llmtest.TestModelPrice}

// rig is a real NATS server, a real sandbox service with one open session,
// and a scripted model behind a real llm.Client.
type rig struct {
	nc     *nats.Conn
	box    *sandbox.Service
	sess   *sandbox.Session
	model  *llmtest.Server
	client *llm.Client
}

func newRig(tb testing.TB, h llmtest.Handler) *rig {
	tb.Helper()
	nc := natstest.Conn(tb)
	box := sandbox.NewService(nc)
	if err := box.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { box.Stop() })
	srv := llmtest.NewServer(tb, h)
	return &rig{
		nc: nc, box: box, sess: box.Open(tb.Name()), model: srv,
		client: llmtest.Client(tb, srv, llm.Config{MaxRetries: 1, Prices: testPrices}),
	}
}

// request is a turn request on the rig's session with the merchant saying
// ask.
func (r *rig) request(ask string, pc candidates.PageContext) candidates.TurnRequest {
	return candidates.TurnRequest{
		Session: r.sess.Name(), Turn: 1,
		Messages: []transcript.Message{{Role: transcript.RoleUser, Content: ask}},
		Sandbox:  candidates.SandboxRef{Subject: r.box.Subject(), Token: r.sess.Token()},
		Context:  pc,
	}
}

// play runs one turn of b in process, as Serve would.
func (r *rig) play(t *testing.T, b candidates.Build, req candidates.TurnRequest) (*candidates.TurnReply, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	return b.Handler.Turn(ctx, candidates.NewTurn(r.nc, req))
}

// mustPlay is play for turns that must succeed.
func (r *rig) mustPlay(t *testing.T, b candidates.Build, req candidates.TurnRequest) *candidates.TurnReply {
	t.Helper()
	reply, err := r.play(t, b, req)
	if err != nil {
		t.Fatalf("turn: %v", err)
	}
	return reply
}

func call(id, tool, args string) transcript.ToolCall {
	return transcript.ToolCall{ID: id, Type: "function", Function: transcript.FunctionCall{Name: tool, Arguments: args}}
}

// answerCount is a model that searches once and then reports the count the
// search returned, read from the tool message it was sent.
func answerCount(t *testing.T) llmtest.Handler {
	return func(r *llmtest.Request) llmtest.Reply {
		last := r.Last()
		if last.Role != transcript.RoleTool {
			return llmtest.Calls(call("c1", "search_customers", enabledArgs)).WithUsage(100, 10)
		}
		var res struct{ Count *int }
		if err := json.Unmarshal([]byte(resultPart(last.Content)), &res); err != nil || res.Count == nil {
			t.Errorf("model got a tool message without a count: %.300q", last.Content)
			return llmtest.Text("I could not read the result.")
		}
		return llmtest.Text(countReply(*res.Count)).WithUsage(200, 20)
	}
}

func countReply(n int) string {
	return "You have " + strconv.Itoa(n) + " enabled customers in Toronto."
}

// resultPart is a tool message's content without jit's guidance.
func resultPart(content string) string {
	before, _, _ := strings.Cut(content, "\n\nGuidance: ")
	return before
}

// fixtureCount is what the fixture store answers to a search, computed
// without NATS or a model.
func fixtureCount(t *testing.T, args string) int {
	t.Helper()
	res, err := sandbox.Fixture().Call("search_customers", json.RawMessage(args))
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Count int }
	if err := json.Unmarshal(res, &out); err != nil {
		t.Fatal(err)
	}
	return out.Count
}

// systemPrompt is the system message of the n-th model request (from 1).
func systemPrompt(t *testing.T, srv *llmtest.Server, n int) string {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) < n || len(reqs[n-1].Messages) == 0 || reqs[n-1].Messages[0].Role != transcript.RoleSystem {
		t.Fatalf("model request %d has no system message (%d requests)", n, len(reqs))
	}
	return reqs[n-1].Messages[0].Content
}

// queryNote is the jit guidance for the segment query language.
func queryNote(t *testing.T) string {
	t.Helper()
	for _, n := range refagent.Guidance("search_customers", false, candidates.PageContext{}) {
		if strings.Contains(n, "customer_account_status") {
			return n
		}
	}
	t.Fatal("no query-language note for search_customers")
	return ""
}

func roles(msgs []transcript.Message) []transcript.Role {
	out := make([]transcript.Role, len(msgs))
	for i, m := range msgs {
		out[i] = m.Role
	}
	return out
}
