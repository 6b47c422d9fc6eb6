package simulator_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/simulator"
)

func BenchmarkSystemPrompt(b *testing.B) {
	card := torontoCard()
	for b.Loop() {
		if _, err := simulator.SystemPrompt(card); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLLM_Next measures one simulated turn end to end against the
// local scripted server: prompt, request, HTTP, schema check and decoding.
func BenchmarkLLM_Next(b *testing.B) {
	srv := llmtest.NewServer(b, func(*llmtest.Request) llmtest.Reply {
		return turn("Great, now a segment of the enabled ones please.", "continue", "g1 done",
			status("g1", "done"), status("g2", "pending"))
	})
	m := simulator.NewLLM(llmtest.Client(b, srv, llm.Config{}), torontoCard(), 7)
	for b.Loop() {
		if _, err := m.Next(b.Context(), afterOpening); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(srv.Count())/float64(b.N), "calls/op")
}
