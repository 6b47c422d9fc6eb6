package agreement_test

import (
	"math/rand/v2"
	"testing"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

// BenchmarkAnalyze is the full per-criterion computation (alphas, Fleiss,
// six pairs, ceiling, 2000 bootstrap resamples, substituted alphas, the
// alt-test) on 1,000 items × 4 raters: three humans and one judge.
func BenchmarkAnalyze(b *testing.B) {
	const items = 1000
	rng := rand.New(rand.NewPCG(9, 9))
	p := simulate(rng, items, fiveHumans[:3], 0.3)
	noisy := func(i int, votes []int) int {
		if i%5 == 0 {
			return 1 + rng.IntN(5)
		}
		return majority(i, votes)
	}
	tab := mustTable(b, p.labels(map[string]func(int, []int) int{"judge": noisy}), "ordinal:1,2,3,4,5")
	o := agreement.DefaultOptions("judge")
	for b.Loop() {
		o.Rand = rand.New(rand.NewPCG(1, 2))
		if _, err := agreement.Analyze(tab, o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(items)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
	b.ReportMetric(float64(o.Resamples)*float64(b.N)/b.Elapsed().Seconds(), "resamples/s")
}
