package calibrate

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/merchantarena/merchantarena/judges"
)

// Labeller runs an LLM judge on labelled items and returns its labels, to
// be compared with the humans'.
type Labeller struct {
	// Judge is the LLM judge; its Rubric (nil: the default) gives the
	// criteria and their scales.
	Judge *judges.LLMJudge
	// Rater names the judge in its labels, such as "llm:gpt-4.1-mini".
	Rater string
}

// Label asks the judge about the given criteria of one item and returns
// one label per criterion it scored, in the order given. A per-goal
// criterion gets one label for the item: the lowest goal's score on a
// binary scale (every goal must be met), the rounded mean otherwise.
// Criteria the rubric does not know, and merchant criteria on a logged
// conversation (there the merchant is the ground truth), get no label.
func (l *Labeller) Label(ctx context.Context, item string, ev *judges.Evidence, stage1 judges.Verdict, criteria []string) ([]Label, error) {
	rub := l.Judge.Rubric
	if rub == nil {
		rub = judges.DefaultRubric()
	}
	sub := subRubric(rub, criteria)
	if len(sub.Criteria) == 0 {
		return nil, nil
	}
	j := *l.Judge
	j.Rubric = sub
	v, err := j.Judge(ctx, ev, stage1)
	if err != nil {
		return nil, fmt.Errorf("judge %s: %w", item, err)
	}
	perCriterion := map[string][]float64{}
	for _, s := range v.Scores {
		if s.Judge != "llm" {
			continue
		}
		id, _, _ := strings.Cut(s.Criterion, "/")
		perCriterion[id] = append(perCriterion[id], s.Score)
	}
	var out []Label
	for _, c := range sub.Criteria {
		scores := perCriterion[c.ID]
		if len(scores) == 0 {
			continue
		}
		raw := c.Scale.Min + combineGoals(c, scores)*(c.Scale.Max-c.Scale.Min)
		out = append(out, Label{Item: item, Criterion: c.ID, Rater: l.Rater, Kind: KindJudge, Value: labelOf(c, raw)})
	}
	return out, nil
}

// subRubric keeps the named criteria of r, in r's order. Its stage-1
// weight is kept positive so the smaller rubric stays valid whatever the
// criteria weigh; labels do not depend on weights.
func subRubric(r *judges.Rubric, criteria []string) *judges.Rubric {
	sub := &judges.Rubric{Version: r.Version, Stage1Weight: max(r.Stage1Weight, 1)}
	for _, c := range r.Criteria {
		if slices.Contains(criteria, c.ID) {
			sub.Criteria = append(sub.Criteria, c)
		}
	}
	return sub
}

// combineGoals folds per-goal normalised scores into one: the minimum on a
// binary scale, the mean otherwise.
func combineGoals(c judges.Criterion, scores []float64) float64 {
	if c.Scale.Binary {
		return slices.Min(scores)
	}
	sum := 0.0
	for _, s := range scores {
		sum += s
	}
	return math.Round(1e9*sum/float64(len(scores))) / 1e9
}
