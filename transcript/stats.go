package transcript

import "errors"

// Stats counts what a log holds, to check at a glance that an import lost
// nothing: every message by role, every tool call by name, and every link
// between calls and results.
type Stats struct {
	Conversations  int            `json:"conversations"`
	Messages       int            `json:"messages"`
	MessagesByRole map[string]int `json:"messages_by_role"`
	// MerchantTurns counts user messages: in merchant logs the user is the
	// merchant.
	MerchantTurns     int            `json:"merchant_turns"`
	AssistantMessages int            `json:"assistant_messages"`
	ToolCalls         int            `json:"tool_calls"`
	ToolCallsByName   map[string]int `json:"tool_calls_by_name"`
	ToolResults       int            `json:"tool_results"`
	// ToolErrors counts tool results marked as failures.
	ToolErrors int `json:"tool_errors"`
	// UnansweredCalls counts calls no later result answers; OrphanResults
	// results that answer no earlier unanswered call.
	UnansweredCalls int `json:"unanswered_calls"`
	OrphanResults   int `json:"orphan_results"`
	// ParallelCallMessages counts messages asking for more than one call.
	ParallelCallMessages int `json:"parallel_call_messages"`
	Problems             int `json:"problems"`
	// ProblemsDropped counts records lost; ProblemsKept problems in records
	// that were loaded anyway.
	ProblemsDropped int `json:"problems_dropped"`
	ProblemsKept    int `json:"problems_kept"`
}

// Stats counts the log's conversations and problems.
func (l *Log) Stats() Stats {
	s := Stats{MessagesByRole: map[string]int{}, ToolCallsByName: map[string]int{}}
	for i := range l.Conversations {
		s.addConversation(&l.Conversations[i])
	}
	for _, p := range l.Problems {
		s.Problems++
		if p.Dropped {
			s.ProblemsDropped++
		} else {
			s.ProblemsKept++
		}
	}
	return s
}

func (s *Stats) addConversation(c *Conversation) {
	s.Conversations++
	for _, m := range c.Messages {
		s.Messages++
		s.MessagesByRole[string(m.Role)]++
		switch m.Role {
		case RoleUser:
			s.MerchantTurns++
		case RoleAssistant:
			s.AssistantMessages++
		case RoleTool:
			s.ToolResults++
			if m.Error {
				s.ToolErrors++
			}
		}
		if len(m.ToolCalls) > 1 {
			s.ParallelCallMessages++
		}
		for _, tc := range m.ToolCalls {
			s.ToolCalls++
			s.ToolCallsByName[tc.Function.Name]++
		}
	}
	// link only reads when fill is false, so the log is left as it is.
	for _, is := range link(c.Messages, false) {
		switch {
		case errors.Is(is.err, ErrUnansweredCall):
			s.UnansweredCalls++
		case errors.Is(is.err, ErrOrphanResult):
			s.OrphanResults++
		}
	}
}

// Add adds o's counts to s, to total several logs.
func (s *Stats) Add(o Stats) {
	if s.MessagesByRole == nil {
		s.MessagesByRole = map[string]int{}
	}
	if s.ToolCallsByName == nil {
		s.ToolCallsByName = map[string]int{}
	}
	s.Conversations += o.Conversations
	s.Messages += o.Messages
	for k, v := range o.MessagesByRole {
		s.MessagesByRole[k] += v
	}
	s.MerchantTurns += o.MerchantTurns
	s.AssistantMessages += o.AssistantMessages
	s.ToolCalls += o.ToolCalls
	for k, v := range o.ToolCallsByName {
		s.ToolCallsByName[k] += v
	}
	s.ToolResults += o.ToolResults
	s.ToolErrors += o.ToolErrors
	s.UnansweredCalls += o.UnansweredCalls
	s.OrphanResults += o.OrphanResults
	s.ParallelCallMessages += o.ParallelCallMessages
	s.Problems += o.Problems
	s.ProblemsDropped += o.ProblemsDropped
	s.ProblemsKept += o.ProblemsKept
}
