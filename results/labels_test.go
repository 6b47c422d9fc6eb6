package results_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/results"
)

func TestDB_PutLabels(t *testing.T) {
	t.Run("BadLabelSkipped", func(t *testing.T) {
		db := MustOpenDB(t)
		n, err := db.PutLabels(t.Context(), []results.Label{
			{Item: "c1", Criterion: "tone", Rater: "ann", Kind: results.LabelHuman, Value: "4"},
			{Item: "c1", Criterion: "tone", Rater: "bob", Kind: "robot", Value: "4"},
			{Item: "c2", Criterion: "tone", Rater: "ann", Kind: results.LabelHuman, Value: ""},
		})
		if n != 1 {
			t.Errorf("wrote %d labels, want 1", n)
		}
		var ie *results.InvalidError
		if !errors.As(err, &ie) || ie.Index != 1 || ie.Field != "kind" || !errors.Is(err, results.ErrInvalid) {
			t.Fatalf("err = %v, want *InvalidError for #1 kind first", err)
		}
		got, err := db.Labels(t.Context(), results.LabelFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Rater != "ann" {
			t.Fatalf("stored %+v, want ann's label only", got)
		}
	})
	t.Run("ReplacesAndKeepsOrder", func(t *testing.T) {
		db := MustOpenDB(t)
		first := []results.Label{
			{Item: "c2", Criterion: "tone", Rater: "ann", Kind: results.LabelHuman, Value: "3", Source: "a.jsonl:1"},
			{Item: "c1", Criterion: "tone", Rater: "ann", Kind: results.LabelHuman, Value: "5", Source: "a.jsonl:2"},
			{Item: "c1", Criterion: "hallucination", Rater: "llm:m", Kind: results.LabelJudge, Value: "1", Source: "calibrate"},
		}
		if _, err := db.PutLabels(t.Context(), first); err != nil {
			t.Fatal(err)
		}
		later := t0.Add(time.Hour)
		if _, err := db.PutLabels(t.Context(), []results.Label{
			{Item: "c2", Criterion: "tone", Rater: "ann", Kind: results.LabelHuman, Value: "4", Source: "b.jsonl:1", ImportedAt: later},
		}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Labels(t.Context(), results.LabelFilter{Criterion: "tone"})
		if err != nil {
			t.Fatal(err)
		}
		want := []results.Label{
			{Item: "c2", Criterion: "tone", Rater: "ann", Kind: results.LabelHuman, Value: "4", Source: "b.jsonl:1", ImportedAt: later},
			{Item: "c1", Criterion: "tone", Rater: "ann", Kind: results.LabelHuman, Value: "5", Source: "a.jsonl:2", ImportedAt: t0},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Labels(tone) (-want +got):\n%s", diff)
		}
		judges, err := db.Labels(t.Context(), results.LabelFilter{Kind: results.LabelJudge})
		if err != nil {
			t.Fatal(err)
		}
		if len(judges) != 1 || judges[0].Rater != "llm:m" {
			t.Errorf("Labels(judge) = %+v, want the one judge label", judges)
		}
	})
}

func TestDB_PutCalibration(t *testing.T) {
	db := MustOpenDB(t)
	c := results.Calibration{Judge: "llm:m", Criterion: "tone", PromptVersion: "judge/1", Model: "m",
		RubricVersion: "rubric/1", Results: []byte(`{"passed":true}`), Passed: true}
	if _, err := db.PutCalibration(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	c2 := c
	c2.PromptVersion, c2.Passed, c2.CreatedAt = "judge/2", false, t0.Add(time.Minute)
	id2, err := db.PutCalibration(t.Context(), c2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutCalibration(t.Context(), results.Calibration{Judge: "x", Criterion: "tone", Results: []byte("{")}); !errors.Is(err, results.ErrInvalid) {
		t.Errorf("invalid results JSON: err = %v, want ErrInvalid", err)
	}
	got, err := db.Calibrations(t.Context(), results.CalibrationFilter{Judge: "llm:m", Criterion: "tone"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != id2 || got[0].Passed || !got[1].Passed || got[1].CreatedAt != t0 {
		t.Fatalf("Calibrations = %+v, want the judge/2 failure first, then the judge/1 pass", got)
	}
	if none, _ := db.Calibrations(t.Context(), results.CalibrationFilter{Criterion: "helpfulness"}); len(none) != 0 {
		t.Errorf("Calibrations(helpfulness) = %+v, want none", none)
	}
}
