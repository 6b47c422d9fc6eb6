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
// sessions (10 candidates, 3 findings each): all in the one run, or spread
// over 10 runs.
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
		batch = append(batch, s)
		if len(batch) == batchSize || i == sessions-1 {
			if err := db.WriteSessions(b.Context(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}
