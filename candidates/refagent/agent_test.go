package refagent_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/refagent"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

type buildFunc func(refagent.Completer, string, ...refagent.Option) candidates.Build

var builds = []struct {
	name  string
	build buildFunc
}{{"monolith", refagent.Monolith}, {"jit", refagent.JIT}}

func TestAgent_Turn(t *testing.T) {
	for _, bc := range builds {
		t.Run(bc.name+"/SearchesThenAnswers", func(t *testing.T) {
			r := newRig(t, answerCount(t))
			reply := r.mustPlay(t, bc.build(r.client, testModel), r.request(enabledAsk, candidates.PageContext{}))

			want := []transcript.Role{transcript.RoleAssistant, transcript.RoleTool, transcript.RoleAssistant}
			if diff := cmp.Diff(want, roles(reply.Messages)); diff != "" {
				t.Fatalf("reply roles (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]transcript.ToolCall{call("c1", "search_customers", enabledArgs)}, reply.Messages[0].ToolCalls); diff != "" {
				t.Errorf("tool calls (-want +got):\n%s", diff)
			}
			calls := r.sess.Calls()
			if len(calls) != 1 || calls[0].Tool != "search_customers" || calls[0].CallID != "c1" || calls[0].Error != "" {
				t.Fatalf("sandbox recorded %+v, want one successful search_customers c1", calls)
			}
			res := reply.Messages[1]
			if res.ToolCallID != "c1" || res.Name != "search_customers" || res.Error {
				t.Errorf("tool message = %+v, want the result of c1", res)
			}
			if got := resultPart(res.Content); got != string(calls[0].Result) {
				t.Errorf("tool message result = %.200q, want what the sandbox recorded %.200q", got, calls[0].Result)
			}
			if got, want := reply.Messages[2].Content, countReply(fixtureCount(t, enabledArgs)); got != want {
				t.Errorf("final text = %q, want %q", got, want)
			}
			if diff := cmp.Diff(candidates.Usage{PromptTokens: 300, CompletionTokens: 30}, reply.Usage); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
			checkRequests(t, r.model, res)
		})
	}
}

// checkRequests checks what the agent sent the model over a two-step turn:
// model, temperature, the sandbox's tools, and the tool result as the
// reply carries it.
func checkRequests(t *testing.T, srv *llmtest.Server, res transcript.Message) {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("model got %d requests, want 2", len(reqs))
	}
	var wantTools []string
	for _, tl := range sandbox.Tools() {
		wantTools = append(wantTools, tl.Function.Name)
	}
	for _, q := range reqs {
		if q.Model != testModel || q.Temperature == nil || *q.Temperature > 1e-6 {
			t.Errorf("request %d: model %q temperature %v, want %q at 0", q.N, q.Model, q.Temperature, testModel)
		}
		var got []string
		for _, tl := range q.Tools {
			got = append(got, tl.Function.Name)
		}
		if diff := cmp.Diff(wantTools, got); diff != "" {
			t.Errorf("request %d tools (-want +got):\n%s", q.N, diff)
		}
	}
	wantRoles := []transcript.Role{transcript.RoleSystem, transcript.RoleUser, transcript.RoleAssistant, transcript.RoleTool}
	if diff := cmp.Diff(wantRoles, roles(reqs[1].Messages)); diff != "" {
		t.Fatalf("second request roles (-want +got):\n%s", diff)
	}
	if got := reqs[1].Last(); got.Content != res.Content || got.ToolCallID != res.ToolCallID {
		t.Errorf("model read tool message %.200q for %s, want the reply's %.200q", got.Content, got.ToolCallID, res.Content)
	}
}

func TestAgent_Turn_guidance(t *testing.T) {
	t.Run("JITAttachesQueryNote", func(t *testing.T) {
		r := newRig(t, answerCount(t))
		reply := r.mustPlay(t, refagent.JIT(r.client, testModel), r.request(enabledAsk, candidates.PageContext{}))
		content := reply.Messages[1].Content
		result, notes, ok := strings.Cut(content, "\n\nGuidance: ")
		if !ok || !json.Valid([]byte(result)) {
			t.Fatalf("jit tool message = %.300q, want the result JSON then guidance", content)
		}
		if !strings.Contains(notes, queryNote(t)) {
			t.Errorf("jit guidance after search_customers lacks the query-language note: %.300q", notes)
		}
	})
	t.Run("MonolithAttachesNothing", func(t *testing.T) {
		r := newRig(t, answerCount(t))
		reply := r.mustPlay(t, refagent.Monolith(r.client, testModel), r.request(enabledAsk, candidates.PageContext{}))
		if got, want := reply.Messages[1].Content, string(r.sess.Calls()[0].Result); got != want {
			t.Errorf("monolith tool message = %.300q, want the bare result %.300q", got, want)
		}
	})
	t.Run("QueryNoteInMonolithPromptOnly", func(t *testing.T) {
		mono, jit := prompts(t, candidates.PageContext{})
		if !strings.Contains(mono, queryNote(t)) {
			t.Errorf("monolith system prompt lacks the query-language note")
		}
		if strings.Contains(jit, "customer_account_status") || strings.Contains(jit, queryNote(t)) {
			t.Errorf("jit system prompt holds query-language guidance: %q", jit)
		}
		if len(jit)*4 > len(mono) {
			t.Errorf("jit prompt is %d bytes, monolith %d; want jit under a quarter", len(jit), len(mono))
		}
	})
	t.Run("JITShowsANoteOnceUnlessRefused", func(t *testing.T) {
		r := newRig(t, llmtest.Sequence(
			llmtest.Calls(call("c1", "search_customers", enabledArgs)),
			llmtest.Calls(call("c2", "search_customers", `{"query":"amount_spent > 100"}`)),
			llmtest.Calls(call("c3", "search_customers", badEnumArgs)),
			llmtest.Text("Done."),
		))
		reply := r.mustPlay(t, refagent.JIT(r.client, testModel), r.request(enabledAsk, candidates.PageContext{}))
		note := queryNote(t)
		var got []bool
		for _, m := range reply.Messages {
			if m.Role == transcript.RoleTool {
				got = append(got, strings.Contains(m.Content, note))
			}
		}
		if diff := cmp.Diff([]bool{true, false, true}, got); diff != "" {
			t.Errorf("query note on results c1, c2, c3 (-want +got):\n%s", diff)
		}
	})
}

func TestAgent_Turn_pageContext(t *testing.T) {
	segmentNote := "create_discount with applies_to SEGMENT and that segment's id"
	tests := []struct {
		name     string
		pc       candidates.PageContext
		want     []string
		wantNot  []string
		inPrompt string
	}{
		{name: "DiscountsPageAddsSegmentDiscountNote", pc: candidates.PageContext{Page: "discounts"},
			want: []string{segmentNote}, inPrompt: "The merchant is on the discounts page"},
		{name: "CustomersPageLeavesItOut", pc: candidates.PageContext{Page: "customers"},
			wantNot: []string{segmentNote}, inPrompt: "The merchant is on the customers page"},
		{name: "B2BFlagAddsTaxExemptNote", pc: candidates.PageContext{Flags: map[string]string{"b2b": "true"}},
			want: []string{"customer_tax_exempt = true"}, wantNot: []string{segmentNote}, inPrompt: "Flags: b2b=true."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, answerCount(t))
			reply := r.mustPlay(t, refagent.JIT(r.client, testModel), r.request(enabledAsk, tc.pc))
			notes := strings.TrimPrefix(reply.Messages[1].Content, string(r.sess.Calls()[0].Result))
			for _, w := range tc.want {
				if !strings.Contains(notes, w) {
					t.Errorf("guidance lacks %q: %.400q", w, notes)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(notes, w) {
					t.Errorf("guidance holds %q: %.400q", w, notes)
				}
			}
			if sys := systemPrompt(t, r.model, 1); !strings.Contains(sys, tc.inPrompt) {
				t.Errorf("system prompt lacks the context %q", tc.inPrompt)
			}
		})
	}
}

func TestAgent_Turn_refusal(t *testing.T) {
	for _, bc := range builds {
		t.Run(bc.name+"/GoesBackToModel", func(t *testing.T) {
			r := newRig(t, llmtest.Sequence(
				llmtest.Calls(call("c1", "search_customers", badEnumArgs)),
				llmtest.Calls(call("c2", "search_customers", enabledArgs)),
				llmtest.Text("Fixed it."),
			))
			reply := r.mustPlay(t, bc.build(r.client, testModel), r.request(enabledAsk, candidates.PageContext{}))
			calls := r.sess.Calls()
			if len(calls) != 2 || calls[0].Code != sandbox.CodeInvalid || calls[1].Error != "" {
				t.Fatalf("sandbox recorded %+v, want a refused call then a good one", calls)
			}
			refused := reply.Messages[1]
			if !refused.Error || !strings.HasPrefix(refused.Content, calls[0].Error) {
				t.Errorf("refused tool message = %+v, want Error with the sandbox's message %q", refused, calls[0].Error)
			}
			seen := r.model.Requests()[1].Last()
			if seen.Role != transcript.RoleTool || seen.Content != "Error: "+refused.Content {
				t.Errorf("model read %+v, want the refusal marked Error:", seen)
			}
			hasFix := strings.Contains(refused.Content, "A refused call changed nothing")
			if hasFix != (bc.name == "jit") {
				t.Errorf("refusal note attached = %v for %s", hasFix, bc.name)
			}
			if got := reply.Messages[len(reply.Messages)-1].Content; got != "Fixed it." || r.model.Count() != 3 {
				t.Errorf("turn ended with %q after %d model calls, want %q after 3", got, r.model.Count(), "Fixed it.")
			}
		})
	}
}

// loopForever calls list_segments every time it is asked.
func loopForever(r *llmtest.Request) llmtest.Reply {
	return llmtest.Calls(call(fmt.Sprintf("c%d", r.N), "list_segments", `{}`))
}

func TestAgent_Turn_stepBound(t *testing.T) {
	tests := []struct {
		name  string
		opts  []refagent.Option
		steps int
	}{
		{name: "OptionBoundsSteps", opts: []refagent.Option{refagent.WithMaxSteps(3)}, steps: 3},
		{name: "DefaultBound", opts: []refagent.Option{refagent.WithMaxSteps(0)}, steps: refagent.DefaultMaxSteps},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, loopForever)
			reply, err := r.play(t, refagent.JIT(r.client, testModel, tc.opts...), r.request("List my segments.", candidates.PageContext{}))
			if err != nil {
				t.Fatalf("turn failed: %v; want a polite final message", err)
			}
			if r.model.Count() != tc.steps || len(r.sess.Calls()) != tc.steps {
				t.Errorf("model calls %d, sandbox calls %d; want %d each", r.model.Count(), len(r.sess.Calls()), tc.steps)
			}
			if len(reply.Messages) != 2*tc.steps+1 {
				t.Fatalf("reply has %d messages, want %d", len(reply.Messages), 2*tc.steps+1)
			}
			last := reply.Messages[len(reply.Messages)-1]
			if last.Role != transcript.RoleAssistant || len(last.ToolCalls) != 0 || !strings.Contains(last.Content, "couldn't finish") {
				t.Errorf("last message = %+v, want a final text saying it could not finish", last)
			}
		})
	}
}

func TestAgent_Turn_failures(t *testing.T) {
	t.Run("ModelErrorFailsTurn", func(t *testing.T) {
		r := newRig(t, llmtest.Sequence(llmtest.Status(400)))
		reply, err := r.play(t, refagent.Monolith(r.client, testModel), r.request(enabledAsk, candidates.PageContext{}))
		if err == nil || reply != nil {
			t.Fatalf("turn = %+v, %v; want an error", reply, err)
		}
		if n := len(r.sess.Calls()); n != 0 {
			t.Errorf("sandbox got %d calls, want none", n)
		}
	})
	t.Run("DeadlineEndsTurn", func(t *testing.T) {
		r := newRig(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("late").WithDelay(5 * time.Second) })
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		b := refagent.JIT(r.client, testModel)
		_, err := b.Handler.Turn(ctx, candidates.NewTurn(r.nc, r.request(enabledAsk, candidates.PageContext{})))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want one matching context.DeadlineExceeded", err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("turn took %v after a 200ms deadline", d)
		}
	})
	t.Run("NoSandboxAnswersWithoutTools", func(t *testing.T) {
		r := newRig(t, llmtest.Sequence(llmtest.Text("Hello!")))
		req := r.request("hi", candidates.PageContext{})
		req.Sandbox = candidates.SandboxRef{}
		reply := r.mustPlay(t, refagent.JIT(r.client, testModel), req)
		if got := r.model.Requests()[0].Tools; len(got) != 0 {
			t.Errorf("model got %d tools without a sandbox", len(got))
		}
		if len(reply.Messages) != 1 || reply.Messages[0].Content != "Hello!" {
			t.Errorf("reply = %+v, want the model's text", reply.Messages)
		}
	})
	t.Run("CallWithoutIDGetsOne", func(t *testing.T) {
		r := newRig(t, llmtest.Sequence(
			llmtest.Reply{ToolCalls: []transcript.ToolCall{{Type: "function",
				Function: transcript.FunctionCall{Name: "list_segments", Arguments: `{}`}}}},
			llmtest.Text("None yet."),
		))
		reply := r.mustPlay(t, refagent.Monolith(r.client, testModel), r.request("segments?", candidates.PageContext{}))
		id := reply.Messages[0].ToolCalls[0].ID
		if id == "" || reply.Messages[1].ToolCallID != id || r.sess.Calls()[0].CallID != id {
			t.Errorf("call ID %q, result for %q, sandbox saw %q; want one non-empty ID throughout",
				id, reply.Messages[1].ToolCallID, r.sess.Calls()[0].CallID)
		}
	})
}

// prompts returns both builds' system prompts for page context pc, as the
// model received them.
func prompts(t *testing.T, pc candidates.PageContext) (monolith, jit string) {
	t.Helper()
	r := newRig(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok") })
	r.mustPlay(t, refagent.Monolith(r.client, testModel), r.request("hi", pc))
	r.mustPlay(t, refagent.JIT(r.client, testModel), r.request("hi", pc))
	return systemPrompt(t, r.model, 1), systemPrompt(t, r.model, 2)
}

func TestAgent_Turn_noCache(t *testing.T) {
	// The same request twice must reach the model twice, even on a client
	// with a cache.
	srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok") })
	cache := &llm.MemoryCache{}
	client := llmtest.Client(t, srv, llm.Config{Cache: cache, Prices: testPrices})
	r := newRig(t, nil)
	b := refagent.Monolith(client, testModel)
	r.mustPlay(t, b, r.request("hi", candidates.PageContext{}))
	r.mustPlay(t, b, r.request("hi", candidates.PageContext{}))
	if srv.Count() != 2 || cache.Len() != 0 {
		t.Errorf("model got %d requests for two equal turns and the cache holds %d replies, want 2 and 0",
			srv.Count(), cache.Len())
	}
}
