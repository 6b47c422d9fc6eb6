package agreement_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

func TestCohenKappa(t *testing.T) {
	t.Run("Published", func(t *testing.T) {
		// Wikipedia, "Cohen's kappa", worked example: 50 grant proposals,
		// both readers say yes 20 times, both no 15, A yes/B no 5,
		// A no/B yes 10. p_o = 0.7, p_e = 0.5, κ = 0.4.
		var a, b []int
		add := func(x, y, n int) {
			for range n {
				a, b = append(a, x), append(b, y)
			}
		}
		add(0, 0, 20)
		add(0, 1, 5)
		add(1, 0, 10)
		add(1, 1, 15)
		near(t, "kappa", agreement.CohenKappa(a, b, 2), 0.4, 1e-12)
	})
	t.Run("NaNWhenBothUseOneLevel", func(t *testing.T) {
		if got := agreement.CohenKappa([]int{1, 1}, []int{1, 1}, 3); !math.IsNaN(got) {
			t.Fatalf("kappa = %v, want NaN", got)
		}
	})
}

// Hand-worked weighted kappa on a 4-level scale 1..4 whose level 3 is never
// used. Pairs (a,b): (1,1) (2,4) (4,4) (4,2) (1,2) (2,2); positions are the
// level indices 0..3, k−1 = 3.
//
//	distances |a−b|: 0 2 0 2 1 0
//	margins a: 1→1/3, 2→1/3, 4→1/3;   b: 1→1/6, 2→1/2, 4→1/3
//
// Linear, v = d/3: observed = (2+2+1)/3/6 = 5/18. Expected Σ v r_a c_b:
// a=1: (1·1/2 + 3·1/3)/3 = 1/2; a=2: (1·1/6 + 2·1/3)/3 = 5/18;
// a=4: (3·1/6 + 2·1/2)/3 = 1/2; sum 23/18, over 3: 23/54.
// κ_linear = 1 − (5/18)/(23/54) = 8/23 ≈ 0.347826.
//
// Quadratic, v = (d/3)²: observed = (4+4+1)/9/6 = 1/6. Expected: a=1:
// (1·1/2 + 9·1/3)/3 = 7/6; a=2: (1·1/6 + 4·1/3)/3 = 1/2; a=4:
// (9·1/6 + 4·1/2)/3 = 7/6; sum 17/6, over 9: 17/54.
// κ_quadratic = 1 − (1/6)/(17/54) = 8/17 ≈ 0.470588.
//
// Dropping the unused level (scale 1,2,4, k−1 = 2) would give 2/5 and 4/7:
// the full scale matters. Unweighted: p_o = 1/2, p_e = 1/3·1/6 + 1/3·1/2 +
// 1/3·1/3 = 1/3, κ = 1/4 either way.
var (
	handA = []int{0, 1, 3, 3, 0, 1}
	handB = []int{0, 3, 3, 1, 1, 1}
)

func TestWeightedKappa(t *testing.T) {
	for _, tc := range []struct {
		name string
		k    int
		w    agreement.Weights
		want float64
	}{
		{"LinearFullScale", 4, agreement.Linear, 8.0 / 23},
		{"QuadraticFullScale", 4, agreement.Quadratic, 8.0 / 17},
		{"Unweighted", 4, agreement.Unweighted, 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			near(t, "kappa", agreement.WeightedKappa(handA, handB, tc.k, tc.w), tc.want, 1e-12)
		})
	}
	t.Run("ObservedLevelsOnlyDiffers", func(t *testing.T) {
		// The same labels re-indexed on the 3 used levels 1,2,4.
		remap := func(xs []int) []int {
			out := make([]int, len(xs))
			for i, x := range xs {
				out[i] = map[int]int{0: 0, 1: 1, 3: 2}[x]
			}
			return out
		}
		near(t, "linear", agreement.WeightedKappa(remap(handA), remap(handB), 3, agreement.Linear), 2.0/5, 1e-12)
		near(t, "quadratic", agreement.WeightedKappa(remap(handA), remap(handB), 3, agreement.Quadratic), 4.0/7, 1e-12)
	})
	t.Run("PanicsOnLengthMismatch", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Fatal("no panic")
			}
		}()
		agreement.WeightedKappa([]int{0}, nil, 2, agreement.Linear)
	})
}

func TestComparePair(t *testing.T) {
	levels := []string{"1", "2", "3", "4"}
	var labels []agreement.Label
	for i := range handA {
		item := string(rune('a' + i))
		labels = append(labels,
			agreement.Label{Item: item, Rater: "ann", Value: levels[handA[i]]},
			agreement.Label{Item: item, Rater: "bob", Value: levels[handB[i]]})
	}
	labels = append(labels, agreement.Label{Item: "z", Rater: "ann", Value: "3"}) // bob missing: not paired
	t.Run("OrdinalUsesFullScale", func(t *testing.T) {
		tab := mustTable(t, labels, "ordinal:1,2,3,4")
		got, err := agreement.ComparePair(tab, "ann", "bob")
		if err != nil {
			t.Fatal(err)
		}
		x := []float64{1, 2, 4, 4, 1, 2}
		y := []float64{1, 4, 4, 2, 2, 2}
		f := func(v float64) *float64 { return &v }
		want := agreement.Pair{A: "ann", B: "bob", N: 6,
			ExactAgreement: f(0.5), CohenKappa: f(0.25), LinearKappa: f(8.0 / 23), QuadraticKappa: f(8.0 / 17),
			KendallTauB: f(agreement.KendallTauB(x, y)), Spearman: f(agreement.Spearman(x, y)), Pearson: f(agreement.Pearson(x, y))}
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("ComparePair (-want +got):\n%s", diff)
		}
	})
	t.Run("InferredScaleKnowsOnlySeenLevels", func(t *testing.T) {
		// Without a declared scale and without item z, level 3 is never
		// seen: the inferred scale is 1,2,4 and the kappas are the
		// observed-levels ones. Declare the scale to get the full one.
		tab := mustTable(t, labels[:len(labels)-1], "")
		got, _ := agreement.ComparePair(tab, "ann", "bob")
		near(t, "linear", val(t, "linear", got.LinearKappa), 2.0/5, 1e-12)
		near(t, "quadratic", val(t, "quadratic", got.QuadraticKappa), 4.0/7, 1e-12)
	})
	t.Run("NominalStringsHaveNoOrderedStats", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"a", "b"}, []string{"x", "y", "x"}, []string{"x", "y", "y"}), "")
		got, _ := agreement.ComparePair(tab, "a", "b")
		if got.LinearKappa != nil || got.QuadraticKappa != nil || got.KendallTauB != nil || got.Pearson != nil {
			t.Errorf("ordered statistics on a nominal scale: %+v", got)
		}
		near(t, "exact", val(t, "exact", got.ExactAgreement), 2.0/3, 1e-12)
	})
	t.Run("ErrUnknownRater", func(t *testing.T) {
		tab := mustTable(t, labels, "")
		if _, err := agreement.ComparePair(tab, "ann", "eve"); err == nil {
			t.Fatal("no error for unknown rater")
		}
	})
}
