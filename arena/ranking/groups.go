package ranking

import (
	"math"
	"sort"

	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/stats"
)

// groupBoards ranks the builds within each skill or criterion.
func groupBoards(facts []results.SessionFact, opt Options) []Group {
	switch opt.By {
	case "skill":
		return skillGroups(facts, opt)
	case "criterion":
		return criterionGroups(facts, opt)
	}
	return nil
}

// skillGroups: a session belongs to every skill of its persona.
func skillGroups(facts []results.SessionFact, opt Options) []Group {
	bySkill := map[string][]results.SessionFact{}
	for _, f := range facts {
		for _, s := range f.Skills {
			bySkill[s] = append(bySkill[s], f)
		}
	}
	var out []Group
	for _, name := range sortedKeys(bySkill) {
		g := Group{By: "skill", Name: name}
		for _, b := range byBuild(bySkill[name]) {
			g.Builds = append(g.Builds, summarise(b, opt))
		}
		rank(g.Builds, func(b *Build) (float64, stats.Interval) { return b.Score, b.ScoreCI })
		out = append(out, g)
	}
	return out
}

// criterionGroups: each criterion's mean gated score per build, with a
// persona-bootstrap interval; success is left NaN.
func criterionGroups(facts []results.SessionFact, opt Options) []Group {
	names := map[string]bool{}
	for _, f := range facts {
		for c := range f.Criteria {
			names[c] = true
		}
	}
	var out []Group
	for _, c := range sortedKeys(names) {
		g := Group{By: "criterion", Name: c}
		for _, b := range byBuild(facts) {
			g.Builds = append(g.Builds, criterionLine(b, c, opt))
		}
		rank(g.Builds, func(b *Build) (float64, stats.Interval) { return b.Score, b.ScoreCI })
		out = append(out, g)
	}
	return out
}

func criterionLine(g *buildFacts, criterion string, opt Options) Build {
	b := Build{Name: g.name, Version: g.version, Success: math.NaN(), Rating: math.NaN(),
		SuccessCI: stats.Interval{Lo: math.NaN(), Hi: math.NaN()}}
	byPersona := map[string][]float64{}
	var order []string
	for _, f := range g.facts {
		v, ok := f.Criteria[criterion]
		if f.SimulatorFault || !ok {
			continue
		}
		if _, seen := byPersona[f.Persona]; !seen {
			order = append(order, f.Persona)
		}
		byPersona[f.Persona] = append(byPersona[f.Persona], v)
		b.Sessions++
	}
	clusters := make([][]float64, len(order))
	for i, p := range order {
		clusters[i] = byPersona[p]
	}
	b.Personas = len(order)
	b.Score, b.ScoreCI = stats.Bootstrap{Resamples: opt.Resamples, Seed: opt.Seed}.MeanCI(clusters)
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
