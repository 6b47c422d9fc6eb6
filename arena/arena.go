package arena

import (
	"context"
	"encoding/json"
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
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
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
	// Rubric holds the LLM judges' criteria; nil: judges.DefaultRubric().
	Rubric *judges.Rubric
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
}

// Execute runs the arena end to end: personas from the logs, builds on the
// bus, every session played, judged and written, then the leaderboard.
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
	if cfg.Listening != nil {
		cfg.Listening(bus.URL)
	}
	box := sandbox.NewService(bus.Conn)
	box.Logger = cfg.Logger
	if err := box.Start(); err != nil {
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	defer box.Stop()
	run, err := beginRun(ctx, cfg)
	if err != nil {
		return nil, err
	}
	w := results.NewWriter(cfg.DB, 64, 500*time.Millisecond)
	rep := &Report{Run: run, Mode: cfg.Mode, DBPath: cfg.DB.Path(), NATSURL: bus.URL, Path: map[string]string{}}
	err = execute(ctx, cfg, bus, box, w, rep)
	err = errors.Join(err, w.Close())
	return rep, finish(ctx, cfg, rep, err)
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
	if len(cfg.Conversations) == 0 {
		return cfg, errors.New("no conversation to extract personas from")
	}
	settings := map[string]any{}
	for k, v := range cfg.Settings {
		settings[k] = v
	}
	settings["mode"], settings["path"] = cfg.Mode, DescribePath(cfg)
	cfg.Settings = settings
	return cfg, nil
}

// execute does the run's work between its start and its end record.
func execute(ctx context.Context, cfg Config, bus *Bus, box *sandbox.Service, w *results.Writer, rep *Report) error {
	p, err := newPath(ctx, cfg, w, rep)
	if err != nil {
		return err
	}
	cards, err := p.cards(ctx)
	if errors.Is(err, llm.ErrBudget) {
		// The budget ran out while extracting personas: stop cleanly, as
		// a run stopped mid-way does; a resume with a larger budget goes on.
		rep.Summary.Stopped = err.Error()
		return nil
	}
	if err != nil {
		return err
	}
	rep.Personas = len(cards)
	refs, err := ServeReferences(bus.Conn, References{Names: cfg.References, Logs: cfg.Conversations, Agent: p.agent(), Logger: cfg.BuildLogger})
	if err != nil {
		return err
	}
	defer StopAll(refs)
	targets, err := Targets(ctx, bus.Conn, cfg.Candidates)
	if err != nil {
		return err
	}
	rep.Targets = targets
	done, err := record(ctx, cfg, rep.Run.ID, cards, targets)
	if err != nil {
		return err
	}
	r := p.runner(candidates.NewClient(bus.Conn), box)
	r.Sink = func(_ context.Context, o Outcome) error { return w.Add(SessionRecord(&o)) }
	plan := Plan{Run: rep.Run.ID, Cards: cards, Targets: targets, Trials: cfg.Trials, Arms: p.arms()}
	rep.Summary, err = r.Run(ctx, plan.Jobs(), done)
	return err
}

// finish records how the run ended and reads the leaderboard back.
func finish(ctx context.Context, cfg Config, rep *Report, err error) error {
	status := results.RunDone
	switch {
	case rep.Summary.Stopped != "":
		status = "stopped"
	case errors.Is(err, context.Canceled):
		status = results.RunCancelled
	case err != nil:
		status = results.RunFailed
	}
	// The run's end is recorded even when ctx was cancelled.
	fctx := context.WithoutCancel(ctx)
	if ferr := cfg.DB.FinishRun(fctx, rep.Run.ID, status, cfg.Now()); ferr != nil {
		err = errors.Join(err, ferr)
	}
	if err != nil {
		return err
	}
	if rep.Leaderboard, err = cfg.DB.Leaderboard(fctx, rep.Run.ID); err != nil {
		return err
	}
	if rep.Kinds, err = cfg.DB.ViolationKinds(fctx, rep.Run.ID); err != nil {
		return err
	}
	if rep.Usage, err = cfg.DB.RunUsage(fctx, rep.Run.ID); err != nil {
		return err
	}
	return rankRun(fctx, cfg, rep)
}

// rankRun computes and stores the run's ranking; a run whose sessions all
// stopped early has none.
func rankRun(ctx context.Context, cfg Config, rep *Report) error {
	played := 0
	for _, r := range rep.Leaderboard {
		played += r.Sessions + r.SimulatorFaults
	}
	if played == 0 {
		return nil
	}
	board, err := ranking.Compute(ctx, cfg.DB, ranking.Options{Runs: []string{rep.Run.ID}})
	if err != nil {
		return err
	}
	rep.Board = board
	return ranking.Store(ctx, cfg.DB, rep.Run.ID, board)
}

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
		return nil, fmt.Errorf("build(s) %s not on the bus; found: %s", strings.Join(missing, ", "), names(all))
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

// beginRun writes the run's start (or its resumption).
func beginRun(ctx context.Context, cfg Config) (results.Run, error) {
	id := cfg.Resume
	if id == "" {
		id = NewRunID(cfg.Now())
	}
	settings, err := json.Marshal(cfg.Settings)
	if err != nil {
		return results.Run{}, fmt.Errorf("run settings: %w", err)
	}
	return cfg.DB.BeginRun(ctx, results.Run{ID: id, Mode: cfg.Mode, Config: settings, StartedAt: cfg.Now()})
}

// record writes the run's personas and builds, and returns the sessions
// already done when resuming.
func record(ctx context.Context, cfg Config, run string, cards []personas.Card, targets []Target) (map[results.SessionKey]bool, error) {
	ps := make([]results.Persona, len(cards))
	for i := range cards {
		ps[i] = PersonaRecord(&cards[i])
	}
	if err := cfg.DB.PutPersonas(ctx, ps); err != nil {
		return nil, err
	}
	cs := make([]results.Candidate, len(targets))
	for i, t := range targets {
		cs[i] = results.Candidate{Name: t.Name, Version: t.Version, Kind: t.Kind}
	}
	if err := cfg.DB.PutCandidates(ctx, cs); err != nil {
		return nil, err
	}
	if cfg.Resume == "" {
		return map[results.SessionKey]bool{}, nil
	}
	return cfg.DB.DoneSessions(ctx, run)
}
