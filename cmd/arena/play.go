package main

import (
	"log/slog"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/natsbus"
)

// playFlags are the flags of a command that plays a run of its own before
// it answers (gate --runs, judges sensitivity).
type playFlags struct {
	logs, logFormat, refs, mode, rubric, dataDir string
	strict                                       bool
	trials, concurrency, maxTurns, port          int
	turnTimeout                                  time.Duration
	temp                                         float64
	nats                                         *natsFlags
	llm                                          *llmFlags
}

// addPlayFlags adds them; note opens every help line ("with --runs: ").
func addPlayFlags(fs *flagSet, note string) *playFlags {
	p := &playFlags{}
	fs.StringVar(&p.logs, "logs", "", note+"conversation log to extract personas from (default: the bundled examples)")
	fs.StringVar(&p.logFormat, "logs-format", "", note+"format of --logs: jsonl, tau-bench, tau2-bench (default: detect)")
	fs.BoolVar(&p.strict, "strict", false, note+"fail on any bad record in --logs")
	fs.StringVar(&p.refs, "references", "", note+"reference builds to serve in-process: all, none or a list")
	fs.IntVar(&p.trials, "trials", 1, note+"trials per persona and build")
	fs.IntVar(&p.concurrency, "concurrency", arena.DefaultConcurrency, note+"sessions played at once")
	fs.DurationVar(&p.turnTimeout, "turn-timeout", arena.DefaultTurnTimeout, note+"how long a build may take for one turn")
	fs.IntVar(&p.maxTurns, "max-turns", 20, note+"merchant turns per session at most")
	fs.StringVar(&p.mode, "mode", "", note+"offline or simulate (default: simulate when an LLM endpoint is set)")
	fs.StringVar(&p.rubric, "rubric", "", note+"YAML rubric of the LLM judges")
	fs.Float64Var(&p.temp, "merchant-temperature", 0.7, note+"temperature of the simulated merchant")
	fs.StringVar(&p.dataDir, "data-dir", ".arena", note+"folder for the embedded NATS server's data")
	fs.IntVar(&p.port, "port", 0, note+"port of the embedded NATS server (default: any free port)")
	p.nats, p.llm = addNATSFlags(fs), addLLMFlags(fs)
	return p
}

// config checks the flags and builds the run: refs served in-process,
// candidates playing, settings stored with the run's own.
func (p *playFlags) config(m *Main, fs *flagSet, refs, candidates []string, settings map[string]any, logger *slog.Logger) (*arena.Config, error) {
	if p.trials < 1 || p.concurrency < 1 || p.maxTurns < 1 || p.turnTimeout <= 0 {
		return nil, usageErrorf("--trials, --concurrency, --max-turns and --turn-timeout must be positive").try("arena " + fs.Name() + " --help")
	}
	connect, err := p.nats.config(m.Getenv)
	if err != nil {
		return nil, err
	}
	path, err := (&RunCommand{m: m}).llmPath(fs, p.llm, p.mode, p.rubric, p.temp, &p.turnTimeout)
	if err != nil {
		return nil, err
	}
	if err := path.checkReferences(refs); err != nil {
		return nil, err
	}
	convs, source, err := loadConversations(p.logs, p.logFormat, p.strict, logger)
	if err != nil {
		return nil, err
	}
	all := map[string]any{
		"logs": source, "references": strings.Join(refs, ","), "trials": p.trials, "concurrency": p.concurrency,
		"turn_timeout": p.turnTimeout.String(), "max_turns": p.maxTurns, "nats": natsbus.RedactURL(p.nats.url),
	}
	for k, v := range settings {
		all[k] = v
	}
	cfg := &arena.Config{
		Bus:           arena.BusConfig{URL: p.nats.url, Connect: connect, DataDir: p.dataDir, Port: p.port},
		Conversations: convs, References: refs, Candidates: candidates,
		Trials: p.trials, Concurrency: p.concurrency, TurnTimeout: p.turnTimeout, MaxTurns: p.maxTurns,
		Settings: all,
		Mode:     path.mode, LLM: path.llm, SimulatorModels: path.simulators, MerchantTemperature: p.temp, RubricYAML: path.rubric,
		Logger:    logger,
		Listening: func(url string) { logger.Info("nats ready; outside builds can join", "url", url) },
	}
	if fs.logLevel == "debug" {
		cfg.BuildLogger = logger
	}
	return cfg, nil
}
