package replay

import (
	"fmt"
	"slices"
	"strings"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/sandbox"
)

// Divergence kinds, the prefixes of Divergence.Kind (see the package doc).
const (
	KindMissingCall  = "missing_call"
	KindExtraCall    = "extra_call"
	KindArgument     = "argument"
	KindOrder        = "order"
	KindMissingReply = "missing_reply"
	KindExtraReply   = "extra_reply"
	KindMissingTurn  = "missing_turn"
	KindExtraTurn    = "extra_turn"
	KindStore        = "store"
	KindGoal         = "goal"
)

// Divergence is one way a played conversation differs from the original.
// Kind is a stable key such as "argument:update_customer.add_tags" that
// counts the same divergence across trials; Turn is the merchant turn,
// from 1, or 0 for the conversation as a whole (store and goals). Want
// and Got are the original's and the build's side, as JSON values or
// name(arguments); empty when absent. Message says it all in one line.
type Divergence struct {
	Turn    int    `json:"turn,omitempty"`
	Kind    string `json:"kind"`
	Tool    string `json:"tool,omitempty"`
	Path    string `json:"path,omitempty"`
	Want    string `json:"want,omitempty"`
	Got     string `json:"got,omitempty"`
	Message string `json:"message"`
}

// String is the divergence's message.
func (d Divergence) String() string { return d.Message }

// TurnDiff is one merchant turn of both conversations, side by side.
type TurnDiff struct {
	Turn int `json:"turn"`
	// InOriginal and InPlayed say which sides had this merchant turn.
	InOriginal bool `json:"in_original"`
	InPlayed   bool `json:"in_played"`
	// Merchant is what the merchant said in the original; PlayedMerchant
	// what it said in the play, when that differs (a simulated merchant).
	Merchant       string    `json:"merchant"`
	PlayedMerchant string    `json:"played_merchant,omitempty"`
	Calls          []CallRow `json:"calls,omitempty"`
	// Reply and PlayedReply are the assistant's text in the turn, its
	// messages joined by a blank line.
	Reply            string           `json:"reply,omitempty"`
	PlayedReply      string           `json:"played_reply,omitempty"`
	OriginalFindings []judges.Finding `json:"original_findings,omitempty"`
	Findings         []judges.Finding `json:"findings,omitempty"`
	Divergences      []Divergence     `json:"divergences,omitempty"`
}

// GoalDiff is one goal's outcome on both sides; nil when unknown.
type GoalDiff struct {
	Goal     string `json:"goal"`
	Original *bool  `json:"original,omitempty"`
	Played   *bool  `json:"played,omitempty"`
}

// Diff is one played conversation against the original.
type Diff struct {
	Conversation string     `json:"conversation"`
	Turns        []TurnDiff `json:"turns"`
	// Store lists the store paths whose final values differ: Want is the
	// original's, Got the build's. Nil when either side's store is unknown.
	Store []sandbox.Change `json:"store,omitempty"`
	Goals []GoalDiff       `json:"goals,omitempty"`
	// Divergences is every divergence, turn by turn, then store, then goals.
	Divergences []Divergence `json:"divergences"`
	// First is the first point of divergence: the first in Divergences.
	First           *Divergence `json:"first,omitempty"`
	Success         *bool       `json:"success,omitempty"`
	OriginalSuccess *bool       `json:"original_success,omitempty"`
}

// Identical reports whether the play did not diverge at all.
func (d *Diff) Identical() bool { return len(d.Divergences) == 0 }

// Compare diffs a played conversation against the original.
func Compare(original, played Play) Diff {
	d := Diff{Conversation: original.Conversation.ID, Success: played.Success, OriginalSuccess: original.Success}
	ot, pt := turns(original.Conversation.Messages), turns(played.Conversation.Messages)
	for i := range max(len(ot), len(pt)) {
		td := compareTurn(i+1, at(ot, i), at(pt, i))
		td.OriginalFindings = findingsAt(original.Findings, i+1)
		td.Findings = findingsAt(played.Findings, i+1)
		d.Turns = append(d.Turns, td)
		d.Divergences = append(d.Divergences, td.Divergences...)
	}
	if original.StoreKnown && played.StoreKnown {
		d.Store = storeDiff(original.Changes, played.Changes)
		for _, c := range d.Store {
			d.Divergences = append(d.Divergences, storeDivergence(c))
		}
	}
	var goalDivs []Divergence
	d.Goals, goalDivs = goalDiff(original.Goals, played.Goals)
	d.Divergences = append(d.Divergences, goalDivs...)
	if len(d.Divergences) > 0 {
		d.First = &d.Divergences[0]
	}
	return d
}

func at(ts []turn, i int) *turn {
	if i < len(ts) {
		return &ts[i]
	}
	return nil
}

func findingsAt(fs []judges.Finding, turn int) []judges.Finding {
	var out []judges.Finding
	for _, f := range fs {
		// A finding about the whole session (turn 0) is shown with turn 1.
		if f.Turn == turn || (f.Turn == 0 && turn == 1) {
			out = append(out, f)
		}
	}
	return out
}

// compareTurn diffs one merchant turn; o or p is nil when that side did
// not have it.
func compareTurn(n int, o, p *turn) TurnDiff {
	td := TurnDiff{Turn: n, InOriginal: o != nil, InPlayed: p != nil}
	if o == nil {
		o = &turn{}
		td.Divergences = append(td.Divergences, Divergence{Turn: n, Kind: KindExtraTurn,
			Message: fmt.Sprintf("turn %d: a merchant turn the original did not have", n)})
	}
	if p == nil {
		p = &turn{}
		td.Divergences = append(td.Divergences, Divergence{Turn: n, Kind: KindMissingTurn,
			Message: fmt.Sprintf("turn %d: the play ended before this merchant turn", n)})
	}
	td.Merchant, td.Reply, td.PlayedReply = o.merchant, o.reply(), p.reply()
	if td.InPlayed && p.merchant != o.merchant {
		td.PlayedMerchant = p.merchant
	}
	rows, pos := matchCalls(o.calls, p.calls)
	td.Calls = rows
	// A turn only one side had counts once, as that turn, not call by call.
	if td.InOriginal && td.InPlayed {
		td.Divergences = append(td.Divergences, callDivergences(n, rows)...)
		td.Divergences = append(td.Divergences, orderDivergences(n, o.calls, pos)...)
		td.Divergences = append(td.Divergences, replyDivergences(n, o, p)...)
	}
	return td
}

func callDivergences(n int, rows []CallRow) []Divergence {
	var out []Divergence
	for _, r := range rows {
		switch {
		case r.Played == nil:
			out = append(out, Divergence{Turn: n, Kind: KindMissingCall + ":" + r.Original.Name, Tool: r.Original.Name,
				Want: r.Original.String(), Message: fmt.Sprintf("turn %d: missing call %s", n, r.Original)})
		case r.Original == nil:
			out = append(out, Divergence{Turn: n, Kind: KindExtraCall + ":" + r.Played.Name, Tool: r.Played.Name,
				Got: r.Played.String(), Message: fmt.Sprintf("turn %d: extra call %s", n, r.Played)})
		default:
			for _, c := range r.Changes {
				out = append(out, Divergence{Turn: n, Kind: argKind(r.Original.Name, c.Path), Tool: r.Original.Name,
					Path: c.Path, Want: c.Want, Got: c.Got,
					Message: fmt.Sprintf("turn %d: call %s: %s: want %s got %s", n, r.Original.Name, c.Path, orAbsent(c.Want), orAbsent(c.Got))})
			}
		}
	}
	return out
}

// orderDivergences reports a matched call the build made before the call
// whose result it depends on in the original.
func orderDivergences(n int, want []Call, pos []int) []Divergence {
	var out []Divergence
	for j := range want {
		for i := range j {
			if pos[i] < 0 || pos[j] < 0 || pos[j] > pos[i] || !dependsOn(want[j], want[i]) {
				continue
			}
			out = append(out, Divergence{Turn: n, Kind: KindOrder + ":" + want[j].Name, Tool: want[j].Name,
				Want: want[i].Name + " then " + want[j].Name, Got: want[j].Name + " then " + want[i].Name,
				Message: fmt.Sprintf("turn %d: call %s made before %s, whose result its arguments use in the original",
					n, want[j].Name, want[i].Name)})
			break
		}
	}
	return out
}

func replyDivergences(n int, o, p *turn) []Divergence {
	switch {
	case o.replied() && !p.replied():
		return []Divergence{{Turn: n, Kind: KindMissingReply, Message: fmt.Sprintf("turn %d: no text reply; the original replied", n)}}
	case !o.replied() && p.replied():
		return []Divergence{{Turn: n, Kind: KindExtraReply, Message: fmt.Sprintf("turn %d: a text reply the original did not give", n)}}
	}
	return nil
}

func orAbsent(s string) string {
	if s == "" {
		return "(absent)"
	}
	return s
}

// storeDiff compares two sets of changes from the same initial store: a
// path only one side changed kept its initial value on the other, which is
// that side's Want.
func storeDiff(original, played []sandbox.Change) []sandbox.Change {
	o, p := map[string]sandbox.Change{}, map[string]sandbox.Change{}
	for _, c := range original {
		o[c.Path] = c
	}
	for _, c := range played {
		p[c.Path] = c
	}
	var out []sandbox.Change
	for path, oc := range o {
		pc, ok := p[path]
		switch {
		case !ok:
			out = append(out, sandbox.Change{Path: path, Want: oc.Got, Got: oc.Want})
		case pc.Got != oc.Got:
			out = append(out, sandbox.Change{Path: path, Want: oc.Got, Got: pc.Got})
		}
	}
	for path, pc := range p {
		if _, ok := o[path]; !ok {
			out = append(out, sandbox.Change{Path: path, Want: pc.Want, Got: pc.Got})
		}
	}
	slices.SortFunc(out, func(a, b sandbox.Change) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func storeDivergence(c sandbox.Change) Divergence {
	return Divergence{Kind: KindStore + ":" + c.Path, Path: c.Path, Want: c.Want, Got: c.Got,
		Message: fmt.Sprintf("store %s: want %s got %s", c.Path, orAbsent(c.Want), orAbsent(c.Got))}
}

// goalDiff lists every goal of either side, in the original's order then
// the play's, and a divergence for each goal both judged differently.
func goalDiff(original, played []judges.GoalResult) ([]GoalDiff, []Divergence) {
	if len(original) == 0 && len(played) == 0 {
		return nil, nil
	}
	var out []GoalDiff
	index := map[string]int{}
	for _, g := range original {
		index[g.Goal] = len(out)
		met := g.Met
		out = append(out, GoalDiff{Goal: g.Goal, Original: &met})
	}
	for _, g := range played {
		met := g.Met
		i, ok := index[g.Goal]
		if !ok {
			i = len(out)
			index[g.Goal] = i
			out = append(out, GoalDiff{Goal: g.Goal})
		}
		out[i].Played = &met
	}
	var divs []Divergence
	for _, g := range out {
		if g.Original != nil && g.Played != nil && *g.Original != *g.Played {
			divs = append(divs, Divergence{Kind: KindGoal + ":" + g.Goal, Want: metText(*g.Original), Got: metText(*g.Played),
				Message: fmt.Sprintf("goal %s: want %s got %s", g.Goal, metText(*g.Original), metText(*g.Played))})
		}
	}
	return out, divs
}

func metText(met bool) string {
	if met {
		return "met"
	}
	return "not met"
}
