package agreement_test

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

func TestOneSidedTTest(t *testing.T) {
	t.Run("Published", func(t *testing.T) {
		// R's documented example on Student's sleep data (Cushny and
		// Peebles), t.test(extra ~ group, data = sleep, paired = TRUE):
		// t = -4.0621, df = 9, p-value = 0.002833 (two-sided, group 1 −
		// group 2). Differences group 2 − group 1, tested one-sided
		// (mean > 0), give t = +4.0621 and p = 0.002833/2.
		d := []float64{1.2, 2.4, 1.3, 1.3, 0.0, 1.0, 1.8, 0.8, 4.6, 1.4}
		got := agreement.OneSidedTTest(d, 0)
		near(t, "t", got.T, 4.0621, 0.00005)
		near(t, "p", 2*got.P, 0.002833, 0.0000005)
		if got.DF != 9 {
			t.Errorf("df = %v, want 9", got.DF)
		}
	})
	t.Run("PearsonPValue", func(t *testing.T) {
		// SciPy's pearsonr example, r = -0.828503883588428 on n = 7, has
		// p = 0.021280260007523286 from Student's t with 5 df:
		// t = r√(n−2)/√(1−r²). The test's survival function must agree.
		r := -0.828503883588428
		tt := math.Abs(r) * math.Sqrt(5) / math.Sqrt(1-r*r)
		// A sample with mean tt·s/√n and sd s reproduces that t: use
		// d = tt/√6·(1, …) + deviations of zero mean with sd 1 on n = 6.
		base := []float64{-1, 1, -1, 1, -1, 1}
		var ss float64
		for _, x := range base {
			ss += x * x
		}
		sd := math.Sqrt(ss / 5)
		d := make([]float64, 6)
		for i, x := range base {
			d[i] = x/sd + tt/math.Sqrt(6)
		}
		got := agreement.OneSidedTTest(d, 0)
		near(t, "t", got.T, tt, 1e-9)
		near(t, "p", 2*got.P, 0.021280260007523286, 1e-9)
	})
	t.Run("ShiftedNull", func(t *testing.T) {
		// H0: mean ≤ −0.2 on data with mean −0.2 gives t = 0, p = 1/2.
		got := agreement.OneSidedTTest([]float64{-0.5, 0.1, -0.3, -0.1}, -0.2)
		near(t, "p", got.P, 0.5, 1e-12)
	})
	t.Run("ZeroVarianceDecidesBySign", func(t *testing.T) {
		if p := agreement.OneSidedTTest([]float64{0, 0, 0}, -0.2).P; p != 0 {
			t.Errorf("p above the null = %v, want 0", p)
		}
		if p := agreement.OneSidedTTest([]float64{-1, -1}, -0.2).P; p != 1 {
			t.Errorf("p below the null = %v, want 1", p)
		}
	})
	t.Run("NaNForOneObservation", func(t *testing.T) {
		if p := agreement.OneSidedTTest([]float64{1}, 0).P; !math.IsNaN(p) {
			t.Errorf("p = %v, want NaN", p)
		}
	})
}

func TestBenjaminiYekutieli(t *testing.T) {
	// Hand-computed: m = 5, c(5) = 1 + 1/2 + 1/3 + 1/4 + 1/5 = 137/60, so
	// m·c = 137/12 ≈ 11.4167. Sorted p: 0.001, 0.004, 0.01, 0.03, 0.2.
	//   rank 5: 0.2·137/12/5   = 0.45667
	//   rank 4: 0.03·137/12/4  = 0.085625
	//   rank 3: 0.01·137/12/3  = 0.038056
	//   rank 2: 0.004·137/12/2 = 0.022833
	//   rank 1: 0.001·137/12   = 0.011417
	// Already monotone. The input is unsorted; with a 0.012 inserted the
	// step-down minimum bites (next case).
	mc := 137.0 / 12
	got := agreement.BenjaminiYekutieli([]float64{0.03, 0.001, 0.2, 0.01, 0.004})
	want := []float64{0.03 * mc / 4, 0.001 * mc, 0.2 * mc / 5, 0.01 * mc / 3, 0.004 * mc / 2}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("adjusted (-want +got):\n%s", diff)
	}
	t.Run("MonotoneAndCapped", func(t *testing.T) {
		// m = 3, m·c = 3·11/6 = 5.5. Sorted p 0.02, 0.021, 0.9:
		// raw 0.11, 0.05775, 1.65 → capped 1; running min from the top
		// gives 0.05775 for rank 1 too.
		got := agreement.BenjaminiYekutieli([]float64{0.9, 0.021, 0.02})
		want := []float64{1, 0.05775, 0.05775}
		if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("adjusted (-want +got):\n%s", diff)
		}
	})
}
