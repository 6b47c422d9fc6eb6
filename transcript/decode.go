package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Decoding follows the rule in the package doc: an error returned here drops
// the record; a problem kept with msgDecoder.keep is reported beside it.

// wireMessage is a message in any of the chat shapes the importers read:
// OpenAI (tool_calls[].function, tool_call_id) and tau2-bench (flat
// tool_calls[] with object arguments, the call ID of a tool message in id).
type wireMessage struct {
	Role         *string         `json:"role"`
	Content      any             `json:"content"`
	ToolCalls    []wireToolCall  `json:"tool_calls"`
	ToolCallID   string          `json:"tool_call_id"`
	ID           any             `json:"id"`
	Name         string          `json:"name"`
	Error        any             `json:"error"`
	FunctionCall json.RawMessage `json:"function_call"`
}

type wireToolCall struct {
	ID        string          `json:"id"`
	Type      string          `json:"type"`
	Function  *wireFunction   `json:"function"`
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

type wireFunction struct {
	Name      string          `json:"name"`
	Arguments json.RawMessage `json:"arguments"`
}

// msgDecoder turns raw messages into Messages for one record. It collects
// the record's kept problems; the first structural error is returned.
type msgDecoder struct {
	field   string // "messages" or "traj", for error paths
	tau2IDs bool   // a tool message's call ID is in "id"
	kept    []fieldProblem
}

// fieldProblem is a kept problem located by byte offset (-1: the record).
type fieldProblem struct {
	off int
	err error
}

func (d *msgDecoder) keep(off int, format string, args ...any) {
	d.kept = append(d.kept, fieldProblem{off, fmt.Errorf(format, args...)})
}

// message decodes the message at raw, which starts at byte off of the file.
func (d *msgDecoder) message(i int, raw []byte, off int) (Message, error) {
	path := fmt.Sprintf("%s[%d]", d.field, i)
	var w wireMessage
	if err := json.Unmarshal(raw, &w); err != nil {
		e, _ := jsonError(err, path, off)
		return Message{}, e
	}
	if w.Role == nil || *w.Role == "" {
		return Message{}, fmt.Errorf("%w: %s.role: missing", ErrField, path)
	}
	m := Message{Role: Role(*w.Role), ToolCallID: w.ToolCallID, Name: w.Name}
	switch m.Role {
	case RoleSystem, RoleUser, RoleAssistant, RoleTool:
	default:
		d.keep(off, "%s.role: %w %q, kept as written", path, ErrUnknownRole, m.Role)
	}
	var err error
	if m.Content, err = d.content(path+".content", w.Content, off); err != nil {
		return Message{}, err
	}
	if m.Error, err = flag(path+".error", w.Error); err != nil {
		return Message{}, err
	}
	if d.tau2IDs && m.ToolCallID == "" && m.Role == RoleTool {
		if m.ToolCallID, err = idValue(path+".id", w.ID); err != nil {
			return Message{}, err
		}
	}
	if len(w.FunctionCall) > 0 && string(w.FunctionCall) != "null" {
		d.keep(off, "%s.function_call: legacy function calls are not supported; left out", path)
	}
	for j, tc := range w.ToolCalls {
		m.ToolCalls = append(m.ToolCalls, d.toolCall(fmt.Sprintf("%s.tool_calls[%d]", path, j), tc, off))
	}
	return m, nil
}

func (d *msgDecoder) toolCall(path string, w wireToolCall, off int) ToolCall {
	tc := ToolCall{ID: w.ID, Type: w.Type, Function: FunctionCall{Name: w.Name}}
	args, argsPath := w.Arguments, path+".arguments"
	if w.Function != nil {
		tc.Function.Name, args, argsPath = w.Function.Name, w.Function.Arguments, path+".function.arguments"
	}
	if tc.Type == "" {
		tc.Type = "function"
	}
	if tc.Function.Name == "" {
		d.keep(off, "%w: %s: the function name is missing", ErrField, path)
	}
	var err error
	if tc.Function.Arguments, err = arguments(args); err != nil {
		d.keep(off, "%s: %w", argsPath, err)
	}
	return tc
}

// arguments normalises tool-call arguments to compact JSON text. They may
// be a JSON string holding JSON (OpenAI) or the JSON value itself (tau2).
// Absent, null and "" mean no arguments: "{}". Text that is not JSON is
// kept verbatim and reported, so nothing the model sent is lost.
func arguments(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "{}", nil
	}
	text := []byte(raw)
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return string(raw), fmt.Errorf("%w: %v", ErrArguments, err)
		}
		if strings.TrimSpace(s) == "" {
			return "{}", nil
		}
		text = []byte(s)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, text); err != nil {
		return string(text), fmt.Errorf("%w: %v; kept verbatim", ErrArguments, err)
	}
	if buf.Bytes()[0] != '{' {
		return buf.String(), fmt.Errorf("%w: found %s", ErrArguments, abbrev(buf.Bytes()))
	}
	return buf.String(), nil
}

// content reads a string, null, or an array of content parts whose text
// parts are joined with newlines. It is decoded as a generic value so that
// the common case, a string, is parsed once.
func (d *msgDecoder) content(path string, v any, off int) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []any:
		return d.parts(path, v, off)
	}
	return "", fmt.Errorf("%w: %s: want a string, null or an array of parts, found %s", ErrField, path, kindOf(v))
}

func (d *msgDecoder) parts(path string, parts []any, off int) (string, error) {
	var texts []string
	for i, raw := range parts {
		p, ok := raw.(map[string]any)
		if !ok {
			return "", fmt.Errorf("%w: %s[%d]: want an object, found %s", ErrField, path, i, kindOf(raw))
		}
		typ, _ := p["type"].(string)
		key := "text"
		switch typ {
		case "text", "input_text", "output_text":
		case "refusal":
			key = "refusal"
		default:
			d.keep(off, "%s[%d]: %w: type %q", path, i, ErrContentPart, typ)
			continue
		}
		text, ok := p[key].(string)
		if !ok && p[key] != nil {
			return "", fmt.Errorf("%w: %s[%d].%s: want a string, found %s", ErrField, path, i, key, kindOf(p[key]))
		}
		texts = append(texts, text)
	}
	return strings.Join(texts, "\n"), nil
}

// flag reads an optional boolean.
func flag(path string, v any) (bool, error) {
	switch v := v.(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	}
	return false, fmt.Errorf("%w: %s: want a boolean, found %s", ErrField, path, kindOf(v))
}

// idText reads an optional ID given as a string or a number.
func idText(path string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrField, path, err)
	}
	return idValue(path, v)
}

func idValue(path string, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	}
	return "", fmt.Errorf("%w: %s: want a string or a number, found %s", ErrField, path, kindOf(v))
}

// kindOf names the JSON type of a generically decoded value.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	}
	return "an object"
}

// abbrev shows the start of a JSON value in an error message.
func abbrev(raw []byte) string {
	const max = 40
	if len(raw) > max {
		return string(raw[:max]) + "…"
	}
	return string(raw)
}
