package calibrate

import (
	"errors"
	"fmt"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

// Analyze computes the agreement report of one criterion's labels on
// scale (a zero scale is inferred from the values): raters whose labels
// are of kind judge are the judges. A bad label (off the scale, or a
// second label by one rater for one item) is an error naming its line
// when it came from a file.
func Analyze(labels []Label, scale agreement.Scale, o agreement.Options) (agreement.Report, error) {
	rows := make([]agreement.Label, len(labels))
	var judgeNames []string
	seen := map[string]bool{}
	for i, l := range labels {
		rows[i] = agreement.Label{Item: l.Item, Rater: l.Rater, Value: l.Value}
		if l.Kind == KindJudge && !seen[l.Rater] {
			seen[l.Rater] = true
			judgeNames = append(judgeNames, l.Rater)
		}
	}
	t, err := agreement.NewTable(rows, scale)
	var le *agreement.LabelError
	if errors.As(err, &le) {
		return agreement.Report{}, labelErr(labels, le)
	}
	if err != nil {
		return agreement.Report{}, err
	}
	o.Judges = judgeNames
	return agreement.Analyze(t, o)
}

func labelErr(labels []Label, le *agreement.LabelError) error {
	l := labels[le.Index]
	where := fmt.Sprintf("label #%d", le.Index+1)
	if l.Line > 0 {
		where = fmt.Sprintf("line %d", l.Line)
	}
	msg := fmt.Sprintf("%s (item %s, rater %s, label %q): %v", where, l.Item, l.Rater, l.Value, le.Err)
	if le.Previous >= 0 && labels[le.Previous].Line > 0 {
		msg += fmt.Sprintf(" (first at line %d)", labels[le.Previous].Line)
	}
	return fmt.Errorf("criterion %s: %s: %w", l.Criterion, msg, le.Err)
}
