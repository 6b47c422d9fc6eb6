package sandbox

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/merchantarena/merchantarena/transcript"
)

// tool is one callable tool: its declaration and how it runs.
type tool struct {
	name   string
	desc   string
	params schema
	write  bool
	run    func(s *Store, args json.RawMessage) (any, error)
}

// rawSchema returns a copy of the tool's schema as JSON. The schemas are
// encoded once: the judges look one up for every call of every session.
func (t *tool) rawSchema() json.RawMessage {
	return slices.Clone(rawSchemas()[t.name])
}

var rawSchemas = sync.OnceValue(func() map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(tools))
	for _, t := range tools {
		b, err := json.Marshal(t.params)
		if err != nil {
			panic(fmt.Sprintf("sandbox: schema of %s: %v", t.name, err))
		}
		out[t.name] = b
	}
	return out
})

func (t *tool) argNames() string {
	props := t.params["properties"].(map[string]schema)
	if len(props) == 0 {
		return "no arguments"
	}
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}

// tools is every tool in the order Tools lists them. The declarations live
// beside their handlers, one file per area.
var tools = slices.Concat(customerTools, catalogTools, orderTools, reportTools)

func lookupTool(name string) *tool {
	for _, t := range tools {
		if t.name == name {
			return t
		}
	}
	return nil
}

func unknownTool(name string) *ToolError {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.name
	}
	return toolErrorf(CodeNotFound, "unknown tool %q; tools are %s", name, strings.Join(names, ", "))
}

// Tools declares every tool in the OpenAI shape, in a fixed order.
func Tools() []transcript.Tool {
	out := make([]transcript.Tool, len(tools))
	for i, t := range tools {
		out[i] = transcript.Tool{Type: "function", Function: transcript.Function{
			Name: t.name, Description: t.desc, Parameters: t.rawSchema(),
		}}
	}
	return out
}

// IsWrite reports whether a tool changes the store.
func IsWrite(name string) bool {
	t := lookupTool(name)
	return t != nil && t.write
}

// Call validates args against the tool's schema and runs the tool. The
// result is JSON. Failures are *ToolError: CodeNotFound for an unknown tool
// or ID, CodeBadRequest for arguments that fail the schema, CodeInvalid for
// well-formed arguments the store refuses (bad query, duplicate name or
// code), CodeInternal for a bug. A failed call changes nothing.
//
// A write changes only the records its arguments name by ID, and segments
// and discounts; ChangesFrom relies on it.
func (s *Store) Call(name string, args json.RawMessage) (json.RawMessage, error) {
	if err := ValidateArgs(name, args); err != nil {
		return nil, err
	}
	res, err := lookupTool(name).run(s, orEmptyObject(args))
	if err != nil {
		return nil, err
	}
	if IsWrite(name) {
		s.touch(args)
	}
	b, err := marshal(res)
	if err != nil {
		return nil, toolErrorf(CodeInternal, "%s: encode result: %v", name, err)
	}
	return b, nil
}

// handle adapts a typed handler: it decodes the (already validated)
// arguments into A.
func handle[A any](fn func(s *Store, a A) (any, error)) func(*Store, json.RawMessage) (any, error) {
	return func(s *Store, raw json.RawMessage) (any, error) {
		var a A
		if err := json.Unmarshal(raw, &a); err != nil {
			return nil, toolErrorf(CodeBadRequest, "arguments: %v", err)
		}
		return fn(s, a)
	}
}

// orDefault returns *p, or def when the argument was left out.
func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
