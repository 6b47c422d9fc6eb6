package calibrate

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
)

// maxOrdinalLevels bounds the integer ranges read as ordinal scales; a
// wider range is treated as an interval scale.
const maxOrdinalLevels = 21

// ScaleOf returns the agreement scale of a rubric criterion: a binary
// criterion is nominal over 0 and 1; a range with integer ends (1 to 5) is
// ordinal over every integer in it, used or not; any other range is an
// interval scale.
func ScaleOf(c judges.Criterion) agreement.Scale {
	s := c.Scale
	if s.Binary {
		return agreement.Scale{Kind: agreement.Nominal, Levels: []string{"0", "1"}}
	}
	if s.Min == math.Trunc(s.Min) && s.Max == math.Trunc(s.Max) && s.Max-s.Min < maxOrdinalLevels {
		var levels []string
		for v := s.Min; v <= s.Max; v++ {
			levels = append(levels, strconv.FormatFloat(v, 'f', -1, 64))
		}
		return agreement.Scale{Kind: agreement.Ordinal, Levels: levels}
	}
	return agreement.Scale{Kind: agreement.Interval}
}

// Criterion returns the rubric's criterion with the given ID.
func Criterion(r *judges.Rubric, id string) (judges.Criterion, bool) {
	for _, c := range r.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return judges.Criterion{}, false
}

// labelOf turns a judge's score on the criterion's own scale into a label
// on its agreement scale: 0 or 1 for a binary criterion, the nearest level
// on an ordinal one, the number itself on an interval one.
func labelOf(c judges.Criterion, score float64) string {
	sc := ScaleOf(c)
	if sc.Kind == agreement.Interval {
		return FormatNumber(score)
	}
	return FormatNumber(math.Round(score))
}

// CheckValue reports whether v is a label on scale s: one of its levels
// when it lists them, a number on an interval scale that lists none, and
// anything on a zero (to be inferred) scale.
func CheckValue(s agreement.Scale, v string) error {
	if len(s.Levels) > 0 {
		if !slices.Contains(s.Levels, v) {
			return fmt.Errorf("%q is not a level of the scale %s", v, s)
		}
		return nil
	}
	if s.Kind == agreement.Interval {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Errorf("%q is not a number, as the interval scale needs", v)
		}
	}
	return nil
}
