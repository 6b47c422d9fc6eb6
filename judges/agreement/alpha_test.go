package agreement_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

// krippendorff2011 is the reliability data of Krippendorff (2011),
// "Computing Krippendorff's Alpha-Reliability", section C: four observers,
// twelve units, missing values marked ".". Unit 12 has one value and is not
// pairable.
func krippendorff2011(tb testing.TB, scale string) *agreement.Table {
	tb.Helper()
	row := func(s string) []string { return strings.Fields(s) }
	return mustTable(tb, grid([]string{"A", "B", "C", "D"},
		row("1 2 3 3 2 1 4 1 2 . . ."),
		row("1 2 3 3 2 2 4 1 2 5 . 3"),
		row(". 3 3 3 2 3 4 2 2 5 1 ."),
		row("1 2 3 3 2 4 4 1 2 5 1 ."),
	), scale)
}

func TestKrippendorffAlpha(t *testing.T) {
	// Krippendorff (2011) reports α_nominal = .743, α_ordinal = .815 and
	// α_interval = .849 for these data (printed to three decimals).
	tab := krippendorff2011(t, "ordinal:1,2,3,4,5")
	for _, tc := range []struct {
		metric agreement.Kind
		want   float64
	}{
		{agreement.Nominal, 0.743},
		{agreement.Ordinal, 0.815},
		{agreement.Interval, 0.849},
	} {
		t.Run("Published/"+tc.metric.String(), func(t *testing.T) {
			got, err := agreement.KrippendorffAlpha(tab, tc.metric)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "alpha", got, tc.want, 0.0005)
		})
	}
	t.Run("UnusedLevelsChangeNothingForNominalAndOrdinal", func(t *testing.T) {
		// Unused levels have zero marginal counts, so the ordinal metric
		// (built from marginals) and the nominal one ignore them.
		wide := krippendorff2011(t, "ordinal:0,1,2,3,4,5,6")
		for _, m := range []agreement.Kind{agreement.Nominal, agreement.Ordinal} {
			a, _ := agreement.KrippendorffAlpha(tab, m)
			b, _ := agreement.KrippendorffAlpha(wide, m)
			near(t, m.String(), b, a, 1e-12)
		}
	})
	t.Run("ErrUnorderedOnNominalStrings", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"a", "b"}, []string{"yes", "no"}, []string{"yes", "yes"}), "")
		if _, err := agreement.KrippendorffAlpha(tab, agreement.Ordinal); !errors.Is(err, agreement.ErrUnordered) {
			t.Fatalf("err = %v, want ErrUnordered", err)
		}
	})
	t.Run("NaNWithoutVariation", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"a", "b"}, []string{"1", "1"}, []string{"1", "1"}), "")
		if got, err := agreement.KrippendorffAlpha(tab, agreement.Nominal); err != nil || !math.IsNaN(got) {
			t.Fatalf("alpha = %v, %v; want NaN, nil", got, err)
		}
	})
	t.Run("PerfectAgreementIsOne", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"a", "b", "c"},
			[]string{"1", "2", "3", "."}, []string{"1", "2", "3", "4"}, []string{".", "2", "3", "4"}), "interval")
		got, _ := agreement.KrippendorffAlpha(tab, agreement.Interval)
		near(t, "alpha", got, 1, 1e-12)
	})
}

func TestFleissKappa(t *testing.T) {
	// Fleiss (1971), as worked on Wikipedia's "Fleiss' kappa" page: 10
	// subjects, 14 raters, 5 categories; P̄ = 0.378, P̄e = 0.213,
	// κ = 0.210 (0.2099).
	counts := [][5]int{
		{0, 0, 0, 0, 14}, {0, 2, 6, 4, 2}, {0, 0, 3, 5, 6}, {0, 3, 9, 2, 0}, {2, 2, 8, 1, 1},
		{7, 7, 0, 0, 0}, {3, 2, 6, 3, 0}, {2, 5, 3, 2, 2}, {6, 5, 2, 1, 0}, {0, 2, 2, 3, 7},
	}
	labels := fleissLabels(counts)
	tab := mustTable(t, labels, "nominal:1,2,3,4,5")
	t.Run("Published", func(t *testing.T) {
		got, used := agreement.FleissKappa(tab)
		near(t, "kappa", got, 0.2099, 0.00005)
		if used != 10 {
			t.Errorf("used = %d, want 10", used)
		}
	})
	t.Run("UsesItemsWithModalCount", func(t *testing.T) {
		// A 15th rater on subject 1 only: that subject now has 15 ratings,
		// the other nine keep 14, so kappa over those nine is expected.
		extra := append(labels[:len(labels):len(labels)], agreement.Label{Item: "s1", Rater: "extra", Value: "5"})
		got, used := agreement.FleissKappa(mustTable(t, extra, "nominal:1,2,3,4,5"))
		want, _ := agreement.FleissKappa(mustTable(t, fleissLabels(counts[1:]), "nominal:1,2,3,4,5"))
		near(t, "kappa", got, want, 1e-12)
		if used != 9 {
			t.Errorf("used = %d, want 9", used)
		}
	})
}

// fleissLabels spreads category counts over raters r1..rN per subject.
func fleissLabels(counts [][5]int) []agreement.Label {
	var ls []agreement.Label
	for s, row := range counts {
		r := 0
		for c, n := range row {
			for range n {
				r++
				ls = append(ls, agreement.Label{
					Item: "s" + strconv.Itoa(s+1), Rater: "r" + strconv.Itoa(r), Value: strconv.Itoa(c + 1)})
			}
		}
	}
	return ls
}
