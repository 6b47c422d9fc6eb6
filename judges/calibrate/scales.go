package calibrate

import (
	"fmt"
	"io"
	"slices"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
)

// Scales gives each criterion its agreement scale: the rubric's when the
// rubric has the criterion, else Override when set, else none (the zero
// Scale, inferred from the values).
type Scales struct {
	Rubric   *judges.Rubric   // nil: no criterion takes its scale from a rubric
	Override *agreement.Scale // the scale of criteria the rubric does not know
}

// Of returns the scale of criterion; fromRubric says the rubric knows it,
// which is also what makes a criterion one an LLM judge scores.
func (s Scales) Of(criterion string) (sc agreement.Scale, fromRubric bool) {
	if s.Rubric != nil {
		if c, ok := Criterion(s.Rubric, criterion); ok {
			return ScaleOf(c), true
		}
	}
	if s.Override != nil {
		return *s.Override, false
	}
	return agreement.Scale{}, false
}

// ReadCheckedLabels reads a label file as ReadLabels does, then checks
// every label against its criterion's scale and against the labels before
// it: a value off the scale, or a second label by one rater for one item
// and criterion, is a bad line like a malformed one. Bad lines come back
// in line order; the error is non-nil only when r cannot be read.
func ReadCheckedLabels(r io.Reader, file string, sc Scales) ([]Label, []*LineError, error) {
	labels, bad, err := ReadLabels(r, file)
	if err != nil {
		return nil, nil, err
	}
	first := map[[3]string]int{}
	kept := labels[:0]
	for _, l := range labels {
		s, _ := sc.Of(l.Criterion)
		key := [3]string{l.Item, l.Criterion, l.Rater}
		if err := CheckValue(s, l.Value); err != nil {
			bad = append(bad, &LineError{File: file, Line: l.Line, Err: fmt.Errorf("criterion %s: %w", l.Criterion, err)})
			continue
		}
		if line, dup := first[key]; dup {
			bad = append(bad, &LineError{File: file, Line: l.Line,
				Err: fmt.Errorf("rater %s already labelled item %s on %s at line %d", l.Rater, l.Item, l.Criterion, line)})
			continue
		}
		first[key] = l.Line
		kept = append(kept, l)
	}
	slices.SortStableFunc(bad, func(a, b *LineError) int { return a.Line - b.Line })
	return kept, bad, nil
}
