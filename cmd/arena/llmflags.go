package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/llm"
)

// llmFlags are the flags of every command that may call a model. The
// endpoint and key come from OPENAI_BASE_URL and OPENAI_API_KEY only, so
// the key never sits in shell history or a process list.
type llmFlags struct {
	model          string
	extractorModel string
	simulatorModel string
	judgeModel     string
	agentModel     string
	timeout        time.Duration
	retries        int
	rpm, tpm       int
	maxCost        float64
	maxTokens      int64
	prices         string
}

func addLLMFlags(fs *flagSet) *llmFlags {
	l := &llmFlags{}
	fs.StringVar(&l.model, "model", "gpt-4.1-mini", "model for every role without its own (endpoint from $OPENAI_BASE_URL, key from $OPENAI_API_KEY)")
	fs.StringVar(&l.extractorModel, "extractor-model", "", "model that extracts personas (default --model)")
	fs.StringVar(&l.simulatorModel, "simulator-model", "", "model(s) that play the merchant, comma-separated: each is its own trial arm (default --model)")
	fs.StringVar(&l.judgeModel, "judge-model", "", "model of the LLM judges (default --model)")
	fs.StringVar(&l.agentModel, "agent-model", "", "model of the reference LLM agents (default --model)")
	fs.DurationVar(&l.timeout, "llm-timeout", 60*time.Second, "timeout of one LLM request")
	fs.IntVar(&l.retries, "llm-retries", 5, "retries of an LLM request on 429, 5xx and timeouts")
	fs.IntVar(&l.rpm, "rpm", 0, "LLM requests per minute at most (0: no limit)")
	fs.IntVar(&l.tpm, "tpm", 0, "LLM tokens per minute at most (0: no limit)")
	fs.Float64Var(&l.maxCost, "max-cost", 0, "stop the run cleanly once LLM calls cost this many dollars (0: no limit)")
	fs.Int64Var(&l.maxTokens, "max-tokens", 0, "stop the run cleanly once LLM calls used this many tokens (0: no limit)")
	fs.StringVar(&l.prices, "prices", "", `JSON file of model prices overriding the built-in table: {"model": {"prompt_per_million": 2.0, "completion_per_million": 8.0}}`)
	return l
}

// configured reports whether an endpoint is set in the environment.
func llmConfigured(getenv func(string) string) bool {
	return getenv("OPENAI_BASE_URL") != "" || getenv("OPENAI_API_KEY") != ""
}

// simulatorModels lists the merchant models, one trial arm each.
func (l *llmFlags) simulatorModels() []string {
	if ms := splitList(l.simulatorModel); len(ms) > 0 {
		return ms
	}
	return []string{l.model}
}

// config builds the client config; the cache and call log are the
// caller's to add.
func (l *llmFlags) config(getenv func(string) string) (llm.Config, error) {
	cfg := llm.Config{
		BaseURL: getenv("OPENAI_BASE_URL"), APIKey: getenv("OPENAI_API_KEY"),
		Model: l.model, Models: map[llm.Role]string{},
		Timeout: l.timeout, MaxRetries: l.retries,
		RequestsPerMinute: l.rpm, TokensPerMinute: l.tpm,
		MaxCost: l.maxCost, MaxTokens: l.maxTokens,
	}
	for role, m := range map[llm.Role]string{llm.RoleExtractor: l.extractorModel, llm.RoleJudge: l.judgeModel, llm.RoleAgent: l.agentModel} {
		if m != "" {
			cfg.Models[role] = m
		}
	}
	if l.retries == 0 {
		cfg.MaxRetries = -1 // llm reads 0 as its default; on the command line 0 means none
	}
	if ms := l.simulatorModels(); len(ms) > 0 {
		cfg.Models[llm.RoleSimulator] = ms[0]
	}
	if l.retries < 0 || l.rpm < 0 || l.tpm < 0 || l.maxCost < 0 || l.maxTokens < 0 || l.timeout <= 0 {
		return cfg, usageErrorf("--llm-retries, --rpm, --tpm, --max-cost and --max-tokens must not be negative, --llm-timeout positive")
	}
	if l.prices != "" {
		prices, err := readPrices(l.prices)
		if err != nil {
			return cfg, err
		}
		cfg.Prices = prices
	}
	return cfg, nil
}

func readPrices(path string) (map[string]llm.Price, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usageErrorf("--prices: %v", err)
	}
	var raw map[string]struct {
		Prompt     *float64 `json:"prompt_per_million"`
		Completion *float64 `json:"completion_per_million"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, usageErrorf("--prices %s: %v", path, err).try(`{"gpt-4.1": {"prompt_per_million": 2.0, "completion_per_million": 8.0}}`)
	}
	out := map[string]llm.Price{}
	for model, p := range raw {
		if p.Prompt == nil || p.Completion == nil || *p.Prompt < 0 || *p.Completion < 0 {
			return nil, usageErrorf("--prices %s: model %q needs non-negative prompt_per_million and completion_per_million", path, model)
		}
		out[strings.TrimSpace(model)] = llm.Price{PromptPerMillion: *p.Prompt, CompletionPerMillion: *p.Completion}
	}
	return out, nil
}

// describeModels says which model plays which role, for the run headline.
func describeModels(cfg llm.Config, simulators []string) string {
	model := func(r llm.Role) string {
		if m := cfg.Models[r]; m != "" {
			return m
		}
		return cfg.Model
	}
	return fmt.Sprintf("extractor %s, merchant %s, judge %s, agent %s",
		model(llm.RoleExtractor), strings.Join(simulators, "+"), model(llm.RoleJudge), model(llm.RoleAgent))
}
