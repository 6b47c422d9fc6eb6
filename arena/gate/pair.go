package gate

import (
	"fmt"
	"sort"
	"strconv"

	"github.com/merchantarena/merchantarena/results"
)

// Why a slot (persona, trial) gave no pair; the keys of
// Decision.MissingReasons.
const (
	MissingCandidate = "only the baseline played"
	MissingBaseline  = "only the candidate played"
	MissingSimulator = "different simulators"
)

// pair is one baseline session and the candidate session of the same
// persona, trial and simulator.
type pair struct {
	persona string
	a, b    *results.SessionFact
}

// pairing is what pairing the two builds' sessions gave.
type pairing struct {
	pairs    []pair   // usable pairs, by persona then trial
	personas []string // personas with a usable pair, sorted
	all      int      // personas either build played
	missing  map[string]int
	faults   int
	sims     []string // simulators of the usable pairs, sorted
	// mismatched describes the simulator pairs that differed, such as
	// "baseline gpt-a (merchant/1), candidate gpt-b (merchant/1)".
	mismatched []string
}

// slot is where a session sits: persona, trial and, when several runs
// hold the same persona and trial of a build, its place in run order.
type slot struct {
	persona string
	trial   int
	nth     int
}

// pairSessions pairs a (baseline) with b (candidate), each in run order.
func pairSessions(a, b []*results.SessionFact) pairing {
	as, bs := slots(a), slots(b)
	keys := make([]slot, 0, len(as))
	for k := range as {
		keys = append(keys, k)
	}
	for k := range bs {
		if _, ok := as[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	p := pairing{missing: map[string]int{}}
	played, paired := map[string]bool{}, map[string]bool{}
	sims, mism := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		played[k.persona] = true
		x, y := as[k], bs[k]
		switch {
		case y == nil:
			p.missing[MissingCandidate]++
		case x == nil:
			p.missing[MissingBaseline]++
		case simKey(x) != simKey(y):
			p.missing[MissingSimulator]++
			mism[mismatch(x, y)] = true
		case x.SimulatorFault || y.SimulatorFault:
			p.faults++
		default:
			p.pairs = append(p.pairs, pair{persona: k.persona, a: x, b: y})
			paired[k.persona] = true
			sims[simName(x)] = true
		}
	}
	p.all, p.personas, p.sims, p.mismatched = len(played), sortedKeys(paired), sortedKeys(sims), sortedKeys(mism)
	return p
}

func slots(facts []*results.SessionFact) map[slot]*results.SessionFact {
	out := make(map[slot]*results.SessionFact, len(facts))
	seen := map[slot]int{}
	for _, f := range facts {
		k := slot{persona: f.Persona, trial: f.Trial}
		n := seen[k]
		seen[k] = n + 1
		k.nth = n
		out[k] = f
	}
	return out
}

func (s slot) less(t slot) bool {
	if s.persona != t.persona {
		return s.persona < t.persona
	}
	if s.trial != t.trial {
		return s.trial < t.trial
	}
	return s.nth < t.nth
}

// simKey is who played the merchant: model, prompt version and seed.
func simKey(f *results.SessionFact) string {
	seed := "-"
	if f.Seed != nil {
		seed = strconv.FormatInt(*f.Seed, 10)
	}
	return f.SimulatorModel + "\x00" + f.SimulatorPrompt + "\x00" + seed
}

// simName names a simulator for people; the seed, which differs per
// persona, is left out. A verbatim merchant has no prompt.
func simName(f *results.SessionFact) string {
	switch {
	case f.SimulatorModel == "" && f.SimulatorPrompt == "":
		return "verbatim"
	case f.SimulatorPrompt == "":
		return f.SimulatorModel
	}
	return f.SimulatorModel + " (" + f.SimulatorPrompt + ")"
}

// mismatch says how two simulators differ.
func mismatch(x, y *results.SessionFact) string {
	if simName(x) == simName(y) {
		return simName(x) + " on both sides, with different seeds"
	}
	return fmt.Sprintf("baseline %s, candidate %s", simName(x), simName(y))
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
