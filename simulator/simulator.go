package simulator

import (
	"context"

	"github.com/merchantarena/merchantarena/transcript"
)

// StopReason says why a session ended.
type StopReason string

// Stop reasons. The candidate-side ones (error, timeout) are set by the arena.
const (
	StopNone       StopReason = ""
	StopScriptDone StopReason = "script_done" // verbatim: no logged merchant turn left
	StopTurnLimit  StopReason = "turn_limit"
	StopGoalsMet   StopReason = "goals_met"
	StopGaveUp     StopReason = "gave_up"
)

// Decision is the merchant's next move: a message, or a stop with a reason,
// and, from merchants that track them, where each goal stands.
type Decision struct {
	Message string
	Stop    bool
	Reason  StopReason
	Goals   []GoalStatus
	// Note is the merchant's own account of its decision, for the record.
	Note string
}

// GoalStatus is the merchant's view of one goal.
type GoalStatus struct {
	Goal   string `json:"goal"`
	Status string `json:"status"` // GoalPending, GoalDone or GoalFailed
}

// Goal statuses a merchant reports.
const (
	GoalPending = "pending"
	GoalDone    = "done"
	GoalFailed  = "failed"
)

// Merchant plays the merchant. Next sees the whole visible dialogue so far
// (merchant and assistant messages; tool internals are the caller's to
// strip) and returns the next message or a stop.
type Merchant interface {
	Next(ctx context.Context, dialogue []transcript.Message) (Decision, error)
}

// merchantTurns counts the merchant messages in a dialogue.
func merchantTurns(dialogue []transcript.Message) int {
	n := 0
	for _, m := range dialogue {
		if m.Role == transcript.RoleUser {
			n++
		}
	}
	return n
}
