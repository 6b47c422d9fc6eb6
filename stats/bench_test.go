package stats_test

import (
	"math/rand/v2"
	"testing"

	"github.com/merchantarena/merchantarena/stats"
)

func clusters(n, per int) [][]float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	out := make([][]float64, n)
	for i := range out {
		for range per {
			out[i] = append(out[i], rng.Float64())
		}
	}
	return out
}

// BenchmarkBootstrap_LowerBound is the gate's cost per metric: 10,000
// resamples over 1,000 personas.
func BenchmarkBootstrap_LowerBound(b *testing.B) {
	d := clusters(1000, 3)
	for b.Loop() {
		stats.Bootstrap{Resamples: 10000}.LowerBound(d, 0.05)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}

// BenchmarkBootstrap_LowerBounds10 is a gate with ten metrics.
func BenchmarkBootstrap_LowerBounds10(b *testing.B) {
	sets := make([][][]float64, 10)
	for i := range sets {
		sets[i] = clusters(1000, 3)
	}
	for b.Loop() {
		stats.Bootstrap{Resamples: 10000}.LowerBounds(sets, 0.05)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}

func BenchmarkBradleyTerry_10Builds(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	wins := make([][]float64, 10)
	for i := range wins {
		wins[i] = make([]float64, 10)
		for j := range wins[i] {
			if i != j {
				wins[i][j] = float64(rng.IntN(1000))
			}
		}
	}
	for b.Loop() {
		if _, err := stats.BradleyTerry(wins, stats.DefaultLambda, 0); err != nil {
			b.Fatal(err)
		}
	}
}
