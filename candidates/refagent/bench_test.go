package refagent_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/transcript"
)

// BenchmarkAgent_Turn plays a search-then-answer turn against the real
// sandbox and a scripted model, and reports the prompt tokens each build
// spends on it (the test server counts about four characters a token).
func BenchmarkAgent_Turn(b *testing.B) {
	for _, bc := range builds {
		b.Run(bc.name, func(b *testing.B) {
			r := newRig(b, searchThenAnswer)
			build := bc.build(r.client, testModel)
			req := r.request(enabledAsk, candidates.PageContext{Page: "customers"})
			var prompt int
			for b.Loop() {
				reply, err := build.Handler.Turn(b.Context(), candidates.NewTurn(r.nc, req))
				if err != nil {
					b.Fatal(err)
				}
				prompt += reply.Usage.PromptTokens
			}
			b.ReportMetric(float64(prompt)/float64(b.N), "prompt-tokens/turn")
		})
	}
}

// searchThenAnswer searches once and answers once the result is in.
func searchThenAnswer(r *llmtest.Request) llmtest.Reply {
	if r.Last().Role == transcript.RoleTool {
		return llmtest.Text("Done.")
	}
	return llmtest.Calls(call("c1", "search_customers", enabledArgs))
}
