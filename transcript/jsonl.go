package transcript

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
)

// JSONL: one conversation per line, {"id", "messages", "tools", "metadata"}.
// OpenAI fine-tuning lines ({"messages", "tools", "parallel_tool_calls"})
// are the same shape without an ID. Top-level fields other than those four
// are kept in Metadata under their own name, unless Metadata already has
// that key.

// readJSONL reads lines until r ends. Lines have no length limit.
func (l *loader) readJSONL(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		line, err := br.ReadBytes('\n')
		if !isBlank(line) && l.jsonlLine(line, n) {
			return nil
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: line %d: %w", l.log.File, n, err)
		}
	}
}

// jsonlLine loads one non-blank line; it reports whether to stop.
func (l *loader) jsonlLine(line []byte, n int) bool {
	r, err := l.decodeJSONL(line, n)
	if err != nil {
		return l.drop(n, r.conv.ID, err)
	}
	return l.commit(r)
}

// decodeJSONL decodes one line. On error, the record holds the ID when it
// could be read. The line is validated once; its members and messages are
// then cut out by offset rather than copied.
func (l *loader) decodeJSONL(line []byte, n int) (*record, error) {
	r := &record{field: "messages"}
	if !json.Valid(line) {
		e, off := jsonError(json.Unmarshal(line, new(any)), "", 0)
		return r, fmt.Errorf("column %d: %w", off+1, e)
	}
	obj := trim(line, 0, len(line))
	if line[obj.start] != '{' {
		return r, fmt.Errorf("%w: record: want an object, found %s", ErrField, abbrev(line[obj.start:obj.end]))
	}
	top := members(line, obj)
	id, err := idText("id", value(line, top["id"]))
	if err != nil {
		return r, err
	}
	r.conv = Conversation{ID: id, Source: Source{Line: n, Format: FormatJSONL}}
	r.explicit = id != ""
	if id == "" {
		r.conv.ID = fallbackID(l.log.File, n)
	}
	if p := l.spanMessages(r, line, top["messages"], false); p != nil {
		return r, p.err
	}
	if r.conv.Tools, err = tools(line, top["tools"], "tools"); err != nil {
		return r, err
	}
	r.conv.Metadata, err = jsonlMetadata(line, top)
	return r, err
}

// jsonlMetadata reads "metadata" and keeps the unknown top-level fields.
func jsonlMetadata(line []byte, top map[string]span) (map[string]any, error) {
	var meta map[string]any
	if s, ok := top["metadata"]; ok {
		if err := json.Unmarshal(value(line, s), &meta); err != nil {
			e, _ := jsonError(err, "metadata", 0)
			return nil, e
		}
	}
	for k, s := range top {
		switch k {
		case "id", "messages", "tools", "metadata":
			continue
		}
		if _, taken := meta[k]; taken {
			continue
		}
		var v any
		if err := json.Unmarshal(value(line, s), &v); err != nil {
			e, _ := jsonError(err, k, 0)
			return nil, e
		}
		if meta == nil {
			meta = map[string]any{}
		}
		meta[k] = v
	}
	return meta, nil
}
