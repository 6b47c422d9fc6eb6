package judges_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
)

// BenchmarkPipeline_Judge measures one session's verdict: stage 1 alone,
// and both stages with every judgement answered from the cache (the cost
// of a repeated trial), and with every judgement sent to a local server.
func BenchmarkPipeline_Judge(b *testing.B) {
	for _, bc := range []struct {
		name  string
		llm   bool
		cache bool
	}{{"stage=1", false, false}, {"stage=2/cache=hit", true, true}, {"stage=2/cache=off", true, false}} {
		b.Run(bc.name, func(b *testing.B) {
			ev := benchEvidence(b)
			p := &judges.Pipeline{Procedural: judges.NewProcedural()}
			var srv *llmtest.Server
			if bc.llm {
				srv = llmtest.NewServer(b, func(r *llmtest.Request) llmtest.Reply {
					if rep, ok := allReplies("g1", "g2")[taskOf(r)]; ok {
						return rep
					}
					return llmtest.Status(400)
				})
				var cache llm.Cache
				if bc.cache {
					cache = &llm.MemoryCache{}
				}
				p.LLM = &judges.LLMJudge{Client: llmtest.Client(b, srv, llm.Config{Cache: cache})}
			}
			if _, err := p.Judge(b.Context(), ev); err != nil { // warms the cache
				b.Fatal(err)
			}
			before := 0
			if srv != nil {
				before = srv.Count()
			}
			for b.Loop() {
				if _, err := p.Judge(b.Context(), ev); err != nil {
					b.Fatal(err)
				}
			}
			if srv != nil {
				b.ReportMetric(float64(srv.Count()-before)/float64(b.N), "requests/op")
			}
		})
	}
}

// benchEvidence is the simulated two-goal session.
func benchEvidence(b *testing.B) *judges.Evidence {
	b.Helper()
	return twoGoalSession(b).simulated("goals_met", "g1", "done", "g2", "done").evidence(judges.StatusOK)
}
