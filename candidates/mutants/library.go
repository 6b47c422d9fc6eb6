package mutants

import (
	"sort"

	"github.com/merchantarena/merchantarena/transcript"
)

// Library indexes logged conversations by their merchant messages, so a
// build can tell which logged conversation a session is replaying and where.
type Library struct {
	scripts []*script
}

// script is one logged conversation cut at merchant messages: segments[k]
// holds what the assistant did after the (k+1)th merchant message.
type script struct {
	id       string
	merchant []string
	segments [][]transcript.Message
	results  map[string]string // tool_call_id → logged result
}

// NewLibrary indexes convs. Conversations without a merchant message are
// left out.
func NewLibrary(convs []transcript.Conversation) *Library {
	l := &Library{}
	for _, c := range convs {
		if s := cut(c); len(s.merchant) > 0 {
			l.scripts = append(l.scripts, s)
		}
	}
	sort.SliceStable(l.scripts, func(i, j int) bool { return l.scripts[i].id < l.scripts[j].id })
	return l
}

// Len is the number of conversations indexed.
func (l *Library) Len() int { return len(l.scripts) }

func cut(c transcript.Conversation) *script {
	s := &script{id: c.ID, results: map[string]string{}}
	for _, m := range c.Messages {
		switch m.Role {
		case transcript.RoleUser:
			s.merchant = append(s.merchant, m.Content)
			s.segments = append(s.segments, nil)
		case transcript.RoleTool:
			s.results[m.ToolCallID] = m.Content
		case transcript.RoleAssistant:
			if n := len(s.segments); n > 0 {
				s.segments[n-1] = append(s.segments[n-1], m)
			}
		}
	}
	return s
}

// find returns the logged conversation a session follows and the index of
// its current merchant turn. The session's merchant messages must be a
// prefix of the log; failing that, a log with the same opening message is
// followed as far as it goes.
func (l *Library) find(messages []transcript.Message) (*script, int, bool) {
	var said []string
	for _, m := range messages {
		if m.Role == transcript.RoleUser {
			said = append(said, m.Content)
		}
	}
	if len(said) == 0 {
		return nil, 0, false
	}
	k := len(said) - 1
	for _, s := range l.scripts {
		if isPrefix(said, s.merchant) {
			return s, k, true
		}
	}
	for _, s := range l.scripts {
		if s.merchant[0] == said[0] {
			return s, min(k, len(s.segments)-1), true
		}
	}
	return nil, 0, false
}

func isPrefix(said, logged []string) bool {
	if len(said) > len(logged) {
		return false
	}
	for i := range said {
		if said[i] != logged[i] {
			return false
		}
	}
	return true
}
