package transcript

import (
	"encoding/json"
	"fmt"
	"slices"
)

// tau2-bench simulation results: one object {timestamp, info, tasks,
// simulations: [{id, task_id, trial, seed, termination_reason, reward_info,
// messages}]}. Assistant tool calls are flat ({id, name, arguments} with
// object arguments) and a tool message carries its call's ID in "id".

type tau2Info struct {
	UserInfo struct {
		LLM any `json:"llm"`
	} `json:"user_info"`
	AgentInfo struct {
		LLM any `json:"llm"`
	} `json:"agent_info"`
	EnvironmentInfo struct {
		DomainName any `json:"domain_name"`
	} `json:"environment_info"`
}

type tau2Task struct {
	ID           any `json:"id"`
	UserScenario struct {
		Instructions any `json:"instructions"`
	} `json:"user_scenario"`
	EvaluationCriteria *struct {
		Actions []wireAction `json:"actions"`
	} `json:"evaluation_criteria"`
}

type tau2Sim struct {
	ID                any `json:"id"`
	TaskID            any `json:"task_id"`
	Trial             any `json:"trial"`
	Seed              any `json:"seed"`
	TerminationReason any `json:"termination_reason"`
	RewardInfo        *struct {
		Reward any `json:"reward"`
	} `json:"reward_info"`
}

// tau2File holds what every simulation's conversation takes from the rest
// of the file.
type tau2File struct {
	info      tau2Info
	tasks     map[string]*tau2Task
	haveTasks bool
	tools     []Tool
}

func (l *loader) readTau2(data []byte) error {
	l.lines = newLineIndex(data)
	open := skipSpace(data, 0)
	if open == len(data) || data[open] != '{' {
		return fmt.Errorf("read %s as %s: %w: want a JSON object with \"simulations\"", l.log.File, FormatTau2Bench, ErrFormat)
	}
	its, end, closed := items(data, open)
	top := map[string]span{}
	for _, it := range its {
		m, err := splitMember(data, it)
		if err != nil {
			if l.problem(&ParseError{Line: l.lines.line(it.start), Err: err}) {
				return nil
			}
			continue
		}
		top[m.key] = m.value
	}
	sims, ok := top["simulations"]
	if !ok || sims.start == sims.end || data[sims.start] != '[' {
		return fmt.Errorf("read %s as %s: %w: no \"simulations\" array", l.log.File, FormatTau2Bench, ErrFormat)
	}
	file, stop := l.tau2File(data, top)
	if stop {
		return nil
	}
	simItems, simEnd, simClosed := items(data, sims.start)
	for k, s := range simItems {
		if l.tau2Sim(data, k, s, file) {
			return nil
		}
	}
	if !simClosed {
		l.closeDocument(data, simEnd, false, "simulations array")
		return nil
	}
	l.closeDocument(data, end, closed, "object")
	return nil
}

// tau2File reads info, tasks and tool declarations. A broken one is a kept
// problem: the simulations still load, with less metadata.
func (l *loader) tau2File(data []byte, top map[string]span) (*tau2File, bool) {
	f := &tau2File{tasks: map[string]*tau2Task{}}
	if s, ok := top["info"]; ok {
		if err := json.Unmarshal(data[s.start:s.end], &f.info); err != nil {
			e, off := jsonError(err, "info", s.start)
			if l.problem(&ParseError{Line: l.at(off, l.lines.line(s.start)), Err: e}) {
				return nil, true
			}
		} else if l.tau2Tools(data, s, f) {
			return nil, true
		}
	}
	s, ok := top["tasks"]
	f.haveTasks = ok && s.start < s.end && data[s.start] == '['
	if ok && !f.haveTasks && string(data[s.start:s.end]) != "null" {
		err := fmt.Errorf("%w: tasks: want an array, found %s", ErrField, abbrev(data[s.start:s.end]))
		if l.problem(&ParseError{Line: l.lines.line(s.start), Err: err}) {
			return nil, true
		}
	}
	for k, ts := range elements(data, s) {
		var t tau2Task
		if err := json.Unmarshal(data[ts.start:ts.end], &t); err != nil {
			e, off := jsonError(err, fmt.Sprintf("tasks[%d]", k), ts.start)
			if l.problem(&ParseError{Line: l.at(off, l.lines.line(ts.start)), Err: e}) {
				return nil, true
			}
			continue
		}
		f.tasks[valueText(t.ID)] = &t
	}
	return f, false
}

// tau2Tools reads info.environment_info.tool_defs from the valid info at s.
func (l *loader) tau2Tools(data []byte, s span, f *tau2File) bool {
	defs := members(data, members(data, s)["environment_info"])["tool_defs"]
	var err error
	if f.tools, err = tools(data, defs, "info.environment_info.tool_defs"); err != nil {
		return l.problem(&ParseError{Line: l.lines.line(defs.start), Err: err})
	}
	return false
}

// tau2Sim loads simulation k at s; it reports whether to stop.
func (l *loader) tau2Sim(data []byte, k int, s span, f *tau2File) bool {
	line := l.lines.line(s.start)
	if s.start == s.end {
		return l.problem(&ParseError{Line: line, Err: fmt.Errorf("%w: simulations[%d] is empty (a stray comma)", ErrSyntax, k)})
	}
	var sim tau2Sim
	if err := json.Unmarshal(data[s.start:s.end], &sim); err != nil {
		e, off := jsonError(err, "", s.start)
		return l.drop(l.at(off, line), "", fmt.Errorf("simulations[%d]: %w", k, e))
	}
	r := &record{field: "messages", conv: Conversation{Source: Source{Line: line, Format: FormatTau2Bench}}}
	r.conv.ID = valueText(sim.ID)
	r.explicit = r.conv.ID != ""
	if !r.explicit {
		r.conv.ID = fallbackID(l.log.File, line)
	}
	if err := l.spanMessages(r, data, members(data, s)["messages"], true); err != nil {
		return l.drop(l.at(err.off, line), r.conv.ID, err.err)
	}
	r.conv.Tools = slices.Clone(f.tools)
	r.conv.Metadata = tau2Metadata(&sim, f)
	if task := valueText(sim.TaskID); f.haveTasks && f.tasks[task] == nil {
		r.kept = append(r.kept, fieldProblem{-1, fmt.Errorf("%w: task_id %q is not in tasks: no instructions or expected actions", ErrField, task)})
	}
	return l.commit(r)
}

func tau2Metadata(sim *tau2Sim, f *tau2File) map[string]any {
	meta := map[string]any{}
	set(meta, "task_id", sim.TaskID)
	set(meta, "trial", sim.Trial)
	set(meta, "seed", sim.Seed)
	set(meta, "termination_reason", sim.TerminationReason)
	if sim.RewardInfo != nil {
		set(meta, "reward", sim.RewardInfo.Reward)
	}
	set(meta, "agent_llm", f.info.AgentInfo.LLM)
	set(meta, "user_llm", f.info.UserInfo.LLM)
	set(meta, "domain", f.info.EnvironmentInfo.DomainName)
	if t := f.tasks[valueText(sim.TaskID)]; t != nil {
		set(meta, "instructions", t.UserScenario.Instructions)
		if t.EvaluationCriteria != nil && t.EvaluationCriteria.Actions != nil {
			meta["expected_actions"] = actions(t.EvaluationCriteria.Actions)
		}
	}
	return meta
}
