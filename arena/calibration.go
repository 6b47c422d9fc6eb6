package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// ErrNoHumanLabels is a results file with no human label on a criterion
// of the rubric (or on the one criterion asked): nothing to calibrate on.
var ErrNoHumanLabels = errors.New("no human label on a criterion of the rubric")

// ItemsNotFoundError is a calibration none of whose labelled items was
// found among the conversations or the sessions of the results file.
type ItemsNotFoundError struct {
	Items int // the labelled items looked for
}

func (e *ItemsNotFoundError) Error() string {
	return fmt.Sprintf("none of the %d labelled items was found among the conversations or sessions", e.Items)
}

// DefaultCalibrateConcurrency is how many items Calibrate judges at once
// by default.
const DefaultCalibrateConcurrency = 4

// CalibrateConfig is one calibration of the LLM judges against the human
// labels of a results file. A zero field takes its default.
type CalibrateConfig struct {
	// Labels are stored before calibrating, as StoreLabels does with
	// LabelSource; without them Calibrate uses the labels already stored.
	Labels      []calibrate.Label
	LabelSource string
	// Rubric is the LLM judges' rubric (default judges.DefaultRubric()).
	// Only its criteria are calibrated, each on its own scale.
	Rubric *judges.Rubric
	// Criterion, when set, is the one criterion calibrated.
	Criterion string
	// LLM is the judges' endpoint and model; Calibrate sets its Cache (the
	// results file's) and Logger.
	LLM llm.Config
	// PromptVersion is the judge prompt version recorded (default
	// judges.JudgePromptVersion). Only a prompt under development, or a
	// test, sets another.
	PromptVersion string
	// Conversations are the logged conversations a labelled item may
	// name; any other item must be a session ID of the results file.
	Conversations []transcript.Conversation
	// Agreement tunes the analysis (default agreement.DefaultOptions()).
	Agreement *agreement.Options
	// Concurrency bounds the items judged at once (default 4).
	Concurrency int
	// Logger reports skipped criteria and items (default slog.Default()).
	Logger *slog.Logger
}

// CalibrateResult is what a calibration stored.
type CalibrateResult struct {
	Judge calibrate.Identity
	// Criteria are the criteria calibrated, in the order the results file
	// lists their labels (results.DB.Labels: by criterion).
	Criteria []CriterionCalibration
}

// CriterionCalibration is one criterion's calibration record.
type CriterionCalibration struct {
	Criterion string
	// Report is the agreement of the humans and this judge only.
	Report agreement.Report
	// Passed says the judge passed the alternative annotator test: the
	// gate may rely on it for this criterion.
	Passed bool
}

// Failed lists the criteria whose calibration did not pass.
func (r *CalibrateResult) Failed() []string {
	var out []string
	for _, c := range r.Criteria {
		if !c.Passed {
			out = append(out, c.Criterion)
		}
	}
	return out
}

// JudgeIdentity is the identity a calibration under cfg records: rater
// llm:<model>, with the judge role's model, the prompt version and the
// rubric version.
func JudgeIdentity(cfg CalibrateConfig) calibrate.Identity {
	cfg = cfg.withDefaults()
	model := modelFor(&cfg.LLM, llm.RoleJudge)
	return calibrate.Identity{Judge: "llm:" + model, Model: model, PromptVersion: cfg.PromptVersion, RubricVersion: cfg.Rubric.Version}
}

func (cfg CalibrateConfig) withDefaults() CalibrateConfig {
	if cfg.Rubric == nil {
		cfg.Rubric = judges.DefaultRubric()
	}
	if cfg.PromptVersion == "" {
		cfg.PromptVersion = judges.JudgePromptVersion
	}
	if cfg.Agreement == nil {
		o := agreement.DefaultOptions()
		cfg.Agreement = &o
	}
	if cfg.Concurrency < 1 {
		cfg.Concurrency = DefaultCalibrateConcurrency
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg
}

// Calibrate runs the current LLM judge on every item with human labels on
// a criterion of the rubric, stores its labels (kind judge, source
// "calibrate") and, per criterion, a calibration record: the judge's
// identity, the agreement report and whether the alternative annotator
// test passed. An item that is neither a conversation nor a session is
// skipped with a warning; a judge failure stops the calibration. It
// returns an error matching ErrNoHumanLabels, or an *ItemsNotFoundError,
// when there is nothing to calibrate on. A failed criterion is no error:
// see CalibrateResult.Failed.
func Calibrate(ctx context.Context, db *results.DB, cfg CalibrateConfig) (*CalibrateResult, error) {
	cfg = cfg.withDefaults()
	cal := &calibration{cfg: cfg, sc: calibrate.Scales{Rubric: cfg.Rubric}, id: JudgeIdentity(cfg), convs: map[string]transcript.Conversation{}}
	for _, c := range cfg.Conversations {
		cal.convs[c.ID] = c
	}
	if len(cfg.Labels) > 0 {
		if _, err := StoreLabels(ctx, db, cfg.Labels, cfg.LabelSource); err != nil {
			return nil, err
		}
	}
	humans, criteria, err := cal.humanLabels(ctx, db)
	if err != nil {
		return nil, err
	}
	lc := cfg.LLM
	lc.Cache, lc.Logger = db.LLMCache(), cfg.Logger
	client, err := llm.New(lc)
	if err != nil {
		return nil, err
	}
	lab := &calibrate.Labeller{Judge: &judges.LLMJudge{Client: client, Rubric: cfg.Rubric}, Rater: cal.id.Judge}
	got, err := cal.judgeItems(ctx, db, lab, humans)
	if err != nil {
		return nil, err
	}
	if _, err := StoreLabels(ctx, db, got, "calibrate"); err != nil {
		return nil, err
	}
	return cal.record(ctx, db, humans, got, criteria)
}

// calibration is one Calibrate call under way.
type calibration struct {
	cfg   CalibrateConfig
	sc    calibrate.Scales
	id    calibrate.Identity
	convs map[string]transcript.Conversation
}

// humanLabels reads the human labels of the rubric's criteria (only
// cfg.Criterion when set) and lists those criteria.
func (cal *calibration) humanLabels(ctx context.Context, db *results.DB) ([]calibrate.Label, []string, error) {
	stored, err := Labels(ctx, db, results.LabelFilter{Criterion: cal.cfg.Criterion, Kind: results.LabelHuman})
	if err != nil {
		return nil, nil, err
	}
	var out []calibrate.Label
	var criteria, skipped []string
	for _, l := range stored {
		if _, known := cal.sc.Of(l.Criterion); !known {
			if !slices.Contains(skipped, l.Criterion) {
				skipped = append(skipped, l.Criterion)
			}
			continue
		}
		if !slices.Contains(criteria, l.Criterion) {
			criteria = append(criteria, l.Criterion)
		}
		out = append(out, l)
	}
	if len(skipped) > 0 {
		cal.cfg.Logger.Warn("criteria the rubric does not know have no LLM judge to calibrate", "criteria", strings.Join(skipped, ","))
	}
	if len(out) == 0 {
		return nil, nil, fmt.Errorf("%w in %s", ErrNoHumanLabels, db.Path())
	}
	return out, criteria, nil
}

// judgeItems runs the judge on every labelled item, a few at a time, on
// the criteria the humans labelled it on.
func (cal *calibration) judgeItems(ctx context.Context, db *results.DB, lab *calibrate.Labeller, humans []calibrate.Label) ([]calibrate.Label, error) {
	var items []string
	asked := map[string][]string{}
	for _, l := range humans {
		if asked[l.Item] == nil {
			items = append(items, l.Item)
		}
		if !slices.Contains(asked[l.Item], l.Criterion) {
			asked[l.Item] = append(asked[l.Item], l.Criterion)
		}
	}
	out := make([][]calibrate.Label, len(items))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(cal.cfg.Concurrency)
	for i, item := range items {
		g.Go(func() error {
			ev, stage1, err := cal.evidence(gctx, db, item)
			if errors.Is(err, errUnknownItem) {
				cal.cfg.Logger.Warn("labelled item not found; skipped", "item", item, "why", err.Error())
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
	all := slices.Concat(out...)
	if len(all) == 0 {
		return nil, &ItemsNotFoundError{Items: len(items)}
	}
	return all, nil
}

// record computes each criterion's agreement with this judge and stores a
// calibration record.
func (cal *calibration) record(ctx context.Context, db *results.DB, humans, got []calibrate.Label, criteria []string) (*CalibrateResult, error) {
	res := &CalibrateResult{Judge: cal.id}
	all := slices.Concat(humans, got)
	for _, name := range criteria {
		var labels []calibrate.Label
		for _, l := range all {
			if l.Criterion == name {
				labels = append(labels, l)
			}
		}
		s, _ := cal.sc.Of(name)
		rep, err := calibrate.Analyze(labels, s, *cal.cfg.Agreement)
		if err != nil {
			return nil, fmt.Errorf("calibrate %s: %w", name, err)
		}
		passed := false
		if at := rep.Judges[cal.id.Judge].AltTest; at != nil {
			passed = at.Passed
		}
		body, err := json.Marshal(rep)
		if err != nil {
			return nil, fmt.Errorf("calibrate %s: %w", name, err)
		}
		if _, err := db.PutCalibration(ctx, results.Calibration{Judge: cal.id.Judge, Criterion: name, PromptVersion: cal.id.PromptVersion,
			Model: cal.id.Model, RubricVersion: cal.id.RubricVersion, Results: body, Passed: passed}); err != nil {
			return nil, err
		}
		res.Criteria = append(res.Criteria, CriterionCalibration{Criterion: name, Report: rep, Passed: passed})
	}
	return res, nil
}
