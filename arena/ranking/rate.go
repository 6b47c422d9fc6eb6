package ranking

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/merchantarena/merchantarena/stats"
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
// that both played it (i < j; the reverse is 1-v). A persona played by
// different merchant simulators (model and prompt version) is a different
// match: scores move with the simulator, so builds are never compared
// across simulators, as the gate does not pair across them either.
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
			p := f.Persona + "\x00" + f.SimulatorModel + "\x00" + f.SimulatorPrompt
			sum[p] += score(f)
			n[p]++
			personas[p] = true
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
	samples := ratingSamples(per, n, anchor, opt)
	ids := map[string]int{}
	for i := range board.Builds {
		board.Builds[i].Rating = stats.Rating(beta[i])
		board.Builds[i].RatingCI = percentileInterval(samples[i])
		ids[board.Builds[i].ID()] = i
	}
	sortBy(board.Builds, func(b *Build) float64 { return b.Rating })
	number(board.Builds, func(a, b *Build) bool {
		return indistinct(samples[ids[a.ID()]], samples[ids[b.ID()]])
	})
	return nil
}

// indistinct reports whether the 95% bootstrap interval of the rating
// difference a−b contains zero: resample by resample, the two builds'
// ratings come from one fit, so the difference needs no anchor.
func indistinct(a, b []float64) bool {
	if len(a) == 0 || len(a) != len(b) {
		return true
	}
	d := make([]float64, len(a))
	for r := range a {
		d[r] = a[r] - b[r]
	}
	ci := percentileInterval(d)
	return ci.Lo <= 0 && 0 <= ci.Hi
}

// ratingSamples resamples personas and refits Bradley–Terry: samples[i][r]
// is build i's rating in resample r (resamples that fail to fit are
// dropped for every build alike).
func ratingSamples(per [][]outcome, n, anchor int, opt Options) [][]float64 {
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
	return samples
}

// percentileInterval is the 95% percentile interval of unsorted samples.
func percentileInterval(samples []float64) stats.Interval {
	if len(samples) == 0 {
		return stats.Interval{Lo: math.NaN(), Hi: math.NaN()}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(s)))) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return stats.Interval{Lo: at(0.025), Hi: at(0.975)}
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

// rank orders builds by a value with its interval, best first, and
// numbers them: a build shares the rank of the build that opened the rank
// above it when their intervals overlap.
func rank(builds []Build, key func(*Build) (float64, stats.Interval)) {
	sortBy(builds, func(b *Build) float64 { v, _ := key(b); return v })
	number(builds, func(a, b *Build) bool {
		_, x := key(a)
		_, y := key(b)
		return x.Overlaps(y)
	})
}

func sortBy(builds []Build, value func(*Build) float64) {
	sort.SliceStable(builds, func(i, j int) bool { return nanLow(value(&builds[i])) > nanLow(value(&builds[j])) })
}

// number gives sorted builds their ranks. Each rank is opened by its best
// build; a build joins the open rank when same(leader, build) says the data
// cannot tell them apart, and opens the next rank (its position) when it
// can. Comparing with the leader rather than the neighbour keeps a chain of
// small steps from tying the first build to the last.
func number(builds []Build, same func(leader, b *Build) bool) {
	leader := 0
	for i := range builds {
		builds[i].Rank = i + 1
		if i > 0 && same(&builds[leader], &builds[i]) {
			builds[i].Rank = builds[leader].Rank
			continue
		}
		leader = i
	}
}

func nanLow(f float64) float64 {
	if math.IsNaN(f) {
		return math.Inf(-1)
	}
	return f
}
