package transcript

import "fmt"

// linkIssue is one broken link between tool calls and tool results, at
// message msg of a conversation; err wraps ErrOrphanResult,
// ErrUnansweredCall, ErrDuplicateCallID or ErrToolName.
type linkIssue struct {
	msg, call int // call is -1 for an issue with a tool result
	err       error
}

type pendingCall struct {
	msg, call int
	name      string
}

// link pairs every tool result with the call it answers: the oldest
// still-unanswered call with its tool_call_id. A call ID may be reused once
// its first call has been answered (tau-bench's logs do this), since a
// result can then answer only one call. When fill is set, a result without
// a name takes its call's, in place.
func link(msgs []Message, fill bool) []linkIssue {
	var issues []linkIssue
	pending := map[string][]pendingCall{}
	var order []string // call IDs in first-seen order, for stable reports
	for i := range msgs {
		m := &msgs[i]
		for j, tc := range m.ToolCalls {
			if len(pending[tc.ID]) > 0 {
				issues = append(issues, linkIssue{i, j, fmt.Errorf("%w %q: an earlier call with this id is still unanswered",
					ErrDuplicateCallID, tc.ID)})
			}
			if _, seen := pending[tc.ID]; !seen {
				order = append(order, tc.ID)
			}
			pending[tc.ID] = append(pending[tc.ID], pendingCall{i, j, tc.Function.Name})
		}
		if m.Role != RoleTool {
			continue
		}
		calls := pending[m.ToolCallID]
		if m.ToolCallID == "" || len(calls) == 0 {
			issues = append(issues, linkIssue{i, -1, fmt.Errorf("%w: tool_call_id %q", ErrOrphanResult, m.ToolCallID)})
			continue
		}
		call := calls[0]
		pending[m.ToolCallID] = calls[1:]
		if fill && m.Name == "" {
			m.Name = call.name
		}
		if m.Name != call.name {
			issues = append(issues, linkIssue{i, -1, fmt.Errorf("%w: result names %q, call %q asked for %q",
				ErrToolName, m.Name, m.ToolCallID, call.name)})
		}
	}
	for _, id := range order {
		for _, c := range pending[id] {
			issues = append(issues, linkIssue{c.msg, c.call, fmt.Errorf("%w: id %q (%s)",
				ErrUnansweredCall, id, c.name)})
		}
	}
	return issues
}
