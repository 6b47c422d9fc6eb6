package arena

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/candidates/refagent"
	"github.com/merchantarena/merchantarena/transcript"
)

// References says which reference builds to serve in-process.
type References struct {
	// Names lists the builds, each "name" or "name@version" (the same
	// build under another version); nil serves every build available (the
	// LLM agents only with an Agent client), an empty non-nil slice none.
	Names []string
	// Logs are the conversations the mutants replay.
	Logs []transcript.Conversation
	// Agent is the model client of the LLM agents (monolith, jit); nil
	// leaves them out.
	Agent refagent.Completer
	// Logger gets what the builds log; nil: slog.Default().
	Logger *slog.Logger
}

// AgentNames are the reference LLM agents.
func AgentNames() []string { return []string{"monolith", "jit"} }

// ReferenceNames lists every reference build, mutants first.
func ReferenceNames() []string { return append(mutants.Names(), AgentNames()...) }

// ServeReferences serves the reference builds refs names. The caller stops
// the services.
func ServeReferences(nc *nats.Conn, refs References) ([]*candidates.Service, error) {
	builds, err := refs.builds()
	if err != nil {
		return nil, err
	}
	var svcs []*candidates.Service
	for _, b := range builds {
		b.Logger = refs.Logger
		s, err := candidates.Serve(nc, b)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("serve reference build %s: %w", b.Name, err), StopAll(svcs))
		}
		svcs = append(svcs, s)
	}
	return svcs, nil
}

func (refs References) builds() ([]candidates.Build, error) {
	names := refs.Names
	if names == nil {
		names = mutants.Names()
		if refs.Agent != nil {
			names = ReferenceNames()
		}
	}
	lib := mutants.NewLibrary(refs.Logs)
	var out []candidates.Build
	for _, spec := range names {
		b, err := refs.build(spec, lib)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, nil
}

// build makes one reference build from "name" or "name@version": the
// version lets one build play as two (production and release candidate).
func (refs References) build(spec string, lib *mutants.Library) (candidates.Build, error) {
	n, version, _ := strings.Cut(spec, "@")
	var b candidates.Build
	switch {
	case slices.Contains(AgentNames(), n) && refs.Agent == nil:
		return b, fmt.Errorf("reference build %s is an LLM agent and needs an LLM endpoint (OPENAI_BASE_URL or OPENAI_API_KEY)", n)
	case slices.Contains(AgentNames(), n):
		b = agentBuild(n, refs.Agent)
	default:
		var err error
		if b, err = mutants.Build(n, lib); err != nil {
			return b, fmt.Errorf("%w; the LLM agents are %s", err, strings.Join(AgentNames(), ", "))
		}
	}
	if version != "" {
		b.Version = version
	}
	return b, nil
}

func agentBuild(name string, client refagent.Completer) candidates.Build {
	if name == "jit" {
		return refagent.JIT(client, "")
	}
	return refagent.Monolith(client, "")
}

// StopAll stops services, joining their errors.
func StopAll(svcs []*candidates.Service) error {
	var errs []error
	for _, s := range svcs {
		if s != nil {
			errs = append(errs, s.Stop())
		}
	}
	return errors.Join(errs...)
}
