package replay

import (
	"cmp"
	"slices"

	"github.com/merchantarena/merchantarena/stats"
)

// KindCount is how many trials showed a divergence kind at least once
// (Trials, and Rate = Trials / the number of trials) and how often it
// occurred in all (Occurrences).
type KindCount struct {
	Kind        string  `json:"kind"`
	Trials      int     `json:"trials"`
	Rate        float64 `json:"rate"`
	Occurrences int     `json:"occurrences"`
}

// FirstCount is how many trials first diverged at one turn with one kind.
type FirstCount struct {
	Turn   int     `json:"turn,omitempty"`
	Kind   string  `json:"kind"`
	Trials int     `json:"trials"`
	Rate   float64 `json:"rate"`
}

// PassAtK is pass^k: the chance that k fresh trials all succeed,
// estimated without bias from the judged trials (stats.PassK).
type PassAtK struct {
	K int     `json:"k"`
	P float64 `json:"p"`
}

// Summary is what the trials of one conversation × build say together.
// Success counts only judged trials (Diff.Success set); SuccessRate and
// PassK are absent when none was judged.
type Summary struct {
	Trials      int          `json:"trials"`
	Identical   int          `json:"identical"`
	Judged      int          `json:"judged"`
	Successes   int          `json:"successes"`
	SuccessRate *float64     `json:"success_rate,omitempty"`
	PassK       []PassAtK    `json:"pass_k,omitempty"`
	Kinds       []KindCount  `json:"kinds"`
	First       []FirstCount `json:"first_divergence"`
}

// MostCommonFirst is the most common first point of divergence; nil when
// no trial diverged.
func (s *Summary) MostCommonFirst() *FirstCount {
	if len(s.First) == 0 {
		return nil
	}
	return &s.First[0]
}

// Summarize counts the divergences of the trials of one conversation and
// build. Kinds and First are sorted most common first, then by turn and
// kind, so the order is stable.
func Summarize(trials []Diff) Summary {
	s := Summary{Trials: len(trials), Kinds: []KindCount{}, First: []FirstCount{}}
	kinds := map[string]*KindCount{}
	firsts := map[[2]any]*FirstCount{}
	for _, d := range trials {
		if d.Identical() {
			s.Identical++
		}
		if d.Success != nil {
			s.Judged++
			if *d.Success {
				s.Successes++
			}
		}
		countKinds(kinds, d.Divergences)
		if d.First != nil {
			key := [2]any{d.First.Turn, d.First.Kind}
			if firsts[key] == nil {
				firsts[key] = &FirstCount{Turn: d.First.Turn, Kind: d.First.Kind}
			}
			firsts[key].Trials++
		}
	}
	for _, k := range kinds {
		k.Rate = float64(k.Trials) / float64(s.Trials)
		s.Kinds = append(s.Kinds, *k)
	}
	slices.SortFunc(s.Kinds, func(a, b KindCount) int {
		return cmp.Or(cmp.Compare(b.Trials, a.Trials), cmp.Compare(b.Occurrences, a.Occurrences), cmp.Compare(a.Kind, b.Kind))
	})
	for _, f := range firsts {
		f.Rate = float64(f.Trials) / float64(s.Trials)
		s.First = append(s.First, *f)
	}
	slices.SortFunc(s.First, func(a, b FirstCount) int {
		return cmp.Or(cmp.Compare(b.Trials, a.Trials), cmp.Compare(a.Turn, b.Turn), cmp.Compare(a.Kind, b.Kind))
	})
	if s.Judged > 0 {
		rate := float64(s.Successes) / float64(s.Judged)
		s.SuccessRate = &rate
		for k := 1; k <= s.Judged; k++ {
			s.PassK = append(s.PassK, PassAtK{K: k, P: stats.PassK(s.Successes, s.Judged, k)})
		}
	}
	return s
}

func countKinds(kinds map[string]*KindCount, divs []Divergence) {
	seen := map[string]bool{}
	for _, d := range divs {
		k := kinds[d.Kind]
		if k == nil {
			k = &KindCount{Kind: d.Kind}
			kinds[d.Kind] = k
		}
		k.Occurrences++
		if !seen[d.Kind] {
			seen[d.Kind] = true
			k.Trials++
		}
	}
}

// Build is one build's trials of the conversation and their summary.
type Build struct {
	Name    string  `json:"name"`
	Trials  []Diff  `json:"trials"`
	Summary Summary `json:"summary"`
}

// Report is a replay of one conversation against one or more builds.
// Mode says how the merchant was played ("verbatim", "simulate"); it is
// shown, never interpreted.
type Report struct {
	Conversation string  `json:"conversation"`
	Mode         string  `json:"mode,omitempty"`
	Builds       []Build `json:"builds"`

	original Play
}

// NewReport starts a report on original; Add adds each build's trials.
func NewReport(original Play, mode string) *Report {
	return &Report{Conversation: original.Conversation.ID, Mode: mode, Builds: []Build{}, original: original}
}

// Add compares each play of a build with the original and summarises
// them, and returns the build as added.
func (r *Report) Add(name string, plays []Play) Build {
	b := Build{Name: name, Trials: make([]Diff, len(plays))}
	for i, p := range plays {
		b.Trials[i] = Compare(r.original, p)
	}
	b.Summary = Summarize(b.Trials)
	r.Builds = append(r.Builds, b)
	return b
}
