package gate

import (
	"github.com/merchantarena/merchantarena/results"
)

// hardChecks counts, over the pairs, the sessions with a stage-1 gate
// failure, with each gating finding kind, and that errored or timed out.
// Each must not be more frequent for the candidate.
func hardChecks(p pairing) []HardCheck {
	stage1 := HardCheck{Name: CheckStage1}
	errs := HardCheck{Name: CheckErrors}
	kinds := map[string]*HardCheck{}
	kind := func(k string) *HardCheck {
		if kinds[k] == nil {
			kinds[k] = &HardCheck{Name: k}
		}
		return kinds[k]
	}
	for _, pr := range p.pairs {
		count(&stage1, pr.a.GateFailures > 0, pr.b.GateFailures > 0)
		count(&errs, failed(pr.a), failed(pr.b))
		for k, n := range pr.a.Kinds {
			if n > 0 {
				kind(k).Baseline++
			}
		}
		for k, n := range pr.b.Kinds {
			if n > 0 {
				kind(k).Candidate++
			}
		}
	}
	out := []HardCheck{stage1}
	for _, k := range sortedKeys(kinds) {
		out = append(out, *kinds[k])
	}
	out = append(out, errs)
	n := len(p.pairs)
	for i := range out {
		h := &out[i]
		h.Pairs = n
		if n > 0 {
			h.BaselineRate, h.CandidateRate = float64(h.Baseline)/float64(n), float64(h.Candidate)/float64(n)
		}
		h.Pass = h.Candidate <= h.Baseline
	}
	return out
}

func count(h *HardCheck, a, b bool) {
	if a {
		h.Baseline++
	}
	if b {
		h.Candidate++
	}
}

// failed reports whether the build errored or timed out.
func failed(f *results.SessionFact) bool {
	return f.Status == results.StatusError || f.Status == results.StatusTimeout
}
