package arena

import (
	"encoding/json"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
)

// SessionRecord converts a played session into the row the results file
// stores.
func SessionRecord(o *Outcome) results.Session {
	s := results.Session{
		Key:        o.Job.Key(),
		Status:     string(o.Status),
		StopReason: o.StopReason,
		Turns:      o.Turns(),
		StartedAt:  o.Started,
		FinishedAt: o.Finished,
		Duration:   o.Finished.Sub(o.Started),
		LatencyP50: percentile(o.Latencies, 0.5),
		LatencyP95: percentile(o.Latencies, 0.95),
		Error:      o.Err,
		Success:    o.Verdict.Success,

		PromptTokens:     o.Usage.PromptTokens,
		CompletionTokens: o.Usage.CompletionTokens,
	}
	if o.Cancelled {
		s.Status = results.StatusCancelled
	}
	s.Simulator = results.SimulatorInfo{Model: o.Merchant.Model, Prompt: o.Merchant.Prompt, Temperature: o.Merchant.Temperature}
	if o.Merchant.Simulated {
		seed := int64(o.Job.Seed)
		s.Simulator.Seed = &seed
	}
	if len(o.Goals) > 0 {
		s.GoalStatus, _ = json.Marshal(o.Goals) // plain strings always marshal
	}
	s.SimulatorFault, s.FaultReason = o.simulatorFault()
	raw, gated := o.Verdict.Raw, o.Verdict.Gated
	s.RawScore, s.GatedScore = &raw, &gated
	for _, st := range o.Steps {
		s.Messages = append(s.Messages, results.Message{Turn: st.Turn, Message: st.Message})
	}
	s.ToolCalls = toolCallRows(o)
	for _, f := range o.Verdict.Findings {
		s.Findings = append(s.Findings, results.Finding{
			Turn: f.Turn, CallID: f.CallID, Tool: f.Tool, Rule: f.Rule, Kind: f.Kind, Gate: f.Gate, Message: f.Message,
		})
	}
	for _, sc := range o.Verdict.Scores {
		s.Scores = append(s.Scores, results.Score{
			Judge: sc.Judge, Criterion: sc.Criterion, Score: sc.Score, Gated: sc.Gated,
			Rationale: sc.Rationale, Version: sc.Version, CitedTurns: sc.CitedTurns,
		})
	}
	return s
}

// simulatorFault says whether the merchant, not the build, spoiled the
// session: the judges flagged it, or the merchant's model failed.
func (o *Outcome) simulatorFault() (bool, string) {
	switch {
	case o.Verdict.SimulatorFault:
		return true, o.Verdict.FaultReason
	case o.StopReason == "merchant_error":
		return true, o.Err
	}
	return false, ""
}

func toolCallRows(o *Outcome) []results.ToolCall {
	checks := map[int]judges.CallCheck{}
	for _, c := range o.Verdict.Calls {
		checks[c.Seq] = c
	}
	rows := make([]results.ToolCall, 0, len(o.Calls))
	for _, c := range o.Calls {
		row := results.ToolCall{
			Turn: c.Turn, CallID: c.CallID, Tool: c.Tool,
			Arguments: string(c.Arguments), Result: string(c.Result),
			Error: c.Error, Code: c.Code, Duration: c.Duration,
		}
		if chk, ok := checks[c.Seq]; ok {
			row.Valid = chk.Valid
			row.Validation, _ = json.Marshal(chk) // a struct of strings and bools always marshals
		}
		rows = append(rows, row)
	}
	return rows
}

// PersonaRecord converts a card into the row the results file stores.
func PersonaRecord(c *personas.Card) results.Persona {
	card, _ := json.Marshal(c) // a card is plain data and always marshals
	return results.Persona{
		ID: c.ID, SourceConversation: c.Source.Conversation, SourceFile: c.Source.File,
		Extractor: c.Extractor, Skills: c.Skills, Card: card,
	}
}
