package llm

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/merchantarena/merchantarena/transcript"
)

// Role names who is asking; models, accounting and cache defaults are per
// role.
type Role string

// The roles of the arena.
const (
	RoleExtractor Role = "extractor" // reads a log, writes a persona card
	RoleSimulator Role = "simulator" // plays the merchant
	RoleJudge     Role = "judge"     // scores a session on one criterion
	RoleAgent     Role = "agent"     // the reference LLM builds
)

// Roles lists every role, in a stable order.
func Roles() []Role { return []Role{RoleExtractor, RoleSimulator, RoleJudge, RoleAgent} }

// CachePolicy says whether a request may be answered from the cache.
type CachePolicy int

// Cache policies. CacheDefault caches deterministic requests (temperature
// 0, no seed) of the extractor and judge roles, and nothing else.
const (
	CacheDefault CachePolicy = iota
	CacheOn
	CacheOff
)

// Request is one chat completion.
type Request struct {
	Role Role
	// Model overrides the client's model for Role.
	Model    string
	Messages []transcript.Message
	Tools    []transcript.Tool
	// Temperature nil leaves the provider's default; a zero is sent as
	// zero (go-openai would drop it).
	Temperature *float64
	Seed        *int
	MaxTokens   int
	// Schema asks for structured output: response_format json_schema,
	// strict, with this schema.
	Schema *Schema
	Cache  CachePolicy
	// Session names the session the call serves, for the call log.
	Session string
}

// Schema is a named JSON schema for structured output.
type Schema struct {
	Name        string
	Description string
	JSON        json.RawMessage
}

// Temperature returns a pointer to t, for Request.Temperature.
func Temperature(t float64) *float64 { return &t }

// Response is a completed call.
type Response struct {
	// Message is the assistant's message: content and tool calls.
	Message      transcript.Message
	Model        string
	FinishReason string
	Usage        Usage
	// Cost in US dollars from the price table; 0 for unknown models and
	// cache hits.
	Cost    float64
	Cached  bool
	Retries int
	Latency time.Duration
}

// Usage counts tokens.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Total is prompt plus completion tokens.
func (u Usage) Total() int { return u.PromptTokens + u.CompletionTokens }

// Call is one entry of the call log: what one Complete cost. Content is
// never logged here, and neither is the API key.
type Call struct {
	Role             Role          `json:"role"`
	Model            string        `json:"model"`
	Session          string        `json:"session,omitempty"`
	PromptTokens     int           `json:"prompt_tokens"`
	CompletionTokens int           `json:"completion_tokens"`
	Cost             float64       `json:"cost"`
	Cached           bool          `json:"cached"`
	Retries          int           `json:"retries"`
	Latency          time.Duration `json:"latency"`
	Err              string        `json:"error,omitempty"`
	At               time.Time     `json:"at"`
}

// Totals sums calls of one role.
type Totals struct {
	Calls            int     `json:"calls"`
	CacheHits        int     `json:"cache_hits"`
	Retries          int     `json:"retries"`
	Errors           int     `json:"errors"`
	PromptTokens     int64   `json:"prompt_tokens"`
	CompletionTokens int64   `json:"completion_tokens"`
	Cost             float64 `json:"cost"`
}

// Errors a Client returns. Match them with errors.Is.
var (
	// ErrBudget: the run's --max-cost or --max-tokens is spent; no request
	// was sent.
	ErrBudget = errors.New("llm budget exhausted")
	// ErrNotConfigured: no endpoint (OPENAI_BASE_URL or OPENAI_API_KEY).
	ErrNotConfigured = errors.New("no LLM endpoint configured")
)

// OutputError is a reply that did not match the requested schema, twice:
// once, and once more after the model was shown what was wrong.
type OutputError struct {
	Role    Role
	Schema  string
	Err     error
	Content string // the last reply, clipped
}

func (e *OutputError) Error() string {
	return fmt.Sprintf("%s reply does not match schema %s: %v", e.Role, e.Schema, e.Err)
}

func (e *OutputError) Unwrap() error { return e.Err }
