package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// promptVersionEnv overrides the judge prompt version calibrate records.
// It exists for trying a prompt under development, and for tests; runs
// always record the built-in judges.JudgePromptVersion.
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

const calibrateExamples = `  arena judges calibrate --labels examples/labels/experts.jsonl
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
	fs.IntVar(&f.concurrency, "concurrency", 4, "items judged at once")
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
	cal, err := c.newCalibration(fs, f, lf, af, logger)
	if err != nil {
		return err
	}
	db, err := results.Open(ctx, f.dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	return cal.run(ctx, db)
}

// calibration is one calibrate invocation, checked and ready to run.
type calibration struct {
	m      *Main
	f      *calibrateFlags
	sc     scales
	llm    llm.Config
	opts   agreement.Options
	id     calibrate.Identity
	labels []calibrate.Label // from --labels
	convs  map[string]transcript.Conversation
	logger *slog.Logger
}

func (c *JudgesCommand) newCalibration(fs *flagSet, f *calibrateFlags, lf *llmFlags, af *agreementFlags, logger *slog.Logger) (*calibration, error) {
	cfg, err := lf.config(c.m.Getenv)
	if err != nil {
		return nil, err
	}
	opts, err := af.options()
	if err != nil {
		return nil, err
	}
	sc, err := labelScales(f.rubric, "")
	if err != nil {
		return nil, err
	}
	cal := &calibration{m: c.m, f: f, sc: sc, llm: cfg, opts: opts, logger: logger}
	if f.labels != "" {
		var bad []*calibrate.LineError
		if cal.labels, bad, err = readLabelFile(f.labels, sc); err != nil {
			return nil, err
		}
		for _, b := range bad {
			logger.Warn("bad label line", "problem", b.Error())
		}
	}
	convs, _, err := loadConversations(f.logs, f.logFormat, false, logger)
	if err != nil {
		return nil, err
	}
	cal.convs = map[string]transcript.Conversation{}
	for _, cv := range convs {
		cal.convs[cv.ID] = cv
	}
	model := judgeModel(cfg)
	prompt := judges.JudgePromptVersion
	if v := strings.TrimSpace(c.m.Getenv(promptVersionEnv)); v != "" {
		prompt = v
	}
	cal.id = calibrate.Identity{Judge: "llm:" + model, Model: model, PromptVersion: prompt, RubricVersion: sc.rubric.Version}
	return cal, nil
}

// judgeModel is the model the LLM judges use under cfg.
func judgeModel(cfg llm.Config) string {
	if m := cfg.Models[llm.RoleJudge]; m != "" {
		return m
	}
	if cfg.Model != "" {
		return cfg.Model
	}
	return llm.DefaultModel
}

func (cal *calibration) run(ctx context.Context, db *results.DB) error {
	if len(cal.labels) > 0 {
		if _, err := storeLabels(ctx, db, cal.labels, cal.f.labels); err != nil {
			return err
		}
	}
	humans, criteria, err := cal.humanLabels(ctx, db)
	if err != nil {
		return err
	}
	cfg := cal.llm
	cfg.Cache, cfg.Logger = db.LLMCache(), cal.logger
	client, err := llm.New(cfg)
	if err != nil {
		return err
	}
	lab := &calibrate.Labeller{Judge: &judges.LLMJudge{Client: client, Rubric: cal.sc.rubric}, Rater: cal.id.Judge}
	got, err := cal.judgeItems(ctx, db, lab, humans, criteria)
	if err != nil {
		return err
	}
	if _, err := storeLabels(ctx, db, got, "calibrate"); err != nil {
		return err
	}
	return cal.record(ctx, db, humans, got, criteria)
}

// humanLabels reads the human labels of the rubric's criteria (only
// --criterion when set) and lists those criteria.
func (cal *calibration) humanLabels(ctx context.Context, db *results.DB) ([]calibrate.Label, []string, error) {
	stored, err := db.Labels(ctx, results.LabelFilter{Criterion: cal.f.criterion, Kind: results.LabelHuman})
	if err != nil {
		return nil, nil, err
	}
	var out []calibrate.Label
	var criteria, skipped []string
	for _, l := range stored {
		_, known := cal.sc.of(l.Criterion)
		if !known {
			if !contains(skipped, l.Criterion) {
				skipped = append(skipped, l.Criterion)
			}
			continue
		}
		if !contains(criteria, l.Criterion) {
			criteria = append(criteria, l.Criterion)
		}
		out = append(out, calibrate.Label{Item: l.Item, Criterion: l.Criterion, Rater: l.Rater, Kind: l.Kind, Value: l.Value})
	}
	if len(skipped) > 0 {
		cal.logger.Warn("criteria the rubric does not know have no LLM judge to calibrate", "criteria", strings.Join(skipped, ","))
	}
	if len(out) == 0 {
		return nil, nil, usageErrorf("no human label on a criterion of the rubric in %s", db.Path()).
			try("arena judges calibrate --labels examples/labels/experts.jsonl")
	}
	return out, criteria, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// judgeItems runs the judge on every labelled item, a few at a time. An
// item that is neither a known conversation nor a session is skipped with
// a warning; a judge failure stops the calibration.
func (cal *calibration) judgeItems(ctx context.Context, db *results.DB, lab *calibrate.Labeller, humans []calibrate.Label, criteria []string) ([]calibrate.Label, error) {
	var items []string
	asked := map[string][]string{}
	for _, l := range humans {
		if asked[l.Item] == nil {
			items = append(items, l.Item)
		}
		if !contains(asked[l.Item], l.Criterion) {
			asked[l.Item] = append(asked[l.Item], l.Criterion)
		}
	}
	out := make([][]calibrate.Label, len(items))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cal.f.concurrency)
	for i, item := range items {
		g.Go(func() error {
			ev, stage1, err := cal.evidence(gctx, db, item)
			if errors.Is(err, errUnknownItem) {
				cal.logger.Warn("labelled item not found; skipped", "item", item, "why", err.Error())
				return nil
			}
			if err != nil {
				return err
			}
			out[i], err = lab.Label(gctx, item, ev, stage1, asked[item])
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []calibrate.Label
	for _, ls := range out {
		all = append(all, ls...)
	}
	if len(all) == 0 {
		return nil, usageErrorf("none of the %d labelled items was found among the conversations or sessions", len(items)).
			try("--logs FILE (the log the items come from), or --db FILE (the results file of the sessions)")
	}
	return all, nil
}

// record computes each criterion's agreement with this judge and stores a
// calibration record; it returns an exit-1 error when a criterion failed.
func (cal *calibration) record(ctx context.Context, db *results.DB, humans, got []calibrate.Label, criteria []string) error {
	var failed []string
	t := table{Header: []string{"criterion", "judge", "items", "ceiling", "kappa_vs_humans", "ratio", "alt_winning_rate", "alt_advantage", "calibration"}}
	for _, name := range criteria {
		var labels []calibrate.Label
		for _, l := range append(append([]calibrate.Label{}, humans...), got...) {
			if l.Criterion == name {
				labels = append(labels, l)
			}
		}
		s, _ := cal.sc.of(name)
		rep, err := calibrate.Analyze(labels, s, cal.opts)
		if err != nil {
			return fmt.Errorf("calibrate %s: %w", name, err)
		}
		j, passed := rep.Judges[cal.id.Judge], false
		if j.AltTest != nil {
			passed = j.AltTest.Passed
		}
		body, err := json.Marshal(rep)
		if err != nil {
			return fmt.Errorf("calibrate %s: %w", name, err)
		}
		if _, err := db.PutCalibration(ctx, results.Calibration{Judge: cal.id.Judge, Criterion: name, PromptVersion: cal.id.PromptVersion,
			Model: cal.id.Model, RubricVersion: cal.id.RubricVersion, Results: body, Passed: passed}); err != nil {
			return err
		}
		verdict := "passed"
		if !passed {
			verdict = "FAILED"
			failed = append(failed, name)
		}
		var ceiling *float64
		if rep.Ceiling != nil {
			ceiling = rep.Ceiling.MeanKappa
		}
		var win, adv *float64
		if j.AltTest != nil {
			win, adv = j.AltTest.WinningRate, j.AltTest.AdvantageProbability
		}
		t.Rows = append(t.Rows, []string{name, cal.id.Judge, fmt.Sprint(rep.Items), num3(ceiling), num3(j.MeanKappaVsHumans), num3(j.Ratio), num3(win), num3(adv), verdict})
	}
	fmt.Fprintf(cal.m.Stdout, "Calibrated %s in %s\n\n", cal.id, db.Path())
	if err := render(cal.m.Stdout, "table", t); err != nil {
		return err
	}
	if len(failed) > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("judge %s failed calibration on %s: the gate will not rely on it there",
			cal.id.Judge, strings.Join(failed, ", "))}
	}
	return nil
}
