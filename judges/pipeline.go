package judges

import (
	"context"
	"errors"
	"fmt"
)

// Pipeline is the gated N-stage judge the arena calls: stage 1
// (Procedural) always, stage 2 (LLM) when configured. It is safe for
// concurrent use.
type Pipeline struct {
	// Procedural is stage 1; it is required.
	Procedural *Procedural
	// LLM is stage 2; nil runs stage 1 only.
	LLM *LLMJudge
}

// Judge returns the verdict on one session. With LLM nil it is exactly
// Procedural.Judge. Stage 2 is skipped for a session that errored or timed
// out (its gated score is 0 whatever a judge says, so the calls would be
// spent for nothing); otherwise its gated score is capped at the
// Procedural's Cap when a stage-1 gate failed. When stage 2 fails, the
// stage-1 verdict is returned with the error, so a caller may keep it.
func (p *Pipeline) Judge(ctx context.Context, ev *Evidence) (Verdict, error) {
	if p.Procedural == nil {
		return Verdict{}, errors.New("judge: pipeline has no procedural judge")
	}
	v, err := p.Procedural.Judge(ev)
	if err != nil || p.LLM == nil || !sessionOK(ev) {
		return v, err
	}
	combined, err := p.LLM.judge(ctx, ev, v, p.Procedural.Cap)
	if err != nil {
		return v, fmt.Errorf("judge stage 2: %w", err)
	}
	return combined, nil
}

// combine folds the LLM judgements into the stage-1 verdict.
//
// The session's raw score is the weighted mean of stage 1's goal score
// (the "goals" score: the share of goal checks that the final store and
// the replies passed), weighing the rubric's Stage1Weight, and each build
// criterion's normalised score, weighing its Weight; a per-goal criterion
// counts once, as the mean over its goals. Merchant criteria never count
// toward the build. The gated score follows stage 1's rule: 0 when the
// session errored, capped at limit when a stage-1 gate failed. The session
// succeeds when stage 1 succeeded and every binary build judgement is 1.
// A merchant criterion at the bottom of its scale adds a sim.llm_fidelity
// finding, which marks a simulator fault and gates nothing.
func combine(stage1 Verdict, ev *Evidence, rub *Rubric, tasks []task, got []judgement, limit float64) Verdict {
	v := stage1
	v.Findings = append([]Finding{}, stage1.Findings...)
	v.Scores = append([]Score{}, stage1.Scores...)
	ok, gateOK := sessionOK(ev), !stage1.GateFailed()
	version := rub.Version + "+" + JudgePromptVersion
	sum, n := map[string]float64{}, map[string]int{}
	binaryOK := true
	for i, t := range tasks {
		r := got[i]
		s := Score{Judge: "llm", Criterion: t.id(), Score: t.crit.Scale.Normalise(r.Score),
			Rationale: r.Rationale, CitedTurns: r.CitedTurns, Version: version}
		if t.crit.Subject == SubjectMerchant {
			s.Gated = s.Score // the gates judge the build, not the merchant
			if s.Score == 0 {
				v.Findings = append(v.Findings, fidelityFinding(t, r))
			}
		} else {
			s.Gated = gateScore(s.Score, ok, gateOK, limit)
			sum[t.crit.ID] += s.Score
			n[t.crit.ID]++
			binaryOK = binaryOK && (!t.crit.Scale.Binary || r.Score == 1)
		}
		v.Scores = append(v.Scores, s)
	}
	num, den := rub.Stage1Weight*goalsScore(stage1), rub.Stage1Weight
	for _, c := range rub.Criteria {
		if c.Subject == SubjectBuild && n[c.ID] > 0 {
			num += c.Weight * sum[c.ID] / float64(n[c.ID])
			den += c.Weight
		}
	}
	if den > 0 {
		v.Raw = num / den
	}
	v.Gated = gateScore(v.Raw, ok, gateOK, limit)
	v.Success = stage1.Success && binaryOK
	sortFindings(v.Findings)
	markFaults(&v)
	return v
}

// goalsScore is stage 1's goal score, read from its "goals" score so that
// a verdict combined before is not combined on top of itself.
func goalsScore(v Verdict) float64 {
	for _, s := range v.Scores {
		if s.Judge == "procedural" && s.Criterion == "goals" {
			return s.Score
		}
	}
	return v.Raw
}

func fidelityFinding(t task, r judgement) Finding {
	f := Finding{Rule: RuleSimLLMFidelity, Kind: KindSimulatorFault,
		Message: fmt.Sprintf("%s: the judge found the merchant broke its card: %s", t.id(), clipText(r.Rationale, 300))}
	if len(r.CitedTurns) > 0 {
		f.Turn = r.CitedTurns[0]
	}
	return f
}

// sessionOK reports whether the build answered every turn.
func sessionOK(ev *Evidence) bool { return ev.Status == StatusOK || ev.Status == "" }

// gateScore caps a score: 0 when the session errored, at most limit when a
// gate failed.
func gateScore(score float64, ok, gateOK bool, limit float64) float64 {
	switch {
	case !ok:
		return 0
	case !gateOK:
		return min(score, limit)
	}
	return score
}
