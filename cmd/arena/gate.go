package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
)

// GateCommand decides whether a candidate build may replace the baseline.
type GateCommand struct {
	m *Main
}

const gateSummary = `Decide whether the candidate build may replace the baseline, on paired
sessions: same persona, same trial, same merchant simulator. Each metric
(success, gated score, every judge criterion) must be non-inferior: the
one-sided lower bound of the mean difference B-A, from a persona bootstrap,
above -margin. Hard gates allow no rise at all: stage-1 failures, each
reward-hack kind, errors and timeouts.

Exit 0: pass. Exit 1: blocked (every failing check is listed). Exit 2: cannot
decide (a build has no session, pairs are missing for most personas, the
baseline itself errors) or a usage error. Every decision is stored in the
results file's gate_decisions table with its inputs.

With --runs the gate first plays one arena run with both builds (same
personas, same merchants and seeds) and decides on it; the run flags
(--logs, --trials, --nats, ...) apply then.

With --require-calibrated the gate also exits 2 when an LLM judge it relies on
is uncalibrated (never calibrated, or its model, prompt or rubric changed
since) or failed its last calibration (arena judges calibrate).`

const gateExamples = `  arena gate --runs --baseline golden --candidate tag-hacker
  arena gate --runs --baseline golden --candidate golden@1.1.0 --references golden,golden@1.1.0
  arena gate --baseline shop@1.4.0 --candidate shop@1.5.0 --run run-20261127-004151-6142
  arena gate --baseline shop --candidate shop@1.5.0 --margins score=0.05,success=0.03 --format md > comment.md
  arena gate --baseline shop --candidate shop@1.5.0 --format junit > gate.xml
  arena gate --baseline shop --candidate shop@1.5.0 --require-calibrated`

var gateFormats = []string{"table", "md", "json", "junit"}

// gateFlags are the gate's own flags.
type gateFlags struct {
	baseline, candidate, margins, format, dbPath string
	runs                                         listFlag
	play, requireCalibrated                      bool
	margin, alpha                                float64
	resamples                                    int
	seed                                         uint64
}

// Run parses flags, plays the sessions when asked, decides and prints.
func (c *GateCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("gate", gateSummary, gateExamples)
	g, p := addGateFlags(fs), addPlayFlags(fs, "with --runs: ")
	if err := fs.parse(args); err != nil {
		return err
	}
	cfg, err := g.config(fs)
	if err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	var plan *arena.Config
	if g.play {
		if plan, err = c.planRun(fs, p, cfg, logger); err != nil {
			return err
		}
	} else if _, err := os.Stat(g.dbPath); err != nil {
		return usageErrorf("results file %s: %v", g.dbPath, err).try("arena gate --runs (plays the sessions first), or --db FILE")
	}
	db, err := results.Open(ctx, g.dbPath)
	if err != nil {
		return fmt.Errorf("%w\nTry: check that %s is an arena results file, or pass another --db", err, g.dbPath)
	}
	defer db.Close()
	if plan != nil {
		if cfg.Runs, err = c.play(ctx, *plan, db, logger); err != nil {
			return err
		}
	}
	d, err := gate.Decide(ctx, db, cfg)
	var ce *gate.ConfigError
	if errors.As(err, &ce) {
		return usageErrorf("%v", ce).try("arena gate --help")
	}
	if err != nil {
		return err
	}
	logger.Info("gate decided", "verdict", d.Verdict, "decision", d.ID, "runs", strings.Join(d.Runs, ","), "db", db.Path())
	if err := printDecision(c.m, g.format, d, db.Path()); err != nil {
		return err
	}
	return verdictExit(d)
}

func addGateFlags(fs *flagSet) *gateFlags {
	g := &gateFlags{}
	fs.StringVar(&g.baseline, "baseline", "", "the build in production: name or name@version (required)")
	fs.StringVar(&g.candidate, "candidate", "", "the build that would replace it: name or name@version (required)")
	fs.Var(&g.runs, "run", "run ID to decide on; repeat or comma-separate (default: the latest run with both builds)")
	fs.BoolVar(&g.play, "runs", false, "play the sessions first (one arena run with both builds), then decide on that run")
	fs.Float64Var(&g.margin, "margin", gate.DefaultMargin, "how far below the baseline a metric may be, at worst")
	fs.StringVar(&g.margins, "margins", "", "per-metric margins, such as score=0.05,success=0.03")
	fs.Float64Var(&g.alpha, "alpha", gate.DefaultAlpha, "one-sided level of the lower bounds")
	fs.IntVar(&g.resamples, "resamples", gate.DefaultResamples, "bootstrap resamples")
	fs.Uint64Var(&g.seed, "seed", gate.DefaultSeed, "bootstrap seed (stored with the decision)")
	fs.StringVar(&g.format, "format", "table", "output format: table, md (a pull-request comment), json, junit")
	fs.StringVar(&g.dbPath, "db", "arena.db", "results file (SQLite)")
	fs.BoolVar(&g.requireCalibrated, "require-calibrated", false, "exit 2 unless every LLM judge the decision relies on passed its calibration in its current model, prompt and rubric (arena judges calibrate)")
	return g
}

// config checks the gate's flags and builds the decision's config.
func (g *gateFlags) config(fs *flagSet) (gate.Config, error) {
	hint := "arena gate --baseline golden --candidate tag-hacker --runs"
	switch {
	case len(fs.positional) > 0:
		return gate.Config{}, usageErrorf("gate takes no arguments, got %q", fs.positional).try("arena gate --help")
	case g.baseline == "" || g.candidate == "":
		return gate.Config{}, usageErrorf("gate needs --baseline and --candidate").try(hint)
	case g.baseline == g.candidate:
		return gate.Config{}, usageErrorf("--candidate %s is the baseline too; compare two builds", g.candidate).try("arena gate --baseline golden --candidate golden@1.1.0 --runs --references golden,golden@1.1.0")
	case !slices.Contains(gateFormats, g.format):
		return gate.Config{}, usageErrorf("--format %q: use one of %s", g.format, strings.Join(gateFormats, ", "))
	case g.play && len(g.runs) > 0:
		return gate.Config{}, usageErrorf("--runs plays a new run; it cannot be combined with --run").try(hint)
	case !(g.margin > 0 && g.margin < 1), !(g.alpha > 0 && g.alpha < 0.5), g.resamples < 100:
		return gate.Config{}, usageErrorf("--margin must be in (0, 1), --alpha in (0, 0.5), --resamples at least 100").try("arena gate --help")
	}
	for _, b := range []string{g.baseline, g.candidate} {
		if name, v, ok := strings.Cut(b, "@"); ok && !semver.MatchString(v) {
			return gate.Config{}, usageErrorf("build %s: %q is not a semantic version", b, v).try(name + "@1.1.0")
		}
	}
	margins, err := parseMargins(g.margins)
	if err != nil {
		return gate.Config{}, err
	}
	return gate.Config{
		Runs: g.runs, Baseline: g.baseline, Candidate: g.candidate, Margin: g.margin, Margins: margins,
		Alpha: g.alpha, Resamples: g.resamples, Seed: g.seed, RequireCalibrated: g.requireCalibrated,
	}, nil
}

// parseMargins reads "score=0.05,success=0.03".
func parseMargins(v string) (map[string]float64, error) {
	if v == "" {
		return nil, nil
	}
	out := map[string]float64{}
	for _, kv := range splitList(v) {
		k, val, ok := strings.Cut(kv, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if !ok || strings.TrimSpace(k) == "" || err != nil || !(f > 0 && f < 1) {
			return nil, usageErrorf("--margins %q: want metric=margin with a margin in (0, 1)", kv).try("--margins score=0.05,success=0.03")
		}
		out[strings.TrimSpace(k)] = f
	}
	return out, nil
}

// listFlag is a repeatable flag whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	*l = append(*l, splitList(v)...)
	return nil
}

// gateReferences picks the reference builds to serve: --references when
// given, else those of the two builds that are reference builds.
func gateReferences(flag string, cfg gate.Config) ([]string, error) {
	if flag != "" {
		return referenceList(flag)
	}
	refs := []string{}
	for _, b := range []string{cfg.Baseline, cfg.Candidate} {
		name, _, _ := strings.Cut(b, "@")
		if slices.Contains(arena.ReferenceNames(), name) {
			refs = append(refs, b)
		}
	}
	return refs, nil
}

// play runs the arena with both builds and returns the run to decide on.
func (c *GateCommand) play(ctx context.Context, plan arena.Config, db *results.DB, logger *slog.Logger) ([]string, error) {
	bar := c.m.newProgress("sessions")
	defer bar.finish()
	plan.DB, plan.Progress = db, bar.update
	rep, err := arena.Execute(ctx, plan)
	bar.finish()
	if err != nil {
		if errors.Is(err, context.Canceled) && rep != nil && rep.Run.ID != "" {
			return nil, fmt.Errorf("run %s interrupted\nTry: arena run --resume %s, then arena gate --run %s", rep.Run.ID, rep.Run.ID, rep.Run.ID)
		}
		return nil, err
	}
	s := rep.Summary
	logger.Info("gate run finished", "run", rep.Run.ID, "played", s.Played, "errors", s.Errors, "timeouts", s.Timeouts,
		"simulator_faults", s.SimulatorFaults)
	if s.Stopped != "" {
		logger.Warn("run stopped early; deciding on what was played", "why", s.Stopped, "not_played", s.Cancelled)
	}
	return []string{rep.Run.ID}, nil
}

// verdictExit maps the verdict to the exit code: 0 pass, 1 block, 2
// undecided.
func verdictExit(d *gate.Decision) error {
	switch d.Verdict {
	case gate.Block:
		return &exitError{code: exitFailed, err: fmt.Errorf("gate blocked %s against %s: %d failing check(s)", d.Candidate, d.Baseline, len(d.Reasons))}
	case gate.Undecided:
		return &exitError{code: exitUnknown, err: fmt.Errorf("gate cannot decide: %s", strings.Join(d.Reasons, "; "))}
	}
	return nil
}

// planRun builds the arena run --runs plays, all before the results file
// is touched: a usage error leaves no file.
func (c *GateCommand) planRun(fs *flagSet, p *playFlags, cfg gate.Config, logger *slog.Logger) (*arena.Config, error) {
	refs, err := gateReferences(p.refs, cfg)
	if err != nil {
		return nil, err
	}
	return p.config(c.m, fs, refs, []string{cfg.Baseline, cfg.Candidate}, map[string]any{
		"gate": map[string]string{"baseline": cfg.Baseline, "candidate": cfg.Candidate},
	}, logger)
}
