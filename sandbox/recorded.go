package sandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/merchantarena/merchantarena/transcript"
)

// CodeNoRecording is the tool-error code of a call to a recorded (foreign)
// tool that the log has no recording for: the tool exists, but no call
// with these arguments was logged, so nothing can say what it would have
// returned. Judges count these calls by this code.
const CodeNoRecording = "424"

// RecordedResult is one tool result as a log recorded it.
type RecordedResult struct {
	Content string `json:"content"`
	Error   bool   `json:"error,omitempty"`
}

// Recording answers the tools a logged conversation used but the sandbox
// does not have (tau-bench's get_user_details, say) from the results the
// log recorded. NewRecording builds it from one conversation; it never
// changes afterwards, so sessions of many trials can share it, each with
// its own position in every repeated call (see Service.OpenRecorded).
//
// The rule, in a session opened with a recording:
//
//   - A tool the sandbox has natively always runs on the session's store,
//     whatever the log did with a tool of that name.
//   - Any other tool the log called or declared is answered from the
//     recording: a call with the same tool and equal normalised arguments
//     (NormalizeArgs) as a logged call gets the logged result. When the log
//     made that call several times, successive calls get its results in
//     order, and the last one again after that. A call the log never made
//     is refused with CodeNoRecording, "no recording for this call:
//     TOOL(ARGS)". A logged result flagged as an error is refused with
//     CodeInvalid and the logged text.
//   - A tool neither native nor in the log is unknown (CodeNotFound).
type Recording struct {
	conversation string
	answers      map[string][]RecordedResult // by callKey
	foreign      map[string]bool             // tools answered from the log
	tools        []transcript.Tool
	toolsJSON    []byte
	schemas      map[string]*jsonschema.Schema // declared foreign tools whose schema compiled
	problems     []error
}

// NewRecording indexes every tool call of conv that a tool result answers
// (linked by tool_call_id, the oldest unanswered call first, as
// transcript links them), by tool name and normalised arguments. Arguments
// that are not JSON are indexed by their trimmed text, so only the same
// text matches them.
//
// The declared tools are conv.Tools, plus, for every foreign tool the log
// called without declaring it, a declaration that accepts any object (so an
// agent can see it exists). A declared schema that does not compile is
// kept in Tools, validates nothing, and is reported by Problems.
func NewRecording(conv transcript.Conversation) *Recording {
	r := &Recording{
		conversation: conv.ID,
		answers:      map[string][]RecordedResult{},
		foreign:      map[string]bool{},
		schemas:      map[string]*jsonschema.Schema{},
	}
	r.index(conv.Messages)
	r.declare(conv.Tools)
	b, err := json.Marshal(r.tools)
	if err != nil {
		// Tools hold compacted JSON schemas from the importer and strings.
		panic(fmt.Sprintf("sandbox: encode recorded tools: %v", err))
	}
	r.toolsJSON = b
	return r
}

// index pairs calls with their results and records the results by call.
func (r *Recording) index(msgs []transcript.Message) {
	pending := map[string][]string{} // call ID → keys of calls awaiting a result
	for _, m := range msgs {
		for _, tc := range m.ToolCalls {
			if lookupTool(tc.Function.Name) == nil && tc.Function.Name != "" {
				r.foreign[tc.Function.Name] = true
			}
			pending[tc.ID] = append(pending[tc.ID], callKey(tc.Function.Name, []byte(tc.Function.Arguments)))
		}
		if m.Role != transcript.RoleTool || len(pending[m.ToolCallID]) == 0 {
			continue
		}
		key := pending[m.ToolCallID][0]
		pending[m.ToolCallID] = pending[m.ToolCallID][1:]
		r.answers[key] = append(r.answers[key], RecordedResult{Content: m.Content, Error: m.Error})
	}
}

// declare sets the tools list and compiles the foreign tools' schemas.
func (r *Recording) declare(declared []transcript.Tool) {
	seen := map[string]bool{}
	c := jsonschema.NewCompiler()
	for i, t := range declared {
		name := t.Function.Name
		if seen[name] {
			continue
		}
		seen[name] = true
		r.tools = append(r.tools, t)
		if lookupTool(name) != nil {
			continue // a native tool keeps its own schema
		}
		r.foreign[name] = true
		if len(t.Function.Parameters) == 0 {
			continue
		}
		s, err := compileDeclared(c, name, t.Function.Parameters)
		if err != nil {
			r.problems = append(r.problems, fmt.Errorf("conversation %s: tools[%d] (%s).parameters: %w", r.conversation, i, name, err))
			continue
		}
		r.schemas[name] = s
	}
	var undeclared []string
	for name := range r.foreign {
		if !seen[name] {
			undeclared = append(undeclared, name)
		}
	}
	slices.Sort(undeclared)
	for _, name := range undeclared {
		r.tools = append(r.tools, transcript.Tool{Type: "function", Function: transcript.Function{
			Name:        name,
			Description: "Recorded in the log, which declared no schema for it.",
			Parameters:  json.RawMessage(`{"type":"object"}`),
		}})
	}
}

func compileDeclared(c *jsonschema.Compiler, name string, params json.RawMessage) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(params))
	if err != nil {
		return nil, err
	}
	url := "mem:///recorded/" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

// callKey identifies a call by tool and normalised arguments.
func callKey(tool string, args []byte) string {
	norm, err := NormalizeArgs(args)
	if err != nil {
		norm = string(bytes.TrimSpace(args))
	}
	return tool + "\x00" + norm
}

// Conversation is the ID of the conversation the recording was made from.
func (r *Recording) Conversation() string { return r.conversation }

// Tools returns the tools a recorded session lists: the log's declarations
// in the log's order, then the undeclared tools it called, by name. When
// that is empty (a log with no tool at all), the native tools.
func (r *Recording) Tools() []transcript.Tool {
	if len(r.tools) == 0 {
		return Tools()
	}
	return slices.Clone(r.tools)
}

// Problems returns what was wrong with the log's declarations (a schema
// that does not compile), naming the conversation and the tool.
func (r *Recording) Problems() []error { return slices.Clone(r.problems) }

// Answers reports whether a session with this recording answers tool from
// the recording rather than from the store.
func (r *Recording) Answers(tool string) bool {
	return r != nil && lookupTool(tool) == nil && r.foreign[tool]
}

// Results returns what the log recorded for a call, in order; none when
// the log never made it.
func (r *Recording) Results(tool string, args json.RawMessage) []RecordedResult {
	return slices.Clone(r.answers[callKey(tool, args)])
}

// ValidateArgs checks a call against the schema this session declares for
// its tool, as stage-1 validation should for a recorded session: a native
// tool against its own schema (ValidateArgs), a foreign tool against the
// log's declared schema when it compiled, or else only that the arguments
// are a JSON object. It returns a *ToolError: CodeNotFound for a tool the
// session does not have, CodeBadRequest for arguments that fail.
func (r *Recording) ValidateArgs(tool string, args json.RawMessage) error {
	if lookupTool(tool) != nil || r == nil {
		return ValidateArgs(tool, args)
	}
	if !r.foreign[tool] {
		return r.unknownTool(tool)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(orEmptyObject(args)))
	if err != nil {
		return toolErrorf(CodeBadRequest, "%s: arguments are not valid JSON: %v", tool, err)
	}
	s := r.schemas[tool]
	if s == nil {
		if _, ok := v.(map[string]any); !ok {
			return toolErrorf(CodeBadRequest, "%s: arguments must be a JSON object", tool)
		}
		return nil
	}
	if err := s.Validate(v); err != nil {
		return toolErrorf(CodeBadRequest, "%s: invalid arguments: %s", tool, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return nil
}

func (r *Recording) unknownTool(name string) *ToolError {
	names := make([]string, 0, len(tools)+len(r.foreign))
	for _, t := range tools {
		names = append(names, t.name)
	}
	for n := range r.foreign {
		names = append(names, n)
	}
	slices.Sort(names)
	return toolErrorf(CodeNotFound, "unknown tool %q; tools are %s", name, strings.Join(names, ", "))
}

// answer serves a call from the recording; seen counts earlier calls with
// the same key in this session and is advanced.
func (r *Recording) answer(tool string, args json.RawMessage, seen map[string]int) (json.RawMessage, *ToolError) {
	if !r.foreign[tool] {
		return nil, r.unknownTool(tool)
	}
	key := callKey(tool, args)
	results := r.answers[key]
	if len(results) == 0 {
		return nil, toolErrorf(CodeNoRecording, "no recording for this call: %s(%s); the log has no call of %s with these arguments",
			tool, strings.TrimPrefix(key, tool+"\x00"), tool)
	}
	i := min(seen[key], len(results)-1)
	seen[key]++
	res := results[i]
	if res.Error {
		return nil, toolErrorf(CodeInvalid, "%s", res.Content)
	}
	return json.RawMessage(res.Content), nil
}
