package agreement_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

// grid turns rows of values, one row per rater and one column per item,
// into labels; "." marks a missing cell. Items are named u1, u2, ….
func grid(raters []string, rows ...[]string) []agreement.Label {
	var ls []agreement.Label
	for r, row := range rows {
		for i, v := range row {
			if v != "." {
				ls = append(ls, agreement.Label{Item: fmt.Sprintf("u%d", i+1), Rater: raters[r], Value: v})
			}
		}
	}
	return ls
}

func mustTable(tb testing.TB, labels []agreement.Label, scale string) *agreement.Table {
	tb.Helper()
	var sc agreement.Scale
	if scale != "" {
		var err error
		if sc, err = agreement.ParseScale(scale); err != nil {
			tb.Fatal(err)
		}
	}
	t, err := agreement.NewTable(labels, sc)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

// near fails unless got is within tol of want.
func near(tb testing.TB, name string, got, want, tol float64) {
	tb.Helper()
	if math.IsNaN(got) || math.Abs(got-want) > tol {
		tb.Errorf("%s = %.6f, want %.6f ± %g", name, got, want, tol)
	}
}

// val dereferences a report value, failing on null.
func val(tb testing.TB, name string, p *float64) float64 {
	tb.Helper()
	if p == nil {
		tb.Fatalf("%s is null", name)
	}
	return *p
}

// panel is simulated labels on a 1..5 scale: every item has a true level;
// each human gives it, or with probability noise a neighbour (clipped).
type panel struct {
	humans []string
	truth  []int
	votes  [][]int // votes[item][human]
}

func simulate(rng *rand.Rand, items int, humans []string, noise float64) panel {
	p := panel{humans: humans}
	for range items {
		truth := 1 + rng.IntN(5)
		row := make([]int, len(humans))
		for h := range humans {
			row[h] = truth
			if rng.Float64() < noise {
				row[h] = min(5, max(1, truth+[]int{-1, 1}[rng.IntN(2)]))
			}
		}
		p.truth = append(p.truth, truth)
		p.votes = append(p.votes, row)
	}
	return p
}

// labels returns the humans' labels plus one judge whose label on item i
// is judge(i, votes).
func (p panel) labels(judges map[string]func(i int, votes []int) int) []agreement.Label {
	var ls []agreement.Label
	for i, row := range p.votes {
		item := fmt.Sprintf("item%04d", i)
		for h, v := range row {
			ls = append(ls, agreement.Label{Item: item, Rater: p.humans[h], Value: strconv.Itoa(v)})
		}
		for name, f := range judges {
			ls = append(ls, agreement.Label{Item: item, Rater: name, Value: strconv.Itoa(f(i, row))})
		}
	}
	return ls
}

// majority is the most common vote; ties go to the smaller level.
func majority(_ int, votes []int) int {
	var counts [6]int
	for _, v := range votes {
		counts[v]++
	}
	best := 1
	for lv := 2; lv <= 5; lv++ {
		if counts[lv] > counts[best] {
			best = lv
		}
	}
	return best
}
