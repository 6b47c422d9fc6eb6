package agreement_test

import (
	"math"
	"testing"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

func TestKendallTauB(t *testing.T) {
	// SciPy's scipy.stats.kendalltau documentation example, with ties in
	// both variables: x1 = [12, 2, 1, 12, 2], x2 = [1, 4, 7, 1, 0],
	// tau-b = -0.47140452079103173.
	got := agreement.KendallTauB([]float64{12, 2, 1, 12, 2}, []float64{1, 4, 7, 1, 0})
	near(t, "tau-b", got, -0.47140452079103173, 1e-12)
	if got := agreement.KendallTauB([]float64{1, 1}, []float64{1, 2}); !math.IsNaN(got) {
		t.Errorf("tau-b with constant x = %v, want NaN", got)
	}
}

func TestSpearman(t *testing.T) {
	// SciPy's scipy.stats.spearmanr documentation example, with a tie in y:
	// spearmanr([1,2,3,4,5], [5,6,7,8,7]) = 0.8207826816681233.
	got := agreement.Spearman([]float64{1, 2, 3, 4, 5}, []float64{5, 6, 7, 8, 7})
	near(t, "rho", got, 0.8207826816681233, 1e-12)
}

func TestPearson(t *testing.T) {
	// SciPy's scipy.stats.pearsonr documentation examples:
	// pearsonr([1,2,3,4,5,6,7], [10,9,2.5,6,4,3,2]) = -0.828503883588428
	// (p = 0.021280260007523286), and in older releases
	// pearsonr([1,2,3,4,5], [10,9,2.5,6,4]) = -0.7426106572325057.
	near(t, "r7", agreement.Pearson([]float64{1, 2, 3, 4, 5, 6, 7}, []float64{10, 9, 2.5, 6, 4, 3, 2}), -0.828503883588428, 1e-12)
	near(t, "r5", agreement.Pearson([]float64{1, 2, 3, 4, 5}, []float64{10, 9, 2.5, 6, 4}), -0.7426106572325057, 1e-12)
	if got := agreement.Pearson([]float64{1}, []float64{2}); !math.IsNaN(got) {
		t.Errorf("r of one pair = %v, want NaN", got)
	}
}
