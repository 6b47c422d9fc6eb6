package ranking

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/merchantarena/merchantarena/arena/stats"
)

// outcome is one persona's comparison of two builds: 1 a win for the
// first, 0.5 a tie, 0 a loss.
type outcome struct {
	i, j int
	v    float64
}

// tieTolerance: persona means closer than this are a tie.
const tieTolerance = 1e-9

// personaOutcomes lists, per persona, the outcome of every pair of builds
// that both played it (i < j; the reverse is 1-v).
func personaOutcomes(groups []*buildFacts) [][]outcome {
	means := make([]map[string]float64, len(groups))
	personas := map[string]bool{}
	for bi, g := range groups {
		sum, n := map[string]float64{}, map[string]int{}
		for k := range g.facts {
			f := &g.facts[k]
			if f.SimulatorFault {
				continue
			}
			sum[f.Persona] += score(f)
			n[f.Persona]++
			personas[f.Persona] = true
		}
		means[bi] = map[string]float64{}
		for p, s := range sum {
			means[bi][p] = s / float64(n[p])
		}
	}
	names := make([]string, 0, len(personas))
	for p := range personas {
		names = append(names, p)
	}
	sort.Strings(names)
	var out [][]outcome
	for _, p := range names {
		var os []outcome
		for i := range groups {
			a, ok := means[i][p]
			if !ok {
				continue
			}
			for j := i + 1; j < len(groups); j++ {
				b, ok := means[j][p]
				if !ok {
					continue
				}
				v := 0.5
				switch {
				case a > b+tieTolerance:
					v = 1
				case a < b-tieTolerance:
					v = 0
				}
				os = append(os, outcome{i, j, v})
			}
		}
		if len(os) > 0 {
			out = append(out, os)
		}
	}
	return out
}

// winMatrix sums the outcomes of the given personas (by index, with
// repeats) into wins[i][j], ties counted half to each side.
func winMatrix(per [][]outcome, pick []int, n int, wins [][]float64) {
	for i := range wins {
		clear(wins[i])
	}
	for _, p := range pick {
		for _, o := range per[p] {
			wins[o.i][o.j] += o.v
			wins[o.j][o.i] += 1 - o.v
		}
	}
}

func newMatrix(n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
	}
	return m
}

// rate fills pairwise counts, ratings with their intervals, the baseline
// and the ranks.
func rate(board *Board, groups []*buildFacts, opt Options) error {
	n := len(groups)
	anchor, err := baseline(board.Builds, opt.Baseline)
	if err != nil {
		return err
	}
	board.Baseline = board.Builds[anchor].ID()
	per := personaOutcomes(groups)
	board.Pairwise = pairs(board.Builds, per)
	if n < 2 || len(per) == 0 {
		for i := range board.Builds {
			board.Builds[i].Rating = stats.Rating(0)
			board.Builds[i].RatingCI = stats.Interval{Lo: math.NaN(), Hi: math.NaN()}
		}
		rank(board.Builds, func(b *Build) (float64, stats.Interval) { return b.Score, b.ScoreCI })
		return nil
	}
	all := make([]int, len(per))
	for i := range all {
		all[i] = i
	}
	wins := newMatrix(n)
	winMatrix(per, all, n, wins)
	beta, err := stats.BradleyTerry(wins, opt.Lambda, anchor)
	if err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	cis := ratingIntervals(per, n, anchor, opt)
	for i := range board.Builds {
		board.Builds[i].Rating = stats.Rating(beta[i])
		board.Builds[i].RatingCI = cis[i]
	}
	rank(board.Builds, func(b *Build) (float64, stats.Interval) { return b.Rating, b.RatingCI })
	return nil
}

// ratingIntervals resamples personas and refits Bradley–Terry, giving each
// build's 95% percentile interval.
func ratingIntervals(per [][]outcome, n, anchor int, opt Options) []stats.Interval {
	rng := rand.New(rand.NewPCG(opt.Seed, opt.Seed^0xda3e39cb94b95bdb))
	samples := make([][]float64, n)
	pick := make([]int, len(per))
	wins := newMatrix(n)
	for range opt.Resamples {
		for i := range pick {
			pick[i] = rng.IntN(len(per))
		}
		winMatrix(per, pick, n, wins)
		beta, err := stats.BradleyTerry(wins, opt.Lambda, anchor)
		if err != nil {
			continue // a degenerate resample says nothing; the others do
		}
		for i := range beta {
			samples[i] = append(samples[i], stats.Rating(beta[i]))
		}
	}
	out := make([]stats.Interval, n)
	for i, s := range samples {
		if len(s) == 0 {
			out[i] = stats.Interval{Lo: math.NaN(), Hi: math.NaN()}
			continue
		}
		slices.Sort(s)
		out[i] = stats.Interval{Lo: pick2(s, 0.025), Hi: pick2(s, 0.975)}
	}
	return out
}

func pick2(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// baseline finds the anchor build: the one named, or the one with most
// sessions (then by name).
func baseline(builds []Build, want string) (int, error) {
	if want == "" {
		best := 0
		for i, b := range builds {
			if b.Sessions > builds[best].Sessions {
				best = i
			}
		}
		return best, nil
	}
	var hits []int
	for i, b := range builds {
		if b.ID() == want || b.Name == want {
			hits = append(hits, i)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		ids := make([]string, len(builds))
		for i := range builds {
			ids[i] = builds[i].ID()
		}
		return 0, fmt.Errorf("rank: baseline %q is not among the builds (%s)", want, strings.Join(ids, ", "))
	}
	return 0, fmt.Errorf("rank: baseline %q names several versions; give name@version", want)
}

// pairs turns the outcomes into win/tie/loss counts for every ordered pair.
func pairs(builds []Build, per [][]outcome) []Pair {
	n := len(builds)
	w, t, l := newMatrix(n), newMatrix(n), newMatrix(n)
	for _, os := range per {
		for _, o := range os {
			switch o.v {
			case 1:
				w[o.i][o.j]++
				l[o.j][o.i]++
			case 0:
				l[o.i][o.j]++
				w[o.j][o.i]++
			default:
				t[o.i][o.j]++
				t[o.j][o.i]++
			}
		}
	}
	var out []Pair
	for i := range n {
		for j := range n {
			if i != j && w[i][j]+t[i][j]+l[i][j] > 0 {
				out = append(out, Pair{A: builds[i].ID(), B: builds[j].ID(), Wins: int(w[i][j]), Ties: int(t[i][j]), Losses: int(l[i][j])})
			}
		}
	}
	return out
}

// rank orders builds by a value (best first) and numbers them; a build
// shares the rank of the one above it when their intervals overlap, so a
// difference the data cannot tell apart never separates two ranks. The
// rule chains: three builds whose neighbours overlap share one rank even
// if the first and the last do not, which errs on the side of caution.
func rank(builds []Build, key func(*Build) (float64, stats.Interval)) {
	sort.SliceStable(builds, func(i, j int) bool {
		a, _ := key(&builds[i])
		b, _ := key(&builds[j])
		return nanLow(a) > nanLow(b)
	})
	for i := range builds {
		builds[i].Rank = i + 1
		if i == 0 {
			continue
		}
		_, prev := key(&builds[i-1])
		_, cur := key(&builds[i])
		if prev.Overlaps(cur) {
			builds[i].Rank = builds[i-1].Rank
		}
	}
}

func nanLow(f float64) float64 {
	if math.IsNaN(f) {
		return math.Inf(-1)
	}
	return f
}
