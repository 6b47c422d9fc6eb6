package candidates

import (
	"time"

	"github.com/merchantarena/merchantarena/transcript"
)

// TurnRequest asks a build to play one assistant turn. Messages is the whole
// visible history in the OpenAI shape, the build's own earlier tool calls and
// results included; the build keeps no state between turns.
type TurnRequest struct {
	Session  string               `json:"session"`
	Persona  string               `json:"persona"`
	Turn     int                  `json:"turn"`
	Messages []transcript.Message `json:"messages"`
	Sandbox  SandboxRef           `json:"sandbox"`
	Context  PageContext          `json:"context,omitempty"`
	// TimeoutMS is how long the arena waits for the reply, so a build can
	// budget its work; its handler's ctx ends then too.
	TimeoutMS int64 `json:"timeout_ms,omitempty"`
}

// SandboxRef says where the session's store answers tool calls.
type SandboxRef struct {
	Subject string `json:"subject"`
	Token   string `json:"token"`
}

// PageContext is what the merchant's admin screen tells the assistant: the
// page they are on and feature flags.
type PageContext struct {
	Page  string            `json:"page,omitempty"`
	Flags map[string]string `json:"flags,omitempty"`
}

// TurnReply is a build's answer: the messages it added this turn (assistant
// text, tool calls and their results, possibly several assistant messages)
// and what it spent.
type TurnReply struct {
	Messages []transcript.Message `json:"messages"`
	Usage    Usage                `json:"usage"`
	// Error is set when the build could not play the turn but still
	// answered; transport failures and micro errors arrive as Go errors.
	Error string `json:"error,omitempty"`
}

// Usage counts the tokens a build spent on a turn.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens,omitempty"`
	CompletionTokens int `json:"completion_tokens,omitempty"`
}

// Timeout returns TimeoutMS as a duration.
func (r *TurnRequest) Timeout() time.Duration {
	return time.Duration(r.TimeoutMS) * time.Millisecond
}
