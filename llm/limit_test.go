package llm_test

import (
	"errors"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
)

func TestClient_Complete_budget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  llm.Config
	}{
		{name: "ErrBudgetTokens", cfg: llm.Config{MaxTokens: 1000}},
		// 1000 prompt + 500 completion tokens of TestModel cost $0.002.
		{name: "ErrBudgetCost", cfg: llm.Config{MaxCost: 0.0015}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok").WithUsage(1000, 500) })
			var calls callLog
			tt.cfg.OnCall = calls.add
			c := llmtest.Client(t, srv, tt.cfg)
			req := llm.Request{Role: llm.RoleSimulator, Messages: user("hi")}
			if _, err := c.Complete(t.Context(), req); err != nil {
				t.Fatalf("first call, within budget: %v", err)
			}
			_, err := c.Complete(t.Context(), req)
			if !errors.Is(err, llm.ErrBudget) {
				t.Fatalf("second call: error %v, want ErrBudget", err)
			}
			t.Log(err)
			if n := srv.Count(); n != 1 {
				t.Errorf("server saw %d requests, want 1: a spent budget sends nothing", n)
			}
			if got := calls.all(); len(got) != 2 || got[1].Err == "" {
				t.Errorf("call log %+v: want two entries, the second with the budget error", got)
			}
		})
	}
}

func TestClient_Complete_budgetCacheHit(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok").WithUsage(1000, 500) })
	c := llmtest.Client(t, srv, llm.Config{MaxTokens: 1000, Cache: &llm.MemoryCache{}})
	req := llm.Request{Role: llm.RoleExtractor, Temperature: llm.Temperature(0), Messages: user("log")}
	for i := range 2 {
		if _, err := c.Complete(t.Context(), req); err != nil {
			t.Fatalf("call %d: %v; a cache hit needs no budget", i+1, err)
		}
	}
	other := llm.Request{Role: llm.RoleExtractor, Temperature: llm.Temperature(0), Messages: user("another log")}
	if _, err := c.Complete(t.Context(), other); !errors.Is(err, llm.ErrBudget) {
		t.Errorf("uncached call over budget: error %v, want ErrBudget", err)
	}
}

func TestClient_Complete_rateLimit(t *testing.T) {
	t.Parallel()
	t.Run("RequestsPerMinute", func(t *testing.T) {
		t.Parallel()
		const rpm = 600 // one request per 100 ms
		srv := llmtest.NewServer(t, nil)
		c := llmtest.Client(t, srv, llm.Config{RequestsPerMinute: rpm})
		for range 4 {
			if _, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleSimulator, Messages: user("hi")}); err != nil {
				t.Fatal(err)
			}
		}
		var at []time.Time
		for _, r := range srv.Requests() {
			at = append(at, r.At)
		}
		// The limiter spaces sends; arrival may jitter by a little.
		for i, g := range gaps(at) {
			if g < 90*time.Millisecond {
				t.Errorf("request %d arrived %v after the one before; want ≥ 100 ms at %d per minute", i+2, g, rpm)
			}
		}
	})
	t.Run("TokensPerMinute", func(t *testing.T) {
		t.Parallel()
		const tpm = 6000 // 100 tokens per second, a minute's worth at once
		srv := llmtest.NewServer(t, nil)
		c := llmtest.Client(t, srv, llm.Config{TokensPerMinute: tpm})
		big := llm.Request{Role: llm.RoleSimulator, Messages: user("hi"), MaxTokens: tpm}
		small := llm.Request{Role: llm.RoleSimulator, Messages: user("hi"), MaxTokens: 30}
		for _, req := range []llm.Request{big, small} {
			if _, err := c.Complete(t.Context(), req); err != nil {
				t.Fatal(err)
			}
		}
		reqs := srv.Requests()
		// The first call took the whole minute's budget; the second needs
		// about 35 tokens, 350 ms of refill.
		if g := reqs[1].At.Sub(reqs[0].At); g < 300*time.Millisecond {
			t.Errorf("second request came %v after the first; want ≥ 300 ms", g)
		}
	})
}
