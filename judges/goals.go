package judges

import (
	"fmt"
	"sort"
	"strings"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// RuleSideEffect reports store changes no goal asked for.
const RuleSideEffect = "state.side_effect"

// maxDiff bounds the diff kept per goal; the first lines say what is wrong.
const maxDiff = 20

// goalPlan is what a card's logged actions do to the initial store: for
// each goal, the paths its writes change and their values after it. It
// depends only on the card and the initial store, so it is computed once
// per card and shared by every session that plays it.
type goalPlan struct {
	goals   []goalExpect
	base    map[string]string // initial value of every path some goal changes
	touched map[string]bool
}

type goalExpect struct {
	writes  bool
	changed []string
	want    map[string]string
	note    string
}

func newGoalPlan(card *personas.Card, initial *sandbox.Store) *goalPlan {
	expected := initial.Clone()
	p := &goalPlan{base: map[string]string{}, touched: map[string]bool{}}
	prev := map[string]string{}
	for _, g := range card.Goals {
		ge := goalExpect{writes: hasWrites(g)}
		if ge.writes {
			if err := apply(expected, g.ExpectedActions); err != nil {
				ge.note = "the logged actions do not replay on the fixture: " + err.Error()
			}
			cur := p.absorb(expected.ChangesFrom(initial))
			ge.want = map[string]string{}
			for _, path := range unionPaths(prev, cur) {
				if p.at(prev, path) != p.at(cur, path) {
					ge.changed = append(ge.changed, path)
					ge.want[path] = p.at(cur, path)
					p.touched[path] = true
				}
			}
			prev = cur
		}
		p.goals = append(p.goals, ge)
	}
	return p
}

// absorb records the initial values of changes and returns their new
// values by path.
func (p *goalPlan) absorb(changes []sandbox.Change) map[string]string {
	cur := map[string]string{}
	for _, c := range changes {
		p.base[c.Path] = c.Want
		cur[c.Path] = c.Got
	}
	return cur
}

// at is a path's value in a store described by its changes from the
// initial one. Only paths some goal changes have a known initial value.
func (p *goalPlan) at(changed map[string]string, path string) string {
	if v, ok := changed[path]; ok {
		return v
	}
	return p.base[path]
}

func unionPaths(a, b map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]string{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}

// checkGoals judges each goal from the store, not from the merchant's word:
// every path a goal's logged writes change (replayed on a fresh copy of
// the initial store) must hold the same value in the session's final
// store. Expected outputs must appear in the replies from the goal's turn
// on.
func checkGoals(ev *Evidence, plan *goalPlan) ([]GoalResult, []Finding) {
	changes := ev.Final.ChangesFrom(ev.Initial)
	final := make(map[string]string, len(changes))
	for _, c := range changes {
		final[c.Path] = c.Got
	}
	var results []GoalResult
	for i, g := range ev.Card.Goals {
		ge := plan.goals[i]
		r := GoalResult{Goal: g.ID, Note: ge.note}
		if ge.writes {
			var diff []sandbox.Change
			for _, path := range ge.changed {
				if got := plan.at(final, path); got != ge.want[path] {
					diff = append(diff, sandbox.Change{Path: path, Want: ge.want[path], Got: got})
				}
			}
			met := len(diff) == 0
			r.StateMet, r.Diff = &met, clipDiff(diff)
		}
		if len(g.ExpectedOutputs) > 0 {
			missing := missingOutputs(ev.Steps, g, fromTurn(ev, g))
			met := len(missing) == 0
			r.OutputsMet, r.Missing = &met, missing
		}
		r.Score, r.Met = goalScore(r, ev, g)
		results = append(results, r)
	}
	return results, sideEffects(changes, plan.touched)
}

func hasWrites(g personas.Goal) bool {
	for _, a := range g.ExpectedActions {
		if sandbox.IsWrite(a.Tool) {
			return true
		}
	}
	return false
}

// apply runs a goal's logged write actions; the first failure is returned
// after the rest have run.
func apply(s *sandbox.Store, actions []personas.Action) error {
	var first error
	for _, a := range actions {
		if !sandbox.IsWrite(a.Tool) {
			continue
		}
		if _, err := s.Call(a.Tool, a.Arguments); err != nil && first == nil {
			first = fmt.Errorf("%s: %w", a.Tool, err)
		}
	}
	return first
}

// sideEffects reports changes from the initial store that no goal's
// actions made.
func sideEffects(changes []sandbox.Change, touched map[string]bool) []Finding {
	var paths []string
	for _, c := range changes {
		if !touched[c.Path] {
			paths = append(paths, c.Path)
		}
	}
	if len(paths) == 0 {
		return nil
	}
	shown := paths
	if len(shown) > 5 {
		shown = shown[:5]
	}
	return []Finding{{Rule: RuleSideEffect, Kind: KindSideEffect, Gate: false,
		Message: fmt.Sprintf("%d store change(s) no goal asked for: %s", len(paths), strings.Join(shown, ", "))}}
}

func clipDiff(d []sandbox.Change) []sandbox.Change {
	if len(d) > maxDiff {
		return d[:maxDiff]
	}
	return d
}

// fromTurn is the first merchant turn whose replies may serve a goal: the
// goal's logged turn, or turn 1 when an LLM played the merchant, because a
// simulated merchant asks in its own words and order and the card's turn
// numbers no longer say which turn asks for what.
func fromTurn(ev *Evidence, g personas.Goal) int {
	if ev.Simulated {
		return 1
	}
	return g.Turn
}

func missingOutputs(steps []Step, g personas.Goal, from int) []string {
	var missing []string
	for _, out := range g.ExpectedOutputs {
		if _, ok := statedAt(steps, out, from); !ok {
			missing = append(missing, out)
		}
	}
	return missing
}

// goalScore is the share of the goal's checks that passed. A goal with no
// check (a question the log answered from general knowledge) counts as met
// when the build answered it at all.
func goalScore(r GoalResult, ev *Evidence, g personas.Goal) (float64, bool) {
	var passed, total float64
	for _, ok := range []*bool{r.StateMet, r.OutputsMet} {
		if ok != nil {
			total++
			if *ok {
				passed++
			}
		}
	}
	if total == 0 {
		if answered(ev.Steps, fromTurn(ev, g)) {
			return 1, true
		}
		return 0, false
	}
	return passed / total, passed == total
}

func answered(steps []Step, turn int) bool {
	for _, s := range steps {
		if s.Role == transcript.RoleAssistant && s.Turn >= turn && strings.TrimSpace(s.Content) != "" {
			return true
		}
	}
	return false
}
