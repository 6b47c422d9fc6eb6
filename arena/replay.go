package arena

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// Replay modes and the run mode a stored replay has.
const (
	// ReplayVerbatim sends the logged merchant turns in order (open loop).
	ReplayVerbatim = "verbatim"
	// ReplaySimulate lets the LLM merchant play the extracted persona
	// (closed loop), after ReplayConfig.Prefix logged turns.
	ReplaySimulate = "simulate"
	// RunModeReplay is results.Run.Mode of a stored replay.
	RunModeReplay = results.ModeReplay
)

// DefaultReplayCandidate plays when a replay names no build.
const DefaultReplayCandidate = "golden"

// ReplayConfig is one replay: a few logged conversations played again by
// builds, trial by trial, each compared by the caller with what the log
// shows. DB is open and owned by the caller; nil stores nothing.
type ReplayConfig struct {
	Bus BusConfig
	DB  *results.DB
	// Conversations are the conversations to replay, as picked by
	// SelectConversations.
	Conversations []transcript.Conversation
	// Candidates are the builds that play, "name" or "name@version";
	// empty: DefaultReplayCandidate.
	Candidates []string
	// References are the reference builds served in-process; nil serves
	// those of Candidates that are reference builds, an empty non-nil
	// slice none.
	References []string
	// Mode is ReplayVerbatim (the default) or ReplaySimulate.
	Mode string
	// Prefix plays the first Prefix logged merchant turns verbatim, then
	// hands the conversation to the simulated merchant; it implies
	// ReplaySimulate.
	Prefix int
	Trials int
	// LLM is the model endpoint: the simulated merchant, the LLM persona
	// extractor and the LLM judges use it. Required by ReplaySimulate; with
	// ReplayVerbatim it is ignored, so a verbatim replay costs nothing.
	LLM *llm.Config
	// MerchantTemperature is the simulated merchant's; 0 means 0.7.
	MerchantTemperature float64
	Concurrency         int
	TurnTimeout         time.Duration
	// MaxTurns bounds a simulated merchant; a verbatim one plays its whole
	// script.
	MaxTurns int
	// Settings are stored with the run; the caller leaves secrets out.
	Settings map[string]any
	Logger   *slog.Logger
	// BuildLogger gets what in-process reference builds log; nil discards.
	BuildLogger *slog.Logger
	// Listening is told the NATS URL outside builds can join.
	Listening func(url string)
	Now       func() time.Time
}

// ReplayResult is what a replay played and judged, per conversation: the
// original as logged with the arena's verdict on it and the log's own
// label, and each build's trials. It is stored whole with the run (see
// LoadReplay) so a report can be rendered again without playing.
type ReplayResult struct {
	Run    results.Run `json:"-"`
	Mode   string      `json:"mode"`
	Prefix int         `json:"prefix,omitempty"`
	Trials int         `json:"trials"`
	// Builds are the builds that played, name@version, in the order asked.
	Builds []string `json:"builds"`
	// Path says what played which part: models and prompt versions.
	Path          map[string]string      `json:"path"`
	Conversations []ReplayedConversation `json:"conversations"`
	// Agreement compares the arena's verdict on each original with the
	// log's own outcome label; nil when no conversation has one.
	Agreement *LabelAgreement `json:"agreement,omitempty"`
	Summary   Summary         `json:"summary"`
	// Skipped names conversations that could not be replayed, and why.
	Skipped []string `json:"skipped,omitempty"`
}

// ReplayedConversation is one conversation of a replay.
type ReplayedConversation struct {
	ID      string `json:"id"`
	Persona string `json:"persona"`
	// Recorded lists the tools the sandbox answered from the log because
	// it lacks them (sorted); empty when every tool was native.
	Recorded []string `json:"recorded,omitempty"`
	// Original is the conversation as logged (without a last merchant
	// message the log never answered) with the arena's verdict on it.
	Original ReplayPlay `json:"original"`
	// Label is the log's own outcome (Reward of 1 is success); nil when the
	// log has none.
	Label  *bool           `json:"label,omitempty"`
	Reward *float64        `json:"reward,omitempty"`
	Builds []ReplayedBuild `json:"builds"`
}

// ReplayedBuild is one build's trials of a conversation, in trial order.
type ReplayedBuild struct {
	Build  string       `json:"build"`
	Trials []ReplayPlay `json:"trials"`
}

// ReplayPlay is one conversation as logged or as a build played it, with
// its verdict and what it did to the store.
type ReplayPlay struct {
	// Session is the played session's key; empty for the original.
	Session      string                  `json:"session,omitempty"`
	Status       string                  `json:"status"`
	StopReason   string                  `json:"stop_reason,omitempty"`
	Error        string                  `json:"error,omitempty"`
	Conversation transcript.Conversation `json:"conversation"`
	// Verdict is nil when the judges failed.
	Verdict *judges.Verdict `json:"verdict,omitempty"`
	// Changes is the store's diff from the initial store ((*sandbox.Store).ChangesFrom);
	// StoreKnown says it was measured.
	Changes    []sandbox.Change `json:"changes,omitempty"`
	StoreKnown bool             `json:"store_known"`
}

// Replay plays each conversation against each build for cfg.Trials trials
// in-process (builds on the bus, reference builds served here), with tools
// the sandbox lacks answered from the log; judges every session and the
// original conversation with the same judges; measures how the verdicts on
// the originals agree with the logs' own labels; and stores it all as a run
// of mode RunModeReplay when cfg.DB is set. A failing build fails its
// sessions, never the replay.
func Replay(ctx context.Context, cfg ReplayConfig) (*ReplayResult, error) {
	cfg, err := cfg.withDefaults()
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
	rp, err := newReplayer(cfg)
	if err != nil {
		return nil, err
	}
	res, err := rp.play(ctx, bus)
	if err != nil {
		return nil, err
	}
	if cfg.DB != nil {
		if err := rp.store(ctx, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func (cfg ReplayConfig) withDefaults() (ReplayConfig, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.BuildLogger == nil {
		cfg.BuildLogger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Trials = max(cfg.Trials, 1)
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = DefaultConcurrency
	}
	if cfg.TurnTimeout <= 0 {
		cfg.TurnTimeout = DefaultTurnTimeout
	}
	if cfg.MaxTurns <= 0 {
		cfg.MaxTurns = simulator.DefaultMaxTurns
	}
	if cfg.MerchantTemperature == 0 {
		cfg.MerchantTemperature = defaultMerchantTemperature
	}
	if len(cfg.Candidates) == 0 {
		cfg.Candidates = []string{DefaultReplayCandidate}
	}
	if cfg.References == nil {
		cfg.References = referencesAmong(cfg.Candidates)
	}
	switch {
	case cfg.Mode == "" && cfg.Prefix > 0, cfg.Mode == ReplaySimulate:
		cfg.Mode = ReplaySimulate
	case cfg.Mode == "", cfg.Mode == ReplayVerbatim:
		cfg.Mode, cfg.LLM = ReplayVerbatim, nil
	default:
		return cfg, fmt.Errorf("replay mode %q: use %s or %s", cfg.Mode, ReplayVerbatim, ReplaySimulate)
	}
	switch {
	case cfg.Prefix < 0:
		return cfg, fmt.Errorf("replay prefix %d: want 0 or more merchant turns", cfg.Prefix)
	case cfg.Prefix > 0 && cfg.Mode == ReplayVerbatim:
		return cfg, errors.New("a replay prefix hands the conversation to the simulated merchant: use mode simulate")
	case cfg.Mode == ReplaySimulate && cfg.LLM == nil:
		return cfg, fmt.Errorf("replay mode simulate needs an LLM endpoint: %w", llm.ErrNotConfigured)
	case len(cfg.Conversations) == 0:
		return cfg, errors.New("no conversation to replay")
	}
	return cfg, nil
}

// referencesAmong returns the specs that name reference builds.
func referencesAmong(specs []string) []string {
	out := []string{}
	for _, s := range specs {
		name, _, _ := strings.Cut(s, "@")
		if slices.Contains(ReferenceNames(), name) {
			out = append(out, s)
		}
	}
	return out
}

// orderTargets sorts targets by the first spec that names them, so
// reports list builds in the order asked.
func orderTargets(targets []Target, specs []string) {
	rank := func(t Target) int {
		return slices.IndexFunc(specs, t.Is)
	}
	slices.SortStableFunc(targets, func(a, b Target) int { return rank(a) - rank(b) })
}
