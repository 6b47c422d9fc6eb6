package llm_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/transcript"
)

func TestNew(t *testing.T) {
	t.Run("ErrNotConfigured", func(t *testing.T) {
		_, err := llm.New(llm.Config{Model: "gpt-4.1"})
		if !errors.Is(err, llm.ErrNotConfigured) {
			t.Fatalf("New without endpoint: got %v, want ErrNotConfigured", err)
		}
	})
	t.Run("KeyOnlyDefaults", func(t *testing.T) {
		c, err := llm.New(llm.Config{APIKey: "k", Models: map[llm.Role]string{llm.RoleJudge: "gpt-4.1"}})
		if err != nil {
			t.Fatal(err)
		}
		got := map[llm.Role]string{}
		for _, r := range llm.Roles() {
			got[r] = c.ModelFor(r)
		}
		want := map[llm.Role]string{
			llm.RoleExtractor: llm.DefaultModel, llm.RoleSimulator: llm.DefaultModel,
			llm.RoleJudge: "gpt-4.1", llm.RoleAgent: llm.DefaultModel,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ModelFor (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrBadBaseURL", func(t *testing.T) {
		if _, err := llm.New(llm.Config{BaseURL: "localhost:8000/v1"}); err == nil {
			t.Fatal("New accepted a base URL without a scheme")
		}
	})
}

func TestClient_Complete(t *testing.T) {
	t.Parallel()
	t.Run("UsageAndCost", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, llmtest.Sequence(llmtest.Text("Hello, merchant.").WithUsage(1000, 500)))
		var calls callLog
		c := llmtest.Client(t, srv, llm.Config{Model: "gpt-4.1-mini", OnCall: calls.add})
		resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleSimulator, Messages: user("hi"), Session: "s1"})
		if err != nil {
			t.Fatal(err)
		}
		want := &llm.Response{
			Message:      transcript.Message{Role: transcript.RoleAssistant, Content: "Hello, merchant."},
			Model:        "gpt-4.1-mini",
			FinishReason: "stop",
			Usage:        llm.Usage{PromptTokens: 1000, CompletionTokens: 500},
			Cost:         (1000*0.40 + 500*1.60) / 1e6,
		}
		approx := cmpopts.EquateApprox(1e-9, 0)
		if diff := cmp.Diff(want, resp, approx, cmpopts.IgnoreFields(llm.Response{}, "Latency")); diff != "" {
			t.Errorf("Complete (-want +got):\n%s", diff)
		}
		wantTotals := map[llm.Role]llm.Totals{llm.RoleSimulator: {
			Calls: 1, PromptTokens: 1000, CompletionTokens: 500, Cost: want.Cost,
		}}
		if diff := cmp.Diff(wantTotals, c.Totals(), approx); diff != "" {
			t.Errorf("Totals (-want +got):\n%s", diff)
		}
		wantCalls := []llm.Call{{
			Role: llm.RoleSimulator, Model: "gpt-4.1-mini", Session: "s1",
			PromptTokens: 1000, CompletionTokens: 500, Cost: want.Cost,
		}}
		if diff := cmp.Diff(wantCalls, calls.all(), approx, cmpopts.IgnoreFields(llm.Call{}, "Latency", "At")); diff != "" {
			t.Errorf("OnCall (-want +got):\n%s", diff)
		}
		if got := srv.Requests()[0].Model; got != "gpt-4.1-mini" {
			t.Errorf("server saw model %q, want gpt-4.1-mini", got)
		}
	})
	t.Run("PriceOverrideAndRequestModel", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok").WithUsage(2e6, 1e6) })
		c := llmtest.Client(t, srv, llm.Config{Prices: map[string]llm.Price{"local-7b": {PromptPerMillion: 0.5, CompletionPerMillion: 1}}})
		resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Model: "local-7b", Messages: user("hi")})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Cost != 2 {
			t.Errorf("cost = %v, want 2 (2M prompt at 0.5 + 1M completion at 1)", resp.Cost)
		}
		if got := srv.Requests()[0].Model; got != "local-7b" {
			t.Errorf("server saw model %q, want the request's local-7b", got)
		}
	})
	t.Run("UnknownModelCostsZeroWarnsOnce", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, nil)
		logger, logs := captureLog()
		c := llmtest.Client(t, srv, llm.Config{Model: "mystery-model", Logger: logger})
		for range 3 {
			resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Cost != 0 {
				t.Errorf("cost = %v, want 0 for an unpriced model", resp.Cost)
			}
		}
		if n := strings.Count(logs.String(), "no price for model"); n != 1 {
			t.Errorf("logged the missing price %d times, want once:\n%s", n, logs)
		}
	})
	t.Run("DatedModelPricedAsBase", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok").WithUsage(1e6, 0) })
		c := llmtest.Client(t, srv, llm.Config{Model: "gpt-4o-mini-2024-07-18"})
		resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Cost != 0.15 {
			t.Errorf("cost = %v, want gpt-4o-mini's 0.15", resp.Cost)
		}
	})
}

func TestClient_Complete_toolCalls(t *testing.T) {
	t.Parallel()
	tools := []transcript.Tool{{Type: "function", Function: transcript.Function{
		Name: "list_orders", Description: "List orders.",
		Parameters: json.RawMessage(`{"type":"object","properties":{"status":{"type":"string"}},"required":["status"]}`),
	}}}
	history := []transcript.Message{
		{Role: transcript.RoleUser, Content: "Which orders are open?"},
		{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{
			ID: "call_a", Type: "function", Function: transcript.FunctionCall{Name: "list_orders", Arguments: `{"status":"open"}`},
		}}},
		{Role: transcript.RoleTool, ToolCallID: "call_a", Content: `[{"id":7}]`},
	}
	reply := transcript.ToolCall{Function: transcript.FunctionCall{Name: "list_orders", Arguments: `{"status":"paid"}`}}
	srv := llmtest.NewServer(t, llmtest.Sequence(llmtest.Calls(reply)))
	c := llmtest.Client(t, srv, llm.Config{})
	resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: history, Tools: tools})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Requests()[0]
	if diff := cmp.Diff(history, got.Messages); diff != "" {
		t.Errorf("messages the server saw (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(tools, got.Tools); diff != "" {
		t.Errorf("tools the server saw (-want +got):\n%s", diff)
	}
	wantMsg := transcript.Message{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{
		ID: "call_1", Type: "function", Function: reply.Function,
	}}}
	if diff := cmp.Diff(wantMsg, resp.Message); diff != "" {
		t.Errorf("reply (-want +got):\n%s", diff)
	}
	if resp.FinishReason != "tool_calls" {
		t.Errorf("finish reason = %q, want tool_calls", resp.FinishReason)
	}
}

func TestClient_Complete_temperature(t *testing.T) {
	t.Parallel()
	seed := 7
	tests := []struct {
		name     string
		temp     *float64
		seed     *int
		wantTemp *float64
	}{
		{name: "ZeroSentAsZero", temp: llm.Temperature(0), wantTemp: llm.Temperature(0)},
		{name: "NilLeftOut"},
		{name: "PointSevenAndSeed", temp: llm.Temperature(0.7), seed: &seed, wantTemp: llm.Temperature(0.7)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.NewServer(t, nil)
			c := llmtest.Client(t, srv, llm.Config{Model: "gpt-4.1"})
			_, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi"), Temperature: tt.temp, Seed: tt.seed})
			if err != nil {
				t.Fatal(err)
			}
			got := srv.Requests()[0]
			if diff := cmp.Diff(tt.wantTemp, got.Temperature, cmpopts.EquateApprox(0, 1e-6)); diff != "" {
				t.Errorf("temperature (-want +got):\n%s\nbody: %s", diff, got.Body)
			}
			if diff := cmp.Diff(tt.seed, got.Seed); diff != "" {
				t.Errorf("seed (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClient_Complete_secret(t *testing.T) {
	t.Parallel()
	const key = "sk-test-9f8e7d6c5b4a"
	srv := llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
		// An API that echoes the credential back, as some proxies do.
		echo := "Incorrect API key provided: " + r.Header.Get("Authorization")
		if r.N == 1 {
			return llmtest.Reply{Status: http.StatusInternalServerError, Content: echo}
		}
		return llmtest.Reply{Status: http.StatusUnauthorized, Content: echo}
	})
	logger, logs := captureLog()
	var calls callLog
	c := llmtest.Client(t, srv, llm.Config{APIKey: key, Logger: logger, OnCall: calls.add, MaxRetries: 1})
	_, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleJudge, Messages: user("hi")})
	if err == nil {
		t.Fatal("Complete succeeded against a 401")
	}
	if got := srv.Requests()[0].Header.Get("Authorization"); got != "Bearer "+key {
		t.Fatalf("server saw Authorization %q; the key was not sent", got)
	}
	var se *llm.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
		t.Errorf("error %v: want a *StatusError with status 401", err)
	}
	callJSON, _ := json.Marshal(calls.all())
	for what, text := range map[string]string{
		"error": err.Error(), "status error message": se.Message, "call log": string(callJSON), "log": logs.String(),
	} {
		if strings.Contains(text, key) {
			t.Errorf("the API key leaked into the %s: %s", what, text)
		}
	}
	if !strings.Contains(err.Error(), "401") {
		t.Errorf("error %q does not name the status", err)
	}
}

func TestClient_Complete_concurrent(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
		return llmtest.Text(r.Last().Content).WithUsage(10, 1)
	})
	var calls callLog
	c := llmtest.Client(t, srv, llm.Config{OnCall: calls.add})
	const n = 32
	errs := make(chan error, n)
	for i := range n {
		go func() {
			text := fmt.Sprintf("message %d", i)
			resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleSimulator, Messages: user(text)})
			if err == nil && resp.Message.Content != text {
				err = fmt.Errorf("call %d got reply %q", i, resp.Message.Content)
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	want := llm.Totals{Calls: n, PromptTokens: 10 * n, CompletionTokens: n, Cost: c.Totals()[llm.RoleSimulator].Cost}
	if got := c.Totals()[llm.RoleSimulator]; got != want || len(calls.all()) != n || srv.Count() != n {
		t.Errorf("totals %+v, %d calls logged, %d requests; want %+v, %d, %d", got, len(calls.all()), srv.Count(), want, n, n)
	}
}
