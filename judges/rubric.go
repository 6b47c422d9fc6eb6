package judges

import (
	_ "embed"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Criterion subjects: what a criterion judges.
const (
	// SubjectBuild criteria judge the build under test and count toward
	// its score.
	SubjectBuild = "build"
	// SubjectMerchant criteria judge the simulated merchant; they never
	// count toward the build, and a 0 flags a simulator fault.
	SubjectMerchant = "merchant"
)

// ErrInvalidRubric matches every *RubricError.
var ErrInvalidRubric = errors.New("invalid rubric")

//go:embed rubric/default.yaml
var defaultRubricYAML string

// Rubric is what the LLM judges score: a versioned list of criteria and how
// much each weighs. Version is stored with every score it produced, so
// change it whenever a prompt, scale or weight changes.
type Rubric struct {
	Version string
	// Stage1Weight is the weight of stage 1's goal score (the share of goal
	// checks the store and the replies passed) in the session's raw score.
	Stage1Weight float64
	Criteria     []Criterion
}

// Criterion is one thing an LLM judge scores.
type Criterion struct {
	// ID names the criterion in scores; a per-goal criterion's scores are
	// named ID/goal ("goal_completion/g1").
	ID          string
	Description string
	// Prompt is the judge's instructions for this criterion.
	Prompt string
	Scale  Scale
	// Weight is the criterion's weight in the build's raw score. A
	// per-goal criterion weighs its mean over goals. Merchant criteria
	// weigh 0.
	Weight float64
	// PerGoal asks for one judgement per persona goal.
	PerGoal bool
	// Subject is SubjectBuild or SubjectMerchant.
	Subject string
}

// Scale is the range of a criterion's scores. A binary scale takes 0 or 1
// only; a range takes any number from Min to Max.
type Scale struct {
	Binary   bool
	Min, Max float64
}

// BinaryScale is the 0-or-1 scale.
var BinaryScale = Scale{Binary: true, Min: 0, Max: 1}

// Contains reports whether score is on the scale.
func (s Scale) Contains(score float64) bool {
	if s.Binary {
		return score == 0 || score == 1
	}
	return score >= s.Min && score <= s.Max
}

// Normalise maps a score on the scale to [0,1].
func (s Scale) Normalise(score float64) float64 {
	return (score - s.Min) / (s.Max - s.Min)
}

// String describes the scale the way the judge's prompt states it.
func (s Scale) String() string {
	if s.Binary {
		return "binary: 0 or 1"
	}
	return fmt.Sprintf("from %s to %s", num(s.Min), num(s.Max))
}

func num(f float64) string { return fmt.Sprintf("%g", f) }

// RubricError is a rubric that cannot be used: the file, the line (0 when
// unknown, as for a rubric built in code), the field path
// ("criteria[2].scale") and what is wrong. It matches ErrInvalidRubric.
type RubricError struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *RubricError) Error() string {
	var b strings.Builder
	b.WriteString("rubric")
	if e.File != "" {
		b.WriteString(" " + e.File)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	return b.String() + ": " + e.Err.Error()
}

func (e *RubricError) Unwrap() error { return e.Err }

// Is makes every RubricError match ErrInvalidRubric.
func (e *RubricError) Is(target error) bool { return target == ErrInvalidRubric }

var criterionIDRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// Validate checks a rubric built in code the way LoadRubric checks a file.
func (r *Rubric) Validate() error { return r.validate("", nil) }

// validate checks the rubric; lines, when known, are the criteria's lines
// in file.
func (r *Rubric) validate(file string, lines *rubricLines) error {
	fail := func(line int, field, format string, args ...any) error {
		return &RubricError{File: file, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
	}
	if strings.TrimSpace(r.Version) == "" {
		return fail(lines.field("version"), "version", "missing; name the rubric's version (e.g. rubric/1)")
	}
	if r.Stage1Weight < 0 || !finite(r.Stage1Weight) {
		return fail(lines.field("stage1_weight"), "stage1_weight", "%v is not a weight (want a number >= 0)", r.Stage1Weight)
	}
	if len(r.Criteria) == 0 {
		return fail(lines.field("criteria"), "criteria", "missing; a rubric needs at least one criterion")
	}
	seen := map[string]bool{}
	total := r.Stage1Weight
	for i, c := range r.Criteria {
		line := lines.criterion(i)
		field := fmt.Sprintf("criteria[%d]", i)
		if err := c.validate(); err != nil {
			var fe *fieldErr
			if errors.As(err, &fe) {
				return fail(lines.criterionField(i, fe.field, line), field+"."+fe.field, "%s", fe.msg)
			}
			return fail(line, field, "%v", err)
		}
		if seen[c.ID] {
			return fail(lines.criterionField(i, "id", line), field+".id", "duplicate criterion %q", c.ID)
		}
		seen[c.ID] = true
		if c.Subject == SubjectBuild {
			total += c.Weight
		}
	}
	if total <= 0 {
		return fail(0, "weight", "every weight is 0, so nothing would count toward the score")
	}
	return nil
}

// fieldErr is a problem with one field of a criterion.
type fieldErr struct{ field, msg string }

func (e *fieldErr) Error() string { return e.field + ": " + e.msg }

func (c *Criterion) validate() error {
	bad := func(field, format string, args ...any) error {
		return &fieldErr{field: field, msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case c.ID == "":
		return bad("id", "missing")
	case !criterionIDRE.MatchString(c.ID):
		return bad("id", "%q: want lowercase letters, digits and _ (starting with a letter)", c.ID)
	case strings.TrimSpace(c.Prompt) == "":
		return bad("prompt", "missing; the judge needs instructions")
	case c.Subject != SubjectBuild && c.Subject != SubjectMerchant:
		return bad("subject", "%q: want %q or %q", c.Subject, SubjectBuild, SubjectMerchant)
	case c.Weight < 0 || !finite(c.Weight):
		return bad("weight", "%v is not a weight (want a number >= 0)", c.Weight)
	case c.Subject == SubjectMerchant && c.Weight != 0:
		return bad("weight", "a merchant criterion never counts toward the build; drop the weight")
	}
	s := c.Scale
	if s.Binary && (s.Min != 0 || s.Max != 1) {
		return bad("scale", "a binary scale is 0 to 1")
	}
	if !s.Binary && (!finite(s.Min) || !finite(s.Max) || s.Max <= s.Min) {
		return bad("scale", "max %v must exceed min %v", s.Max, s.Min)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

var defaultRubric = sync.OnceValue(func() *Rubric {
	r, err := LoadRubric(strings.NewReader(defaultRubricYAML), "rubric/default.yaml")
	if err != nil {
		panic("judges: the embedded default rubric is invalid: " + err.Error())
	}
	return r
})

// DefaultRubric returns a copy of the embedded default rubric
// (judges/rubric/default.yaml): goal_completion per goal, action
// correctness, helpfulness, tone, opt-out, hallucination, and the
// merchant's fidelity to its card.
func DefaultRubric() *Rubric {
	r := *defaultRubric()
	r.Criteria = slices.Clone(r.Criteria)
	return &r
}
