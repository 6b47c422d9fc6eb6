package gate

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	"github.com/merchantarena/merchantarena/results"
)

// Verdicts, as stored.
const (
	Pass      = results.VerdictPass
	Block     = results.VerdictBlock
	Undecided = results.VerdictUndecided
)

// Decision is the gate's answer and everything behind it.
type Decision struct {
	ID      int64  `json:"id"` // the stored decision's ID
	Verdict string `json:"verdict"`
	// Reasons: for block, every failing metric and hard gate with its
	// numbers; for undecided, why the gate cannot answer; empty on pass.
	Reasons []string `json:"reasons"`
	Runs    []string `json:"runs"`
	// Baseline and Candidate are the builds compared, name@version (the
	// names as given when a build has no session).
	Baseline  string `json:"baseline"`
	Candidate string `json:"candidate"`
	// Personas counts those with at least one usable pair; AllPersonas
	// those either build played.
	Personas    int `json:"personas"`
	AllPersonas int `json:"all_personas"`
	Pairs       int `json:"pairs"`
	// Missing counts the persona-trial slots that gave no pair: one build
	// played it and the other did not, or they played it with different
	// simulators; MissingReasons breaks it down.
	Missing        int            `json:"missing"`
	MissingReasons map[string]int `json:"missing_reasons,omitempty"`
	// Faults counts pairs dropped because the merchant spoiled a side.
	Faults  int         `json:"simulator_faults"`
	Metrics []Metric    `json:"metrics"`
	Hard    []HardCheck `json:"hard"`
	McNemar *McNemar    `json:"mcnemar,omitempty"`
	// MinDetectable is, per metric, the smallest drop the suite detects at
	// the configured power (absent when fewer than two personas pair).
	MinDetectable map[string]float64 `json:"min_detectable"`
	// TooSmall is set when some metric's MinDetectable exceeds its margin
	// (or cannot be estimated); Notes say which.
	TooSmall bool `json:"too_small"`
	// Simulator names who played the merchant in the pairs: "verbatim"
	// (the logged turns) or "model (prompt)".
	Simulator string   `json:"simulator"`
	Notes     []string `json:"notes,omitempty"`
	// Inputs is the configuration with defaults and runs resolved:
	// Decide(ctx, db, d.Inputs) re-derives the decision.
	Inputs Config `json:"inputs"`
}

// Metric is one non-inferiority comparison.
type Metric struct {
	Name string `json:"name"`
	// Baseline and Candidate are the metric's means over its pairs; Diff
	// the mean paired difference B−A; Lower its one-sided (1−α) lower
	// bound.
	Baseline  float64 `json:"baseline"`
	Candidate float64 `json:"candidate"`
	Diff      float64 `json:"diff"`
	Lower     float64 `json:"lower"`
	Margin    float64 `json:"margin"`
	Pairs     int     `json:"pairs"`
	Personas  int     `json:"personas"`
	Pass      bool    `json:"pass"`
}

// HardCheck is one rate that must not rise.
type HardCheck struct {
	// Name is "stage1_failures", "errors" (errors and timeouts), or a
	// finding kind such as "tag_hacking".
	Name string `json:"name"`
	// Baseline and Candidate count the pairs' sessions that show it.
	Baseline      int     `json:"baseline"`
	Candidate     int     `json:"candidate"`
	Pairs         int     `json:"pairs"`
	BaselineRate  float64 `json:"baseline_rate"`
	CandidateRate float64 `json:"candidate_rate"`
	Pass          bool    `json:"pass"`
}

// Hard check names besides finding kinds.
const (
	CheckStage1 = "stage1_failures"
	CheckErrors = "errors"
)

// Label is how reports name the check: "stage-1 failure rate",
// "error+timeout rate", "tag_hacking rate".
func (h HardCheck) Label() string {
	switch h.Name {
	case CheckStage1:
		return "stage-1 failure rate"
	case CheckErrors:
		return "error+timeout rate"
	}
	return h.Name + " rate"
}

// McNemar is the exact McNemar test on success with one trial per
// persona.
type McNemar struct {
	B int `json:"b"` // baseline succeeded, candidate failed
	C int `json:"c"` // candidate succeeded, baseline failed
	// P is two-sided; PWorse one-sided, that the candidate is worse.
	P      float64 `json:"p"`
	PWorse float64 `json:"p_worse"`
}

// Decide compares the candidate with the baseline on paired sessions of db
// and stores the decision. It returns a *ConfigError for a bad Config, an
// unknown run or an ambiguous build name; the absence of sessions is not
// an error but an undecided decision.
func Decide(ctx context.Context, db *results.DB, cfg Config) (*Decision, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	sel, err := selectSessions(ctx, db, cfg)
	if err != nil {
		return nil, err
	}
	cfg.Runs = sel.runs
	d := &Decision{Runs: sel.runs, Baseline: cmp.Or(sel.baseline, cfg.Baseline), Candidate: cmp.Or(sel.candidate, cfg.Candidate), Inputs: cfg}
	if sel.noRuns != "" {
		d.Verdict, d.Reasons = Undecided, []string{sel.noRuns}
	} else {
		analyse(d, cfg, sel)
	}
	if cfg.RequireCalibrated {
		if err := refuseUncalibrated(ctx, db, d); err != nil {
			return nil, err
		}
	}
	if err := store(ctx, db, d); err != nil {
		return nil, err
	}
	return d, nil
}

// store writes d and sets its ID.
func store(ctx context.Context, db *results.DB, d *Decision) error {
	report, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("gate: encode report: %w", err)
	}
	inputs, err := json.Marshal(d.Inputs)
	if err != nil {
		return fmt.Errorf("gate: encode inputs: %w", err)
	}
	id, err := db.PutGateDecision(ctx, results.GateDecision{
		Runs: d.Runs, Baseline: d.Baseline, Candidate: d.Candidate,
		Verdict: d.Verdict, Reasons: d.Reasons, Report: report, Inputs: inputs,
	})
	if err != nil {
		return fmt.Errorf("gate: %w", err)
	}
	d.ID = id
	return nil
}
