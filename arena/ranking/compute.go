package ranking

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/stats"
)

// Compute ranks the builds of the chosen sessions.
func Compute(ctx context.Context, db *results.DB, opt Options) (*Board, error) {
	opt = withDefaults(opt)
	if len(opt.Runs) == 0 {
		run, err := db.LatestRun(ctx)
		if err != nil {
			return nil, fmt.Errorf("rank: %w", err)
		}
		opt.Runs = []string{run.ID}
	}
	facts, err := db.SessionFacts(ctx, results.FactFilter{Runs: opt.Runs, Candidates: opt.Candidates,
		Skill: opt.Skill, Since: opt.Since, Findings: true, Criteria: opt.By == "criterion"})
	if err != nil {
		return nil, fmt.Errorf("rank: %w", err)
	}
	if len(facts) == 0 {
		return nil, errors.New("rank: no session matches; check --run, --candidate, --skill and --since")
	}
	board := &Board{Runs: opt.Runs, By: opt.By, Resamples: opt.Resamples, Seed: opt.Seed}
	groups := byBuild(facts)
	for _, g := range groups {
		board.Builds = append(board.Builds, summarise(g, opt))
	}
	if err := rate(board, groups, opt); err != nil {
		return nil, err
	}
	board.Groups = groupBoards(facts, opt)
	return board, nil
}

func withDefaults(o Options) Options {
	if o.Resamples <= 0 {
		o.Resamples = 1000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Lambda <= 0 {
		o.Lambda = stats.DefaultLambda
	}
	return o
}

// buildFacts are one build's sessions.
type buildFacts struct {
	name, version string
	facts         []results.SessionFact
}

// byBuild splits facts by build, in name and version order.
func byBuild(facts []results.SessionFact) []*buildFacts {
	idx := map[string]*buildFacts{}
	var out []*buildFacts
	for _, f := range facts {
		b := idx[f.Build()]
		if b == nil {
			b = &buildFacts{name: f.Candidate, version: f.Version}
			idx[f.Build()] = b
			out = append(out, b)
		}
		b.facts = append(b.facts, f)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].name < out[j].name || out[i].name == out[j].name && out[i].version < out[j].version
	})
	return out
}

// score is what a session scores on the board: its gated score when it
// ran to its end, 0 when it errored or timed out.
func score(f *results.SessionFact) float64 {
	if f.Status != results.StatusOK {
		return 0
	}
	return f.Gated
}

// summarise computes one build's line from its sessions.
func summarise(g *buildFacts, opt Options) Build {
	b := Build{Name: g.name, Version: g.version, Violations: map[string]int{}, Rating: math.NaN()}
	byPersona := map[string][]float64{}
	counts := map[string]*stats.Count{}
	var order []string
	var p50s, p95s []time.Duration
	successes, turns := 0, 0
	for i := range g.facts {
		f := &g.facts[i]
		if f.SimulatorFault {
			b.SimulatorFaults++
			continue
		}
		b.Sessions++
		switch f.Status {
		case results.StatusError:
			b.Errors++
		case results.StatusTimeout:
			b.Timeouts++
		}
		if _, ok := byPersona[f.Persona]; !ok {
			order = append(order, f.Persona)
			counts[f.Persona] = &stats.Count{}
		}
		byPersona[f.Persona] = append(byPersona[f.Persona], score(f))
		c := counts[f.Persona]
		c.N++
		if f.Success && f.Status == results.StatusOK {
			c.C++
			successes++
		}
		for k, n := range f.Kinds {
			b.Violations[k] += n
		}
		turns += f.Turns
		p50s, p95s = append(p50s, f.LatencyP50), append(p95s, f.LatencyP95)
		b.PromptTokens += int64(f.PromptTokens)
		b.CompletionTokens += int64(f.CompletionTokens)
		b.Cost += f.Cost
	}
	b.Personas = len(order)
	b.SuccessCI = stats.Wilson(successes, b.Sessions, 0.95)
	b.Success, b.Score, b.MeanTurns = math.NaN(), math.NaN(), math.NaN()
	if b.Sessions > 0 {
		b.Success = float64(successes) / float64(b.Sessions)
		b.MeanTurns = float64(turns) / float64(b.Sessions)
	}
	clusters := make([][]float64, len(order))
	cs := make([]stats.Count, len(order))
	maxTrials := 0
	for i, p := range order {
		clusters[i], cs[i] = byPersona[p], *counts[p]
		maxTrials = max(maxTrials, cs[i].N)
	}
	b.Score, b.ScoreCI = stats.Bootstrap{Resamples: opt.Resamples, Seed: opt.Seed}.MeanCI(clusters)
	for k := 1; k <= maxTrials; k++ {
		b.PassK = append(b.PassK, stats.MeanPassK(cs, k))
	}
	b.LatencyP50, b.LatencyP95 = nearestRank(p50s, 50), nearestRank(p95s, 95)
	return b
}

// nearestRank is the pct-th percentile of ds by nearest rank.
func nearestRank(ds []time.Duration, pct int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := (pct*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))]
}
