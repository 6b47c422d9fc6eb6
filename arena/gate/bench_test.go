package gate_test

import (
	"math/rand/v2"
	"testing"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
)

// BenchmarkDecide decides on a file of 100,000 sessions: two builds × 1000
// personas × 50 trials, played by an LLM merchant (one seed per persona
// and trial), each with three judge criteria and the procedural goal
// score, one in ten with a gating finding and one in twenty a simulator
// fault. The default bootstrap: 10,000 resamples.
func BenchmarkDecide(b *testing.B) {
	const personas, trials = 1000, 50
	db := mustOpenDB(b)
	putRuns(b, db, "r1")
	rng := rand.New(rand.NewPCG(3, 3))
	kinds := []string{"tag_hacking", "hallucinated_fact", "wrong_enum", "opt_out"}
	var batch []results.Session
	for p := range personas {
		for t := range trials {
			for _, build := range []string{golden, "golden@1.1.0"} {
				ok := rng.IntN(10) != 0
				score := rng.Float64()
				opts := []option{simulator("gpt-sim", int64(p*trials+t)), criteria(map[string]float64{
					"helpfulness": rng.Float64(), "tone": rng.Float64(), "action_correctness": rng.Float64(),
				})}
				if rng.IntN(10) == 0 {
					opts = append(opts, hacks(kinds[rng.IntN(len(kinds))]))
				}
				if rng.IntN(20) == 0 {
					opts = append(opts, fault())
				}
				s := session("r1", persona(p), build, t, ok, score, opts...)
				s.Scores = append(s.Scores, results.Score{Judge: "procedural", Criterion: "goals", Score: score, Gated: score})
				batch = append(batch, s)
			}
		}
		if len(batch) >= 2000 {
			write(b, db, batch)
			batch = batch[:0]
		}
	}
	write(b, db, batch)
	cfg := gate.Config{Baseline: golden, Candidate: "golden@1.1.0", Runs: []string{"r1"}}
	b.Run("Decide", func(b *testing.B) {
		var d *gate.Decision
		for b.Loop() {
			var err error
			if d, err = gate.Decide(b.Context(), db, cfg); err != nil {
				b.Fatal(err)
			}
		}
		if d.Pairs+d.Faults != personas*trials || len(d.Metrics) != 6 {
			b.Fatalf("%d pairs + %d faults, %d metrics; want %d slots and 6 metrics", d.Pairs, d.Faults, len(d.Metrics), personas*trials)
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/decision")
	})
	// What of it is reading the file: the same query Decide makes.
	b.Run("SessionFacts", func(b *testing.B) {
		for b.Loop() {
			facts, err := db.SessionFacts(b.Context(), results.FactFilter{Runs: cfg.Runs,
				Candidates: []string{cfg.Baseline, cfg.Candidate}, Findings: true, Criteria: true})
			if err != nil || len(facts) != 2*personas*trials {
				b.Fatalf("%d facts, %v", len(facts), err)
			}
		}
		b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/read")
	})
}
