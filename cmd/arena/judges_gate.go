package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
)

// requireCalibrated applies "arena gate --require-calibrated" to a
// decision (the rule is gate.RequireCalibrated's) and logs what it found.
// It returns an exit-2 error naming every criterion and judge at fault.
func requireCalibrated(ctx context.Context, db *results.DB, d *gate.Decision, logger *slog.Logger) error {
	criteria := gate.JudgedCriteria(d)
	if len(criteria) == 0 {
		logger.Info("require-calibrated: the decision compares no LLM judge criterion; nothing to calibrate")
		return nil
	}
	err := gate.RequireCalibrated(ctx, db, d)
	var ue *gate.UncalibratedError
	if errors.As(err, &ue) {
		problems := make([]string, len(ue.Problems))
		for i, p := range ue.Problems {
			problems[i] = p.Error()
		}
		return &exitError{code: exitUnknown, err: fmt.Errorf("gate cannot rely on its judges (--require-calibrated):\n  %s\nTry: arena judges calibrate --labels FILE --db %s (with the runs' judge model)",
			strings.Join(problems, "\n  "), db.Path())}
	}
	if err != nil {
		return err
	}
	logger.Info("require-calibrated: every LLM judge the decision relies on is calibrated", "criteria", strings.Join(criteria, ","))
	return nil
}
