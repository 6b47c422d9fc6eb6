package gate_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
)

func ExampleRequireCalibrated() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "gate-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := results.Open(ctx, filepath.Join(dir, "arena.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()

	// A run scored by the LLM judge with prompt judge/2; its helpfulness
	// was calibrated with prompt judge/1 only.
	run := results.Run{ID: "run-1", StartedAt: t0, Mode: "simulate",
		Config: json.RawMessage(`{"path":{"judges":"procedural/1+rubric/1+judge/2:gpt-4.1-mini"}}`)}
	if err := db.PutRun(ctx, run); err != nil {
		panic(err)
	}
	var ss []results.Session
	for i := range 10 {
		for _, build := range []string{"shop-assistant@1.4.0", "shop-assistant@1.5.0"} {
			ss = append(ss, session("run-1", persona(i), build, 0, true, 1, criteria(map[string]float64{"helpfulness": 1})))
		}
	}
	if err := db.WriteSessions(ctx, ss); err != nil {
		panic(err)
	}
	if _, err := db.PutCalibration(ctx, results.Calibration{Judge: "llm:gpt-4.1-mini", Criterion: "helpfulness", PromptVersion: "judge/1",
		Model: "gpt-4.1-mini", RubricVersion: "rubric/1", Results: json.RawMessage(`{}`), Passed: true, CreatedAt: t0}); err != nil {
		panic(err)
	}

	d, err := gate.Decide(ctx, db, gate.Config{Baseline: "shop-assistant@1.4.0", Candidate: "shop-assistant@1.5.0", Resamples: 200})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Verdict, "relying on", gate.JudgedCriteria(d))
	var ue *gate.UncalibratedError
	if errors.As(gate.RequireCalibrated(ctx, db, d), &ue) {
		for _, p := range ue.Problems {
			fmt.Println("-", p)
		}
	}
	// Output:
	// pass relying on [helpfulness]
	// - run run-1: criterion helpfulness: judge llm:gpt-4.1-mini is uncalibrated: its prompt version changed (judge/1 → judge/2) since its last calibration (2026-03-01 09:00:00)
}
