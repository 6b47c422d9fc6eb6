package agreement_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges/agreement"
)

func TestAnalyze(t *testing.T) {
	t.Run("JSONKeys", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 5))
		p := simulate(rng, 40, fiveHumans[:3], 0.3)
		tab := mustTable(t, p.labels(map[string]func(int, []int) int{"gpt": majority}), "ordinal:1,2,3,4,5")
		r, err := agreement.Analyze(tab, agreement.DefaultOptions("gpt"))
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		want := []string{"ceiling", "fleiss_items", "fleiss_kappa", "humans", "items", "judges", "krippendorff_alpha", "labels", "pairs", "raters", "scale"}
		if diff := cmp.Diff(want, sortedKeys(m)); diff != "" {
			t.Errorf("report keys (-want +got):\n%s", diff)
		}
		judge := m["judges"].(map[string]any)["gpt"].(map[string]any)
		wantJudge := []string{"alpha_metric", "alpha_substituted", "alt_test", "difference", "difference_interval", "kappa_vs_humans", "mean_kappa_vs_humans", "ratio"}
		if diff := cmp.Diff(wantJudge, sortedKeys(judge)); diff != "" {
			t.Errorf("judge keys (-want +got):\n%s", diff)
		}
		pair := m["pairs"].([]any)[0].(map[string]any)
		wantPair := []string{"a", "b", "cohen_kappa", "exact_agreement", "kendall_tau_b", "linear_kappa", "n", "pearson", "quadratic_kappa", "spearman"}
		if diff := cmp.Diff(wantPair, sortedKeys(pair)); diff != "" {
			t.Errorf("pair keys (-want +got):\n%s", diff)
		}
		if r.Items != 40 || r.Raters != 4 || len(r.Pairs) != 6 || r.Ceiling == nil {
			t.Errorf("items %d raters %d pairs %d ceiling %v", r.Items, r.Raters, len(r.Pairs), r.Ceiling)
		}
	})
	t.Run("NominalStringsGiveNullsNotNaN", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"h1", "h2", "h3", "j"},
			[]string{"pass", "fail", "pass", "pass"},
			[]string{"pass", "fail", "fail", "pass"},
			[]string{"pass", "pass", "pass", "pass"},
			[]string{"pass", "pass", "pass", "pass"},
		), "")
		r, err := agreement.Analyze(tab, agreement.DefaultOptions("j"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		for _, want := range []string{`"ordinal":null`, `"interval":null`, `"linear_kappa":null`, `"weighting":"unweighted"`, `"alignment":"accuracy"`} {
			if !strings.Contains(string(b), want) {
				t.Errorf("JSON lacks %s:\n%s", want, b)
			}
		}
		if r.KrippendorffAlpha.Nominal == nil {
			t.Error("nominal alpha is null")
		}
	})
	t.Run("TwoHumansNoJudgeReport", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"h1", "h2", "j"}, []string{"1", "2", "3"}, []string{"1", "2", "2"}, []string{"1", "3", "3"}), "")
		r, err := agreement.Analyze(tab, agreement.DefaultOptions("j"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Ceiling == nil || r.Judges["j"].AltTest != nil {
			t.Errorf("ceiling %v, alt-test %v; want a ceiling and no alt-test", r.Ceiling, r.Judges["j"].AltTest)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		tab := mustTable(t, grid([]string{"h1", "h2"}, []string{"1", "2"}, []string{"1", "2"}), "")
		if _, err := agreement.Analyze(tab, agreement.DefaultOptions("nobody")); !errors.Is(err, agreement.ErrUnknownRater) {
			t.Errorf("unknown judge: err = %v, want ErrUnknownRater", err)
		}
		if _, err := agreement.Analyze(tab, agreement.Options{}); err == nil || !strings.Contains(err.Error(), "DefaultOptions") {
			t.Errorf("zero options: err = %v, want a hint to DefaultOptions", err)
		}
		o := agreement.DefaultOptions("h1")
		o.Humans = []string{"h1", "h2"}
		if _, err := agreement.Analyze(tab, o); err == nil {
			t.Error("rater both human and judge: no error")
		}
	})
}

func sortedKeys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
