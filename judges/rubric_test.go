package judges_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
)

const testRubricYAML = `version: test/1
stage1_weight: 2
criteria:
  - id: done
    description: The goal was done.
    per_goal: true
    scale: binary
    weight: 2
    prompt: Was the goal done?
  - id: quality
    scale: {min: 1, max: 5}
    prompt: Rate the quality.
  - id: honest
    scale: binary
    weight: 1
    prompt: Did the assistant state only what the tools returned?
  - id: fidelity
    subject: merchant
    scale: binary
    prompt: Did the merchant keep to its card?
`

func testRubric(t *testing.T) *judges.Rubric {
	t.Helper()
	r, err := judges.LoadRubric(strings.NewReader(testRubricYAML), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLoadRubric(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		want := &judges.Rubric{Version: "test/1", Stage1Weight: 2, Criteria: []judges.Criterion{
			{ID: "done", Description: "The goal was done.", PerGoal: true, Scale: judges.BinaryScale, Weight: 2,
				Prompt: "Was the goal done?", Subject: judges.SubjectBuild},
			{ID: "quality", Scale: judges.Scale{Min: 1, Max: 5}, Weight: 1, Prompt: "Rate the quality.", Subject: judges.SubjectBuild},
			{ID: "honest", Scale: judges.BinaryScale, Weight: 1, Prompt: "Did the assistant state only what the tools returned?", Subject: judges.SubjectBuild},
			{ID: "fidelity", Scale: judges.BinaryScale, Weight: 0, Prompt: "Did the merchant keep to its card?", Subject: judges.SubjectMerchant},
		}}
		if diff := cmp.Diff(want, testRubric(t)); diff != "" {
			t.Errorf("rubric (-want +got):\n%s", diff)
		}
	})
	t.Run("Stage1WeightDefault", func(t *testing.T) {
		r, err := judges.LoadRubric(strings.NewReader("version: v\ncriteria:\n  - {id: a, scale: binary, prompt: p}\n"), "x.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if r.Stage1Weight != 1 || r.Criteria[0].Weight != 1 {
			t.Errorf("stage1 weight %v, criterion weight %v; want the defaults 1 and 1", r.Stage1Weight, r.Criteria[0].Weight)
		}
	})
	crit := "version: v\ncriteria:\n  - id: a\n    scale: binary\n    prompt: p\n"
	for _, tc := range []struct {
		name, yaml string
		line       int
		field, msg string
	}{
		{"ErrSyntax", "version: v\ncriteria:\n  - id: a\n    prompt: [b\n", 3, "", "did not find expected"},
		{"ErrTab", "version: v\n\tcriteria: []\n", 2, "", "tab character"},
		{"ErrEmpty", "", 0, "", "empty"},
		{"ErrNotMapping", "- a\n- b\n", 1, "", "want a mapping"},
		{"ErrUnknownTopField", "version: v\ncritera: []\n", 2, "critera", "unknown field"},
		{"ErrUnknownField", crit + "    promt: q\n", 6, "criteria[0].promt", "unknown field"},
		{"ErrTwice", crit + "    prompt: q\n", 6, "criteria[0].prompt", "given twice"},
		{"ErrWeightType", crit + "    weight: heavy\n", 6, "criteria[0].weight", "cannot unmarshal"},
		{"ErrWeightEmpty", crit + "    weight:\n", 6, "criteria[0].weight", "empty value"},
		{"ErrWeightNegative", crit + "    weight: -1\n", 6, "criteria[0].weight", "not a weight"},
		{"ErrScaleInverted", "version: v\ncriteria:\n  - id: a\n    prompt: p\n    scale: {min: 5, max: 1}\n", 5, "criteria[0].scale", "max 1 must exceed min 5"},
		{"ErrScaleWord", "version: v\ncriteria:\n  - id: a\n    prompt: p\n    scale: likert\n", 5, "criteria[0].scale", "want binary or"},
		{"ErrScaleHalf", "version: v\ncriteria:\n  - id: a\n    prompt: p\n    scale: {min: 1}\n", 5, "criteria[0].scale", "both min and max"},
		{"ErrScaleMissing", "version: v\ncriteria:\n  - id: a\n    prompt: p\n", 3, "criteria[0].scale", "missing"},
		{"ErrPromptMissing", "version: v\ncriteria:\n  - id: a\n    scale: binary\n", 3, "criteria[0].prompt", "missing"},
		{"ErrBadID", "version: v\ncriteria:\n  - id: Goal Completion\n    scale: binary\n    prompt: p\n", 3, "criteria[0].id", "lowercase"},
		{"ErrDuplicateID", crit + "  - id: a\n    scale: binary\n    prompt: q\n", 6, "criteria[1].id", "duplicate"},
		{"ErrSubject", crit + "    subject: customer\n", 6, "criteria[0].subject", `"customer"`},
		{"ErrMerchantWeight", crit + "    subject: merchant\n    weight: 1\n", 7, "criteria[0].weight", "never counts"},
		{"ErrVersionMissing", "criteria:\n  - {id: a, scale: binary, prompt: p}\n", 1, "version", "missing"},
		{"ErrNoCriteria", "version: v\ncriteria: []\n", 2, "criteria", "at least one"},
		{"ErrNothingCounts", "version: v\nstage1_weight: 0\ncriteria:\n  - {id: a, scale: binary, prompt: p, weight: 0}\n", 0, "weight", "every weight is 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := judges.LoadRubric(strings.NewReader(tc.yaml), "test.yaml")
			var re *judges.RubricError
			if !errors.As(err, &re) || !errors.Is(err, judges.ErrInvalidRubric) {
				t.Fatalf("err = %v, want a *RubricError matching ErrInvalidRubric", err)
			}
			if re.File != "test.yaml" || re.Line != tc.line || re.Field != tc.field {
				t.Errorf("at %s:%d %q, want test.yaml:%d %q (%v)", re.File, re.Line, re.Field, tc.line, tc.field, err)
			}
			if !strings.Contains(err.Error(), tc.msg) || !strings.HasPrefix(err.Error(), "rubric test.yaml") {
				t.Errorf("err = %q, want it to start with the file and contain %q", err, tc.msg)
			}
		})
	}
}

func TestDefaultRubric(t *testing.T) {
	r := judges.DefaultRubric()
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	type shape struct {
		ID      string
		Scale   judges.Scale
		PerGoal bool
		Subject string
	}
	likert := judges.Scale{Min: 1, Max: 5}
	want := []shape{
		{"goal_completion", judges.BinaryScale, true, "build"},
		{"action_correctness", likert, false, "build"},
		{"helpfulness", likert, false, "build"},
		{"tone", likert, false, "build"},
		{"opt_out", judges.BinaryScale, false, "build"},
		{"hallucination", judges.BinaryScale, false, "build"},
		{"merchant_fidelity", judges.BinaryScale, false, "merchant"},
	}
	var got []shape
	for _, c := range r.Criteria {
		got = append(got, shape{c.ID, c.Scale, c.PerGoal, c.Subject})
		if strings.TrimSpace(c.Prompt) == "" || c.Description == "" {
			t.Errorf("criterion %s has no prompt or description", c.ID)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("criteria (-want +got):\n%s", diff)
	}
	if r.Version != "rubric/1" || r.Stage1Weight <= 0 {
		t.Errorf("version %q stage1 weight %v", r.Version, r.Stage1Weight)
	}
	r.Criteria[0].Weight = 99
	if judges.DefaultRubric().Criteria[0].Weight == 99 {
		t.Error("DefaultRubric shares its criteria between callers")
	}
}

func TestRubric_Validate(t *testing.T) {
	r := &judges.Rubric{Version: "v", Stage1Weight: 1, Criteria: []judges.Criterion{
		{ID: "a", Prompt: "p", Scale: judges.Scale{Min: 1, Max: 1}, Subject: judges.SubjectBuild},
	}}
	err := r.Validate()
	var re *judges.RubricError
	if !errors.As(err, &re) || re.Field != "criteria[0].scale" || re.Line != 0 {
		t.Fatalf("err = %v, want a scale error without a line", err)
	}
}

func TestScale_Normalise(t *testing.T) {
	s := judges.Scale{Min: 1, Max: 5}
	got := []float64{s.Normalise(1), s.Normalise(3), s.Normalise(5), judges.BinaryScale.Normalise(1)}
	if diff := cmp.Diff([]float64{0, 0.5, 1, 1}, got); diff != "" {
		t.Errorf("normalised (-want +got):\n%s", diff)
	}
	if s.Contains(0.5) || !s.Contains(4.5) || judges.BinaryScale.Contains(0.5) {
		t.Error("Contains accepts a score off the scale or refuses one on it")
	}
}
