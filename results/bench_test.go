package results_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/results"
)

// BenchmarkDB_WriteSessions writes sessions of 10 messages, 5 tool calls, 3
// findings and 2 scores (21 rows each) in batches of 1 and 100.
func BenchmarkDB_WriteSessions(b *testing.B) {
	for _, size := range []int{1, 100} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			db := MustOpenDB(b)
			tmpl := fullSession(key("r1", "p1", "golden", 0), 10, 5, 3)
			rowsPer := 1 + len(tmpl.Messages) + len(tmpl.ToolCalls) + len(tmpl.Findings) + len(tmpl.Scores)
			batch := make([]results.Session, size)
			trial, written := 0, 0
			for b.Loop() {
				for i := range batch {
					batch[i] = tmpl
					batch[i].Key.Trial = trial
					trial++
				}
				if err := db.WriteSessions(b.Context(), batch); err != nil {
					b.Fatal(err)
				}
				written += size
			}
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(written)/secs, "sessions/s")
			b.ReportMetric(float64(written*rowsPer)/secs, "rows/s")
		})
	}
}

// BenchmarkDB_Leaderboard reads one run's leaderboard from a file of n
// sessions (10 candidates, 3 findings each, one in 20 a simulator fault):
// all in the one run, or spread over 10 runs.
func BenchmarkDB_Leaderboard(b *testing.B) {
	for _, c := range []struct{ sessions, runs int }{{10_000, 1}, {100_000, 1}, {100_000, 10}} {
		b.Run(fmt.Sprintf("sessions=%d/runs=%d", c.sessions, c.runs), func(b *testing.B) {
			db := MustOpenDB(b)
			fillRuns(b, db, c.sessions, c.runs)
			for b.Loop() {
				board, err := db.Leaderboard(b.Context(), "r0")
				if err != nil {
					b.Fatal(err)
				}
				if len(board) != 10 {
					b.Fatalf("leaderboard has %d rows, want 10", len(board))
				}
			}
		})
	}
}

func fillRuns(b testing.TB, db *results.DB, sessions, runs int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(7, 7))
	statuses := []string{results.StatusOK, results.StatusOK, results.StatusOK, results.StatusError,
		results.StatusTimeout}
	const cands, batchSize = 10, 2000
	batch := make([]results.Session, 0, batchSize)
	for i := range sessions {
		run := fmt.Sprintf("r%d", i%runs)
		j := i / runs
		s := verdict(run, fmt.Sprintf("p%d", j/cands%500), fmt.Sprintf("cand%d", j%cands), j/cands/500,
			statuses[rng.IntN(len(statuses))], rng.IntN(2) == 0, ptr(rng.Float64()),
			time.Duration(rng.IntN(5000))*ms, time.Duration(rng.IntN(20000))*ms, 3)
		if rng.IntN(20) == 0 { // one session in 20 spoilt by the merchant
			s.SimulatorFault, s.FaultReason = true, "simulator fault"
		}
		batch = append(batch, s)
		if len(batch) == batchSize || i == sessions-1 {
			if err := db.WriteSessions(b.Context(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// BenchmarkDB_WriteLLMCalls appends calls to the call log in batches of 1
// (WriteLLMCalls per call) and 100 (what a Writer batches).
func BenchmarkDB_WriteLLMCalls(b *testing.B) {
	for _, size := range []int{1, 100} {
		b.Run(fmt.Sprintf("batch=%d", size), func(b *testing.B) {
			db := MustOpenDB(b)
			calls := randomCalls(rand.New(rand.NewPCG(1, 1)), size, "r1/p1/golden@1.0.0/0")
			written := 0
			for b.Loop() {
				if err := db.WriteLLMCalls(b.Context(), "r1", calls); err != nil {
					b.Fatal(err)
				}
				written += size
			}
			b.ReportMetric(float64(written)/b.Elapsed().Seconds(), "calls/s")
		})
	}
}

// BenchmarkDB_RunUsage sums one run's usage from a log of 100k calls over
// 10 runs.
func BenchmarkDB_RunUsage(b *testing.B) {
	db := MustOpenDB(b)
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range 100 {
		if err := db.WriteLLMCalls(b.Context(), fmt.Sprintf("r%d", i%10), randomCalls(rng, 1000, "s")); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		usage, err := db.RunUsage(b.Context(), "r0")
		if err != nil {
			b.Fatal(err)
		}
		if len(usage) != 4 {
			b.Fatalf("usage has %d roles, want 4", len(usage))
		}
	}
}

// BenchmarkLLMCache reads hits and writes 2 KB replies.
func BenchmarkLLMCache(b *testing.B) {
	value := make([]byte, 2048)
	b.Run("Get", func(b *testing.B) {
		c := MustOpenDB(b).LLMCache()
		for i := range 1000 {
			if err := c.Put(b.Context(), fmt.Sprint(i), "m", value); err != nil {
				b.Fatal(err)
			}
		}
		i := 0
		for b.Loop() {
			if _, ok, err := c.Get(b.Context(), fmt.Sprint(i%1000)); err != nil || !ok {
				b.Fatalf("Get = %v, %v", ok, err)
			}
			i++
		}
	})
	b.Run("Put", func(b *testing.B) {
		c := MustOpenDB(b).LLMCache()
		i := 0
		for b.Loop() {
			if err := c.Put(b.Context(), fmt.Sprint(i), "m", value); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// BenchmarkDB_SessionFacts loads a 100,000-session run the way the ranking
// and the gate do: everything, everything with criteria, and two builds.
func BenchmarkDB_SessionFacts(b *testing.B) {
	db := MustOpenDB(b)
	fillRuns(b, db, 100_000, 1)
	for _, c := range []struct {
		name string
		f    results.FactFilter
	}{
		{"all", results.FactFilter{Runs: []string{"r0"}}},
		{"all+findings+criteria", results.FactFilter{Runs: []string{"r0"}, Findings: true, Criteria: true}},
		{"two-builds", results.FactFilter{Runs: []string{"r0"}, Candidates: []string{"cand0", "cand1"}, Findings: true, Criteria: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				facts, err := db.SessionFacts(b.Context(), c.f)
				if err != nil || len(facts) == 0 {
					b.Fatal(len(facts), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
		})
	}
	b.Run("pairwise", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.Pairwise(b.Context(), "r0"); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
	})
}
