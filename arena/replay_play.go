package arena

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// replayer is one Replay: the conversations as replayed, their cards and
// recordings, the model client, and what the sessions left behind.
type replayer struct {
	cfg    ReplayConfig
	runID  string
	client *llm.Client // nil on the verbatim path
	judge  *replayJudge

	convs []transcript.Conversation // replayable, in the order asked
	cards map[string]*personas.Card // by conversation ID
	recs  map[string]*sandbox.Recording
	// skipped names conversations left out, and why.
	skipped []string

	mu       sync.Mutex
	outcomes []Outcome
	calls    map[string][]llm.Call // by session; "" for none
}

func newReplayer(cfg ReplayConfig) (*replayer, error) {
	rp := &replayer{cfg: cfg, runID: NewRunID(cfg.Now()), cards: map[string]*personas.Card{},
		recs: map[string]*sandbox.Recording{}, calls: map[string][]llm.Call{}}
	if cfg.Mode == ReplaySimulate {
		lc := *cfg.LLM
		if cfg.DB != nil {
			lc.Cache = cfg.DB.LLMCache()
		}
		lc.Logger, lc.OnCall = cfg.Logger, rp.addCall
		c, err := llm.New(lc)
		if err != nil {
			return nil, err
		}
		rp.client = c
	}
	pipeline := &judges.Pipeline{Procedural: judges.NewProcedural()}
	if rp.client != nil {
		pipeline.LLM = &judges.LLMJudge{Client: rp.client}
	}
	rp.judge = &replayJudge{inner: pipeline, recs: rp.recs, initial: sandbox.Fixture(), changes: map[string][]sandbox.Change{}}
	return rp, nil
}

func (rp *replayer) addCall(c llm.Call) {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	rp.calls[c.Session] = append(rp.calls[c.Session], c)
}

// play prepares the conversations, plays every session, judges the
// originals and assembles the result.
func (rp *replayer) play(ctx context.Context, bus *Bus) (*ReplayResult, error) {
	if err := rp.prepare(ctx); err != nil {
		return nil, err
	}
	box := sandbox.NewService(bus.Conn)
	box.Logger = rp.cfg.Logger
	if err := box.Start(); err != nil {
		return nil, fmt.Errorf("start sandbox: %w", err)
	}
	defer box.Stop()
	refs := References{Names: rp.cfg.References, Logs: rp.convs, Logger: rp.cfg.BuildLogger}
	if rp.client != nil {
		refs.Agent = rp.client
	}
	svcs, err := ServeReferences(bus.Conn, refs)
	if err != nil {
		return nil, err
	}
	defer StopAll(svcs)
	targets, err := Targets(ctx, bus.Conn, rp.cfg.Candidates)
	if err != nil {
		return nil, err
	}
	orderTargets(targets, rp.cfg.Candidates)
	sum, err := rp.runner(bus, box).Run(ctx, rp.jobs(targets), nil)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	if sum.Stopped != "" {
		return nil, fmt.Errorf("replay stopped: %s", sum.Stopped)
	}
	return rp.result(ctx, targets, sum)
}

// prepare makes each conversation replayable and extracts its card; a
// conversation that yields none is skipped and named.
func (rp *replayer) prepare(ctx context.Context) error {
	seen := map[string]bool{}
	for _, c := range rp.cfg.Conversations {
		c = Replayable(c)
		card, err := rp.extract(ctx, c)
		if err != nil {
			rp.skip(c.ID, err)
			continue
		}
		if seen[card.ID] {
			rp.skip(c.ID, fmt.Errorf("same content as a conversation already picked (persona %s)", card.ID))
			continue
		}
		seen[card.ID] = true
		rp.convs = append(rp.convs, c)
		rp.cards[c.ID] = &card
		rec := sandbox.NewRecording(c)
		for _, p := range rec.Problems() {
			rp.cfg.Logger.Warn("declared tool schema ignored", "problem", p)
		}
		if len(recordedTools(rec)) > 0 {
			rp.recs[card.ID] = rec
		}
	}
	if len(rp.convs) == 0 {
		return fmt.Errorf("no conversation could be replayed: %v", rp.skipped)
	}
	return nil
}

func (rp *replayer) skip(id string, err error) {
	rp.cfg.Logger.Warn("conversation skipped", "conversation", id, "err", err)
	rp.skipped = append(rp.skipped, fmt.Sprintf("%s: %v", id, err))
}

func (rp *replayer) extract(ctx context.Context, c transcript.Conversation) (personas.Card, error) {
	if rp.client == nil {
		return personas.Extract(c)
	}
	return (&personas.LLMExtractor{Client: rp.client}).Extract(ctx, c)
}

// recordedTools lists the tools a recording answers from the log.
func recordedTools(rec *sandbox.Recording) []string {
	var out []string
	for _, t := range rec.Tools() {
		if rec.Answers(t.Function.Name) {
			out = append(out, t.Function.Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Replayable returns c without the merchant messages at its end that the
// log never answered (tau-bench's "###STOP###"): they end a conversation
// rather than ask anything, and a build would answer them where the
// original did not. A conversation with no answered merchant message is
// returned unchanged.
func Replayable(c transcript.Conversation) transcript.Conversation {
	end := len(c.Messages)
	for end > 0 && c.Messages[end-1].Role == transcript.RoleUser {
		end--
	}
	if end == 0 || end == len(c.Messages) {
		return c
	}
	for _, m := range c.Messages[:end] {
		if m.Role == transcript.RoleUser {
			c.Messages = c.Messages[:end:end]
			return c
		}
	}
	return c
}

// runner builds the in-process runner: the merchant the mode asks for,
// recorded sandbox sessions for logs with foreign tools, the replay's judge.
func (rp *replayer) runner(bus *Bus, box *sandbox.Service) *Runner {
	r := NewRunner(candidates.NewClient(bus.Conn), box)
	r.Fixture = func() *sandbox.Store { return rp.judge.initial }
	r.Judge, r.Logger, r.Now = rp.judge, rp.cfg.Logger, rp.cfg.Now
	r.Concurrency, r.TurnTimeout, r.MaxTurns = rp.cfg.Concurrency, rp.cfg.TurnTimeout, rp.cfg.MaxTurns
	r.Recording = func(j Job) *sandbox.Recording { return rp.recs[j.Card.ID] }
	r.Merchant = rp.merchant
	r.Sink = func(_ context.Context, o Outcome) error {
		rp.outcomes = append(rp.outcomes, o) // the runner calls Sink one at a time
		return nil
	}
	return r
}

func (rp *replayer) jobs(targets []Target) []Job {
	cards := make([]personas.Card, len(rp.convs))
	for i, c := range rp.convs {
		cards[i] = *rp.cards[c.ID]
	}
	p := Plan{Run: rp.runID, Cards: cards, Targets: targets, Trials: rp.cfg.Trials}
	if rp.client != nil {
		p.Arms = []string{rp.client.ModelFor(llm.RoleSimulator)}
	}
	return p.Jobs()
}

// merchant plays a job's card: the whole logged script verbatim, or the
// LLM merchant after Prefix logged turns.
func (rp *replayer) merchant(j Job) (simulator.Merchant, MerchantInfo) {
	if rp.client == nil {
		return &simulator.Verbatim{Card: j.Card, MaxTurns: max(len(j.Card.Script), rp.cfg.MaxTurns)},
			MerchantInfo{Model: "verbatim"}
	}
	temp := rp.cfg.MerchantTemperature
	m := simulator.NewLLM(rp.client, j.Card, j.Seed)
	m.Model, m.Temperature, m.MaxTurns, m.Logger = j.Arm, temp, rp.cfg.MaxTurns, rp.cfg.Logger
	m.Session = j.Key().String()
	info := MerchantInfo{Model: j.Arm, Prompt: simulator.PromptVersion, Temperature: &temp, Simulated: true}
	if rp.cfg.Prefix == 0 {
		return m, info
	}
	script := j.Card.Script[:min(rp.cfg.Prefix, len(j.Card.Script))]
	return &prefixMerchant{script: script, then: m}, info
}

// prefixMerchant says the logged script's first turns, then lets the
// simulated merchant go on from there.
type prefixMerchant struct {
	script []string
	then   simulator.Merchant
}

func (p *prefixMerchant) Next(ctx context.Context, dialogue []transcript.Message) (simulator.Decision, error) {
	n := 0
	for _, m := range dialogue {
		if m.Role == transcript.RoleUser {
			n++
		}
	}
	if n < len(p.script) {
		return simulator.Decision{Message: p.script[n], Note: fmt.Sprintf("logged merchant turn %d of the prefix", n+1)}, nil
	}
	return p.then.Next(ctx, dialogue)
}

// replayJudge is the arena's judge with what a replay adds: the log's
// recording for sessions that replay foreign tools (their declared schemas
// drive stage-1 validation), and each session's store changes, kept for
// the diff against the original.
type replayJudge struct {
	inner   Judge
	recs    map[string]*sandbox.Recording // by card ID; read-only while playing
	initial *sandbox.Store

	mu      sync.Mutex
	changes map[string][]sandbox.Change // by session
}

func (j *replayJudge) Judge(ctx context.Context, ev *judges.Evidence) (judges.Verdict, error) {
	ev.Recording = j.recs[ev.Card.ID]
	// ChangesFrom costs a few records where Diff flattens the whole store;
	// both stores of a session, and of an original, start from initial.
	changes := ev.Final.ChangesFrom(ev.Initial)
	j.mu.Lock()
	j.changes[ev.Session] = changes
	j.mu.Unlock()
	return j.inner.Judge(ctx, ev)
}

func (j *replayJudge) changesOf(session string) ([]sandbox.Change, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	c, ok := j.changes[session]
	return c, ok
}

// playOf turns a played session into its side of the comparison.
func (rp *replayer) playOf(o *Outcome) ReplayPlay {
	key := o.Job.Key().String()
	msgs := make([]transcript.Message, len(o.Steps))
	for i, s := range o.Steps {
		msgs[i] = s.Message
	}
	p := ReplayPlay{Session: key, Status: string(o.Status), StopReason: o.StopReason, Error: o.Err,
		Conversation: transcript.Conversation{ID: key, Messages: msgs}}
	if o.StopReason != "judge_error" {
		v := o.Verdict
		p.Verdict = &v
	}
	p.Changes, p.StoreKnown = rp.judge.changesOf(key)
	return p
}

// sessionRecords are the played sessions as the results file stores them,
// each with the model calls made for it.
func (rp *replayer) sessionRecords() []results.Session {
	out := make([]results.Session, 0, len(rp.outcomes))
	for i := range rp.outcomes {
		s := SessionRecord(&rp.outcomes[i])
		s.LLMCalls = rp.calls[s.Key.String()]
		out = append(out, s)
	}
	return out
}
