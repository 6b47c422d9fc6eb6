package arena

import (
	"context"
	"errors"
	"fmt"
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
	spent  llm.Totals  // what earlier lives of a resumed run spent
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
	model := func(r llm.Role) string {
		if m := cfg.LLM.Models[r]; m != "" {
			return m
		}
		if cfg.LLM.Model != "" {
			return cfg.LLM.Model
		}
		return llm.DefaultModel
	}
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

// newPath builds the path; on the simulate path it opens the model client
// with the results file as its cache and call log.
func newPath(ctx context.Context, cfg Config, w *results.Writer, rep *Report) (*path, error) {
	p := &path{cfg: cfg}
	rep.Path = DescribePath(cfg)
	if cfg.Mode != ModeSimulate {
		return p, nil
	}
	lc := *cfg.LLM
	lc.Cache = cfg.DB.LLMCache()
	lc.Logger = cfg.Logger
	run := rep.Run.ID
	lc.OnCall = func(c llm.Call) {
		if err := w.AddCall(run, c); err != nil {
			cfg.Logger.Warn("llm call not recorded", "err", err)
		}
	}
	client, err := llm.New(lc)
	if err != nil {
		return nil, err
	}
	p.client = client
	usage, err := cfg.DB.RunUsage(ctx, run)
	if err != nil {
		return nil, err
	}
	for _, t := range usage {
		p.spent.Cost += t.Cost
		p.spent.PromptTokens += t.PromptTokens
		p.spent.CompletionTokens += t.CompletionTokens
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

// runner returns a Runner whose merchants, judges and budget follow the
// path.
func (p *path) runner(client *candidates.Client, box *sandbox.Service) *Runner {
	cfg := p.cfg
	r := NewRunner(client, box)
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
	if p.client == nil {
		return r
	}
	r.Judge = &judges.Pipeline{Procedural: judges.NewProcedural(), LLM: &judges.LLMJudge{Client: p.client, Rubric: cfg.Rubric}}
	temp := cfg.MerchantTemperature
	if temp == 0 {
		temp = defaultMerchantTemperature
	}
	r.Merchant = func(j Job) (simulator.Merchant, MerchantInfo) {
		m := simulator.NewLLM(p.client, j.Card, j.Seed)
		m.Model, m.Temperature, m.MaxTurns, m.Logger = j.Arm, temp, r.MaxTurns, cfg.Logger
		m.Session = j.Key().String()
		return m, MerchantInfo{Model: j.Arm, Prompt: simulator.PromptVersion, Temperature: &temp, Simulated: true}
	}
	r.Budget = p.budget
	return r
}

// budget reports a spent --max-cost or --max-tokens, counting what earlier
// lives of a resumed run spent.
func (p *path) budget() error {
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
