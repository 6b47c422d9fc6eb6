package labels_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/examples/labels"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/judges/calibrate"
)

// TestExample_Agreement checks the promises of the doc: every line reads,
// at least 30 bundled conversations on two rubric criteria, three humans
// who mostly agree and a judge that passes the alternative annotator test.
func TestExample_Agreement(t *testing.T) {
	f, err := labels.FS().Open(labels.Example)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, bad, err := calibrate.ReadLabels(f, labels.Example)
	if err != nil || len(bad) > 0 {
		t.Fatalf("read: %v %v", err, bad)
	}
	convs, err := examples.Conversations()
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range convs {
		ids[c.ID] = true
	}
	byCriterion := map[string][]calibrate.Label{}
	for _, l := range all {
		if !ids[l.Item] {
			t.Errorf("line %d: item %q is not a bundled conversation", l.Line, l.Item)
		}
		byCriterion[l.Criterion] = append(byCriterion[l.Criterion], l)
	}
	rub := judges.DefaultRubric()
	for _, name := range []string{"helpfulness", "hallucination"} {
		t.Run(name, func(t *testing.T) {
			c, ok := calibrate.Criterion(rub, name)
			if !ok {
				t.Fatalf("the default rubric has no %s", name)
			}
			rep, err := calibrate.Analyze(byCriterion[name], calibrate.ScaleOf(c), agreement.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if rep.Items < 30 || len(rep.Humans) != 3 {
				t.Fatalf("%d items, humans %v; want at least 30 and three", rep.Items, rep.Humans)
			}
			alpha := rep.KrippendorffAlpha.Nominal
			if !c.Scale.Binary {
				alpha = rep.KrippendorffAlpha.Ordinal
			}
			if alpha == nil || *alpha < 0.6 {
				t.Fatalf("humans' alpha = %v, want them mostly agreeing (>= 0.6)", alpha)
			}
			j, ok := rep.Judges["llm:gpt-4.1-mini"]
			if !ok || j.AltTest == nil || !j.AltTest.Passed {
				t.Fatalf("judge report %+v: want the judge to pass the alt-test", j)
			}
			t.Logf("%s: alpha %.3f, ceiling %.3f, judge %.3f, winning rate %.2f", name,
				*alpha, *rep.Ceiling.MeanKappa, *j.MeanKappaVsHumans, *j.AltTest.WinningRate)
		})
	}
}
