package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// LabelAgreement is how the arena's verdicts on the original
// conversations agree with the logs' own outcome labels: a 2×2 table
// (arena success or failure × label success or failure), accuracy and
// Cohen's kappa. Kappa is nil when undefined (one side used one value
// only on every conversation).
type LabelAgreement struct {
	Label      string   `json:"label"`
	N          int      `json:"n"`
	BothPass   int      `json:"both_pass"`
	BothFail   int      `json:"both_fail"`
	ArenaPass  int      `json:"arena_pass_label_fail"`
	LabelPass  int      `json:"arena_fail_label_pass"`
	Accuracy   float64  `json:"accuracy"`
	CohenKappa *float64 `json:"cohen_kappa,omitempty"`
	// Unlabelled counts conversations without a label, and Unjudged
	// those whose original the judges could not judge; neither counts.
	Unlabelled int `json:"unlabelled,omitempty"`
	Unjudged   int `json:"unjudged,omitempty"`
}

// result judges the originals and puts each conversation's plays together.
func (rp *replayer) result(ctx context.Context, targets []Target, sum Summary) (*ReplayResult, error) {
	res := &ReplayResult{Mode: rp.cfg.Mode, Prefix: rp.cfg.Prefix, Trials: rp.cfg.Trials, Path: rp.path(),
		Summary: sum, Skipped: rp.skipped}
	for _, t := range targets {
		res.Builds = append(res.Builds, t.Name+"@"+t.Version)
	}
	byKey := map[string]*Outcome{}
	for i := range rp.outcomes {
		byKey[rp.outcomes[i].Job.Key().String()] = &rp.outcomes[i]
	}
	for _, c := range rp.convs {
		rc, err := rp.conversation(ctx, c, targets, byKey)
		if err != nil {
			return nil, err
		}
		res.Conversations = append(res.Conversations, rc)
	}
	res.Agreement = Agree(res.Conversations)
	return res, nil
}

func (rp *replayer) conversation(ctx context.Context, c transcript.Conversation, targets []Target, byKey map[string]*Outcome) (ReplayedConversation, error) {
	card := rp.cards[c.ID]
	rc := ReplayedConversation{ID: c.ID, Persona: card.ID, Builds: []ReplayedBuild{}}
	if rec := rp.recs[card.ID]; rec != nil {
		rc.Recorded = recordedTools(rec)
	}
	orig, err := rp.judgeOriginal(ctx, c)
	if err != nil {
		return rc, err
	}
	rc.Original = orig
	if r, ok := Reward(c); ok {
		label := r >= 1
		rc.Reward, rc.Label = &r, &label
	}
	for _, t := range targets {
		b := ReplayedBuild{Build: t.Name + "@" + t.Version}
		for trial := range rp.cfg.Trials {
			job := Job{Run: rp.runID, Card: card, Target: t, Trial: trial}
			if o := byKey[job.Key().String()]; o != nil {
				b.Trials = append(b.Trials, rp.playOf(o))
			}
		}
		rc.Builds = append(rc.Builds, b)
	}
	return rc, nil
}

// judgeOriginal judges the logged conversation with the replay's judges:
// its steps as logged, its calls as the log recorded them, and the store
// the logged native writes leave behind.
func (rp *replayer) judgeOriginal(ctx context.Context, c transcript.Conversation) (ReplayPlay, error) {
	card := rp.cards[c.ID]
	steps, calls := logEvidence(c)
	initial := rp.judge.initial
	ev := &judges.Evidence{
		Card: card, Steps: steps, Calls: calls, Initial: initial, Final: applyWrites(initial, calls),
		Status: judges.StatusOK, StopReason: string(simulator.StopScriptDone), Session: "original/" + c.ID,
	}
	p := ReplayPlay{Status: string(judges.StatusOK), StopReason: ev.StopReason, Conversation: c}
	v, err := rp.judge.Judge(ctx, ev)
	switch {
	case errors.Is(err, llm.ErrBudget):
		return p, fmt.Errorf("judge original %s: %w", c.ID, err)
	case err != nil:
		p.Error = fmt.Sprintf("judge: %v", err)
	default:
		p.Verdict = &v
	}
	p.Changes, p.StoreKnown = rp.judge.changesOf(ev.Session)
	return p, nil
}

// logEvidence turns a logged conversation into judge steps (merchant turns
// numbered from 1; the system prompt left out, as builds never see it) and
// call records (each call with the result the log linked to it).
func logEvidence(c transcript.Conversation) ([]judges.Step, []sandbox.CallRecord) {
	var steps []judges.Step
	var calls []sandbox.CallRecord
	pending := map[string][]int{} // call ID → indexes in calls awaiting a result
	turn := 0
	for _, m := range c.Messages {
		switch m.Role {
		case transcript.RoleSystem:
			continue
		case transcript.RoleUser:
			turn++
		case transcript.RoleTool:
			if q := pending[m.ToolCallID]; len(q) > 0 {
				call := &calls[q[0]]
				pending[m.ToolCallID] = q[1:]
				call.Result = transcript.RawJSON(m.Content)
				if m.Error {
					call.Error, call.Code = m.Content, sandbox.CodeInvalid
				}
			}
		}
		for _, tc := range m.ToolCalls {
			pending[tc.ID] = append(pending[tc.ID], len(calls))
			calls = append(calls, sandbox.CallRecord{Seq: len(calls) + 1, Turn: max(turn, 1), CallID: tc.ID,
				Tool: tc.Function.Name, Arguments: transcript.RawJSON(tc.Function.Arguments)})
		}
		steps = append(steps, judges.Step{Turn: max(turn, 1), Message: m})
	}
	return steps, calls
}

// applyWrites runs the logged native writes that succeeded on a copy of
// initial: the store the original conversation left behind, as far as the
// sandbox can tell. A write our fixture refuses changes nothing.
func applyWrites(initial *sandbox.Store, calls []sandbox.CallRecord) *sandbox.Store {
	final := initial.Clone()
	for _, c := range calls {
		if c.Error == "" && sandbox.IsWrite(c.Tool) {
			// A refused write leaves the store as it was; the judges see
			// the store, which is the point.
			_, _ = final.Call(c.Tool, c.Arguments)
		}
	}
	return final
}

// Reward returns the outcome label a log carries in Metadata["reward"]
// (tau-bench's reward, tau2-bench's reward_info.reward), as a number.
func Reward(c transcript.Conversation) (float64, bool) {
	switch v := c.Metadata["reward"].(type) {
	case float64:
		return v, !math.IsNaN(v)
	case int:
		return float64(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil && !math.IsNaN(f)
	}
	return 0, false
}

// Agree measures how the verdicts on the originals agree with the logs'
// labels; nil when no conversation has a label.
func Agree(convs []ReplayedConversation) *LabelAgreement {
	a := &LabelAgreement{Label: "reward"}
	var arena, label []int
	for _, c := range convs {
		switch {
		case c.Label == nil:
			a.Unlabelled++
			continue
		case c.Original.Verdict == nil:
			a.Unjudged++
			continue
		}
		x, y := b2i(c.Original.Verdict.Success), b2i(*c.Label)
		arena, label = append(arena, x), append(label, y)
		switch {
		case x == 1 && y == 1:
			a.BothPass++
		case x == 0 && y == 0:
			a.BothFail++
		case x == 1:
			a.ArenaPass++
		default:
			a.LabelPass++
		}
	}
	a.N = len(arena)
	if a.N == 0 {
		return nil
	}
	a.Accuracy = float64(a.BothPass+a.BothFail) / float64(a.N)
	if k := agreement.CohenKappa(arena, label, 2); !math.IsNaN(k) {
		a.CohenKappa = &k
	}
	return a
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
