package calibrate

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Identity names a judge as calibration sees it: a change to any field is
// a different judge, uncalibrated until calibrated again.
type Identity struct {
	Judge         string // the rater name, such as "llm:gpt-4.1-mini"
	Model         string
	PromptVersion string // judges.JudgePromptVersion when it ran
	RubricVersion string
}

func (id Identity) String() string {
	return fmt.Sprintf("%s (model %s, prompt %s, rubric %s)", id.Judge, id.Model, id.PromptVersion, id.RubricVersion)
}

// Record is one stored calibration of a judge on a criterion.
type Record struct {
	Identity
	Criterion string
	Passed    bool
	At        time.Time
}

// ErrUncalibrated matches every *UncalibratedError.
var ErrUncalibrated = errors.New("judge not calibrated")

// UncalibratedError says why a judge cannot be relied on for a criterion:
// it was never calibrated on it in its current identity (Last, when set, is
// its newest calibration as another identity), or its newest calibration
// in this identity failed (Failed).
type UncalibratedError struct {
	Criterion string
	Judge     Identity
	Last      *Record
	Failed    bool
}

func (e *UncalibratedError) Error() string {
	switch {
	case e.Failed:
		return fmt.Sprintf("criterion %s: judge %s failed its last calibration (%s): the alternative annotator test did not pass",
			e.Criterion, e.Judge, e.Last.At.UTC().Format(time.DateTime))
	case e.Last != nil:
		return fmt.Sprintf("criterion %s: judge %s is uncalibrated: %s since its last calibration (%s)",
			e.Criterion, e.Judge.Judge, changes(e.Last.Identity, e.Judge), e.Last.At.UTC().Format(time.DateTime))
	}
	return fmt.Sprintf("criterion %s: judge %s was never calibrated on it", e.Criterion, e.Judge)
}

// Is makes every UncalibratedError match ErrUncalibrated.
func (e *UncalibratedError) Is(target error) bool { return target == ErrUncalibrated }

func changes(was, now Identity) string {
	var parts []string
	for _, f := range [][3]string{
		{"prompt version", was.PromptVersion, now.PromptVersion},
		{"model", was.Model, now.Model},
		{"rubric version", was.RubricVersion, now.RubricVersion},
	} {
		if f[1] != f[2] {
			parts = append(parts, fmt.Sprintf("its %s changed (%s → %s)", f[0], f[1], f[2]))
		}
	}
	return strings.Join(parts, ", ")
}

// Check says whether judge id can be relied on for criterion, given the
// stored calibrations (any order). The rule: the newest calibration of
// exactly this identity on this criterion must exist and have passed.
// A judge whose prompt version, model or rubric version changed since its
// last calibration has no such record, so it is uncalibrated. It returns
// nil or an *UncalibratedError.
func Check(id Identity, criterion string, records []Record) error {
	var newest, newestSame *Record
	for i := range records {
		r := &records[i]
		if r.Judge != id.Judge || r.Criterion != criterion {
			continue
		}
		if newest == nil || r.At.After(newest.At) {
			newest = r
		}
		if r.Identity == id && (newestSame == nil || r.At.After(newestSame.At)) {
			newestSame = r
		}
	}
	switch {
	case newestSame == nil:
		return &UncalibratedError{Criterion: criterion, Judge: id, Last: newest}
	case !newestSame.Passed:
		return &UncalibratedError{Criterion: criterion, Judge: id, Last: newestSame, Failed: true}
	}
	return nil
}
