package gate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

// ErrNoJudges is a run that does not record which judges scored it.
var ErrNoJudges = errors.New("does not record its judges")

// UncalibratedError is a decision that relies on LLM judges the gate
// cannot vouch for. Problems has one error per run and criterion at fault:
// a *calibrate.UncalibratedError (matching calibrate.ErrUncalibrated), or
// a run whose judges cannot be read (matching ErrNoJudges when it records
// none).
type UncalibratedError struct {
	Problems []error
}

func (e *UncalibratedError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return "gate cannot rely on its judges: " + strings.Join(msgs, "; ")
}

// Unwrap returns the problems, so errors.Is and errors.As see each one.
func (e *UncalibratedError) Unwrap() []error { return e.Problems }

// JudgedCriteria lists the criteria among the decision's metrics that LLM
// judges score: every metric but success, the gated score and the
// procedural goals.
func JudgedCriteria(d *Decision) []string {
	var out []string
	for _, m := range d.Metrics {
		name := strings.TrimPrefix(m.Name, "criterion:")
		if m.Name == MetricSuccess || m.Name == MetricScore || name == "goals" {
			continue
		}
		out = append(out, name)
	}
	return out
}

// RequireCalibrated checks that every LLM judge the decision relies on is
// calibrated. The rule:
//
//   - The judges the gate relies on are the LLM judges of JudgedCriteria,
//     as each compared run recorded them in its settings (path.judges:
//     procedural version + rubric version + prompt version : model).
//   - For each such criterion and run, the judge llm:<model> must have a
//     calibration on that criterion with the same model, prompt version
//     and rubric version, and the newest such calibration must have
//     passed (calibrate.Check). A judge whose prompt, model or rubric
//     changed since it was calibrated has no such record: uncalibrated.
//   - A run that does not record its judges cannot be vouched for; runs
//     with procedural judges only (the offline path) rely on no LLM judge
//     and pass this check (the procedural judges' sensitivity is what
//     arena.Sensitivity measures).
//
// It returns nil when the decision compares no LLM judge criterion, an
// *UncalibratedError naming every run and criterion at fault, or the
// error of reading the calibration records.
func RequireCalibrated(ctx context.Context, db *results.DB, d *Decision) error {
	criteria := JudgedCriteria(d)
	if len(criteria) == 0 {
		return nil
	}
	var problems []error
	checked := map[calibrate.Identity]bool{}
	for _, runID := range d.Runs {
		id, llmJudged, err := runJudge(ctx, db, runID)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if !llmJudged || checked[id] {
			continue
		}
		checked[id] = true
		records, err := calibrationRecords(ctx, db, id.Judge)
		if err != nil {
			return err
		}
		for _, c := range criteria {
			if err := calibrate.Check(id, c, records); err != nil {
				problems = append(problems, fmt.Errorf("run %s: %w", runID, err))
			}
		}
	}
	if len(problems) > 0 {
		return &UncalibratedError{Problems: problems}
	}
	return nil
}

// runJudge reads the LLM judge identity a run recorded; llmJudged is false
// when only procedural judges scored it.
func runJudge(ctx context.Context, db *results.DB, runID string) (calibrate.Identity, bool, error) {
	r, err := db.Run(ctx, runID)
	if err != nil {
		return calibrate.Identity{}, false, err
	}
	var cfg struct {
		Path struct {
			Judges string `json:"judges"`
		} `json:"path"`
	}
	if len(r.Config) > 0 {
		if err := json.Unmarshal(r.Config, &cfg); err != nil {
			return calibrate.Identity{}, false, fmt.Errorf("run %s: settings: %w", runID, err)
		}
	}
	if cfg.Path.Judges == "" {
		return calibrate.Identity{}, false, fmt.Errorf("run %s %w (path.judges); replay it with this arena", runID, ErrNoJudges)
	}
	return parseJudgesPath(cfg.Path.Judges)
}

// parseJudgesPath reads the judges a run recorded in its settings,
// "procedural/1+rubric/1+judge/1:gpt-4.1-mini" (as arena.DescribePath
// writes it), into the LLM judge's identity; "procedural/1" alone has no
// LLM judge (llmJudged false). The model may itself hold colons
// ("qwen2.5:7b"); versions hold none.
func parseJudgesPath(s string) (id calibrate.Identity, llmJudged bool, err error) {
	versions, model, ok := strings.Cut(s, ":")
	if !ok {
		return calibrate.Identity{}, false, nil
	}
	parts := strings.Split(versions, "+")
	if len(parts) < 3 || model == "" {
		return calibrate.Identity{}, false, fmt.Errorf("judges %q: want procedural+rubric+prompt:model", s)
	}
	return calibrate.Identity{Judge: "llm:" + model, Model: model, PromptVersion: parts[len(parts)-1],
		RubricVersion: strings.Join(parts[1:len(parts)-1], "+")}, true, nil
}

// calibrationRecords reads the stored calibrations of judge.
func calibrationRecords(ctx context.Context, db *results.DB, judge string) ([]calibrate.Record, error) {
	stored, err := db.Calibrations(ctx, results.CalibrationFilter{Judge: judge})
	if err != nil {
		return nil, err
	}
	out := make([]calibrate.Record, len(stored))
	for i, c := range stored {
		out[i] = calibrate.Record{Identity: calibrate.Identity{Judge: c.Judge, Model: c.Model, PromptVersion: c.PromptVersion,
			RubricVersion: c.RubricVersion}, Criterion: c.Criterion, Passed: c.Passed, At: c.CreatedAt}
	}
	return out, nil
}

// refuseUncalibrated applies Config.RequireCalibrated before the decision
// is stored: a decision resting on judges the gate cannot vouch for is
// undecided, whatever its numbers say, and says why.
func refuseUncalibrated(ctx context.Context, db *results.DB, d *Decision) error {
	err := RequireCalibrated(ctx, db, d)
	var ue *UncalibratedError
	if !errors.As(err, &ue) {
		return err
	}
	d.Verdict = Undecided
	d.Reasons = nil
	for _, p := range ue.Problems {
		d.Reasons = append(d.Reasons, "judges not calibrated (--require-calibrated): "+p.Error())
	}
	return nil
}
