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

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// ModeOffline names the path that needs no LLM: heuristic personas,
// verbatim merchants, procedural judges.
const ModeOffline = "offline"

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
}

// Execute runs the arena end to end: personas from the logs, builds on the
// bus, every session played, judged and written, then the leaderboard.
func Execute(ctx context.Context, cfg Config) (*Report, error) {
	cfg = withDefaults(cfg)
	cards := extractCards(cfg)
	if len(cards) == 0 {
		return nil, errors.New("no persona could be extracted from the logs")
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
	refs, err := ServeReferences(bus.Conn, cfg.Conversations, cfg.References, cfg.BuildLogger)
	if err != nil {
		return nil, err
	}
	defer StopAll(refs)
	targets, err := Targets(ctx, bus.Conn, cfg.Candidates)
	if err != nil {
		return nil, err
	}
	rep := &Report{Mode: ModeOffline, DBPath: cfg.DB.Path(), NATSURL: bus.URL, Personas: len(cards), Targets: targets}
	if err := play(ctx, cfg, bus, box, cards, targets, rep); err != nil {
		return rep, err
	}
	return rep, nil
}

func withDefaults(cfg Config) Config {
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
	return cfg
}

// extractCards turns each conversation into a persona card; a conversation
// that yields none is logged and left out, never fatal.
func extractCards(cfg Config) []personas.Card {
	var cards []personas.Card
	for _, c := range cfg.Conversations {
		card, err := personas.Extract(c)
		if err != nil {
			cfg.Logger.Warn("persona skipped", "conversation", c.ID, "file", c.Source.File, "line", c.Source.Line, "err", err)
			continue
		}
		cards = append(cards, card)
	}
	return cards
}

// Targets discovers the builds on the bus and keeps those named in want
// (all when want is empty). A wanted build that is not on the bus is an
// error naming what is.
func Targets(ctx context.Context, nc *nats.Conn, want []string) ([]Target, error) {
	infos, err := candidates.Discover(ctx, nc)
	if err != nil {
		return nil, err
	}
	var all, picked []Target
	for _, in := range infos {
		kind := "external"
		if in.Metadata[mutants.MetaReference] != "" {
			kind = "reference"
		}
		t := Target{Name: in.Name, Version: in.Version, Subject: in.Subject, Kind: kind}
		all = append(all, t)
		if len(want) == 0 || slices.Contains(want, in.Name) {
			picked = append(picked, t)
		}
	}
	var missing []string
	for _, w := range want {
		if !slices.ContainsFunc(picked, func(t Target) bool { return t.Name == w }) {
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

// play records the run, plays its sessions and ranks the builds.
func play(ctx context.Context, cfg Config, bus *Bus, box *sandbox.Service, cards []personas.Card, targets []Target, rep *Report) error {
	run, done, err := beginRun(ctx, cfg, cards, targets)
	if err != nil {
		return err
	}
	rep.Run = run
	w := results.NewWriter(cfg.DB, 64, 500*time.Millisecond)
	r := NewRunner(candidates.NewClient(bus.Conn), box)
	r.Logger, r.Now, r.Progress = cfg.Logger, cfg.Now, cfg.Progress
	if cfg.Concurrency > 0 {
		r.Concurrency = cfg.Concurrency
	}
	if cfg.TurnTimeout > 0 {
		r.TurnTimeout = cfg.TurnTimeout
	}
	if cfg.MaxTurns > 0 {
		r.MaxTurns = cfg.MaxTurns
	}
	r.Sink = func(_ context.Context, o Outcome) error { return w.Add(SessionRecord(&o)) }
	plan := Plan{Run: run.ID, Cards: cards, Targets: targets, Trials: cfg.Trials}
	rep.Summary, err = r.Run(ctx, plan.Jobs(), done)
	err = errors.Join(err, w.Close())
	status := results.RunDone
	switch {
	case errors.Is(err, context.Canceled):
		status = results.RunCancelled
	case err != nil:
		status = results.RunFailed
	}
	// The run's end is recorded even when ctx was cancelled.
	fctx := context.WithoutCancel(ctx)
	if ferr := cfg.DB.FinishRun(fctx, run.ID, status, cfg.Now()); ferr != nil {
		err = errors.Join(err, ferr)
	}
	if err != nil {
		return err
	}
	rep.Leaderboard, err = cfg.DB.Leaderboard(fctx, run.ID)
	if err != nil {
		return err
	}
	rep.Kinds, err = cfg.DB.ViolationKinds(fctx, run.ID)
	return err
}

// beginRun writes the run, its personas and its builds, and returns the
// sessions already done when resuming.
func beginRun(ctx context.Context, cfg Config, cards []personas.Card, targets []Target) (results.Run, map[results.SessionKey]bool, error) {
	id := cfg.Resume
	if id == "" {
		id = NewRunID(cfg.Now())
	}
	settings, err := json.Marshal(cfg.Settings)
	if err != nil {
		return results.Run{}, nil, fmt.Errorf("run settings: %w", err)
	}
	run, err := cfg.DB.BeginRun(ctx, results.Run{ID: id, Mode: ModeOffline, Config: settings, StartedAt: cfg.Now()})
	if err != nil {
		return results.Run{}, nil, err
	}
	ps := make([]results.Persona, len(cards))
	for i := range cards {
		ps[i] = PersonaRecord(&cards[i])
	}
	if err := cfg.DB.PutPersonas(ctx, ps); err != nil {
		return run, nil, err
	}
	cs := make([]results.Candidate, len(targets))
	for i, t := range targets {
		cs[i] = results.Candidate{Name: t.Name, Version: t.Version, Kind: t.Kind}
	}
	if err := cfg.DB.PutCandidates(ctx, cs); err != nil {
		return run, nil, err
	}
	done := map[results.SessionKey]bool{}
	if cfg.Resume != "" {
		if done, err = cfg.DB.DoneSessions(ctx, id); err != nil {
			return run, nil, err
		}
	}
	return run, done, nil
}
