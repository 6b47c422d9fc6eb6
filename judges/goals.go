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

// checkGoals judges each goal from the store, not from the merchant's word:
// the logged write actions of goals 1..i are applied to a fresh copy of the
// initial store, and every path they change must hold the same value in the
// session's final store. Expected outputs must appear in the replies from
// the goal's turn on.
func checkGoals(ev *Evidence) ([]GoalResult, []Finding) {
	expected := ev.Initial.Clone()
	prev := expected.Flatten()
	final := ev.Final.Flatten()
	touched := map[string]bool{}
	var results []GoalResult
	for _, g := range ev.Card.Goals {
		r := GoalResult{Goal: g.ID}
		if hasWrites(g) {
			applyErr := apply(expected, g.ExpectedActions)
			cur := expected.Flatten()
			diff := stateDiff(prev, cur, final, touched)
			met := len(diff) == 0
			r.StateMet, r.Diff = &met, clipDiff(diff)
			if applyErr != nil {
				r.Note = "the logged actions do not replay on the fixture: " + applyErr.Error()
			}
			prev = cur
		}
		if len(g.ExpectedOutputs) > 0 {
			missing := missingOutputs(ev.Steps, g)
			met := len(missing) == 0
			r.OutputsMet, r.Missing = &met, missing
		}
		r.Score, r.Met = goalScore(r, ev, g)
		results = append(results, r)
	}
	return results, sideEffects(prev, final, touched)
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

// stateDiff lists the paths the goal's actions changed (prev → cur) whose
// final value differs from cur, and marks them touched.
func stateDiff(prev, cur, final map[string]string, touched map[string]bool) []sandbox.Change {
	var diff []sandbox.Change
	for _, p := range changedPaths(prev, cur) {
		touched[p] = true
		if final[p] != cur[p] {
			diff = append(diff, sandbox.Change{Path: p, Want: cur[p], Got: final[p]})
		}
	}
	return diff
}

func changedPaths(a, b map[string]string) []string {
	var out []string
	for k, v := range b {
		if a[k] != v {
			out = append(out, k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// sideEffects reports final-store changes that no goal's actions made.
func sideEffects(expected, final map[string]string, touched map[string]bool) []Finding {
	var paths []string
	for _, p := range changedPaths(expected, final) {
		if !touched[p] {
			paths = append(paths, p)
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

func missingOutputs(steps []Step, g personas.Goal) []string {
	var missing []string
	for _, out := range g.ExpectedOutputs {
		if _, ok := statedAt(steps, out, g.Turn); !ok {
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
		if answered(ev.Steps, g.Turn) {
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
