package judges

import (
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// Kinds of violation. A kind is what a leaderboard counts; a rule is the
// exact check that fired.
const (
	KindInvalidArgs    = "invalid_arguments"
	KindUnknownTool    = "unknown_tool"
	KindUnknownID      = "unknown_id"
	KindWrongEnum      = "wrong_enum"
	KindQuerySyntax    = "query_syntax"
	KindQueryField     = "query_field"
	KindOptOut         = "opt_out"
	KindTagHacking     = "tag_hacking"
	KindHallucinatedID = "hallucinated_id"
	KindUngrounded     = "hallucinated_fact"
	KindClaimedAction  = "claimed_action"
	KindSideEffect     = "side_effect"
)

// Finding is one violation: which rule fired, on which turn and tool call,
// and whether it fails the gate.
type Finding struct {
	Rule    string `json:"rule"`
	Kind    string `json:"kind"`
	Gate    bool   `json:"gate"`
	Turn    int    `json:"turn"`
	CallID  string `json:"call_id,omitempty"`
	Tool    string `json:"tool,omitempty"`
	Message string `json:"message"`
}

// Step is one message of a session with the merchant turn it belongs to.
type Step struct {
	Turn int
	transcript.Message
}

// Status is how a session ended on the candidate's side.
type Status string

// Session statuses.
const (
	StatusOK      Status = "ok"
	StatusError   Status = "error"
	StatusTimeout Status = "timeout"
)

// Evidence is everything stage 1 looks at for one session.
type Evidence struct {
	Card *personas.Card
	// Steps is the whole session: merchant messages, and the assistant
	// messages and tool results the build returned.
	Steps []Step
	// Calls is what the sandbox recorded, in order.
	Calls []sandbox.CallRecord
	// Initial is the store the session started from; Final where it ended.
	Initial *sandbox.Store
	Final   *sandbox.Store
	Status  Status
}

// CallCheck is the validation outcome of one recorded call.
type CallCheck struct {
	Seq     int    `json:"seq"`
	Valid   bool   `json:"valid"`
	Problem string `json:"problem,omitempty"`
}

// GoalResult says whether one goal was met and why not.
type GoalResult struct {
	Goal       string           `json:"goal"`
	Met        bool             `json:"met"`
	Score      float64          `json:"score"`
	StateMet   *bool            `json:"state_met,omitempty"`
	OutputsMet *bool            `json:"outputs_met,omitempty"`
	Missing    []string         `json:"missing,omitempty"`
	Diff       []sandbox.Change `json:"diff,omitempty"`
	Note       string           `json:"note,omitempty"`
}

// Score is one criterion's score from one judge, with the judge's version.
// Gated is the score after stage-1 gates capped it.
type Score struct {
	Judge     string  `json:"judge"`
	Criterion string  `json:"criterion"`
	Score     float64 `json:"score"`
	Gated     float64 `json:"gated"`
	Rationale string  `json:"rationale,omitempty"`
	Version   string  `json:"version"`
}

// Verdict is the judgement of one session.
type Verdict struct {
	Findings []Finding    `json:"findings"`
	Calls    []CallCheck  `json:"calls"`
	Goals    []GoalResult `json:"goals"`
	Scores   []Score      `json:"scores"`
	// Raw is the mean goal score; Gated is Raw capped when a gate failed
	// and 0 when the session errored.
	Raw     float64 `json:"raw"`
	Gated   float64 `json:"gated"`
	Success bool    `json:"success"`
}

// GateFailed reports whether any finding fails the gate.
func (v *Verdict) GateFailed() bool {
	for _, f := range v.Findings {
		if f.Gate {
			return true
		}
	}
	return false
}
