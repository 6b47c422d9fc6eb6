package agreement

import (
	"errors"
	"fmt"
	"math"
)

// Defaults for the alternative annotator test. ε is the cost–benefit
// margin of Calderon, Reichart and Dror (2025): how much worse than a human
// a judge may align and still count as a win, chosen by how costly and how
// expert the humans are; 0.2 is our default. q is the FDR level of the
// Benjamini–Yekutieli procedure; the judge passes when it beats at least
// PassRate of the humans.
const (
	DefaultEpsilon = 0.2
	DefaultQ       = 0.05
	PassRate       = 0.5
)

// ErrTooFewHumans is returned when a comparison needs more human raters
// than the table has.
var ErrTooFewHumans = errors.New("too few human raters")

// AltTest is the result of the alternative annotator test (alt-test) of
// Calderon, Reichart and Dror (2025), "The Alternative Annotator Test for
// LLM-as-a-Judge: How to Statistically Justify Replacing Human Annotators
// with LLMs" (ACL 2025), for one judge.
type AltTest struct {
	Epsilon float64 `json:"epsilon"`
	Q       float64 `json:"q"`
	// Alignment is how a label is scored against the remaining humans:
	// "accuracy" (share of them it equals) on a nominal scale, "neg_rmse"
	// (minus the root mean squared distance) on an ordered one.
	Alignment string `json:"alignment"`
	// WinningRate ω is the share of tested humans whose null hypothesis was
	// rejected after the BY correction; nil when no human could be tested.
	WinningRate *float64 `json:"winning_rate"`
	// AdvantageProbability ρ is the mean over tested humans of the share of
	// items where the judge aligned at least as well as the human.
	AdvantageProbability *float64 `json:"advantage_probability"`
	// Passed is ω ≥ 0.5.
	Passed bool       `json:"passed"`
	Humans []AltHuman `json:"humans"`
}

// AltHuman is the alt-test against one left-out human.
type AltHuman struct {
	Human string `json:"human"`
	// N counts the items labelled by this human, the judge and at least one
	// other human. A human with N < 2 cannot be tested and is left out of
	// ω, ρ and the BY correction.
	N              int      `json:"n"`
	JudgeAdvantage *float64 `json:"judge_advantage"` // ρ_f: share of items with S_judge ≥ S_human
	HumanAdvantage *float64 `json:"human_advantage"` // ρ_h: share of items with S_human ≥ S_judge
	T              *float64 `json:"t"`
	PValue         *float64 `json:"p_value"`    // one-sided, raw
	PAdjusted      *float64 `json:"p_adjusted"` // Benjamini–Yekutieli over the tested humans
	Rejected       bool     `json:"rejected"`   // PAdjusted ≤ q: the judge is not worse by more than ε
}

// AlternativeAnnotatorTest runs the alt-test for judge against humans (at
// least three; the paper asks for three or more so that two remain when
// one is left out).
//
// For each human h, leave h out. On every item labelled by h, the judge
// and at least one other human, score both labels against the remaining
// humans' labels on that item: S_judge and S_h (see AltTest.Alignment).
// The judge wins the item when S_judge ≥ S_h and h wins it when
// S_h ≥ S_judge, so ties count for both, as in the paper. With W_f, W_h
// those indicators, ρ_f = mean W_f and ρ_h = mean W_h, test
// H0: ρ_f ≤ ρ_h − ε against H1: ρ_f > ρ_h − ε by a one-sided paired t-test
// on d_i = W_f,i − W_h,i (OneSidedTTest(d, −ε)).
//
// This follows the paper, which tests win indicators rather than the raw
// difference S_judge − S_h: ε is then a difference of probabilities, the
// same on every scale. The p-values over humans are adjusted with
// BenjaminiYekutieli; ω is the share rejected at q, and the judge passes
// when ω ≥ 0.5. ρ, the average advantage probability, is the mean ρ_f.
func AlternativeAnnotatorTest(t *Table, judge string, humans []string, epsilon, q float64) (AltTest, error) {
	if len(humans) < 3 {
		return AltTest{}, fmt.Errorf("alt-test for %q: %w: %d, want at least 3", judge, ErrTooFewHumans, len(humans))
	}
	if epsilon < 0 || epsilon >= 1 || q <= 0 || q >= 1 {
		return AltTest{}, fmt.Errorf("alt-test for %q: epsilon %g must be in [0,1) and q %g in (0,1)", judge, epsilon, q)
	}
	cols, err := t.columns(append([]string{judge}, humans...))
	if err != nil {
		return AltTest{}, fmt.Errorf("alt-test: %w", err)
	}
	res := AltTest{Epsilon: epsilon, Q: q, Alignment: "accuracy"}
	align := accuracy
	if t.Scale.Ordered() {
		res.Alignment, align = "neg_rmse", negRMSE(t.Scale.positions())
	}
	var tested []int
	var raw []float64
	for j := range humans {
		h, d := leaveOneOut(t, cols[0], cols[1:], j, align)
		h.Human = humans[j]
		if h.N >= 2 {
			tr := OneSidedTTest(d, -epsilon)
			h.T, h.PValue = num(tr.T), num(tr.P)
			tested = append(tested, j)
			raw = append(raw, tr.P)
		}
		res.Humans = append(res.Humans, h)
	}
	res.decide(tested, raw)
	return res, nil
}

// decide applies the BY correction and computes ω, ρ and the verdict.
func (res *AltTest) decide(tested []int, raw []float64) {
	if len(tested) == 0 {
		return
	}
	adj := BenjaminiYekutieli(raw)
	var won, rho float64
	for k, j := range tested {
		h := &res.Humans[j]
		h.PAdjusted = num(adj[k])
		h.Rejected = !math.IsNaN(adj[k]) && adj[k] <= res.Q
		won += b2f(h.Rejected)
		rho += *h.JudgeAdvantage
	}
	omega := won / float64(len(tested))
	res.WinningRate = num(omega)
	res.AdvantageProbability = num(rho / float64(len(tested)))
	res.Passed = omega >= PassRate
}

// leaveOneOut scores the judge (column judge) and human hs[j] against the
// other humans on every eligible item, returning the advantages and the
// differences d_i = W_f,i − W_h,i.
func leaveOneOut(t *Table, judge int, hs []int, j int, align func(x int, others []int) float64) (AltHuman, []float64) {
	var d []float64
	var winsF, winsH float64
	others := make([]int, 0, len(hs))
	for i := range t.Items {
		f, h := t.level(i, judge), t.level(i, hs[j])
		if f < 0 || h < 0 {
			continue
		}
		others = others[:0]
		for k, c := range hs {
			if lv := t.level(i, c); k != j && lv >= 0 {
				others = append(others, lv)
			}
		}
		if len(others) == 0 {
			continue
		}
		sf, sh := align(f, others), align(h, others)
		// A tolerance keeps float noise in the RMSE from breaking ties.
		wf, wh := b2f(sf >= sh-1e-12), b2f(sh >= sf-1e-12)
		winsF += wf
		winsH += wh
		d = append(d, wf-wh)
	}
	res := AltHuman{N: len(d)}
	if res.N > 0 {
		res.JudgeAdvantage = num(winsF / float64(res.N))
		res.HumanAdvantage = num(winsH / float64(res.N))
	}
	return res, d
}

// accuracy is the share of the others' labels that equal x.
func accuracy(x int, others []int) float64 {
	same := 0
	for _, o := range others {
		if o == x {
			same++
		}
	}
	return float64(same) / float64(len(others))
}

// negRMSE returns minus the root mean squared distance between x's position
// and the others'.
func negRMSE(pos []float64) func(x int, others []int) float64 {
	return func(x int, others []int) float64 {
		var ss float64
		for _, o := range others {
			d := pos[x] - pos[o]
			ss += d * d
		}
		return -math.Sqrt(ss / float64(len(others)))
	}
}
