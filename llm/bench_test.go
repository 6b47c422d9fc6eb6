package llm_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
)

// BenchmarkClient_Complete measures the client's own overhead: a round
// trip through go-openai, the retrying doer and accounting against a local
// server, and a cache hit, which sends nothing.
func BenchmarkClient_Complete(b *testing.B) {
	b.Run("path=send", func(b *testing.B) {
		srv := llmtest.NewServer(b, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok") })
		c := llmtest.Client(b, srv, llm.Config{})
		req := llm.Request{Role: llm.RoleSimulator, Messages: user("hello there")}
		for b.Loop() {
			if _, err := c.Complete(b.Context(), req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	})
	b.Run("path=cachehit", func(b *testing.B) {
		srv := llmtest.NewServer(b, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("ok") })
		c := llmtest.Client(b, srv, llm.Config{Cache: &llm.MemoryCache{}})
		req := llm.Request{Role: llm.RoleJudge, Temperature: llm.Temperature(0), Messages: user("hello there")}
		for b.Loop() {
			if _, err := c.Complete(b.Context(), req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(srv.Count()), "requests")
	})
}
