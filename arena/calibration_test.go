package arena_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/examples/labels"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// expertLabels reads the bundled labelled example: three humans and one
// judge on helpfulness and hallucination for every example conversation.
func expertLabels(tb testing.TB) []calibrate.Label {
	tb.Helper()
	f, err := labels.FS().Open(labels.Example)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	ls, bad, err := calibrate.ReadCheckedLabels(f, labels.Example, calibrate.Scales{Rubric: judges.DefaultRubric()})
	if err != nil || len(bad) > 0 {
		tb.Fatalf("read %s: %v %v", labels.Example, err, bad)
	}
	return ls
}

var criterionRE = regexp.MustCompile(`Criterion: (\S+)`)

// labelJudge answers each judgement with value(item, criterion), the item
// found by the longest first merchant message the request quotes.
func labelJudge(t *testing.T, convs []transcript.Conversation, value func(item, criterion string) string) *llmtest.Server {
	t.Helper()
	return llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
		crit := criterionRE.FindStringSubmatch(r.Messages[0].Content)
		item, first := "", ""
		for _, c := range convs {
			for _, m := range c.Messages {
				if m.Role == transcript.RoleUser {
					if strings.Contains(r.Messages[1].Content, m.Content) && len(m.Content) > len(first) {
						item, first = c.ID, m.Content
					}
					break
				}
			}
		}
		if crit == nil || item == "" {
			t.Errorf("request %d: no criterion or item", r.N)
			return llmtest.Status(400)
		}
		return llmtest.JSON(map[string]any{"score": json.Number(value(item, crit[1])), "rationale": "as labelled", "cited_turns": []int{}})
	})
}

func calibrateConfig(srv *llmtest.Server, ls []calibrate.Label, convs []transcript.Conversation) arena.CalibrateConfig {
	return arena.CalibrateConfig{
		Labels: ls, LabelSource: labels.Example, Conversations: convs,
		LLM:    llm.Config{BaseURL: srv.URL, Model: llmtest.TestModel, Backoff: 5 * time.Millisecond},
		Logger: slog.New(slog.DiscardHandler), // the skipped items are the point of one case
	}
}

func TestCalibrate(t *testing.T) {
	convs := mustExamples(t)
	experts := expertLabels(t)
	judged := map[string]string{}
	for _, l := range experts {
		if l.Kind == calibrate.KindJudge {
			judged[l.Item+"/"+l.Criterion] = l.Value
		}
	}
	criteria := []string{"hallucination", "helpfulness"} // as the results file lists labels: by criterion

	t.Run("Passed", func(t *testing.T) {
		srv := labelJudge(t, convs, func(item, c string) string { return judged[item+"/"+c] })
		db := mustDB(t)
		cfg := calibrateConfig(srv, experts, convs)
		cfg.PromptVersion = "judge/9"
		res, err := arena.Calibrate(t.Context(), db, cfg)
		if err != nil {
			t.Fatal(err)
		}
		want := calibrate.Identity{Judge: "llm:" + llmtest.TestModel, Model: llmtest.TestModel, PromptVersion: "judge/9", RubricVersion: judges.DefaultRubric().Version}
		if diff := cmp.Diff(want, res.Judge); diff != "" {
			t.Errorf("Judge (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, arena.JudgeIdentity(cfg)); diff != "" {
			t.Errorf("JudgeIdentity (-want +got):\n%s", diff)
		}
		var got []string
		for _, c := range res.Criteria {
			got = append(got, c.Criterion)
			if !c.Passed || c.Report.Judges[want.Judge].AltTest == nil {
				t.Errorf("%s: passed %v, report %+v; want the judge that answers as labelled to pass", c.Criterion, c.Passed, c.Report.Judges)
			}
		}
		if diff := cmp.Diff(criteria, got); diff != "" || len(res.Failed()) != 0 {
			t.Errorf("criteria (-want +got):\n%s; failed %q", diff, res.Failed())
		}
		if n := srv.Count(); n != 2*len(convs) {
			t.Errorf("%d judge requests, want one per item and criterion (%d)", n, 2*len(convs))
		}
		stored, err := db.Labels(t.Context(), results.LabelFilter{Rater: want.Judge})
		if err != nil || len(stored) != 2*len(convs) || stored[0].Source != "calibrate" {
			t.Errorf("stored %d labels of the judge (first %+v, err %v), want %d from calibrate", len(stored), stored, err, 2*len(convs))
		}
		recs, err := db.Calibrations(t.Context(), results.CalibrationFilter{Judge: want.Judge})
		if err != nil || len(recs) != 2 || !recs[0].Passed || recs[0].PromptVersion != "judge/9" {
			t.Errorf("calibration records %+v (err %v), want two passed ones of prompt judge/9", recs, err)
		}
	})
	t.Run("FailedIsNoError", func(t *testing.T) {
		// A judge that always answers 1 agrees with no human on helpfulness.
		srv := labelJudge(t, convs, func(string, string) string { return "1" })
		db := mustDB(t)
		res, err := arena.Calibrate(t.Context(), db, calibrateConfig(srv, experts, convs))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(res.Failed(), "helpfulness") {
			t.Errorf("Failed() = %q, want helpfulness", res.Failed())
		}
		recs, err := db.Calibrations(t.Context(), results.CalibrationFilter{Criterion: "helpfulness"})
		if err != nil || len(recs) != 1 || recs[0].Passed {
			t.Errorf("helpfulness records %+v (err %v), want one that failed", recs, err)
		}
	})
	t.Run("ErrNoHumanLabels", func(t *testing.T) {
		srv := labelJudge(t, convs, func(string, string) string { return "1" })
		_, err := arena.Calibrate(t.Context(), mustDB(t), calibrateConfig(srv, nil, convs))
		if !errors.Is(err, arena.ErrNoHumanLabels) {
			t.Errorf("Calibrate on an empty file: %v, want ErrNoHumanLabels", err)
		}
		if srv.Count() != 0 {
			t.Errorf("%d judge requests, want none", srv.Count())
		}
	})
	t.Run("ErrItemsNotFound", func(t *testing.T) {
		srv := labelJudge(t, convs, func(string, string) string { return "1" })
		_, err := arena.Calibrate(t.Context(), mustDB(t), calibrateConfig(srv, experts, nil))
		var nf *arena.ItemsNotFoundError
		if !errors.As(err, &nf) || nf.Items != len(convs) {
			t.Errorf("Calibrate without the logs: %v, want ItemsNotFoundError of %d items", err, len(convs))
		}
	})
}
