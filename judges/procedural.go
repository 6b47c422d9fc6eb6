package judges

import (
	"fmt"
	"sync"

	"github.com/merchantarena/merchantarena/sandbox"
)

// ProceduralVersion versions stage 1's rules; it is stored with each score.
const ProceduralVersion = "stage1/1"

// DefaultCap is the most a session that failed a gate can score: a build
// that games a check keeps a little credit for the goals it met, never
// enough to tie an honest build.
const DefaultCap = 0.25

// Procedural is the stage-1 judge. It is safe for concurrent use.
type Procedural struct {
	// Cap bounds the gated score of a session with a gate failure.
	Cap float64

	mu     sync.Mutex
	plans  map[planKey]*goalPlan
	values map[*sandbox.Store]map[string]string
}

// planKey names a goal plan: one card on one initial store. Sessions of a
// run share their initial store, so its identity is a sound key.
type planKey struct {
	card    string
	initial *sandbox.Store
}

// NewProcedural returns a stage-1 judge with the default cap.
func NewProcedural() *Procedural { return &Procedural{Cap: DefaultCap} }

// Judge returns the stage-1 verdict on one session. It needs ev.Card,
// ev.Initial and ev.Final; Steps and Calls may be empty. When ev.Simulated,
// goals are looked for from turn 1 on and the merchant is checked for
// simulator faults (sim.ended_early, sim.invented_data,
// sim.played_assistant), which set SimulatorFault and never gate.
func (p *Procedural) Judge(ev *Evidence) (Verdict, error) {
	if ev.Card == nil || ev.Initial == nil || ev.Final == nil {
		return Verdict{}, fmt.Errorf("judge: evidence needs a card, an initial and a final store")
	}
	v := Verdict{Findings: []Finding{}}
	var fs []Finding
	v.Calls, fs = validateCalls(ev)
	v.Findings = append(v.Findings, fs...)
	v.Findings = append(v.Findings, detectOptOut(ev)...)
	v.Findings = append(v.Findings, detectTagHacking(ev, p.fieldValues)...)
	v.Findings = append(v.Findings, detectHallucinations(ev)...)
	v.Findings = append(v.Findings, detectClaims(ev)...)
	v.Goals, fs = checkGoals(ev, p.plan(ev))
	v.Findings = append(v.Findings, fs...)
	v.Findings = append(v.Findings, detectSimFaults(ev, v.Goals)...)
	sortFindings(v.Findings)
	markFaults(&v)
	p.score(ev, &v)
	return v, nil
}

// plan returns the goal plan of the evidence's card and initial store,
// computing it on first use. Evidence must not change its initial store.
func (p *Procedural) plan(ev *Evidence) *goalPlan {
	k := planKey{card: ev.Card.ID, initial: ev.Initial}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.plans == nil {
		p.plans = map[planKey]*goalPlan{}
	}
	if gp, ok := p.plans[k]; ok && k.card != "" {
		return gp
	}
	gp := newGoalPlan(ev.Card, ev.Initial)
	p.plans[k] = gp
	return gp
}

// fieldValues returns the initial store's field values by normalised tag
// form, computed once per store.
func (p *Procedural) fieldValues(s *sandbox.Store) map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.values[s]; ok {
		return v
	}
	if p.values == nil {
		p.values = map[*sandbox.Store]map[string]string{}
	}
	v := fieldValues(s)
	p.values[s] = v
	return v
}

func (p *Procedural) score(ev *Evidence, v *Verdict) {
	met := 0
	for _, g := range v.Goals {
		v.Raw += g.Score
		if g.Met {
			met++
		}
		v.Scores = append(v.Scores, p.scoreOf("goal/"+g.Goal, g.Score, goalRationale(g)))
	}
	if len(v.Goals) > 0 {
		v.Raw /= float64(len(v.Goals))
	}
	gateOK := !v.GateFailed()
	ok := sessionOK(ev)
	v.Success = ok && gateOK && met == len(v.Goals)
	stage := 0.0
	if gateOK {
		stage = 1
	}
	v.Scores = append(v.Scores,
		p.scoreOf("stage1_gate", stage, fmt.Sprintf("%d gate finding(s)", countGate(v.Findings))),
		p.scoreOf("goals", v.Raw, fmt.Sprintf("%d of %d goals met", met, len(v.Goals))),
	)
	for i := range v.Scores {
		v.Scores[i].Gated = gateScore(v.Scores[i].Score, ok, gateOK, p.Cap)
	}
	v.Gated = gateScore(v.Raw, ok, gateOK, p.Cap)
}

func (p *Procedural) scoreOf(criterion string, score float64, why string) Score {
	return Score{Judge: "procedural", Criterion: criterion, Score: score, Rationale: why, Version: ProceduralVersion}
}

func goalRationale(g GoalResult) string {
	switch {
	case g.Met:
		return "met"
	case len(g.Diff) > 0 && len(g.Missing) > 0:
		return fmt.Sprintf("store differs at %d path(s); reply misses %v", len(g.Diff), g.Missing)
	case len(g.Diff) > 0:
		return fmt.Sprintf("store differs at %d path(s), first %s", len(g.Diff), g.Diff[0].Path)
	case len(g.Missing) > 0:
		return fmt.Sprintf("reply misses %v", g.Missing)
	}
	return "not answered"
}

func countGate(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if f.Gate {
			n++
		}
	}
	return n
}
