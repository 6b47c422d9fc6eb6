package calibrate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/judges/calibrate"
)

func TestScales_Of(t *testing.T) {
	custom := agreement.Scale{Kind: agreement.Ordinal, Levels: []string{"1", "2", "3"}}
	sc := calibrate.Scales{Rubric: judges.DefaultRubric(), Override: &custom}
	tests := []struct {
		name, criterion, want string
		fromRubric            bool
		scales                calibrate.Scales
	}{
		{name: "RubricCriterion", criterion: "helpfulness", want: "ordinal:1,2,3,4,5", fromRubric: true, scales: sc},
		{name: "OverrideForOthers", criterion: "vibe", want: custom.String(), scales: sc},
		{name: "NoneWithoutOverride", criterion: "vibe", want: agreement.Scale{}.String(), scales: calibrate.Scales{Rubric: judges.DefaultRubric()}},
		{name: "NoRubric", criterion: "helpfulness", want: custom.String(), scales: calibrate.Scales{Override: &custom}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fromRubric := tt.scales.Of(tt.criterion)
			if got.String() != tt.want || fromRubric != tt.fromRubric {
				t.Errorf("Of(%s) = %s, %v; want %s, %v", tt.criterion, got, fromRubric, tt.want, tt.fromRubric)
			}
		})
	}
}

func TestReadCheckedLabels(t *testing.T) {
	in := `{"item":"a","criterion":"helpfulness","rater":"ann","kind":"human","label":4}
{"item":"a","criterion":"helpfulness","rater":"bob","kind":"human","label":"nope"
{"item":"a","criterion":"helpfulness","rater":"cat","kind":"human","label":7}
{"item":"a","criterion":"vibe","rater":"ann","kind":"human","label":"warm"}
{"item":"a","criterion":"helpfulness","rater":"ann","kind":"human","label":5}
`
	got, bad, err := calibrate.ReadCheckedLabels(strings.NewReader(in), "l.jsonl", calibrate.Scales{Rubric: judges.DefaultRubric()})
	if err != nil {
		t.Fatal(err)
	}
	want := []calibrate.Label{
		{Item: "a", Criterion: "helpfulness", Rater: "ann", Kind: "human", Value: "4", Line: 1},
		{Item: "a", Criterion: "vibe", Rater: "ann", Kind: "human", Value: "warm", Line: 4},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	var msgs []string
	for _, b := range bad {
		msgs = append(msgs, b.Error())
	}
	wantPrefixes := []string{
		"l.jsonl:2: bad label",
		"l.jsonl:3: criterion helpfulness: ",
		"l.jsonl:5: rater ann already labelled item a on helpfulness at line 1",
	}
	if len(msgs) != len(wantPrefixes) {
		t.Fatalf("bad = %q, want lines 2, 3 and 5 in order", msgs)
	}
	for i, p := range wantPrefixes {
		if !strings.HasPrefix(msgs[i], p) {
			t.Errorf("bad[%d] = %q, want it to start %q", i, msgs[i], p)
		}
	}
}

func TestAnalyzeCriteria(t *testing.T) {
	var ls []calibrate.Label
	for item := range 6 {
		for _, rater := range []string{"ann", "bob", "cat"} {
			v := fmt.Sprint(1 + item%5)
			ls = append(ls, calibrate.Label{Item: fmt.Sprint(item), Criterion: "vibe", Rater: rater, Kind: calibrate.KindHuman, Value: v},
				calibrate.Label{Item: fmt.Sprint(item), Criterion: "helpfulness", Rater: rater, Kind: calibrate.KindHuman, Value: v})
		}
	}
	sc := calibrate.Scales{Rubric: judges.DefaultRubric()}
	o := agreement.DefaultOptions()
	o.Resamples = 0

	t.Run("OK", func(t *testing.T) {
		got, err := calibrate.AnalyzeCriteria(ls, "", sc, o)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]string{"vibe", "helpfulness"}, got.Order); diff != "" {
			t.Errorf("order, as the labels first name the criteria (-want +got):\n%s", diff)
		}
		if h := got.Criteria["helpfulness"]; h.Scale != "ordinal:1,2,3,4,5" || h.Items != 6 || h.Raters != 3 {
			t.Errorf("helpfulness: scale %s, %d items, %d raters; want the rubric's scale, 6, 3", h.Scale, h.Items, h.Raters)
		}
		if vibe := got.Criteria["vibe"]; vibe.Scale == "ordinal:1,2,3,4,5" {
			t.Errorf("vibe, unknown to the rubric, took scale %s", vibe.Scale)
		}
	})
	t.Run("OneCriterion", func(t *testing.T) {
		got, err := calibrate.AnalyzeCriteria(ls, "helpfulness", sc, o)
		if err != nil || len(got.Criteria) != 1 || got.Order[0] != "helpfulness" {
			t.Errorf("AnalyzeCriteria(helpfulness) = %v, %v; want helpfulness alone", got.Order, err)
		}
	})
	t.Run("ErrNoLabels", func(t *testing.T) {
		for _, criterion := range []string{"", "vibe"} {
			_, err := calibrate.AnalyzeCriteria(nil, criterion, sc, o)
			if !errors.Is(err, calibrate.ErrNoLabels) || (criterion != "" && !strings.Contains(err.Error(), `"vibe"`)) {
				t.Errorf("AnalyzeCriteria(none, %q) = %v, want ErrNoLabels naming the criterion asked", criterion, err)
			}
		}
	})
	t.Run("ErrBadLabel", func(t *testing.T) {
		bad := append([]calibrate.Label{{Item: "0", Criterion: "helpfulness", Rater: "dan", Kind: calibrate.KindHuman, Value: "9", Line: 7}}, ls...)
		if _, err := calibrate.AnalyzeCriteria(bad, "", sc, o); err == nil || errors.Is(err, calibrate.ErrNoLabels) {
			t.Errorf("AnalyzeCriteria with a label off the scale: %v, want the analysis error", err)
		}
	})
}

func ExampleReadCheckedLabels() {
	in := `{"item":"a","criterion":"helpfulness","rater":"ann","kind":"human","label":4}
{"item":"a","criterion":"helpfulness","rater":"ann","kind":"human","label":5}
{"item":"b","criterion":"helpfulness","rater":"ann","kind":"human","label":9}
`
	labels, bad, err := calibrate.ReadCheckedLabels(strings.NewReader(in), "round1.jsonl", calibrate.Scales{Rubric: judges.DefaultRubric()})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(labels), "label kept")
	for _, b := range bad {
		fmt.Println(b)
	}
	// Output:
	// 1 label kept
	// round1.jsonl:2: rater ann already labelled item a on helpfulness at line 1
	// round1.jsonl:3: criterion helpfulness: "9" is not a level of the scale ordinal:1,2,3,4,5
}
