package transcript

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// tau-bench historical trajectories: a JSON array of
// {task_id, trial, reward, info: {task: {user_id, instruction, actions,
// outputs}}, traj}, where traj is in the OpenAI chat shape.

type tauRecord struct {
	TaskID any `json:"task_id"`
	Trial  any `json:"trial"`
	Reward any `json:"reward"`
	Info   struct {
		Task *struct {
			UserID      any          `json:"user_id"`
			Instruction any          `json:"instruction"`
			Actions     []wireAction `json:"actions"`
			Outputs     any          `json:"outputs"`
		} `json:"task"`
	} `json:"info"`
}

// wireAction is an expected action: tau-bench writes kwargs, tau2-bench
// arguments.
type wireAction struct {
	Name      string `json:"name"`
	Kwargs    any    `json:"kwargs"`
	Arguments any    `json:"arguments"`
}

func (l *loader) readTauBench(data []byte) error {
	l.lines = newLineIndex(data)
	open := skipSpace(data, 0)
	if open == len(data) || data[open] != '[' {
		return fmt.Errorf("read %s as %s: %w: want a JSON array of trajectories", l.log.File, FormatTauBench, ErrFormat)
	}
	its, end, closed := items(data, open)
	for k, s := range its {
		if l.tauElement(data, k, s) {
			return nil
		}
	}
	l.closeDocument(data, end, closed, "array")
	return nil
}

// closeDocument reports an unclosed document or data after it.
func (l *loader) closeDocument(data []byte, end int, closed bool, what string) {
	switch rest := skipSpace(data, end); {
	case !closed:
		l.problem(&ParseError{Line: l.lines.line(len(data) - 1),
			Err: fmt.Errorf("%w: unexpected end of file: the %s is not closed", ErrSyntax, what)})
	case rest < len(data):
		l.problem(&ParseError{Line: l.lines.line(rest),
			Err: fmt.Errorf("%w: unexpected data after the %s", ErrSyntax, what)})
	}
}

// tauElement loads trajectory k at s; it reports whether to stop.
func (l *loader) tauElement(data []byte, k int, s span) bool {
	line := l.lines.line(s.start)
	if s.start == s.end {
		return l.problem(&ParseError{Line: line, Err: fmt.Errorf("%w: element %d is empty (a stray comma)", ErrSyntax, k)})
	}
	var rec tauRecord
	if err := json.Unmarshal(data[s.start:s.end], &rec); err != nil {
		e, off := jsonError(err, "", s.start)
		return l.drop(l.at(off, line), "", fmt.Errorf("element %d: %w", k, e))
	}
	r := &record{field: "traj", conv: Conversation{Source: Source{Line: line, Format: FormatTauBench}}}
	r.conv.ID = tauID(rec.TaskID, rec.Trial)
	if r.conv.ID == "" {
		r.conv.ID = fallbackID(l.log.File, line)
	}
	if err := l.spanMessages(r, data, members(data, s)["traj"], false); err != nil {
		return l.drop(l.at(err.off, line), r.conv.ID, err.err)
	}
	r.conv.Metadata = tauMetadata(&rec)
	return l.commit(r)
}

// spanMessages decodes the messages array at s (r.field names it).
func (l *loader) spanMessages(r *record, data []byte, s span, tau2IDs bool) *fieldProblem {
	if s.start == s.end {
		return &fieldProblem{-1, fmt.Errorf("%w: %s: missing", ErrField, r.field)}
	}
	if data[s.start] != '[' {
		return &fieldProblem{s.start, fmt.Errorf("%w: %s: want an array, found %s", ErrField, r.field, abbrev(data[s.start:s.end]))}
	}
	d := msgDecoder{field: r.field, tau2IDs: tau2IDs}
	msgs := elements(data, s)
	r.conv.Messages = make([]Message, 0, len(msgs))
	r.msgAt = make([]int, 0, len(msgs))
	for i, ms := range msgs {
		m, err := d.message(i, data[ms.start:ms.end], ms.start)
		if err != nil {
			return &fieldProblem{ms.start, err}
		}
		r.conv.Messages = append(r.conv.Messages, m)
		r.msgAt = append(r.msgAt, ms.start)
	}
	r.kept = d.kept
	return nil
}

// tauID is "task-<task_id>/trial-<trial>", "task-<task_id>", or "".
func tauID(task, trial any) string {
	t := valueText(task)
	switch {
	case t == "":
		return ""
	case valueText(trial) == "":
		return "task-" + t
	}
	return "task-" + t + "/trial-" + valueText(trial)
}

func tauMetadata(rec *tauRecord) map[string]any {
	meta := map[string]any{}
	set(meta, "task_id", rec.TaskID)
	set(meta, "trial", rec.Trial)
	set(meta, "reward", rec.Reward)
	if t := rec.Info.Task; t != nil {
		set(meta, "user_id", t.UserID)
		set(meta, "instruction", t.Instruction)
		set(meta, "expected_outputs", t.Outputs)
		if t.Actions != nil {
			meta["expected_actions"] = actions(t.Actions)
		}
	}
	return meta
}

// actions turns expected actions into [{name, arguments}] as generic JSON
// values, so that metadata compares equal after a JSON round trip.
func actions(in []wireAction) []any {
	out := make([]any, 0, len(in))
	for _, a := range in {
		args := a.Arguments
		if args == nil {
			args = a.Kwargs
		}
		if args == nil {
			args = map[string]any{}
		}
		out = append(out, map[string]any{"name": a.Name, "arguments": args})
	}
	return out
}

// set stores v under key unless it is absent or null.
func set(meta map[string]any, key string, v any) {
	if v != nil {
		meta[key] = v
	}
}

// valueText prints a string or a number; "" for anything else.
func valueText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}
