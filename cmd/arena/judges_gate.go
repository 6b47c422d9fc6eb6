package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

// requireCalibrated applies "arena gate --require-calibrated" to a
// decision. The rule:
//
//   - The judges the gate relies on are the LLM judges of the criteria it
//     compared (every metric but success, score and the procedural goals),
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
//     "arena judges sensitivity" measures).
//
// It returns an exit-2 error naming every criterion and judge at fault.
func requireCalibrated(ctx context.Context, db *results.DB, d *gate.Decision, logger *slog.Logger) error {
	criteria := gatedCriteria(d)
	if len(criteria) == 0 {
		logger.Info("require-calibrated: the decision compares no LLM judge criterion; nothing to calibrate")
		return nil
	}
	var problems []string
	checked := map[calibrate.Identity]bool{}
	for _, runID := range d.Runs {
		id, llmJudged, err := runJudge(ctx, db, runID)
		if err != nil {
			problems = append(problems, err.Error())
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
				problems = append(problems, fmt.Sprintf("run %s: %v", runID, err))
			}
		}
	}
	if len(problems) > 0 {
		return &exitError{code: exitUnknown, err: fmt.Errorf("gate cannot rely on its judges (--require-calibrated):\n  %s\nTry: arena judges calibrate --labels FILE --db %s (with the runs' judge model)",
			strings.Join(problems, "\n  "), db.Path())}
	}
	logger.Info("require-calibrated: every LLM judge the decision relies on is calibrated", "criteria", strings.Join(criteria, ","))
	return nil
}

// gatedCriteria lists the LLM judge criteria among the decision's metrics.
func gatedCriteria(d *gate.Decision) []string {
	var out []string
	for _, m := range d.Metrics {
		name := strings.TrimPrefix(m.Name, "criterion:")
		if m.Name == gate.MetricSuccess || m.Name == gate.MetricScore || name == "goals" {
			continue
		}
		out = append(out, name)
	}
	return out
}

// errNoJudges is a run that does not record which judges scored it.
var errNoJudges = errors.New("does not record its judges")

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
		return calibrate.Identity{}, false, fmt.Errorf("run %s %w (path.judges); replay it with this arena", runID, errNoJudges)
	}
	return parseJudgesPath(cfg.Path.Judges)
}

// parseJudgesPath reads "procedural/1+rubric/1+judge/1:gpt-4.1-mini" (as
// arena.DescribePath writes it); "procedural/1" alone has no LLM judge.
// The model may itself hold colons ("qwen2.5:7b"); versions hold none.
func parseJudgesPath(s string) (calibrate.Identity, bool, error) {
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
