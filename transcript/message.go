package transcript

import (
	"encoding/json"
	"sort"
)

// Role is who wrote a message.
type Role string

// The roles of the OpenAI chat shape. In merchant conversations the user is
// the merchant and the assistant is the build under test.
const (
	RoleSystem    Role = "system"
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	RoleTool      Role = "tool"
)

// Message is one chat message in the OpenAI shape. A tool result carries the
// ID of the call it answers in ToolCallID and the tool's name in Name.
type Message struct {
	Role       Role       `json:"role"`
	Content    string     `json:"content,omitempty"`
	ToolCalls  []ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
	Name       string     `json:"name,omitempty"`
	// Error marks a tool result that reports a failure (tau2-bench keeps this
	// flag; the sandbox sets it when a call is refused).
	Error bool `json:"error,omitempty"`
}

// ToolCall is one function call an assistant message asks for. Arguments is
// the JSON text of the arguments object, as OpenAI sends it.
type ToolCall struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Function FunctionCall `json:"function"`
}

// FunctionCall names the function and carries its JSON arguments.
type FunctionCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// Tool is a tool declaration in the OpenAI shape.
type Tool struct {
	Type     string   `json:"type"`
	Function Function `json:"function"`
}

// Function is the JSON-schema declaration of one callable function.
type Function struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
	Strict      bool            `json:"strict,omitempty"`
}

// Conversation is one logged conversation. Source says where it was read
// from and is not part of its JSON form.
type Conversation struct {
	ID       string         `json:"id"`
	Messages []Message      `json:"messages"`
	Tools    []Tool         `json:"tools,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
	Source   Source         `json:"-"`
}

// Source locates a conversation in the file it came from.
type Source struct {
	File   string
	Line   int
	Format string
}

// Skills returns the skill tags in Metadata["skills"] (a list of strings or
// one string), sorted and without duplicates.
func (c *Conversation) Skills() []string {
	seen := map[string]bool{}
	switch v := c.Metadata["skills"].(type) {
	case string:
		seen[v] = true
	case []string:
		for _, s := range v {
			seen[s] = true
		}
	case []any:
		for _, s := range v {
			if s, ok := s.(string); ok {
				seen[s] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		if s != "" {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// Text returns the metadata value under key when it is a string.
func (c *Conversation) Text(key string) string {
	s, _ := c.Metadata[key].(string)
	return s
}

// RawJSON turns a text that should hold JSON (a call's arguments, a tool's
// result) into JSON: valid JSON as it is, empty as nil (OpenAI's way of
// saying "no arguments"), anything else as a JSON string.
func RawJSON(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s) // a string always encodes
	return b
}
