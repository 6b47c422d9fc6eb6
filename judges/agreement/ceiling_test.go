package agreement_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

func TestHumanCeiling(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	p := simulate(rng, 60, fiveHumans[:3], 0.3)
	tab := mustTable(t, p.labels(nil), "ordinal:1,2,3,4,5")
	t.Run("MeanOfPairwiseQuadraticKappas", func(t *testing.T) {
		got, err := agreement.HumanCeiling(tab, []string{"h1", "h2", "h3"})
		if err != nil {
			t.Fatal(err)
		}
		var sum float64
		for _, pr := range [][2]string{{"h1", "h2"}, {"h1", "h3"}, {"h2", "h3"}} {
			c, _ := agreement.ComparePair(tab, pr[0], pr[1])
			sum += val(t, "qwk", c.QuadraticKappa)
		}
		near(t, "ceiling", val(t, "ceiling", got.MeanKappa), sum/3, 1e-12)
		if got.Weighting != "quadratic" || len(got.Pairs) != 3 {
			t.Errorf("weighting %q with %d pairs, want quadratic with 3", got.Weighting, len(got.Pairs))
		}
	})
	t.Run("ErrTooFewHumans", func(t *testing.T) {
		if _, err := agreement.HumanCeiling(tab, []string{"h1"}); !errors.Is(err, agreement.ErrTooFewHumans) {
			t.Fatalf("err = %v, want ErrTooFewHumans", err)
		}
	})
}

func TestCompareJudge(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	humans := fiveHumans[:3]
	p := simulate(rng, 120, humans, 0.35)
	// A judge that is right most of the time but drifts one level up on
	// one item in four: somewhat worse than the humans.
	drift := func(i int, votes []int) int {
		if i%4 == 0 {
			return min(5, p.truth[i]+1)
		}
		return p.truth[i]
	}
	tab := mustTable(t, p.labels(map[string]func(int, []int) int{"judge": drift}), "ordinal:1,2,3,4,5")
	run := func(seed uint64) agreement.JudgeReport {
		o := agreement.DefaultOptions("judge")
		o.Rand = rand.New(rand.NewPCG(seed, 0))
		r, err := agreement.CompareJudge(tab, "judge", humans, o)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	got := run(42)
	t.Run("IntervalCoversObservedDifference", func(t *testing.T) {
		diff := val(t, "difference", got.Difference)
		ci := got.DifferenceInterval
		if ci == nil || ci.Lo > diff || ci.Hi < diff || ci.Lo >= ci.Hi {
			t.Fatalf("interval %+v does not cover the difference %.4f", ci, diff)
		}
		if ci.Resamples != agreement.DefaultResamples {
			t.Errorf("resamples = %d, want %d", ci.Resamples, agreement.DefaultResamples)
		}
	})
	t.Run("DeterministicForSeed", func(t *testing.T) {
		if diff := cmp.Diff(got, run(42)); diff != "" {
			t.Errorf("same seed, different report (-first +second):\n%s", diff)
		}
		if cmp.Equal(got.DifferenceInterval, run(43).DifferenceInterval) {
			t.Error("different seeds gave the same interval")
		}
	})
	t.Run("RatioAndMean", func(t *testing.T) {
		c, _ := agreement.HumanCeiling(tab, humans)
		var sum float64
		for _, h := range humans {
			sum += val(t, h, got.KappaVsHumans[h])
		}
		near(t, "mean", val(t, "mean", got.MeanKappaVsHumans), sum/3, 1e-12)
		near(t, "ratio", val(t, "ratio", got.Ratio), sum/3/val(t, "ceiling", c.MeanKappa), 1e-12)
	})
	t.Run("AlphaSubstituted", func(t *testing.T) {
		sub, _ := tab.WithRaters("h2", "h3", "judge")
		want, _ := agreement.KrippendorffAlpha(sub, agreement.Ordinal)
		near(t, "alpha without h1", val(t, "alpha", got.AlphaSubstituted["h1"]), want, 1e-12)
		if got.AlphaMetric != "ordinal" || got.AltTest == nil {
			t.Errorf("metric %q, alt-test %v", got.AlphaMetric, got.AltTest)
		}
	})
	t.Run("NoIntervalWithoutResamples", func(t *testing.T) {
		o := agreement.DefaultOptions("judge")
		o.Resamples = 0
		r, err := agreement.CompareJudge(tab, "judge", humans, o)
		if err != nil || r.DifferenceInterval != nil {
			t.Fatalf("interval %+v, err %v; want none", r.DifferenceInterval, err)
		}
	})
}
