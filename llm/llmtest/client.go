package llmtest

import (
	"maps"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/llm"
)

// TestModel is the model Client defaults to. It is priced at
// TestModelPrice unless cfg.Prices says otherwise.
const TestModel = "test-model"

// TestModelPrice is $1 per million prompt tokens and $2 per million
// completion tokens, for easy sums in cost and budget tests.
var TestModelPrice = llm.Price{PromptPerMillion: 1, CompletionPerMillion: 2}

// Client returns a real llm.Client pointed at srv: cfg with BaseURL set to
// srv.URL. Unset fields get test-friendly values: Model TestModel, APIKey
// "llmtest-key", and a 5 ms initial retry backoff so retry tests stay fast.
// A bad cfg fails the test.
func Client(tb testing.TB, srv *Server, cfg llm.Config) *llm.Client {
	tb.Helper()
	cfg.BaseURL = srv.URL
	if cfg.Model == "" {
		cfg.Model = TestModel
	}
	if _, ok := cfg.Prices[TestModel]; !ok {
		cfg.Prices = maps.Clone(cfg.Prices)
		if cfg.Prices == nil {
			cfg.Prices = map[string]llm.Price{}
		}
		cfg.Prices[TestModel] = TestModelPrice
	}
	if cfg.APIKey == "" {
		cfg.APIKey = "llmtest-key"
	}
	if cfg.Backoff == 0 {
		cfg.Backoff = 5 * time.Millisecond
	}
	c, err := llm.New(cfg)
	if err != nil {
		tb.Fatalf("llmtest: new client: %v", err)
	}
	return c
}
