package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

// JudgesCommand measures the judges: agreement with human labels,
// calibration runs, and sensitivity to the reference mutants.
type JudgesCommand struct {
	m *Main
}

const judgesSummary = `Measure whether the judges can be trusted.

  agreement    how much the human labellers agree (the ceiling) and how much each
               judge agrees with them, per criterion, from a label file or the
               labels stored in a results file
  calibrate    run the current LLM judges on the labelled items, store their labels
               and a calibration record per criterion (passed = the alternative
               annotator test passed); "arena gate --require-calibrated" reads them
  sensitivity  play the reference mutant builds and count, per judge and per defect
               kind, how many defective sessions each judge caught

Run "arena judges <command> --help" for its flags.`

const judgesExamples = `  arena judges agreement --labels examples/labels/experts.jsonl
  arena judges calibrate --labels my-team-labels.jsonl --judge-model gpt-4.1
  arena judges sensitivity`

// Run dispatches agreement, calibrate and sensitivity.
func (c *JudgesCommand) Run(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "agreement":
		return c.agreement(ctx, args)
	case "calibrate":
		return c.calibrate(ctx, args)
	case "sensitivity":
		return c.sensitivity(ctx, args)
	case "-h", "--help", "help":
		c.m.newFlagSet("judges", judgesSummary, judgesExamples).printUsage(c.m.Stdout)
		return errHelp
	}
	return usageErrorf("judges: want a subcommand: agreement, calibrate or sensitivity").try("arena judges --help")
}

const agreementSummary = `Per criterion: the items and raters used; Krippendorff's alpha (nominal,
ordinal, interval; missing labels allowed) and Fleiss' kappa of the humans;
per rater pair exact agreement, Cohen's kappa, linear and quadratic weighted
kappa (on the criterion's full scale), Kendall's tau-b, Spearman and Pearson;
the human ceiling (mean human-human kappa, quadratic on ordered scales); and
per judge (labels of kind judge) its mean kappa against the humans, the ratio
to the ceiling with a paired item-bootstrap interval of the difference, alpha
with the judge in place of each human, and the alternative annotator test
(leave one human out, one-sided t-test per human against margin epsilon,
Benjamini-Yekutieli; the judge passes when it wins for at least half of the
humans), with its winning rate and advantage probability.

Labels come from --labels FILE, or else from the results file (--db), where
"arena labels import" and "arena judges calibrate" put them. A criterion of
the rubric takes its scale from it; others take --scale, else nominal over the
values seen. JSON: {"criteria": {"<name>": {...}}}.`

const agreementExamples = `  arena judges agreement --labels examples/labels/experts.jsonl
  arena judges agreement --labels examples/labels/experts.jsonl --criterion helpfulness --format json
  arena judges agreement --db arena.db --format md > agreement.md
  arena judges agreement --labels mine.jsonl --scale ordinal:1,2,3 --epsilon 0.15`

var agreementFormats = []string{"table", "json", "md"}

func (c *JudgesCommand) agreement(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("judges agreement", agreementSummary, agreementExamples)
	labelsPath := fs.String("labels", "", "label file (JSONL); without it, the labels of --db")
	dbPath := fs.String("db", "arena.db", "results file whose labels to read when --labels is not given")
	criterion := fs.String("criterion", "", "only this criterion")
	scale := fs.String("scale", "", "scale of criteria the rubric does not know: nominal, ordinal:1,2,3,4,5, interval")
	rubricPath := fs.String("rubric", "", "YAML rubric whose criteria give their scales (default: the built-in one)")
	format := fs.String("format", "table", "output format: table, json, md")
	o := addAgreementFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 {
		return usageErrorf("judges agreement takes no arguments, got %q", fs.positional).try("arena judges agreement --labels FILE")
	}
	if !slices.Contains(agreementFormats, *format) {
		return usageErrorf("--format %q: use table, json or md", *format)
	}
	opts, err := o.options()
	if err != nil {
		return err
	}
	sc, err := labelScales(*rubricPath, *scale)
	if err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	var labels []calibrate.Label
	if *labelsPath != "" {
		var bad []*calibrate.LineError
		if labels, bad, err = readLabelFile(*labelsPath, sc); err != nil {
			return err
		}
		for _, b := range bad {
			logger.Warn("bad label line", "problem", b.Error())
		}
	} else if labels, err = storedLabels(ctx, *dbPath); err != nil {
		return err
	}
	rep, err := calibrate.AnalyzeCriteria(labels, *criterion, sc, opts)
	if err != nil {
		return agreementErr(err, *criterion)
	}
	return printAgreement(c.m.Stdout, *format, rep)
}

// agreementFlags tune the judge comparison.
type agreementFlags struct {
	epsilon   float64
	resamples int
	seed      uint64
}

func addAgreementFlags(fs *flagSet) *agreementFlags {
	a := &agreementFlags{}
	fs.Float64Var(&a.epsilon, "epsilon", agreement.DefaultEpsilon, "alternative annotator test margin: how much worse than a human a judge may align and still win")
	fs.IntVar(&a.resamples, "resamples", agreement.DefaultResamples, "bootstrap resamples of the judge-ceiling difference (0: no interval)")
	fs.Uint64Var(&a.seed, "seed", 1, "bootstrap seed")
	return a
}

func (a *agreementFlags) options() (agreement.Options, error) {
	if !(a.epsilon >= 0 && a.epsilon < 1) || a.resamples < 0 {
		return agreement.Options{}, usageErrorf("--epsilon must be in [0, 1) and --resamples not negative")
	}
	o := agreement.DefaultOptions()
	o.Epsilon, o.Resamples = a.epsilon, a.resamples
	o.Rand = newRand(a.seed)
	return o, nil
}

// storedLabels reads every label of a results file that must exist.
func storedLabels(ctx context.Context, path string) ([]calibrate.Label, error) {
	db, err := openExisting(ctx, path, "arena judges agreement --labels examples/labels/experts.jsonl, or arena labels import FILE first")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return arena.Labels(ctx, db, results.LabelFilter{})
}

// agreementErr turns an analysis error into a usage error, with a hint
// when there was nothing to analyse.
func agreementErr(err error, criterion string) error {
	switch {
	case errors.Is(err, calibrate.ErrNoLabels) && criterion != "":
		return usageErrorf("%v", err).try("arena labels export | cut -c1-200 (the criteria labelled)")
	case errors.Is(err, calibrate.ErrNoLabels):
		return usageErrorf("%v", err).try("arena labels import FILE, or --labels FILE")
	}
	return usageErrorf("%v", err)
}

func printAgreement(w writer, format string, rep calibrate.Agreement) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	for i, name := range rep.Order {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if err := printCriterion(w, format, name, rep.Criteria[name]); err != nil {
			return err
		}
	}
	return nil
}

func sortedJudges(m map[string]agreement.JudgeReport) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
