package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

// promptVersionEnv overrides the judge prompt version calibrate records.
// It exists for trying a prompt under development, and for tests; runs
// always record the built-in judges.JudgePromptVersion. It is read here
// and passed as arena.CalibrateConfig.PromptVersion.
const promptVersionEnv = "ARENA_JUDGE_PROMPT_VERSION"

const calibrateSummary = `Run the current LLM judges on the labelled items and compare them with the
humans. --labels are imported first (as "arena labels import" does); then
every item with human labels on a criterion of the rubric is judged: an item
is a conversation ID (the bundled examples, or --logs), played as a session
whose tool calls are replayed on the fixture store, or a session ID of the
results file. The judge's labels are stored (kind judge, rater llm:<model>),
the agreement of "arena judges agreement" is computed with this judge only,
and one calibration record per criterion is stored: the judge's model, prompt
version and rubric version, the report, and passed = the alternative
annotator test passed.

A judge whose prompt version, model or rubric version changed since its last
calibration is uncalibrated; "arena gate --require-calibrated" refuses to rely
on it. Needs an LLM endpoint ($OPENAI_BASE_URL or $OPENAI_API_KEY). Exit 0
when every criterion passed, 1 when one failed, 2 on a usage or run error.`

const calibrateExamples = `  arena judges calibrate --labels my-team-labels.jsonl
  arena judges calibrate --labels round2.jsonl --judge-model gpt-4.1 --rubric my-rubric.yaml
  arena judges calibrate --db arena.db --criterion helpfulness     # labels already imported
  arena judges calibrate --labels sessions.jsonl --db arena.db       # items are session IDs`

// calibrateFlags are calibrate's own flags.
type calibrateFlags struct {
	labels, dbPath, rubric, logs, logFormat, criterion string
	concurrency                                        int
}

func (c *JudgesCommand) calibrate(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("judges calibrate", calibrateSummary, calibrateExamples)
	f := &calibrateFlags{}
	fs.StringVar(&f.labels, "labels", "", "label file (JSONL) to import before calibrating (default: the labels already in --db)")
	fs.StringVar(&f.dbPath, "db", "arena.db", "results file: labels, judge labels and calibration records")
	fs.StringVar(&f.rubric, "rubric", "", "YAML rubric of the LLM judges (default: the built-in one)")
	fs.StringVar(&f.logs, "logs", "", "conversation log holding the labelled items (default: the bundled examples)")
	fs.StringVar(&f.logFormat, "logs-format", "", "format of --logs: jsonl, tau-bench, tau2-bench (default: detect)")
	fs.StringVar(&f.criterion, "criterion", "", "only this criterion")
	fs.IntVar(&f.concurrency, "concurrency", arena.DefaultCalibrateConcurrency, "items judged at once")
	lf, af := addLLMFlags(fs), addAgreementFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 || f.concurrency < 1 {
		return usageErrorf("judges calibrate takes no arguments and a positive --concurrency").try("arena judges calibrate --help")
	}
	if !llmConfigured(c.m.Getenv) {
		return usageErrorf("judges calibrate runs the LLM judges and needs an LLM endpoint").
			try("export OPENAI_BASE_URL=http://127.0.0.1:8000/v1 (any OpenAI-compatible server) or OPENAI_API_KEY=…")
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	cfg, err := c.calibrateConfig(f, lf, af, logger)
	if err != nil {
		return err
	}
	db, err := results.Open(ctx, f.dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := arena.Calibrate(ctx, db, cfg)
	if err != nil {
		return calibrateErr(err)
	}
	return printCalibration(c.m.Stdout, db.Path(), res)
}

// calibrateConfig reads what calibrate needs beside its flags: the LLM
// endpoint, the label file, the logs and the prompt version override.
func (c *JudgesCommand) calibrateConfig(f *calibrateFlags, lf *llmFlags, af *agreementFlags, logger *slog.Logger) (arena.CalibrateConfig, error) {
	llmCfg, err := lf.config(c.m.Getenv)
	if err != nil {
		return arena.CalibrateConfig{}, err
	}
	opts, err := af.options()
	if err != nil {
		return arena.CalibrateConfig{}, err
	}
	sc, err := labelScales(f.rubric, "")
	if err != nil {
		return arena.CalibrateConfig{}, err
	}
	cfg := arena.CalibrateConfig{LabelSource: f.labels, Rubric: sc.Rubric, Criterion: f.criterion, LLM: llmCfg,
		PromptVersion: strings.TrimSpace(c.m.Getenv(promptVersionEnv)), Agreement: &opts, Concurrency: f.concurrency, Logger: logger}
	if f.labels != "" {
		var bad []*calibrate.LineError
		if cfg.Labels, bad, err = readLabelFile(f.labels, sc); err != nil {
			return cfg, err
		}
		for _, b := range bad {
			logger.Warn("bad label line", "problem", b.Error())
		}
	}
	if cfg.Conversations, _, err = loadConversations(f.logs, f.logFormat, false, logger); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// calibrateErr adds a hint to the errors that leave nothing to calibrate.
func calibrateErr(err error) error {
	var nf *arena.ItemsNotFoundError
	switch {
	case errors.Is(err, arena.ErrNoHumanLabels):
		return usageErrorf("%v", err).try("arena judges calibrate --labels FILE (your team's labels, as in examples/labels/experts.jsonl)")
	case errors.As(err, &nf):
		return usageErrorf("%v", err).try("--logs FILE (the log the items come from), or --db FILE (the results file of the sessions)")
	}
	return err
}

// printCalibration prints one row per criterion calibrated; it returns an
// exit-1 error when a criterion failed.
func printCalibration(w writer, dbPath string, res *arena.CalibrateResult) error {
	t := table{Header: []string{"criterion", "judge", "items", "ceiling", "kappa_vs_humans", "ratio", "alt_winning_rate", "alt_advantage", "calibration"}}
	for _, cc := range res.Criteria {
		rep := cc.Report
		j := rep.Judges[res.Judge.Judge]
		verdict := "passed"
		if !cc.Passed {
			verdict = "FAILED"
		}
		var ceiling *float64
		if rep.Ceiling != nil {
			ceiling = rep.Ceiling.MeanKappa
		}
		var win, adv *float64
		if j.AltTest != nil {
			win, adv = j.AltTest.WinningRate, j.AltTest.AdvantageProbability
		}
		t.Rows = append(t.Rows, []string{cc.Criterion, res.Judge.Judge, fmt.Sprint(rep.Items), num3(ceiling), num3(j.MeanKappaVsHumans), num3(j.Ratio), num3(win), num3(adv), verdict})
	}
	fmt.Fprintf(w, "Calibrated %s in %s\n\n", res.Judge, dbPath)
	if err := render(w, "table", t); err != nil {
		return err
	}
	if failed := res.Failed(); len(failed) > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("judge %s failed calibration on %s: the gate will not rely on it there",
			res.Judge.Judge, strings.Join(failed, ", "))}
	}
	return nil
}
