package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/results"
)

// RunCommand plays personas against candidate builds and ranks them.
type RunCommand struct {
	m *Main
}

const runSummary = `Play merchants extracted from conversation logs against candidate builds over
NATS, validate and score every session, store the verdicts in SQLite and print
the leaderboard.

With no flags it needs nothing but this binary: it starts an in-process NATS
server (JetStream on, data under --data-dir) and prints its URL so outside
builds can join, serves the reference builds (golden, tag-hacker, opt-out,
hallucinator, wrong-enum, crashy, slow) in-process, plays the bundled example
conversations against them and every other build discovered on the bus, and
writes arena.db. With no LLM configured the offline path runs: heuristic
personas, verbatim merchants, procedural judges.`

const runExamples = `  arena run                                     # everything bundled, in-process NATS
  arena run --candidates golden,tag-hacker      # only these builds play
  arena run --logs logs/march.jsonl --trials 3  # your logs, three trials each
  arena run --nats nats://10.0.0.5:4222 --references none   # outside builds only
  arena run --resume latest                     # finish an interrupted run
  arena run --nats nats://q:4222 --workers 0 --record=false   # plan only: "arena worker"s play, "arena record" writes
  arena run --nats nats://q:4222 --detach       # publish the jobs and return; follow with "arena status RUN"
  arena run --format json > report.json`

// Run parses flags and runs the arena.
func (c *RunCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("run", runSummary, runExamples)
	var (
		logs        = fs.String("logs", "", "conversation log to extract personas from (default: the bundled examples)")
		logFormat   = fs.String("logs-format", "", "format of --logs: jsonl, tau-bench, tau2-bench (default: detect)")
		strict      = fs.Bool("strict", false, "fail on any bad record in --logs instead of skipping it")
		dbPath      = fs.String("db", "arena.db", "results file (SQLite)")
		format      = fs.String("format", "table", "output format: table, json, md, csv")
		cands       = fs.String("candidates", "", "comma-separated builds that play (default: every build on the bus)")
		refs        = fs.String("references", "all", "reference builds to serve in-process: all, none, or a comma-separated list")
		trials      = fs.Int("trials", 1, "trials per persona and build")
		concurrency = fs.Int("concurrency", arena.DefaultConcurrency, "sessions played at once")
		turnTimeout = fs.Duration("turn-timeout", arena.DefaultTurnTimeout, "how long a build may take for one turn (default 5s offline, 60s simulate)")
		mode        = fs.String("mode", "", "offline (no LLM) or simulate (LLM personas, merchant and judges; the default when $OPENAI_BASE_URL or $OPENAI_API_KEY is set)")
		rubricPath  = fs.String("rubric", "", "YAML rubric of the LLM judges (default: the built-in one)")
		merchTemp   = fs.Float64("merchant-temperature", 0.7, "temperature of the simulated merchant")
		maxTurns    = fs.Int("max-turns", 20, "merchant turns per session at most")
		resume      = fs.String("resume", "", "resume this run ID (or \"latest\"), skipping recorded sessions")
		dataDir     = fs.String("data-dir", ".arena", "folder for the embedded NATS server's JetStream data")
		port        = fs.Int("port", 0, "port of the embedded NATS server (default: any free port)")
		workers     = fs.Int("workers", -1, "with --nats: sessions this process plays itself (default: --concurrency; 0: only \"arena worker\" processes play)")
		record      = fs.Bool("record", true, "with --nats: write the verdicts to --db in this process; false when \"arena record\" writes them")
		detach      = fs.Bool("detach", false, "with --nats: publish the jobs and return without waiting (implies --workers 0 --record=false)")
	)
	nc := addNATSFlags(fs)
	lf := addLLMFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 {
		return usageErrorf("run takes no arguments, got %q", fs.positional).try("arena run --help")
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if *trials < 1 || *concurrency < 1 || *maxTurns < 1 || *turnTimeout <= 0 {
		return usageErrorf("--trials, --concurrency, --max-turns and --turn-timeout must be positive").try("arena run --help")
	}
	references, err := referenceList(*refs)
	if err != nil {
		return err
	}
	connect, err := nc.config(c.m.Getenv)
	if err != nil {
		return err
	}
	dist, err := distribution(nc.url != "", *workers, *record, *detach, *concurrency)
	if err != nil {
		return err
	}
	if dist.detach {
		if flagGiven(fs, "references") && *refs != "none" {
			return usageErrorf("--detach: this process exits at once, so it cannot serve reference builds").
				try("serve them with \"arena candidates serve --nats URL\" and pass --references none")
		}
		references = []string{}
	}
	path, err := c.llmPath(fs, lf, *mode, *rubricPath, *merchTemp, turnTimeout)
	if err != nil {
		return err
	}
	if err := path.checkReferences(references); err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	convs, source, err := loadConversations(*logs, *logFormat, *strict, logger)
	if err != nil {
		return err
	}
	var db *results.DB
	// A planner whose verdicts "arena record" writes elsewhere needs no file.
	if dist.record || flagGiven(fs, "db") {
		if db, err = results.Open(ctx, *dbPath); err != nil {
			return fmt.Errorf("%w\nTry: check that %s is an arena results file, or pass another --db", err, *dbPath)
		}
		defer db.Close()
	}
	runID, err := resolveRun(ctx, db, *resume)
	if err != nil {
		return err
	}
	bar := c.m.newProgress("sessions").logTo(logger)
	defer bar.finish()
	cfg := arena.Config{
		Bus:           arena.BusConfig{URL: nc.url, Connect: connect, DataDir: *dataDir, Port: *port},
		DB:            db,
		Conversations: convs,
		References:    references,
		Candidates:    splitList(*cands),
		Trials:        *trials, Concurrency: *concurrency, TurnTimeout: *turnTimeout, MaxTurns: *maxTurns,
		Resume: runID,
		Settings: map[string]any{
			"logs": source, "candidates": *cands, "references": *refs, "trials": *trials,
			"concurrency": *concurrency, "turn_timeout": turnTimeout.String(), "max_turns": *maxTurns,
			"nats": natsbus.RedactURL(nc.url),
		},
		Mode: path.mode, LLM: path.llm, SimulatorModels: path.simulators, MerchantTemperature: *merchTemp, RubricYAML: path.rubric,
		Logger:    logger,
		Listening: func(url string) { logger.Info("nats ready; outside builds can join", "url", url) },
		Progress:  bar.update,
		Workers:   dist.workers, Record: dist.record, Detach: dist.detach,
	}
	if fs.logLevel == "debug" {
		cfg.BuildLogger = logger
	}
	start := time.Now()
	rep, err := arena.Execute(ctx, cfg)
	bar.finish()
	if err != nil {
		if errors.Is(err, natsbus.ErrQueueTaken) {
			return fmt.Errorf("%w\nTry: arena run --nats URL --workers 0 --record=false: the \"arena worker\" and \"arena record\" processes on this server play and record it", err)
		}
		if errors.Is(err, context.Canceled) && rep != nil && rep.Run.ID != "" {
			interrupted(context.WithoutCancel(ctx), logger, db, rep)
			return fmt.Errorf("run %s interrupted\nTry: arena run --resume %s", rep.Run.ID, rep.Run.ID)
		}
		return err
	}
	logger.Info("run finished", "run", rep.Run.ID, "played", rep.Summary.Played, "skipped", rep.Summary.Skipped,
		"errors", rep.Summary.Errors, "timeouts", rep.Summary.Timeouts, "simulator_faults", rep.Summary.SimulatorFaults, "db", rep.DBPath)
	if dist.detach {
		logger.Info("jobs published; workers play them", "run", rep.Run.ID, "sessions", rep.Summary.Planned-rep.Summary.Skipped,
			"follow", "arena status "+rep.Run.ID)
		return nil
	}
	if rep.Summary.Stopped != "" {
		logger.Warn("run stopped early", "why", rep.Summary.Stopped, "not_played", rep.Summary.Cancelled,
			"try", "arena run --resume "+rep.Run.ID+" with a larger --max-cost or --max-tokens")
	}
	return printRunReport(c.m, *format, rep, *trials, time.Since(start))
}

// semver is the shape of a build version (major.minor.patch, optional
// pre-release and build).
var semver = regexp.MustCompile(`^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$`)

// referenceList reads --references: all (nil), none (empty), or names,
// each "name" or "name@version".
func referenceList(v string) ([]string, error) {
	switch v {
	case "all", "":
		return nil, nil
	case "none":
		return []string{}, nil
	}
	names := splitList(v)
	known := arena.ReferenceNames()
	for _, spec := range names {
		n, version, hasVersion := strings.Cut(spec, "@")
		if !slices.Contains(known, n) {
			return nil, usageErrorf("--references: no reference build %q", n).try("one of all, none, " + strings.Join(known, ","))
		}
		if hasVersion && !semver.MatchString(version) {
			return nil, usageErrorf("--references %s: %q is not a semantic version", spec, version).try(n + "@1.1.0")
		}
	}
	return names, nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// resolveRun turns --resume into a run ID: "" for a new run, "latest" for
// the file's newest run.
func resolveRun(ctx context.Context, db *results.DB, resume string) (string, error) {
	switch resume {
	case "":
		return "", nil
	case "latest":
		if db == nil {
			return "", usageErrorf("--resume latest needs the results file").try("pass --db FILE, or the run ID")
		}
		r, err := db.LatestRun(ctx)
		if err != nil {
			return "", usageErrorf("--resume latest: %v", err).try("arena run (a new run)")
		}
		return r.ID, nil
	}
	if db == nil {
		return resume, nil
	}
	if _, err := db.Run(ctx, resume); err != nil {
		return "", usageErrorf("--resume %s: %v", resume, err).try("arena leaderboard --format json to list runs")
	}
	return resume, nil
}

// sharing is how a run shares its work with other processes.
type sharing struct {
	workers        int
	record, detach bool
}

// distribution checks --workers, --record and --detach: they only mean
// something with an outside server, which outlives this process.
func distribution(outside bool, workers int, record, detach bool, concurrency int) (sharing, error) {
	if !outside {
		if workers >= 0 || !record || detach {
			return sharing{}, usageErrorf("--workers, --record and --detach need an outside server: the in-process one stops with this run").
				try("arena run --nats nats://host:4222 --workers 0")
		}
		return sharing{workers: concurrency, record: true}, nil
	}
	if detach {
		return sharing{detach: true}, nil
	}
	if workers < 0 {
		workers = concurrency
	}
	return sharing{workers: workers, record: record}, nil
}

// interrupted logs what an interrupted run kept: the sessions recorded,
// of those planned; the rest are played on resume.
func interrupted(ctx context.Context, logger *slog.Logger, db *results.DB, rep *arena.Report) {
	args := []any{"run", rep.Run.ID, "planned", rep.Summary.Planned}
	if db != nil {
		if done, err := db.DoneSessions(ctx, rep.Run.ID); err == nil {
			args = append(args, "recorded", len(done), "to_play", rep.Summary.Planned-len(done))
		}
	}
	logger.Warn("run interrupted; sessions in flight were finished or released", args...)
}
