package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// wireTool is a tool declaration in the OpenAI shape ({type, function}) or
// a bare function declaration ({name, description, parameters}).
type wireTool struct {
	Type     string    `json:"type"`
	Function *wireDecl `json:"function"`
	wireDecl
}

type wireDecl struct {
	Name        string          `json:"name"`
	Description string          `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
	Strict      bool            `json:"strict"`
}

// tools decodes the tool declarations at s: a JSON array of tools, or an
// object from tool name to tool (tau2-bench tool_defs), kept in file order.
// null or absent gives none.
func tools(data []byte, s span, field string) ([]Tool, error) {
	if s.start >= s.end || string(data[s.start:s.end]) == "null" {
		return nil, nil
	}
	var raws []span
	switch data[s.start] {
	case '[':
		raws = elements(data, s)
	case '{':
		its, _, _ := items(data, s.start)
		for _, it := range its {
			m, err := splitMember(data, it)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", field, err)
			}
			raws = append(raws, m.value)
		}
	default:
		return nil, fmt.Errorf("%w: %s: want an array or an object, found %s",
			ErrField, field, abbrev(data[s.start:s.end]))
	}
	out := make([]Tool, 0, len(raws))
	for i, r := range raws {
		t, err := tool(data[r.start:r.end], fmt.Sprintf("%s[%d]", field, i), r.start)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func tool(raw []byte, path string, off int) (Tool, error) {
	var w wireTool
	if err := json.Unmarshal(raw, &w); err != nil {
		e, _ := jsonError(err, path, off)
		return Tool{}, e
	}
	f := w.wireDecl
	if w.Function != nil {
		f = *w.Function
	}
	if f.Name == "" {
		return Tool{}, fmt.Errorf("%w: %s: function name missing", ErrField, path)
	}
	t := Tool{Type: w.Type, Function: Function{Name: f.Name, Description: f.Description, Strict: f.Strict}}
	if t.Type == "" {
		t.Type = "function"
	}
	if len(f.Parameters) > 0 && string(f.Parameters) != "null" {
		var buf bytes.Buffer
		if err := json.Compact(&buf, f.Parameters); err != nil {
			return Tool{}, fmt.Errorf("%w: %s.parameters: %v", ErrSyntax, path, err)
		}
		t.Function.Parameters = buf.Bytes()
	}
	return t, nil
}
