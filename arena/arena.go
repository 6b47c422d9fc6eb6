package arena

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/arena/ranking"
	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// The paths a run can take.
const (
	// ModeOffline needs no LLM: heuristic personas, verbatim merchants,
	// procedural judges.
	ModeOffline = "offline"
	// ModeSimulate is the LLM path: extracted personas, a simulated
	// merchant, LLM judges beside the procedural ones.
	ModeSimulate = "simulate"
)

// Config is everything one run needs. Conversations are the logs personas
// are extracted from; DB is open and owned by the caller.
type Config struct {
	Bus           BusConfig
	DB            *results.DB
	Conversations []transcript.Conversation
	// References are the reference builds served in-process; nil serves
	// them all, an empty non-nil slice none.
	References []string
	// Candidates are the builds that play, by name; empty plays every
	// build discovered on the bus.
	Candidates  []string
	Trials      int
	Concurrency int
	TurnTimeout time.Duration
	MaxTurns    int
	// Resume continues the run with this ID, skipping sessions it recorded.
	Resume string
	// Settings is stored with the run; the caller leaves secrets out.
	Settings map[string]any
	Logger   *slog.Logger
	// BuildLogger gets what in-process reference builds log (crashy's
	// panics, for one); nil discards it.
	BuildLogger *slog.Logger
	// Listening is told the NATS URL outside builds can join.
	Listening func(url string)
	// Progress is told about each finished session.
	Progress func(done, total int, o *Outcome)
	Now      func() time.Time

	// Mode is ModeOffline or ModeSimulate; empty picks simulate when LLM
	// is set.
	Mode string
	// LLM configures the model client of the simulate path; the arena adds
	// the results file as its cache and call log.
	LLM *llm.Config
	// SimulatorModels are the merchant models, each its own trial arm;
	// empty: the client's simulator model.
	SimulatorModels []string
	// MerchantTemperature is the simulated merchant's; 0 means 0.7.
	MerchantTemperature float64
	// RubricYAML is the LLM judges' rubric, as YAML (what --rubric read);
	// empty: judges.DefaultRubric(). Jobs carry it to every worker.
	RubricYAML string
	// Rubric is RubricYAML parsed, set by Execute.
	Rubric *judges.Rubric

	// Workers is how many sessions this process plays at once from the
	// jobs stream: with the embedded server 0 means Concurrency; with an
	// outside server 0 means none (workers elsewhere play them).
	Workers int
	// Record makes this process the one writer of DB. With the embedded
	// server it always is; with an outside server, leave it off when an
	// "arena record" runs elsewhere.
	Record bool
	// Streams tunes the JetStream streams (ack wait, deliveries).
	Streams natsbus.StreamConfig
	// Detach returns once the jobs are published, without waiting.
	Detach bool
}

// Report is what a run did and how the builds ranked.
type Report struct {
	Run         results.Run
	Mode        string
	DBPath      string
	NATSURL     string
	Personas    int
	Targets     []Target
	Summary     Summary
	Leaderboard []results.LeaderRow
	Kinds       map[string]map[string]int // build → violation kind → count
	// Board is the run's ranking with its intervals, also stored in the
	// file; nil when the run played nothing.
	Board *ranking.Board
	// Path says what played which part: models and prompt versions.
	Path map[string]string
	// Usage is the run's LLM use by role, from the call log.
	Usage map[llm.Role]llm.Totals
	// PlayTime is how long the sessions took, from their jobs' publication
	// to the last verdict committed: the run without its setup (personas,
	// discovery) and report (ranking).
	PlayTime time.Duration
}

// Execute runs the arena end to end through JetStream: personas from the
// logs, builds on the bus, one job per session on the jobs stream, played
// by workers (in this process, or others on the same server), their
// verdicts written by the recorder, then the leaderboard. With the
// embedded server everything runs in this process on the same streams.
func Execute(ctx context.Context, cfg Config) (*Report, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	bus, err := OpenBus(cfg.Bus)
	if err != nil {
		return nil, err
	}
	defer bus.Close()
	if cfg.Bus.URL == "" {
		cfg.Record = true
		if cfg.Workers == 0 {
			cfg.Workers = max(cfg.Concurrency, DefaultConcurrency)
		}
	}
	if cfg.Listening != nil {
		cfg.Listening(bus.URL)
	}
	streams, err := natsbus.OpenStreams(ctx, bus.Conn, cfg.Streams)
	if err != nil {
		return nil, err
	}
	rep := &Report{Mode: cfg.Mode, NATSURL: bus.URL}
	if cfg.DB != nil {
		rep.DBPath = cfg.DB.Path()
	}
	e := &execution{cfg: cfg, bus: bus, streams: streams, rep: rep}
	err = e.run(ctx)
	return rep, e.finish(ctx, err)
}

func withDefaults(cfg Config) (Config, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BuildLogger == nil {
		cfg.BuildLogger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Trials <= 0 {
		cfg.Trials = 1
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.TurnTimeout <= 0 {
		cfg.TurnTimeout = DefaultTurnTimeout
	}
	if cfg.MaxTurns <= 0 {
		cfg.MaxTurns = simulator.DefaultMaxTurns
	}
	switch {
	case cfg.Mode == "" && cfg.LLM != nil:
		cfg.Mode = ModeSimulate
	case cfg.Mode == "":
		cfg.Mode = ModeOffline
	case cfg.Mode == ModeSimulate && cfg.LLM == nil:
		return cfg, fmt.Errorf("mode simulate needs an LLM endpoint: %w", llm.ErrNotConfigured)
	case cfg.Mode != ModeSimulate && cfg.Mode != ModeOffline:
		return cfg, fmt.Errorf("mode %q: use %s or %s", cfg.Mode, ModeOffline, ModeSimulate)
	}
	if cfg.RubricYAML != "" {
		r, err := loadRubric(cfg.RubricYAML)
		if err != nil {
			return cfg, err
		}
		cfg.Rubric = r
	}
	if len(cfg.Conversations) == 0 {
		return cfg, errors.New("no conversation to extract personas from")
	}
	if cfg.Record && cfg.DB == nil {
		return cfg, errors.New("recording needs a results file")
	}
	settings := map[string]any{}
	for k, v := range cfg.Settings {
		settings[k] = v
	}
	settings["mode"], settings["path"] = cfg.Mode, DescribePath(cfg)
	cfg.Settings = settings
	return cfg, nil
}

// ErrBuildMissing is a wanted build that no service on the bus serves.
var ErrBuildMissing = errors.New("not on the bus")

// Targets discovers the builds on the bus and keeps those named in want
// ("name" for every version of it, or "name@version"; all when want is
// empty). A wanted build that is not on the bus is an
// error naming what is.
func Targets(ctx context.Context, nc *nats.Conn, want []string) ([]Target, error) {
	infos, err := candidates.Discover(ctx, nc)
	if err != nil {
		return nil, err
	}
	var all, picked []Target
	for _, in := range infos {
		kind := "external"
		if in.Metadata["arena.reference"] != "" {
			kind = "reference"
		}
		t := Target{Name: in.Name, Version: in.Version, Subject: in.Subject, Kind: kind}
		all = append(all, t)
		if len(want) == 0 || slices.ContainsFunc(want, t.Is) {
			picked = append(picked, t)
		}
	}
	var missing []string
	for _, w := range want {
		if !slices.ContainsFunc(picked, func(t Target) bool { return t.Is(w) }) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 || len(picked) == 0 {
		return nil, fmt.Errorf("build(s) %s %w; found: %s", strings.Join(missing, ", "), ErrBuildMissing, names(all))
	}
	return picked, nil
}

func names(ts []Target) string {
	if len(ts) == 0 {
		return "none"
	}
	var out []string
	for _, t := range ts {
		out = append(out, t.Name+"@"+t.Version)
	}
	return strings.Join(out, ", ")
}
