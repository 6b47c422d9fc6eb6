package arena_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

func TestStoreLabels(t *testing.T) {
	db := mustDB(t)
	in := []calibrate.Label{
		{Item: "a", Criterion: "helpfulness", Rater: "ann", Kind: calibrate.KindHuman, Value: "4", Line: 3},
		{Item: "a", Criterion: "helpfulness", Rater: "llm:m", Kind: calibrate.KindJudge, Value: "5"},
	}
	n, err := arena.StoreLabels(t.Context(), db, in, "round1.jsonl")
	if err != nil || n != 2 {
		t.Fatalf("StoreLabels = %d, %v; want 2", n, err)
	}
	stored, err := db.Labels(t.Context(), results.LabelFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, l := range stored {
		sources = append(sources, l.Rater+" "+l.Source)
	}
	if diff := cmp.Diff([]string{"ann round1.jsonl:3", "llm:m round1.jsonl"}, sources); diff != "" {
		t.Errorf("sources: a label read from a line names it (-want +got):\n%s", diff)
	}

	t.Run("LabelsReadsThemBack", func(t *testing.T) {
		got, err := arena.Labels(t.Context(), db, results.LabelFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := []calibrate.Label{in[0], in[1]}
		want[0].Line = 0 // stored labels come from no file
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Labels (-want +got):\n%s", diff)
		}
	})
	t.Run("LabelsFilters", func(t *testing.T) {
		got, err := arena.Labels(t.Context(), db, results.LabelFilter{Kind: results.LabelJudge})
		if err != nil || len(got) != 1 || got[0].Rater != "llm:m" {
			t.Errorf("Labels(kind judge) = %+v, %v; want the judge's label alone", got, err)
		}
	})
	t.Run("ReplacesSameRater", func(t *testing.T) {
		again := []calibrate.Label{{Item: "a", Criterion: "helpfulness", Rater: "ann", Kind: calibrate.KindHuman, Value: "2"}}
		if _, err := arena.StoreLabels(t.Context(), db, again, "round2.jsonl"); err != nil {
			t.Fatal(err)
		}
		got, err := arena.Labels(t.Context(), db, results.LabelFilter{Rater: "ann"})
		if err != nil || len(got) != 1 || got[0].Value != "2" {
			t.Errorf("ann's labels = %+v, %v; want the second round's alone", got, err)
		}
	})
}
