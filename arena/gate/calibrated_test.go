package gate_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

// judgedRun records run r, whose settings say which judges scored it, and
// ten personas played alike by golden and tag-hacker with LLM scores on
// helpfulness and hallucination (and the procedural goals).
func judgedRun(tb testing.TB, db *results.DB, r, judgesPath string) {
	tb.Helper()
	cfg := `{}`
	if judgesPath != "" {
		cfg = `{"path":{"judges":"` + judgesPath + `"}}`
	}
	if err := db.PutRun(tb.Context(), results.Run{ID: r, StartedAt: t0, Mode: "simulate", Config: json.RawMessage(cfg)}); err != nil {
		tb.Fatal(err)
	}
	scored := func(int, int) (bool, float64, []option) {
		return true, 1, []option{criteria(map[string]float64{"helpfulness": 0.75, "hallucination": 1, "goals": 1})}
	}
	write(tb, db, suite(r, golden, 10, 1, scored))
	write(tb, db, suite(r, hacker, 10, 1, scored))
}

// calibrated stores a calibration of judge llm:<model> on each criterion.
func calibrated(tb testing.TB, db *results.DB, model, prompt string, passed bool, at time.Time, criteria ...string) {
	tb.Helper()
	for _, c := range criteria {
		_, err := db.PutCalibration(tb.Context(), results.Calibration{Judge: "llm:" + model, Criterion: c, PromptVersion: prompt,
			Model: model, RubricVersion: "rubric/1", Results: json.RawMessage(`{}`), Passed: passed, CreatedAt: at})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func TestRequireCalibrated(t *testing.T) {
	both := []string{"hallucination", "helpfulness"} // as the decision sorts its metrics
	tests := []struct {
		name   string
		judges string // the run's path.judges
		setup  func(testing.TB, *results.DB)
		// wantProblems are the problems' texts, each a prefix; nil: no error.
		wantProblems []string
		wantIs       error
	}{
		{
			name: "OK", judges: "procedural/1+rubric/1+judge/1:m",
			setup: func(tb testing.TB, db *results.DB) { calibrated(tb, db, "m", "judge/1", true, t0, both...) },
		},
		{
			name: "OKModelWithColons", judges: "procedural/1+rubric/1+judge/1:qwen2.5:7b",
			setup: func(tb testing.TB, db *results.DB) { calibrated(tb, db, "qwen2.5:7b", "judge/1", true, t0, both...) },
		},
		{
			name: "OKProceduralOnly", judges: "procedural/1",
			setup: func(testing.TB, *results.DB) {},
		},
		{
			name: "ErrNeverCalibrated", judges: "procedural/1+rubric/1+judge/1:m",
			setup:        func(tb testing.TB, db *results.DB) { calibrated(tb, db, "m", "judge/1", true, t0, "helpfulness") },
			wantProblems: []string{"run r1: criterion hallucination: judge llm:m (model m, prompt judge/1, rubric rubric/1) was never calibrated"},
			wantIs:       calibrate.ErrUncalibrated,
		},
		{
			name: "ErrPromptChanged", judges: "procedural/1+rubric/1+judge/2:m",
			setup: func(tb testing.TB, db *results.DB) { calibrated(tb, db, "m", "judge/1", true, t0, both...) },
			wantProblems: []string{
				"run r1: criterion hallucination: judge llm:m is uncalibrated: its prompt version changed (judge/1 → judge/2)",
				"run r1: criterion helpfulness: judge llm:m is uncalibrated: its prompt version changed (judge/1 → judge/2)",
			},
			wantIs: calibrate.ErrUncalibrated,
		},
		{
			name: "ErrLastCalibrationFailed", judges: "procedural/1+rubric/1+judge/1:m",
			setup: func(tb testing.TB, db *results.DB) {
				calibrated(tb, db, "m", "judge/1", true, t0, both...)
				calibrated(tb, db, "m", "judge/1", false, t0.Add(time.Hour), "helpfulness")
			},
			wantProblems: []string{"run r1: criterion helpfulness: judge llm:m (model m, prompt judge/1, rubric rubric/1) failed its last calibration"},
			wantIs:       calibrate.ErrUncalibrated,
		},
		{
			name: "ErrNoJudges", judges: "",
			setup:        func(tb testing.TB, db *results.DB) { calibrated(tb, db, "m", "judge/1", true, t0, both...) },
			wantProblems: []string{"run r1 does not record its judges (path.judges)"},
			wantIs:       gate.ErrNoJudges,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			judgedRun(t, db, "r1", tt.judges)
			tt.setup(t, db)
			d := decide(t, db, quick("golden", "tag-hacker"))
			if diff := cmp.Diff(both, gate.JudgedCriteria(d)); diff != "" {
				t.Fatalf("JudgedCriteria (-want +got):\n%s", diff)
			}
			err := gate.RequireCalibrated(t.Context(), db, d)
			if tt.wantProblems == nil {
				if err != nil {
					t.Fatalf("RequireCalibrated: %v, want nil", err)
				}
				return
			}
			var ue *gate.UncalibratedError
			if !errors.As(err, &ue) || !errors.Is(err, tt.wantIs) {
				t.Fatalf("RequireCalibrated: %v, want an *UncalibratedError matching %v", err, tt.wantIs)
			}
			if len(ue.Problems) != len(tt.wantProblems) {
				t.Fatalf("problems %q, want %d", ue.Problems, len(tt.wantProblems))
			}
			for i, want := range tt.wantProblems {
				if got := ue.Problems[i].Error(); !strings.HasPrefix(got, want) {
					t.Errorf("problem %d = %q, want it to start %q", i, got, want)
				}
			}
		})
	}
}

func TestRequireCalibrated_NoJudgedCriterion(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1") // records no judges: it would fail if it were read
	write(t, db, suite("r1", golden, 10, 1, perfect))
	write(t, db, suite("r1", hacker, 10, 1, perfect))
	d := decide(t, db, quick("golden", "tag-hacker"))
	if got := gate.JudgedCriteria(d); len(got) != 0 {
		t.Fatalf("JudgedCriteria = %q, want none (success and score only)", got)
	}
	if err := gate.RequireCalibrated(t.Context(), db, d); err != nil {
		t.Errorf("RequireCalibrated: %v, want nil: the decision relies on no LLM judge", err)
	}
}
