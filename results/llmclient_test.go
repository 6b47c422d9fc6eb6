package results_test

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// TestLLMClient drives a real llm.Client, over HTTP to llmtest's server,
// with the results file as its cache and its call log: the
// way the arena wires them.
func TestLLMClient(t *testing.T) {
	t.Run("UsageMatchesClientTotals", func(t *testing.T) {
		db := MustOpenDB(t)
		var mu sync.Mutex
		var calls []llm.Call
		var flaky atomic.Int32
		srv := llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
			switch r.Last().Content {
			case "refuse":
				return llmtest.Status(400)
			case "flaky":
				if flaky.Add(1) == 1 {
					return llmtest.Status(503)
				}
			}
			return llmtest.Text("verdict").WithUsage(120, 30)
		})
		client := llmtest.Client(t, srv, llm.Config{Cache: db.LLMCache(), OnCall: func(c llm.Call) {
			mu.Lock()
			calls = append(calls, c)
			mu.Unlock()
		}})
		for _, req := range []llm.Request{
			ask(llm.RoleJudge, "score it", 0),
			ask(llm.RoleJudge, "score it", 0), // deterministic judge: a cache hit
			ask(llm.RoleSimulator, "next turn", 0.7),
			ask(llm.RoleSimulator, "flaky", 0.7),
		} {
			if _, err := client.Complete(t.Context(), req); err != nil {
				t.Fatalf("Complete(%s): %v", req.Messages[0].Content, err)
			}
		}
		if _, err := client.Complete(t.Context(), ask(llm.RoleJudge, "refuse", 0)); err == nil {
			t.Fatal("Complete(refuse) succeeded against a 400")
		}
		if err := db.WriteLLMCalls(t.Context(), "r1", calls); err != nil {
			t.Fatal(err)
		}
		got, err := db.RunUsage(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		want := client.Totals()
		if want[llm.RoleJudge].CacheHits != 1 || want[llm.RoleSimulator].Retries != 1 || want[llm.RoleJudge].Errors != 1 {
			t.Fatalf("client totals %+v lack the cache hit, retry or error this test makes", want)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("RunUsage against client.Totals (-want +got):\n%s", diff)
		}
	})

	t.Run("CacheServesTheNextRun", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("cached verdict") })
		db, err := results.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		first := llmtest.Client(t, srv, llm.Config{Cache: db.LLMCache()})
		if _, err := first.Complete(t.Context(), ask(llm.RoleJudge, "score it", 0)); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		second := llmtest.Client(t, srv, llm.Config{Cache: MustOpenPath(t, path).LLMCache()})
		resp, err := second.Complete(t.Context(), ask(llm.RoleJudge, "score it", 0))
		if err != nil {
			t.Fatal(err)
		}
		if !resp.Cached || resp.Message.Content != "cached verdict" || srv.Count() != 1 {
			t.Errorf("second run: cached %v, content %q, server asked %d times; want a hit, 1 request",
				resp.Cached, resp.Message.Content, srv.Count())
		}
	})
}

func ask(role llm.Role, content string, temperature float64) llm.Request {
	return llm.Request{Role: role, Temperature: llm.Temperature(temperature), Session: "r1/p1/golden@1.0.0/0",
		Messages: []transcript.Message{{Role: transcript.RoleUser, Content: content}}}
}
