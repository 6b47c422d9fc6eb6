package llm

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Defaults New applies to a Config.
const (
	DefaultBaseURL    = "https://api.openai.com/v1"
	DefaultModel      = "gpt-4.1-mini"
	DefaultTimeout    = 60 * time.Second
	DefaultMaxRetries = 5
	DefaultBackoff    = 500 * time.Millisecond
)

// Config configures a Client. Only cmd/arena reads the environment; it
// fills BaseURL and APIKey from OPENAI_BASE_URL and OPENAI_API_KEY.
type Config struct {
	// BaseURL is the OpenAI-compatible API base, such as
	// http://localhost:8000/v1 for vLLM. Empty with an APIKey means
	// DefaultBaseURL; empty without one is ErrNotConfigured.
	BaseURL string
	// APIKey is sent as a bearer token; empty sends none (local servers).
	// It never appears in errors, logs or the call log.
	APIKey string
	// Model is the model of every role without an entry in Models;
	// default DefaultModel.
	Model  string
	Models map[Role]string
	// Timeout bounds each attempt, reading the reply included; default
	// DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how many times a call is resent after a 408, 429, 5xx,
	// timeout or connection error; 0 means DefaultMaxRetries, negative
	// means none.
	MaxRetries int
	// Backoff is the first wait between attempts; later waits grow
	// exponentially with jitter. A server's Retry-After wins when longer.
	// Default DefaultBackoff.
	Backoff time.Duration
	// RequestsPerMinute and TokensPerMinute limit what this client sends;
	// 0 means unlimited.
	RequestsPerMinute, TokensPerMinute int
	// Prices are merged over DefaultPrices().
	Prices map[string]Price
	// MaxCost (US dollars) and MaxTokens are the run's budget; 0 means
	// unlimited. A call made once either is spent fails with ErrBudget.
	MaxCost   float64
	MaxTokens int64
	// Cache answers deterministic requests; nil means no cache.
	Cache Cache
	// OnCall, if set, is called once per Complete, from the calling
	// goroutine, with the call's log entry.
	OnCall func(Call)
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// Cache stores replies by request key. Implementations must be safe for
// concurrent use. Get reports false for a missing key; an error from
// either method is logged and the call goes on as if uncached.
type Cache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Put(ctx context.Context, key, model string, value []byte) error
}

// withDefaults validates cfg and fills its defaults.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.BaseURL == "" && cfg.APIKey == "" {
		return cfg, ErrNotConfigured
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if !strings.HasPrefix(cfg.BaseURL, "http://") && !strings.HasPrefix(cfg.BaseURL, "https://") {
		return cfg, fmt.Errorf("llm config: base URL %q: want http:// or https://", redactURL(cfg.BaseURL))
	}
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.RequestsPerMinute < 0 || cfg.TokensPerMinute < 0 || cfg.MaxCost < 0 || cfg.MaxTokens < 0 {
		return cfg, fmt.Errorf("llm config: negative rate limit or budget")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return cfg, nil
}

// callTimeout bounds a whole call when the caller's ctx has no deadline:
// every attempt may time out, plus a minute for backoff and rate limits.
func (cfg Config) callTimeout() time.Duration {
	return cfg.Timeout*time.Duration(cfg.MaxRetries+1) + time.Minute
}
