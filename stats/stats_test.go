package stats_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/merchantarena/merchantarena/stats"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Newcombe (1998), "Two-sided confidence intervals for the single
// proportion: comparison of seven methods", Statistics in Medicine 17,
// Table I, method 3 (Wilson score interval without continuity correction).
func TestWilson_Newcombe1998(t *testing.T) {
	tests := []struct {
		s, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0.0000, 0.1611},
		{1, 29, 0.0061, 0.1718},
	}
	for _, tt := range tests {
		got := stats.Wilson(tt.s, tt.n, 0.95)
		if !near(got.Lo, tt.lo, 5e-5) || !near(got.Hi, tt.hi, 5e-5) {
			t.Errorf("Wilson(%d/%d) = [%.4f, %.4f], want [%.4f, %.4f]", tt.s, tt.n, got.Lo, got.Hi, tt.lo, tt.hi)
		}
	}
	if got := stats.Wilson(0, 0, 0.95); got != (stats.Interval{Lo: 0, Hi: 1}) {
		t.Errorf("Wilson with no trial = %v, want [0, 1]", got)
	}
}

func TestPassK(t *testing.T) {
	tests := []struct {
		c, n, k int
		want    float64
	}{
		{4, 4, 4, 1},
		{3, 4, 1, 0.75},
		{3, 4, 2, 0.5},  // C(3,2)/C(4,2) = 3/6
		{3, 4, 3, 0.25}, // C(3,3)/C(4,3) = 1/4
		{3, 4, 4, 0},
		{2, 5, 2, 0.1}, // C(2,2)/C(5,2) = 1/10
		{0, 3, 1, 0},
	}
	for _, tt := range tests {
		if got := stats.PassK(tt.c, tt.n, tt.k); !near(got, tt.want, 1e-12) {
			t.Errorf("PassK(%d,%d,%d) = %v, want %v", tt.c, tt.n, tt.k, got, tt.want)
		}
	}
	if !math.IsNaN(stats.PassK(1, 2, 3)) {
		t.Error("PassK with k > n is not NaN")
	}
	got := stats.MeanPassK([]stats.Count{{C: 3, N: 4}, {C: 4, N: 4}, {C: 1, N: 1}}, 2)
	if !near(got, 0.75, 1e-12) { // (0.5 + 1)/2; the one-trial persona has no say
		t.Errorf("MeanPassK = %v, want 0.75", got)
	}
}

// Fagerland, Lydersen & Laake (2013), BMC Med Res Methodol 13:91, the
// airway hyper-responsiveness example: 1 and 7 discordant pairs, exact
// conditional p = 0.070.
func TestMcNemarExact_Fagerland2013(t *testing.T) {
	if got := stats.McNemarExact(1, 7); !near(got, 0.0703, 5e-5) {
		t.Errorf("McNemarExact(1, 7) = %.4f, want 0.0703", got)
	}
	if got := stats.McNemarExact(7, 1); !near(got, 0.0703, 5e-5) {
		t.Errorf("McNemarExact is not symmetric: %.4f", got)
	}
	// One-sided: P(X >= 7 | n = 8) = 9/256.
	if got := stats.McNemarOneSided(7, 1); !near(got, 9.0/256, 1e-12) {
		t.Errorf("McNemarOneSided(7, 1) = %v, want %v", got, 9.0/256)
	}
	if got := stats.McNemarExact(0, 0); got != 1 {
		t.Errorf("no discordant pair: p = %v, want 1", got)
	}
}

func TestBradleyTerry_TwoPlayersClosedForm(t *testing.T) {
	// With two players the MLE is the log odds of the win share: 7 wins of
	// 10 give β = ln(7/3).
	beta, err := stats.BradleyTerry([][]float64{{0, 3}, {7, 0}}, 1e-9, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !near(beta[1], math.Log(7.0/3), 1e-6) || beta[0] != 0 {
		t.Fatalf("beta = %v, want [0, ln(7/3)=%v]", beta, math.Log(7.0/3))
	}
}

// At the penalised maximum each build's wins equal its expected wins plus
// the penalty term, Σj w_ij = Σj n_ij p_ij + λ β_i, for the unanchored
// strengths β. Anchoring shifts them by a constant; summing the equations
// shows the unanchored strengths sum to zero, which recovers the shift.
func TestBradleyTerry_ScoreEquations(t *testing.T) {
	wins := [][]float64{
		{0, 6, 8, 5},
		{4, 0, 7, 6.5},
		{2, 3, 0, 4},
		{5, 3.5, 6, 0},
	}
	const lambda = 0.01
	beta, err := stats.BradleyTerry(wins, lambda, 2)
	if err != nil {
		t.Fatal(err)
	}
	if beta[2] != 0 {
		t.Fatalf("anchor not at 0: %v", beta)
	}
	mean := 0.0
	for _, b := range beta {
		mean += b
	}
	mean /= float64(len(beta))
	for i := range wins {
		got, want := 0.0, 0.0
		for j := range wins {
			if i == j {
				continue
			}
			n := wins[i][j] + wins[j][i]
			got += wins[i][j]
			want += n / (1 + math.Exp(beta[j]-beta[i]))
		}
		want += lambda * (beta[i] - mean)
		if !near(got, want, 1e-6) {
			t.Errorf("build %d: wins %v, expected wins + penalty %v", i, got, want)
		}
	}
	// Total wins 19, 17.5, 9 and 14.5 against a balanced schedule: the
	// strengths keep that order.
	if !(beta[0] > beta[1] && beta[1] > beta[3] && beta[3] > beta[2]) {
		t.Errorf("strengths %v do not follow the win record", beta)
	}
}

func TestBradleyTerry_UnbeatenStaysFinite(t *testing.T) {
	beta, err := stats.BradleyTerry([][]float64{{0, 10, 10}, {0, 0, 5}, {0, 5, 0}}, stats.DefaultLambda, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.IsInf(beta[0], 0) || math.IsNaN(beta[0]) || beta[0] <= 1 {
		t.Fatalf("unbeaten build's strength %v, want large but finite", beta[0])
	}
	if !near(beta[2], 0, 1e-9) {
		t.Errorf("two builds with an even record differ: %v", beta)
	}
	if stats.Rating(0) != 1000 || stats.Rating(0.5) != 1200 {
		t.Error("Rating is not 400·β+1000")
	}
}

func TestBradleyTerry_Errors(t *testing.T) {
	for name, wins := range map[string][][]float64{"Empty": {}, "Ragged": {{0, 1}, {1}}} {
		if _, err := stats.BradleyTerry(wins, 0.01, 0); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
	if _, err := stats.BradleyTerry([][]float64{{0}}, 0.01, 3); err == nil {
		t.Error("anchor out of range: want an error")
	}
}

func TestBootstrap_MeanCI(t *testing.T) {
	clusters := [][]float64{{1, 1}, {0}, {1, 0, 1}, {0, 0}}
	mean, ci := stats.Bootstrap{Resamples: 2000, Seed: 7}.MeanCI(clusters)
	if !near(mean, 4.0/8, 1e-12) {
		t.Errorf("mean = %v, want the mean over sessions 0.5", mean)
	}
	if !(ci.Lo < mean && mean < ci.Hi) || ci.Lo < 0 || ci.Hi > 1 {
		t.Errorf("interval %v does not straddle the mean within [0,1]", ci)
	}
	m2, ci2 := stats.Bootstrap{Resamples: 2000, Seed: 7}.MeanCI(clusters)
	if m2 != mean || ci2 != ci {
		t.Error("the same seed gave another interval")
	}
}

// TestBootstrap_LowerBoundCoverage is the property the gate rests on: on
// synthetic paired data with a known true difference, the one-sided 95%
// lower bound stays below the truth about 95% of the time. A bound that
// ignores sampling error (the point estimate itself) fails the same check.
func TestBootstrap_LowerBoundCoverage(t *testing.T) {
	const (
		reps, personas, trials = 200, 60, 2
		truth                  = 0.1
	)
	covered, naive := 0, 0
	for r := range reps {
		rng := rand.New(rand.NewPCG(uint64(r), 42))
		diffs := make([][]float64, personas)
		for p := range diffs {
			// Personas differ (a random effect), sessions vary within.
			effect := truth + rng.NormFloat64()*0.3
			for range trials {
				diffs[p] = append(diffs[p], effect+rng.NormFloat64()*0.2)
			}
		}
		mean, lower := stats.Bootstrap{Resamples: 1000, Seed: uint64(r) + 1}.LowerBound(diffs, 0.05)
		if lower <= truth {
			covered++
		}
		if mean <= truth {
			naive++
		}
	}
	rate := float64(covered) / reps
	if rate < 0.91 || rate > 0.99 {
		t.Errorf("the 95%% lower bound covered the true difference in %.1f%% of %d replications", 100*rate, reps)
	}
	if nr := float64(naive) / reps; nr > 0.8 {
		t.Errorf("the check cannot fail: a bound with no sampling error covered %.0f%%", 100*nr)
	}
}

func TestMinDetectable(t *testing.T) {
	// (z_0.95 + z_0.80) · 0.01 = (1.6449 + 0.8416) · 0.01
	if got := stats.MinDetectable(0.01, 0.05, 0.8); !near(got, 0.024865, 1e-5) {
		t.Errorf("MinDetectable = %v, want 0.024865", got)
	}
}

func TestBootstrap_LowerBoundsMatchesOneByOne(t *testing.T) {
	a := [][]float64{{0.1, 0.2}, {-0.1}, {0.3, 0.1, 0.0}, {0.05}}
	b := [][]float64{{1}, {0}, {1, 1, 0}, {0}}
	boot := stats.Bootstrap{Resamples: 3000, Seed: 9}
	means, lowers := boot.LowerBounds([][][]float64{a, b}, 0.05)
	for i, set := range [][][]float64{a, b} {
		m, l := boot.LowerBound(set, 0.05)
		if !near(means[i], m, 1e-12) || !near(lowers[i], l, 1e-12) {
			t.Errorf("statistic %d: together (%v, %v), alone (%v, %v)", i, means[i], lowers[i], m, l)
		}
	}
}
