package arena

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/refagent"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// extractConcurrency bounds persona extractions at once.
const extractConcurrency = 4

// defaultMerchantTemperature is the simulated merchant's: enough variety
// that trials differ, little enough that it stays in character.
const defaultMerchantTemperature = 0.7

// path is the part of a run that depends on its mode: how personas are
// extracted, who plays the merchant, who judges.
type path struct {
	cfg    Config
	client *llm.Client // nil offline
	calls  *callLog
	spent  llm.Totals // what earlier lives of a resumed run spent
}

// DescribePath says which path a config takes: models and prompt versions
// by part, for the run record and the report.
func DescribePath(cfg Config) map[string]string {
	if cfg.LLM == nil || cfg.Mode == ModeOffline {
		return map[string]string{
			"personas": personas.HeuristicVersion, "merchant": "verbatim",
			"judges": judges.ProceduralVersion, "agents": "none",
		}
	}
	model := func(r llm.Role) string { return modelFor(cfg.LLM, r) }
	merchants := strings.Join(cfg.SimulatorModels, "+")
	if len(cfg.SimulatorModels) == 0 {
		merchants = model(llm.RoleSimulator)
	}
	rubric := cfg.Rubric
	if rubric == nil {
		rubric = judges.DefaultRubric()
	}
	return map[string]string{
		"personas": personas.LLMVersion + ":" + model(llm.RoleExtractor),
		"merchant": simulator.PromptVersion + ":" + merchants,
		"judges":   judges.ProceduralVersion + "+" + rubric.Version + "+" + judges.JudgePromptVersion + ":" + model(llm.RoleJudge),
		"agents":   refagent.PromptVersion + ":" + model(llm.RoleAgent),
	}
}

func modelFor(c *llm.Config, r llm.Role) string {
	if m := c.Models[r]; m != "" {
		return m
	}
	if c.Model != "" {
		return c.Model
	}
	return llm.DefaultModel
}

// newPath builds the path; on the simulate path it opens the model client
// with the results file (when there is one) as its cache and the results
// stream as its call log.
func newPath(ctx context.Context, cfg Config, run string, calls *callLog) (*path, error) {
	p := &path{cfg: cfg, calls: calls}
	if cfg.Mode != ModeSimulate {
		return p, nil
	}
	lc := *cfg.LLM
	if cfg.DB != nil {
		lc.Cache = cfg.DB.LLMCache()
	}
	lc.Logger = cfg.Logger
	lc.OnCall = calls.add(run)
	client, err := llm.New(lc)
	if err != nil {
		return nil, err
	}
	p.client = client
	if cfg.DB != nil {
		usage, err := cfg.DB.RunUsage(ctx, run)
		if err != nil {
			return nil, err
		}
		for _, t := range usage {
			p.spent.Cost += t.Cost
			p.spent.PromptTokens += t.PromptTokens
			p.spent.CompletionTokens += t.CompletionTokens
		}
	}
	return p, nil
}

// agent is the model client of the reference LLM agents, nil offline.
func (p *path) agent() refagent.Completer {
	if p.client == nil {
		return nil
	}
	return p.client
}

// arms are the merchant models, one trial arm each; offline, one verbatim
// arm.
func (p *path) arms() []string {
	if p.client == nil {
		return nil
	}
	if len(p.cfg.SimulatorModels) > 0 {
		return p.cfg.SimulatorModels
	}
	return []string{p.client.ModelFor(llm.RoleSimulator)}
}

// cards extracts a persona card from every conversation; one that yields
// none is logged and left out.
func (p *path) cards(ctx context.Context) ([]personas.Card, error) {
	convs := p.cfg.Conversations
	cards := make([]*personas.Card, len(convs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(extractConcurrency)
	var budgetErr error
	var mu sync.Mutex
	for i, c := range convs {
		g.Go(func() error {
			card, err := p.extract(gctx, c)
			switch {
			case errors.Is(err, llm.ErrBudget):
				mu.Lock()
				budgetErr = err
				mu.Unlock()
			case err != nil:
				p.cfg.Logger.Warn("persona skipped", "conversation", c.ID, "file", c.Source.File, "line", c.Source.Line, "err", err)
			default:
				cards[i] = &card
			}
			return gctx.Err()
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var out []personas.Card
	for _, c := range cards {
		if c != nil {
			out = append(out, *c)
		}
	}
	if budgetErr != nil {
		return nil, fmt.Errorf("extract personas: %w", budgetErr)
	}
	if len(out) == 0 {
		return nil, errors.New("no persona could be extracted from the logs")
	}
	return out, nil
}

func (p *path) extract(ctx context.Context, c transcript.Conversation) (personas.Card, error) {
	if p.client == nil {
		return personas.Extract(c)
	}
	return (&personas.LLMExtractor{Client: p.client}).Extract(ctx, c)
}

// settings are the run's settings every job carries.
func (p *path) settings() JobMessage {
	cfg := p.cfg
	m := JobMessage{Mode: cfg.Mode, TurnTimeoutMS: cfg.TurnTimeout.Milliseconds(), MaxTurns: cfg.MaxTurns,
		MerchantTemperature: cfg.MerchantTemperature, Rubric: cfg.RubricYAML}
	if cfg.LLM != nil && cfg.Mode == ModeSimulate {
		m.Models = map[llm.Role]string{}
		for _, r := range llm.Roles() {
			m.Models[r] = modelFor(cfg.LLM, r)
		}
	}
	return m
}

// budget reports a spent --max-cost or --max-tokens, counting what earlier
// lives of a resumed run spent.
func (p *path) budget() error {
	if p.client == nil {
		return nil
	}
	lc := p.cfg.LLM
	if lc.MaxCost <= 0 && lc.MaxTokens <= 0 {
		return nil
	}
	cost, tokens := p.spent.Cost, p.spent.PromptTokens+p.spent.CompletionTokens
	for _, t := range p.client.Totals() {
		cost += t.Cost
		tokens += t.PromptTokens + t.CompletionTokens
	}
	switch {
	case lc.MaxCost > 0 && cost >= lc.MaxCost:
		return fmt.Errorf("%w: spent $%.4f of --max-cost $%.4f", llm.ErrBudget, cost, lc.MaxCost)
	case lc.MaxTokens > 0 && tokens >= lc.MaxTokens:
		return fmt.Errorf("%w: used %d of --max-tokens %d", llm.ErrBudget, tokens, lc.MaxTokens)
	}
	return nil
}

// Players builds the runners that play jobs: one per run, with the
// merchant and judges the job's settings ask for. A process that plays
// jobs of a run it did not plan (a worker) builds its own model client
// from Endpoint; the planner's in-process workers share the planner's.
type Players struct {
	Client  *candidates.Client
	Sandbox *sandbox.Service
	// Endpoint is the model endpoint for simulate-mode jobs (models come
	// from the job); nil: such jobs cannot be played here.
	Endpoint *llm.Config
	Cache    llm.Cache
	Calls    *callLog
	Logger   *slog.Logger

	mu      sync.Mutex
	runners map[string]*Runner
	shared  map[string]*path // runs planned in this process
}

// Runner returns the runner of a job's run.
func (pl *Players) Runner(m *JobMessage) (*Runner, error) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if r, ok := pl.runners[m.Run]; ok {
		return r, nil
	}
	r, err := pl.build(m)
	if err != nil {
		return nil, err
	}
	if pl.runners == nil {
		pl.runners = map[string]*Runner{}
	}
	pl.runners[m.Run] = r
	return r, nil
}

// share makes a run planned in this process play with its planner's path
// (model client, budget, cache).
func (pl *Players) share(run string, p *path) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if pl.shared == nil {
		pl.shared = map[string]*path{}
	}
	pl.shared[run] = p
}

func (pl *Players) build(m *JobMessage) (*Runner, error) {
	r := NewRunner(pl.Client, pl.Sandbox)
	r.Logger = pl.Logger
	if m.TurnTimeoutMS > 0 {
		r.TurnTimeout = msDuration(m.TurnTimeoutMS)
	}
	if m.MaxTurns > 0 {
		r.MaxTurns = m.MaxTurns
	}
	if m.Mode != ModeSimulate {
		return r, nil
	}
	client, budget, err := pl.client(m)
	if err != nil {
		return nil, err
	}
	rubric, err := loadRubric(m.Rubric)
	if err != nil {
		return nil, err
	}
	temp := m.MerchantTemperature
	if temp == 0 {
		temp = defaultMerchantTemperature
	}
	r.Judge = &judges.Pipeline{Procedural: judges.NewProcedural(), LLM: &judges.LLMJudge{Client: client, Rubric: rubric}}
	r.Merchant = func(j Job) (simulator.Merchant, MerchantInfo) {
		mer := simulator.NewLLM(client, j.Card, j.Seed)
		mer.Model, mer.Temperature, mer.MaxTurns, mer.Logger = j.Arm, temp, r.MaxTurns, r.Logger
		mer.Session = j.Key().String()
		return mer, MerchantInfo{Model: j.Arm, Prompt: simulator.PromptVersion, Temperature: &temp, Simulated: true}
	}
	r.Budget = budget
	return r, nil
}

// client is the model client for a job's run: the planner's when it ran
// here, else a new one on Endpoint with the job's models.
func (pl *Players) client(m *JobMessage) (*llm.Client, func() error, error) {
	if p, ok := pl.shared[m.Run]; ok && p.client != nil {
		return p.client, p.budget, nil
	}
	if pl.Endpoint == nil {
		return nil, nil, fmt.Errorf("job of run %s needs an LLM endpoint (simulate mode); set OPENAI_BASE_URL or OPENAI_API_KEY for this worker", m.Run)
	}
	lc := *pl.Endpoint
	lc.Models = m.Models
	lc.Cache, lc.Logger = pl.Cache, pl.Logger
	if pl.Calls != nil {
		lc.OnCall = pl.Calls.add(m.Run)
	}
	c, err := llm.New(lc)
	return c, nil, err
}

func loadRubric(yaml string) (*judges.Rubric, error) {
	if yaml == "" {
		return nil, nil
	}
	r, err := judges.LoadRubric(strings.NewReader(yaml), "job rubric")
	if err != nil {
		return nil, fmt.Errorf("job rubric: %w", err)
	}
	return r, nil
}

// planRecords are the plan's personas and builds as the file stores them.
func planRecords(cards []personas.Card, targets []Target) ([]results.Persona, []results.Candidate) {
	ps := make([]results.Persona, len(cards))
	for i := range cards {
		ps[i] = PersonaRecord(&cards[i])
	}
	cs := make([]results.Candidate, len(targets))
	for i, t := range targets {
		cs[i] = results.Candidate{Name: t.Name, Version: t.Version, Kind: t.Kind}
	}
	return ps, cs
}
