package calibrate

import (
	"errors"
	"fmt"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

// ErrNoLabels is a set of labels with nothing to analyse (for the
// criterion asked, when one was).
var ErrNoLabels = errors.New("no label")

// Agreement is the agreement report of every labelled criterion.
type Agreement struct {
	Criteria map[string]agreement.Report `json:"criteria"`
	// Order lists the criteria as the labels first name them.
	Order []string `json:"-"`
}

// AnalyzeCriteria groups labels by criterion (only criterion, when it is
// not empty) and analyses each on its scale from sc, as Analyze does. It
// returns an error matching ErrNoLabels when no label is left, and the
// first criterion's analysis error otherwise.
func AnalyzeCriteria(labels []Label, criterion string, sc Scales, o agreement.Options) (Agreement, error) {
	by := map[string][]Label{}
	var order []string
	for _, l := range labels {
		if criterion != "" && l.Criterion != criterion {
			continue
		}
		if by[l.Criterion] == nil {
			order = append(order, l.Criterion)
		}
		by[l.Criterion] = append(by[l.Criterion], l)
	}
	if len(order) == 0 {
		if criterion != "" {
			return Agreement{}, fmt.Errorf("%w for criterion %q", ErrNoLabels, criterion)
		}
		return Agreement{}, fmt.Errorf("%w to analyse", ErrNoLabels)
	}
	rep := Agreement{Criteria: map[string]agreement.Report{}, Order: order}
	for _, name := range order {
		s, _ := sc.Of(name)
		r, err := Analyze(by[name], s, o)
		if err != nil {
			return rep, err
		}
		rep.Criteria[name] = r
	}
	return rep, nil
}
