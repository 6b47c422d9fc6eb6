package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// ReplayCommand plays logged conversations again with candidate builds and
// shows where they diverge from what happened.
type ReplayCommand struct {
	m *Main
}

const replaySummary = `Replay logged conversations against candidate builds and show, turn by turn,
where each build diverges from what the logged build did: tool calls (name and
arguments, JSON normalised), replies, the final store and goal outcomes, with
the validators' findings inline. Across --trials: how often each divergence
occurs, success rate, pass^k and the most common first point of divergence.

Modes: verbatim (default) sends the logged merchant turns in order; simulate
lets the LLM merchant play the persona extracted from the log; --prefix N sends
the first N logged turns, then hands over to the simulated merchant (both need
an LLM endpoint: $OPENAI_BASE_URL or $OPENAI_API_KEY).

Tools the sandbox lacks (tau-bench's, say) answer from the log's recorded
results when a call matches a logged one, else with a "no recording for this
call" tool error the judges count. The arena also judges each original
conversation; when the log carries its own outcome (tau-bench reward, tau2-bench
reward info) it prints how often its verdict agrees with that label (accuracy,
Cohen's kappa). Replays are stored as runs of mode "replay"; --run re-renders
one without playing.`

const replayExamples = `  arena replay --conversation enabled-segment --candidate golden --candidate tag-hacker
  arena replay --where skill=segments --candidate hallucinator --format md > replay.md
  arena replay --logs ../shared/data/tau-bench/airline/trajectories-gpt-4o.json --conversation task-0/trial-0
  arena replay --logs ../shared/data/tau-bench/airline/trajectories-gpt-4o.json --all   # agreement with reward
  arena replay --conversation enabled-segment --mode simulate --trials 5 --candidate shop@1.5.0 --nats nats://q:4222
  arena replay --conversation june-vs-may --prefix 1 --trials 3      # first turn as logged, then simulated
  arena replay --run latest --format json                             # a stored replay, re-rendered`

var replayFormats = []string{"table", "json", "md"}

// replayFlags are the replay's flags.
type replayFlags struct {
	logs, logFormat, refs, mode, format, dbPath, run, dataDir string
	strict, all, full                                         bool
	conversations, where, candidates                          listFlag
	trials, prefix, concurrency, maxTurns, port, width        int
	turnTimeout                                               time.Duration
	temp                                                      float64
	nats                                                      *natsFlags
	llm                                                       *llmFlags
}

func addReplayFlags(fs *flagSet) *replayFlags {
	f := &replayFlags{}
	fs.StringVar(&f.logs, "logs", "", "conversation log to replay from (default: the bundled examples)")
	fs.StringVar(&f.logFormat, "logs-format", "", "format of --logs: jsonl, tau-bench, tau2-bench (default: detect)")
	fs.BoolVar(&f.strict, "strict", false, "fail on any bad record in --logs instead of skipping it")
	fs.Var(&f.conversations, "conversation", "conversation ID to replay; repeat or comma-separate")
	fs.Var(&f.where, "where", `filter such as "skill=segments", "reward=0" or "id=task-1*"; repeat to narrow`)
	fs.BoolVar(&f.all, "all", false, "replay every conversation in --logs")
	fs.Var(&f.candidates, "candidate", "build that plays, name or name@version; repeat (default: golden)")
	fs.StringVar(&f.refs, "references", "", "reference builds to serve in-process: none or a list (default: the candidates that are reference builds)")
	fs.StringVar(&f.mode, "mode", arena.ReplayVerbatim, "verbatim (logged merchant turns) or simulate (LLM merchant)")
	fs.IntVar(&f.trials, "trials", 1, "trials per conversation and build")
	fs.IntVar(&f.prefix, "prefix", 0, "logged merchant turns sent verbatim before the simulated merchant takes over (implies --mode simulate)")
	fs.StringVar(&f.format, "format", "table", "output format: table (side by side), json, md")
	fs.BoolVar(&f.full, "full", false, "side-by-side tables even for more than 10 conversations")
	fs.IntVar(&f.width, "width", 120, "line width of the table format")
	fs.StringVar(&f.dbPath, "db", "arena.db", "results file (SQLite)")
	fs.StringVar(&f.run, "run", "", `re-render this stored replay ("latest" for the newest) without playing`)
	fs.IntVar(&f.concurrency, "concurrency", arena.DefaultConcurrency, "sessions played at once")
	fs.DurationVar(&f.turnTimeout, "turn-timeout", arena.DefaultTurnTimeout, "how long a build may take for one turn (default 5s; 60s with an LLM)")
	fs.IntVar(&f.maxTurns, "max-turns", 20, "merchant turns of a simulated merchant at most (a verbatim one plays the whole log)")
	fs.Float64Var(&f.temp, "merchant-temperature", 0.7, "temperature of the simulated merchant")
	fs.StringVar(&f.dataDir, "data-dir", ".arena", "folder for the embedded NATS server's data")
	fs.IntVar(&f.port, "port", 0, "port of the embedded NATS server (default: any free port)")
	f.nats, f.llm = addNATSFlags(fs), addLLMFlags(fs)
	return f
}

// Run parses flags, then replays, or re-renders a stored replay.
func (c *ReplayCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("replay", replaySummary, replayExamples)
	f := addReplayFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := f.check(fs); err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	if f.run != "" {
		return c.rerender(ctx, f)
	}
	cfg, err := c.plan(fs, f, logger)
	if err != nil {
		return err
	}
	db, err := results.Open(ctx, f.dbPath)
	if err != nil {
		return fmt.Errorf("%w\nTry: check that %s is an arena results file, or pass another --db", err, f.dbPath)
	}
	defer db.Close()
	cfg.DB = db
	res, err := arena.Replay(ctx, cfg)
	if err != nil {
		return replayError(err)
	}
	logger.Info("replay stored", "run", res.Run.ID, "sessions", res.Summary.Played, "db", db.Path(),
		"again", "arena replay --run "+res.Run.ID)
	return writeReplay(c.m.Stdout, f, res)
}

// check refuses what cannot work before anything is opened.
func (f *replayFlags) check(fs *flagSet) error {
	picked := len(f.conversations) > 0 || len(f.where) > 0 || f.all
	switch {
	case len(fs.positional) > 0:
		return usageErrorf("replay takes no arguments, got %q", fs.positional).try("arena replay --conversation " + strings.Join(fs.positional, " --conversation "))
	case !slices.Contains(replayFormats, f.format):
		return usageErrorf("--format %q: use one of %s", f.format, strings.Join(replayFormats, ", ")).try("arena replay --help")
	case f.run != "" && (picked || len(f.candidates) > 0 || f.logs != ""):
		return usageErrorf("--run re-renders a stored replay; it takes no --logs, --conversation, --where, --all or --candidate").
			try("arena replay --run " + f.run + " --format md")
	case f.run != "":
		return nil
	case !picked:
		return usageErrorf("replay needs the conversations to play: --conversation ID, --where key=value or --all").
			try("arena replay --conversation enabled-segment (list IDs with: arena logs inspect FILE)")
	case f.all && len(f.conversations) > 0:
		return usageErrorf("--all and --conversation pick conversations two ways; give one").try("arena replay --all --where skill=segments")
	case f.trials < 1 || f.concurrency < 1 || f.maxTurns < 1 || f.turnTimeout <= 0 || f.prefix < 0:
		return usageErrorf("--trials, --concurrency, --max-turns and --turn-timeout must be positive, --prefix 0 or more").try("arena replay --help")
	case f.mode != arena.ReplayVerbatim && f.mode != arena.ReplaySimulate:
		return usageErrorf("--mode %q: use verbatim or simulate", f.mode).try("arena replay --help")
	case f.prefix > 0 && flagGiven(fs, "mode") && f.mode == arena.ReplayVerbatim:
		return usageErrorf("--prefix hands the conversation to the simulated merchant; it cannot be verbatim").
			try("arena replay --prefix " + fmt.Sprint(f.prefix) + " --mode simulate")
	}
	for _, spec := range f.candidates {
		if name, v, ok := strings.Cut(spec, "@"); ok && !semver.MatchString(v) {
			return usageErrorf("--candidate %s: %q is not a semantic version", spec, v).try(name + "@1.1.0")
		}
	}
	return nil
}

// plan builds the replay's config: conversations picked, builds, path.
func (c *ReplayCommand) plan(fs *flagSet, f *replayFlags, logger *slog.Logger) (arena.ReplayConfig, error) {
	mode := f.mode
	if f.prefix > 0 {
		mode = arena.ReplaySimulate
	}
	cfg := arena.ReplayConfig{Mode: mode, Prefix: f.prefix, Trials: f.trials, Candidates: f.candidates,
		Concurrency: f.concurrency, TurnTimeout: f.turnTimeout, MaxTurns: f.maxTurns, MerchantTemperature: f.temp,
		Logger: logger, Listening: func(url string) { logger.Info("nats ready; outside builds can join", "url", url) }}
	if fs.logLevel == "debug" {
		cfg.BuildLogger = logger
	}
	if err := c.llmPath(fs, f, &cfg); err != nil {
		return cfg, err
	}
	refs, err := replayReferences(f.refs, f.candidates)
	if err != nil {
		return cfg, err
	}
	cfg.References = refs
	connect, err := f.nats.config(c.m.Getenv)
	if err != nil {
		return cfg, err
	}
	cfg.Bus = arena.BusConfig{URL: f.nats.url, Connect: connect, DataDir: f.dataDir, Port: f.port}
	convs, source, err := loadConversations(f.logs, f.logFormat, f.strict, logger)
	if err != nil {
		return cfg, err
	}
	if cfg.Conversations, err = pickConversations(convs, f); err != nil {
		return cfg, err
	}
	cfg.Settings = map[string]any{"logs": source, "candidates": f.candidates.String(), "references": f.refs,
		"trials": f.trials, "prefix": f.prefix, "mode": mode, "turn_timeout": cfg.TurnTimeout.String(),
		"max_turns": f.maxTurns, "nats": natsbus.RedactURL(f.nats.url)}
	return cfg, nil
}

// llmPath sets the model endpoint when the mode needs one.
func (c *ReplayCommand) llmPath(fs *flagSet, f *replayFlags, cfg *arena.ReplayConfig) error {
	if cfg.Mode != arena.ReplaySimulate {
		return nil
	}
	if !llmConfigured(c.m.Getenv) {
		return usageErrorf("--mode simulate and --prefix need an LLM endpoint for the simulated merchant").
			try("export OPENAI_BASE_URL=http://127.0.0.1:8000/v1 (any OpenAI-compatible server) or OPENAI_API_KEY=…, or --mode verbatim")
	}
	if f.temp < 0 || f.temp > 2 {
		return usageErrorf("--merchant-temperature %g: use 0 to 2", f.temp)
	}
	lc, err := f.llm.config(c.m.Getenv)
	if err != nil {
		return err
	}
	cfg.LLM = &lc
	if !flagGiven(fs, "turn-timeout") {
		cfg.TurnTimeout = simulateTurnTimeout
	}
	return nil
}

// replayReferences reads --references; empty serves the reference builds
// among the candidates (golden when none is named).
func replayReferences(flag string, candidates []string) ([]string, error) {
	if flag != "" {
		refs, err := referenceList(flag)
		if refs == nil && err == nil {
			return nil, usageErrorf("--references all: a replay serves only the builds it plays").try("--references golden,tag-hacker, or none")
		}
		return refs, err
	}
	return nil, nil
}

// pickConversations applies --conversation, --where and --all.
func pickConversations(convs []transcript.Conversation, f *replayFlags) ([]transcript.Conversation, error) {
	var where []arena.Where
	for _, s := range f.where {
		w, err := arena.ParseWhere(s)
		if err != nil {
			return nil, usageErrorf("--where: %v", err).try(`--where "skill=segments"`)
		}
		where = append(where, w)
	}
	picked, err := arena.SelectConversations(convs, f.conversations, where)
	if err != nil {
		return nil, usageErrorf("%v", err).try("arena logs inspect FILE to list the conversations")
	}
	return picked, nil
}

// rerender prints a stored replay.
func (c *ReplayCommand) rerender(ctx context.Context, f *replayFlags) error {
	db, err := openExisting(ctx, f.dbPath, "arena replay --conversation ID (plays and stores one), or --db FILE")
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := arena.LoadReplay(ctx, db, f.run)
	switch {
	case errors.Is(err, results.ErrRunNotFound), errors.Is(err, results.ErrNoRuns), errors.Is(err, arena.ErrNotReplay):
		return usageErrorf("--run %s: %v", f.run, err).try(`sqlite3 ` + f.dbPath + ` "SELECT id, started_at FROM runs WHERE mode = 'replay'"`)
	case err != nil:
		return err
	}
	return writeReplay(c.m.Stdout, f, res)
}

// replayError turns the arena's refusals into usage errors with a hint.
func replayError(err error) error {
	switch {
	case errors.Is(err, arena.ErrBuildMissing):
		return usageErrorf("%v", err).try("name a reference build (" + strings.Join(arena.ReferenceNames(), ", ") + ") or start yours and pass --nats URL")
	case errors.Is(err, mutants.ErrUnknownBuild):
		return usageErrorf("%v", err).try("arena replay --candidate golden --candidate tag-hacker")
	}
	return err
}
