package agreement

import "math"

// Pair holds the agreement between raters A and B over the N items both
// labelled. A nil pointer means the statistic is undefined for these labels
// (no variation, too few items) or meaningless on the scale: the weighted
// kappas and the correlations need ordered levels and are nil on a nominal
// scale of strings.
type Pair struct {
	A              string   `json:"a"`
	B              string   `json:"b"`
	N              int      `json:"n"`
	ExactAgreement *float64 `json:"exact_agreement"`
	CohenKappa     *float64 `json:"cohen_kappa"`
	LinearKappa    *float64 `json:"linear_kappa"`
	QuadraticKappa *float64 `json:"quadratic_kappa"`
	KendallTauB    *float64 `json:"kendall_tau_b"`
	Spearman       *float64 `json:"spearman"`
	Pearson        *float64 `json:"pearson"`
}

// ComparePair computes every pair statistic between raters a and b over
// the items both labelled. Correlations use the levels' numbers, or their
// ranks on an ordinal scale of strings. It returns ErrUnknownRater when
// either rater has no column.
func ComparePair(t *Table, a, b string) (Pair, error) {
	cols, err := t.columns([]string{a, b})
	if err != nil {
		return Pair{}, err
	}
	la, lb := t.paired(cols[0], cols[1], nil)
	k := len(t.Scale.Levels)
	p := Pair{A: a, B: b, N: len(la)}
	same := 0
	for i := range la {
		if la[i] == lb[i] {
			same++
		}
	}
	if len(la) > 0 {
		p.ExactAgreement = num(float64(same) / float64(len(la)))
	}
	p.CohenKappa = num(CohenKappa(la, lb, k))
	if !t.Scale.Ordered() {
		return p, nil
	}
	p.LinearKappa = num(WeightedKappa(la, lb, k, Linear))
	p.QuadraticKappa = num(WeightedKappa(la, lb, k, Quadratic))
	pos := t.Scale.positions()
	x, y := make([]float64, len(la)), make([]float64, len(lb))
	for i := range la {
		x[i], y[i] = pos[la[i]], pos[lb[i]]
	}
	p.KendallTauB = num(KendallTauB(x, y))
	p.Spearman = num(Spearman(x, y))
	p.Pearson = num(Pearson(x, y))
	return p, nil
}

// paired returns the levels of columns a and b on the items both labelled,
// taking the items from the list when it is non-nil (a bootstrap resample,
// repeats allowed) and every item otherwise.
func (t *Table) paired(a, b int, items []int) (la, lb []int) {
	visit := func(i int) {
		x, y := t.level(i, a), t.level(i, b)
		if x >= 0 && y >= 0 {
			la, lb = append(la, x), append(lb, y)
		}
	}
	if items != nil {
		for _, i := range items {
			visit(i)
		}
		return la, lb
	}
	for i := range t.Items {
		visit(i)
	}
	return la, lb
}

// num returns a pointer to x, or nil when x is NaN or infinite, so that
// undefined statistics marshal as JSON null.
func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
