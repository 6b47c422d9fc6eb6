package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/transcript"
)

// Session statuses: how a session ended, as far as the arena is concerned.
const (
	StatusOK        = "ok"        // played to its stop (goals done, gave up, turn limit)
	StatusError     = "error"     // the build or the arena failed; scores 0
	StatusTimeout   = "timeout"   // the build did not answer in time; scores 0
	StatusCancelled = "cancelled" // the arena stopped it (run cancelled); not scored, replayed on resume
)

// SessionKey identifies a session within the results file: one trial of one
// persona against one candidate build in one run.
type SessionKey struct {
	Run       string
	Persona   string
	Candidate string // build name
	Version   string // build version
	Trial     int
}

// String returns "run/persona/candidate@version/trial".
func (k SessionKey) String() string {
	return fmt.Sprintf("%s/%s/%s@%s/%d", k.Run, k.Persona, k.Candidate, k.Version, k.Trial)
}

// Session is one played conversation and its verdict: a row of the
// sessions table plus everything recorded under it.
type Session struct {
	ID  int64 // assigned by the file; ignored by WriteSessions
	Key SessionKey

	Status     string // StatusOK, StatusError, StatusTimeout or StatusCancelled
	StopReason string // why it stopped: "goals_done", "gave_up", "turn_limit", ...
	Turns      int
	StartedAt  time.Time
	FinishedAt time.Time
	// Durations are stored in milliseconds; zero means not measured.
	Duration   time.Duration
	LatencyP50 time.Duration // median turn latency of the build
	LatencyP95 time.Duration
	// Tokens the build spent.
	PromptTokens     int
	CompletionTokens int
	Error            string // why the session failed; empty when ok
	// RawScore is the judges' score before stage-1 gates capped it and
	// GatedScore after; nil when the session was not scored.
	RawScore   *float64
	GatedScore *float64
	Success    bool

	// Simulator says who played the merchant. Scores move with it, so
	// paired comparisons must not pair sessions of different simulators.
	Simulator SimulatorInfo
	// GoalStatus is the merchant's view of each goal when the session
	// stopped, as the simulator reported it (JSON); nil when unknown.
	GoalStatus json.RawMessage
	// SimulatorFault flags a session the merchant spoiled (it echoed the
	// assistant, spoke as the assistant, ...): the merchant's failure, not
	// the build's, so the leaderboard counts it apart. FaultReason says
	// why and is required when SimulatorFault is set.
	SimulatorFault bool
	FaultReason    string

	Messages  []Message
	ToolCalls []ToolCall
	Findings  []Finding
	Scores    []Score
	// LLMCalls are the calls made for the session (merchant, judges). They
	// are written with it, and only when the session itself is new, so a
	// verdict delivered twice never counts its tokens twice. Read back
	// through LLMCalls of the run, not with the session.
	LLMCalls []llm.Call
}

// SimulatorInfo is who played the merchant of a session. It is zero for a
// verbatim session, where the logged merchant turns are replayed.
type SimulatorInfo struct {
	Model  string // the simulator's model; "" when no LLM played
	Prompt string // the merchant prompt's version, such as "merchant/1"
	// Seed and Temperature are the sampling the simulator asked for; nil
	// when it set none.
	Seed        *int64
	Temperature *float64
}

// Message is one transcript message and the turn it belongs to. Its
// position in Session.Messages is its order.
type Message struct {
	Turn int
	transcript.Message
}

// ToolCall is one tool call as the sandbox recorded it. Arguments and Result
// are the text that went over the wire, which a faulty build can make
// invalid JSON. Its position in Session.ToolCalls is its order.
type ToolCall struct {
	Turn      int
	CallID    string // the assistant's tool_call id
	Tool      string
	Arguments string
	Result    string
	Error     string // the sandbox's error message, if it refused the call
	Code      string // the sandbox's error code, such as "422"
	Duration  time.Duration
	// Valid says whether the call passed stage-1 validation; Validation
	// holds the validators' detail as JSON.
	Valid      bool
	Validation json.RawMessage
}

// Finding is one stage-1 finding: a rule a call or a turn broke.
type Finding struct {
	Turn    int
	CallID  string
	Tool    string
	Rule    string // such as "schema", "unknown_id", "tag_hack"
	Kind    string // such as "validation" or "hack"
	Gate    bool   // whether it caps the session's score
	Message string
}

// Score is one judge's score on one criterion.
type Score struct {
	Judge     string
	Criterion string
	Score     float64 // before gating
	Gated     float64 // after stage-1 gates capped it
	Rationale string
	Version   string // the judge's prompt or code version
	// CitedTurns are the turns an LLM judge cites for its score. Empty is
	// stored as NULL and read back as nil.
	CitedTurns []int
}

// validateSession checks what the schema would refuse, so a bad session is
// named by its key and field instead of failing the whole batch.
func validateSession(i int, s *Session) error {
	field, err := sessionFault(s)
	if err == nil {
		return nil
	}
	return &InvalidError{Kind: "session", Index: i, Key: s.Key.String(), Field: field, Err: err}
}

func sessionFault(s *Session) (string, error) {
	if f, err := keyFault(s.Key); err != nil {
		return f, err
	}
	if f, err := rowFault(s); err != nil {
		return f, err
	}
	return childFault(s)
}

func keyFault(k SessionKey) (string, error) {
	switch {
	case k.Run == "":
		return "key.run", errEmpty
	case k.Persona == "":
		return "key.persona", errEmpty
	case k.Candidate == "":
		return "key.candidate", errEmpty
	case k.Trial < 0:
		return "key.trial", fmt.Errorf("%d is negative", k.Trial)
	}
	return "", nil
}

func rowFault(s *Session) (string, error) {
	switch s.Status {
	case StatusOK, StatusError, StatusTimeout, StatusCancelled:
	default:
		return "status", fmt.Errorf("%q is not ok, error, timeout or cancelled", s.Status)
	}
	switch {
	case s.Turns < 0:
		return "turns", fmt.Errorf("%d is negative", s.Turns)
	case s.PromptTokens < 0 || s.CompletionTokens < 0:
		return "tokens", errors.New("negative")
	}
	if s.RawScore != nil && checkFinite(*s.RawScore) != nil {
		return "raw_score", checkFinite(*s.RawScore)
	}
	if s.GatedScore != nil && checkFinite(*s.GatedScore) != nil {
		return "gated_score", checkFinite(*s.GatedScore)
	}
	return simulatorFieldFault(s)
}

func simulatorFieldFault(s *Session) (string, error) {
	if t := s.Simulator.Temperature; t != nil && checkFinite(*t) != nil {
		return "simulator.temperature", checkFinite(*t)
	}
	if checkJSON(s.GoalStatus) != nil {
		return "goal_status", errInvalidJSON
	}
	if s.SimulatorFault && s.FaultReason == "" {
		return "fault_reason", errors.New("empty for a simulator fault: say what the merchant did")
	}
	return "", nil
}

func childFault(s *Session) (string, error) {
	for i, m := range s.Messages {
		if m.Role == "" {
			return fmt.Sprintf("messages[%d].role", i), errEmpty
		}
	}
	for i, c := range s.ToolCalls {
		if c.Tool == "" {
			return fmt.Sprintf("tool_calls[%d].tool", i), errEmpty
		}
		if checkJSON(c.Validation) != nil {
			return fmt.Sprintf("tool_calls[%d].validation", i), errInvalidJSON
		}
	}
	for i, f := range s.Findings {
		if f.Rule == "" {
			return fmt.Sprintf("findings[%d].rule", i), errEmpty
		}
	}
	for i, sc := range s.Scores {
		if f, err := scoreFault(sc); err != nil {
			return fmt.Sprintf("scores[%d].%s", i, f), err
		}
	}
	return "", nil
}

func scoreFault(sc Score) (string, error) {
	switch {
	case sc.Judge == "":
		return "judge", errEmpty
	case sc.Criterion == "":
		return "criterion", errEmpty
	case checkFinite(sc.Score) != nil:
		return "score", checkFinite(sc.Score)
	case checkFinite(sc.Gated) != nil:
		return "gated", checkFinite(sc.Gated)
	}
	for i, turn := range sc.CitedTurns {
		if turn < 0 {
			return fmt.Sprintf("cited_turns[%d]", i), fmt.Errorf("%d is negative", turn)
		}
	}
	return "", nil
}
