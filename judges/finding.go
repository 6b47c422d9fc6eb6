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
	// KindNoRecording counts calls to a recorded (foreign) tool that the
	// log has no recording for (sandbox.CodeNoRecording): what the call
	// would have returned is unknown, so it is reported, never gated.
	KindNoRecording = "no_recording"
	// KindSimulatorFault blames the simulated merchant, not the build; it
	// never gates.
	KindSimulatorFault = "simulator_fault"
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

	// Session names the session in the LLM call log; it never changes a
	// judgement.
	Session string
	// Simulated says an LLM played the merchant. Its turns then do not line
	// up with the log's: stage 1 looks for a goal's outputs from turn 1 on
	// and checks for simulator faults.
	Simulated bool
	// StopReason is why the merchant ended the session ("goals_met",
	// "gave_up", "turn_limit", ...).
	StopReason string
	// MerchantGoals is the merchant's last word on each goal, by goal ID:
	// "pending", "done" or "failed".
	MerchantGoals map[string]string
	// Recording is the log a recorded session replays (see
	// sandbox.Service.OpenRecorded); nil for a native session. With it,
	// the tools the log used but the sandbox lacks are validated against
	// the log's declared schemas instead of being unknown.
	Recording *sandbox.Recording
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
// Score is in [0,1]; Gated is the score after stage-1 gates capped it.
// CitedTurns are the merchant turns an LLM judge pointed at.
type Score struct {
	Judge      string  `json:"judge"`
	Criterion  string  `json:"criterion"`
	Score      float64 `json:"score"`
	Gated      float64 `json:"gated"`
	Rationale  string  `json:"rationale,omitempty"`
	CitedTurns []int   `json:"cited_turns,omitempty"`
	Version    string  `json:"version"`
}

// Verdict is the judgement of one session.
type Verdict struct {
	Findings []Finding    `json:"findings"`
	Calls    []CallCheck  `json:"calls"`
	Goals    []GoalResult `json:"goals"`
	Scores   []Score      `json:"scores"`
	// Raw is the mean goal score after stage 1, and the weighted mean of
	// it and the LLM criteria after stage 2 (see doc.go); Gated is Raw
	// capped when a gate failed and 0 when the session errored.
	Raw     float64 `json:"raw"`
	Gated   float64 `json:"gated"`
	Success bool    `json:"success"`
	// SimulatorFault says the simulated merchant broke its card; the arena
	// keeps such sessions out of the build's scores. FaultReason is the
	// first fault's message.
	SimulatorFault bool   `json:"simulator_fault,omitempty"`
	FaultReason    string `json:"fault_reason,omitempty"`
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
