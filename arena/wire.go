package arena

import (
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
)

// The messages of the jobs and results streams (JSON). A job carries
// everything a worker on another machine needs to play the session: the
// persona card, the build, who plays the merchant and how the run judges.

// JobMessage is one session to play.
type JobMessage struct {
	Run    string        `json:"run"`
	Card   personas.Card `json:"card"`
	Target Target        `json:"target"`
	Trial  int           `json:"trial"`
	Arm    string        `json:"arm,omitempty"`
	Seed   int           `json:"seed"`
	// Settings of the run, the same in every job of it.
	Mode                string              `json:"mode"`
	Models              map[llm.Role]string `json:"models,omitempty"`
	TurnTimeoutMS       int64               `json:"turn_timeout_ms"`
	MaxTurns            int                 `json:"max_turns"`
	MerchantTemperature float64             `json:"merchant_temperature,omitempty"`
	// Rubric is the YAML of the LLM judges' rubric; empty: the default.
	Rubric string `json:"rubric,omitempty"`
}

// job is the in-process form of a job message.
func (m *JobMessage) job() Job {
	card := m.Card
	return Job{Run: m.Run, Card: &card, Target: m.Target, Trial: m.Trial, Arm: m.Arm, Seed: m.Seed}
}

// key is the session the job plays.
func (m *JobMessage) key() results.SessionKey {
	return results.SessionKey{Run: m.Run, Persona: m.Card.ID, Candidate: m.Target.Name, Version: m.Target.Version, Trial: m.Trial}
}

// PlanMessage tells the recorder what a run is before its verdicts come.
type PlanMessage struct {
	Run        results.Run         `json:"run"`
	Personas   []results.Persona   `json:"personas"`
	Candidates []results.Candidate `json:"candidates"`
	Jobs       int                 `json:"jobs"`
}

// SessionMessage is a played session's verdict, with the LLM calls made
// for it (merchant, judges) in Session.LLMCalls.
type SessionMessage struct {
	Session results.Session `json:"session"`
}

// CallsMessage carries LLM calls made for no session (persona extraction).
type CallsMessage struct {
	Calls []llm.Call `json:"calls"`
}

// FinishMessage ends a run.
type FinishMessage struct {
	Status string `json:"status"`
}
