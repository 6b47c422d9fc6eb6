package llm_test

import (
	"encoding/json"
	"testing"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
)

func TestClient_Complete_cache(t *testing.T) {
	t.Parallel()
	seed := 1
	tests := []struct {
		name       string
		req        llm.Request
		wantCached bool
	}{
		{name: "ExtractorAtZeroCached", req: llm.Request{Role: llm.RoleExtractor, Temperature: llm.Temperature(0)}, wantCached: true},
		{name: "JudgeAtZeroCached", req: llm.Request{Role: llm.RoleJudge, Temperature: llm.Temperature(0)}, wantCached: true},
		{name: "SimulatorNotCached", req: llm.Request{Role: llm.RoleSimulator, Temperature: llm.Temperature(0)}},
		{name: "AgentNotCached", req: llm.Request{Role: llm.RoleAgent, Temperature: llm.Temperature(0)}},
		{name: "WarmNotCached", req: llm.Request{Role: llm.RoleExtractor, Temperature: llm.Temperature(0.3)}},
		{name: "NoTemperatureNotCached", req: llm.Request{Role: llm.RoleJudge}},
		{name: "SeededNotCached", req: llm.Request{Role: llm.RoleJudge, Temperature: llm.Temperature(0), Seed: &seed}},
		{name: "CacheOffNotCached", req: llm.Request{Role: llm.RoleJudge, Temperature: llm.Temperature(0), Cache: llm.CacheOff}},
		{name: "CacheOnCached", req: llm.Request{Role: llm.RoleSimulator, Temperature: llm.Temperature(0.9), Cache: llm.CacheOn}, wantCached: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("card").WithUsage(100, 20) })
			cache := &llm.MemoryCache{}
			c := llmtest.Client(t, srv, llm.Config{Cache: cache})
			tt.req.Messages = user("extract this log")
			first, err := c.Complete(t.Context(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			second, err := c.Complete(t.Context(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			wantRequests := 2
			if tt.wantCached {
				wantRequests = 1
			}
			if n := srv.Count(); n != wantRequests {
				t.Fatalf("server saw %d requests, want %d", n, wantRequests)
			}
			if first.Cached || second.Cached != tt.wantCached {
				t.Errorf("cached: first %v, second %v; want false, %v", first.Cached, second.Cached, tt.wantCached)
			}
			if second.Message.Content != first.Message.Content || second.Usage != first.Usage {
				t.Errorf("second reply %+v differs from the first %+v", second, first)
			}
			tot := c.Totals()[tt.req.Role]
			if !tt.wantCached {
				return
			}
			if second.Cost != 0 || tot.CacheHits != 1 || tot.Calls != 2 || tot.PromptTokens != 100 || tot.Cost != first.Cost {
				t.Errorf("cache hit: cost %v, totals %+v; want cost 0, 1 hit in 2 calls, only the first spent", second.Cost, tot)
			}
		})
	}
}

func TestClient_Complete_cacheKey(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t, nil)
	cache := &llm.MemoryCache{}
	c := llmtest.Client(t, srv, llm.Config{Cache: cache})
	base := llm.Request{Role: llm.RoleJudge, Temperature: llm.Temperature(0), Messages: user("rate"),
		Schema: &llm.Schema{Name: "s", JSON: json.RawMessage(`{"type":"object","required":["a"]}`)}}
	same := base
	same.Schema = &llm.Schema{Name: "s", JSON: json.RawMessage(`{ "required": ["a"], "type": "object" }`)}
	otherModel := base
	otherModel.Model = "gpt-4.1"
	otherMax := base
	otherMax.MaxTokens = 50
	otherMsg := base
	otherMsg.Messages = user("rate again")
	for _, req := range []llm.Request{base, same, otherModel, otherMax, otherMsg} {
		if _, err := c.Complete(t.Context(), req); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Count(); n != 4 {
		t.Errorf("server saw %d requests, want 4: the reordered schema hits the cache, every other change misses", n)
	}
	if n := cache.Len(); n != 4 {
		t.Errorf("cache holds %d entries, want 4", n)
	}
}
