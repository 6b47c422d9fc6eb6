package refagent

import (
	"context"
	"fmt"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/llm"
)

// Version is the version both builds announce.
const Version = "1.0.0"

// PromptVersion names the prompts and guidance notes. It changes whenever
// their text does, so sessions played with different words are never
// compared as if they were the same build.
const PromptVersion = "refagent/1"

// DefaultMaxSteps is how many model calls one turn may make when no
// WithMaxSteps option says otherwise.
const DefaultMaxSteps = 8

// Metadata keys the builds announce beside arena.kind. arena.reference is
// the key the mutants announce too, so the arena tells reference builds
// from external ones by it.
const (
	MetaReference = "arena.reference" // "refagent"
	MetaGuidance  = "arena.guidance"  // "monolith" or "jit"
	MetaModel     = "arena.model"     // the model asked for, or "default"
	MetaPrompt    = "arena.prompt"    // PromptVersion
)

// Completer is the one call the agent needs from a model; *llm.Client
// satisfies it. Complete returns the assistant's message with its tool
// calls, or an error that fails the turn.
type Completer interface {
	Complete(ctx context.Context, req llm.Request) (*llm.Response, error)
}

// mode is where a build puts its guidance.
type mode string

const (
	modeMonolith mode = "monolith"
	modeJIT      mode = "jit"
)

// Option adjusts a build.
type Option func(*agent)

// WithMaxSteps bounds the model calls of one turn; n below 1 keeps
// DefaultMaxSteps. A turn that reaches the bound ends with a polite
// message saying it could not finish, not with an error.
func WithMaxSteps(n int) Option {
	return func(a *agent) {
		if n >= 1 {
			a.maxSteps = n
		}
	}
}

// Monolith returns the build named "monolith": every instruction in the
// system prompt. model is sent with every request; empty means the
// client's model for llm.RoleAgent. It panics when client is nil, a bug in
// the caller.
func Monolith(client Completer, model string, opts ...Option) candidates.Build {
	return build(modeMonolith, "tool-using LLM agent; all guidance in the system prompt", client, model, opts)
}

// JIT returns the build named "jit": a short system prompt, with each
// tool's guidance attached to its results when the tool is used. model and
// the panic are as for Monolith.
func JIT(client Completer, model string, opts ...Option) candidates.Build {
	return build(modeJIT, "tool-using LLM agent; guidance beside each tool's results", client, model, opts)
}

// Builds returns both builds over the same client and model, monolith
// first.
func Builds(client Completer, model string, opts ...Option) []candidates.Build {
	return []candidates.Build{Monolith(client, model, opts...), JIT(client, model, opts...)}
}

func build(m mode, description string, client Completer, model string, opts []Option) candidates.Build {
	if client == nil {
		panic(fmt.Sprintf("refagent: %s build without a model client", m))
	}
	a := &agent{client: client, model: model, mode: m, maxSteps: DefaultMaxSteps}
	for _, o := range opts {
		o(a)
	}
	announced := model
	if announced == "" {
		announced = "default"
	}
	return candidates.Build{
		Name:        string(m),
		Version:     Version,
		Description: description,
		Metadata: map[string]string{
			MetaReference: "refagent",
			MetaGuidance:  string(m),
			MetaModel:     announced,
			MetaPrompt:    PromptVersion,
		},
		Handler: a,
	}
}
