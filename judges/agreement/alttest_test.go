package agreement_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

var fiveHumans = []string{"h1", "h2", "h3", "h4", "h5"}

func TestAlternativeAnnotatorTest(t *testing.T) {
	t.Run("MajorityJudgePasses", func(t *testing.T) {
		// Property over seeds: a judge that copies the humans' majority
		// aligns with any left-out group at least as well as the left-out
		// human does, so it must pass every time.
		for seed := range uint64(20) {
			rng := rand.New(rand.NewPCG(seed, 7))
			p := simulate(rng, 80, fiveHumans, 0.3)
			tab := mustTable(t, p.labels(map[string]func(int, []int) int{"judge": majority}), "ordinal:1,2,3,4,5")
			got, err := agreement.AlternativeAnnotatorTest(tab, "judge", fiveHumans, agreement.DefaultEpsilon, agreement.DefaultQ)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Passed || val(t, "omega", got.WinningRate) < 0.5 {
				t.Fatalf("seed %d: majority judge failed: ω = %v, humans %+v", seed, *got.WinningRate, got.Humans)
			}
			if rho := val(t, "rho", got.AdvantageProbability); rho < 0.7 {
				t.Errorf("seed %d: ρ = %.3f, want ≥ 0.7", seed, rho)
			}
		}
	})
	t.Run("RandomJudgeFails", func(t *testing.T) {
		// Humans who agree closely and a judge that labels at random on a
		// 5-level scale: it must fail for every seed.
		for seed := range uint64(20) {
			rng := rand.New(rand.NewPCG(seed, 8))
			p := simulate(rng, 80, fiveHumans, 0.1)
			random := func(int, []int) int { return 1 + rng.IntN(5) }
			tab := mustTable(t, p.labels(map[string]func(int, []int) int{"judge": random}), "ordinal:1,2,3,4,5")
			got, err := agreement.AlternativeAnnotatorTest(tab, "judge", fiveHumans, agreement.DefaultEpsilon, agreement.DefaultQ)
			if err != nil {
				t.Fatal(err)
			}
			if got.Passed {
				t.Fatalf("seed %d: random judge passed: ω = %v", seed, *got.WinningRate)
			}
			if rho := val(t, "rho", got.AdvantageProbability); rho > 0.5 {
				t.Errorf("seed %d: ρ = %.3f, want ≤ 0.5", seed, rho)
			}
		}
	})
	t.Run("NominalUsesAccuracy", func(t *testing.T) {
		// Hand-checked: three humans and a judge on four items, labels
		// yes/no. Leaving h1 out, the others on items 1..4 say (y,y) (y,n)
		// (n,n) (n,n); h1 says y,y,y,n and the judge y,n,n,n. Accuracy
		// h1: 1, .5, 0, 1; judge: 1, .5, 1, 1. The judge wins all four
		// items (ρ_f = 1) and h1 three (ρ_h = .75).
		tab := mustTable(t, grid([]string{"h1", "h2", "h3", "judge"},
			[]string{"y", "y", "y", "n"},
			[]string{"y", "y", "n", "n"},
			[]string{"y", "n", "n", "n"},
			[]string{"y", "n", "n", "n"},
		), "")
		got, err := agreement.AlternativeAnnotatorTest(tab, "judge", []string{"h1", "h2", "h3"}, 0.2, 0.05)
		if err != nil {
			t.Fatal(err)
		}
		if got.Alignment != "accuracy" {
			t.Errorf("alignment = %q, want accuracy", got.Alignment)
		}
		h1 := got.Humans[0]
		near(t, "ρ_f(h1)", val(t, "ρ_f", h1.JudgeAdvantage), 1, 1e-12)
		near(t, "ρ_h(h1)", val(t, "ρ_h", h1.HumanAdvantage), 0.75, 1e-12)
		if h1.N != 4 {
			t.Errorf("n = %d, want 4", h1.N)
		}
	})
	t.Run("ErrTooFewHumans", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"h1", "h2", "j"}, []string{"1", "2"}, []string{"1", "2"}, []string{"1", "1"}), "")
		_, err := agreement.AlternativeAnnotatorTest(tab, "j", []string{"h1", "h2"}, 0.2, 0.05)
		if !errors.Is(err, agreement.ErrTooFewHumans) {
			t.Fatalf("err = %v, want ErrTooFewHumans", err)
		}
	})
}
