package agreement_test

import (
	"fmt"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

func ExampleAnalyze() {
	scale, _ := agreement.ParseScale("ordinal:1,2,3,4,5")
	var labels []agreement.Label
	raters := []string{"ann", "bob", "cat", "judge"}
	rows := [][]string{
		{"1", "2", "3", "4", "5", "2", "4", "3"},
		{"1", "2", "3", "5", "5", "2", "3", "3"},
		{"2", "2", "3", "4", "4", "1", "4", "3"},
		{"1", "2", "3", "4", "5", "2", "4", "4"},
	}
	for r, values := range rows {
		for i, v := range values {
			labels = append(labels, agreement.Label{Item: fmt.Sprint("conv", i), Rater: raters[r], Value: v})
		}
	}
	tab, err := agreement.NewTable(labels, scale)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := agreement.Analyze(tab, agreement.DefaultOptions("judge"))
	if err != nil {
		fmt.Println(err)
		return
	}
	j := r.Judges["judge"]
	fmt.Printf("human alpha (ordinal) %.3f\n", *r.KrippendorffAlpha.Ordinal)
	fmt.Printf("ceiling %.3f, judge %.3f, ratio %.2f\n", *r.Ceiling.MeanKappa, *j.MeanKappaVsHumans, *j.Ratio)
	fmt.Printf("alt-test: ω %.2f, ρ %.2f, passed %v\n", *j.AltTest.WinningRate, *j.AltTest.AdvantageProbability, j.AltTest.Passed)
	// Eight items are far too few for the alt-test to reject anything;
	// the paper asks for 50–100.

	// Output:
	// human alpha (ordinal) 0.905
	// ceiling 0.854, judge 0.890, ratio 1.04
	// alt-test: ω 0.00, ρ 0.88, passed false
}

func ExampleKrippendorffAlpha() {
	// Krippendorff (2011): four observers, twelve units, "." missing.
	rows := []string{
		"1 2 3 3 2 1 4 1 2 . . .",
		"1 2 3 3 2 2 4 1 2 5 . 3",
		". 3 3 3 2 3 4 2 2 5 1 .",
		"1 2 3 3 2 4 4 1 2 5 1 .",
	}
	var labels []agreement.Label
	for r, row := range rows {
		rater := string(rune('A' + r))
		var v string
		for i := 0; i*2 < len(row); i++ {
			if v = row[i*2 : i*2+1]; v != "." {
				labels = append(labels, agreement.Label{Item: fmt.Sprint(i + 1), Rater: rater, Value: v})
			}
		}
	}
	tab, _ := agreement.NewTable(labels, agreement.Scale{Kind: agreement.Ordinal})
	for _, m := range []agreement.Kind{agreement.Nominal, agreement.Ordinal, agreement.Interval} {
		a, _ := agreement.KrippendorffAlpha(tab, m)
		fmt.Printf("%s %.3f\n", m, a)
	}
	// Output:
	// nominal 0.743
	// ordinal 0.815
	// interval 0.849
}

func ExampleWeightedKappa() {
	// Levels 1..4 as indices 0..3; level 3 (index 2) is never used but
	// still counts in the weights.
	a := []int{0, 1, 3, 3, 0, 1}
	b := []int{0, 3, 3, 1, 1, 1}
	fmt.Printf("cohen %.4f linear %.4f quadratic %.4f\n",
		agreement.CohenKappa(a, b, 4), agreement.WeightedKappa(a, b, 4, agreement.Linear), agreement.WeightedKappa(a, b, 4, agreement.Quadratic))
	// Output: cohen 0.2500 linear 0.3478 quadratic 0.4706
}

func ExampleBenjaminiYekutieli() {
	adj := agreement.BenjaminiYekutieli([]float64{0.001, 0.01, 0.02, 0.5})
	fmt.Printf("%.4f\n", adj)
	// Output: [0.0083 0.0417 0.0556 1.0000]
}
