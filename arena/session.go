package arena

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// Outcome is one played session before it is written: what happened, what
// the sandbox saw, who played the merchant, and the verdict.
type Outcome struct {
	Job        Job
	Status     judges.Status
	StopReason string
	Err        string
	Started    time.Time
	Finished   time.Time
	Steps      []judges.Step
	Calls      []sandbox.CallRecord
	Latencies  []time.Duration
	Usage      candidates.Usage
	Merchant   MerchantInfo
	// Goals is the merchant's last view of its goals.
	Goals   []simulator.GoalStatus
	Verdict judges.Verdict
	// Cancelled: the run was stopped; the session is played again on
	// resume.
	Cancelled bool
	budget    error // a spent budget stopped this session
	absent    bool  // the build did not answer at all (no responders)
}

// Turns is how many merchant turns the session had.
func (o *Outcome) Turns() int {
	n := 0
	for _, s := range o.Steps {
		if s.Role == transcript.RoleUser {
			n++
		}
	}
	return n
}

// play runs one session to its end and judges it.
func (r *Runner) play(ctx context.Context, job Job) Outcome {
	o := Outcome{Job: job, Status: judges.StatusOK, Started: r.now()}
	if err := r.checkBudget(); err != nil {
		return o.stopped(err)
	}
	box := r.open(job)
	merchant, info := r.Merchant(job)
	o.Merchant = info
	var dialogue []transcript.Message
	for turn := 1; ; turn++ {
		if err := r.checkBudget(); err != nil {
			box.Close()
			return o.stopped(err)
		}
		d, err := merchant.Next(ctx, visible(dialogue))
		if errors.Is(err, llm.ErrBudget) {
			box.Close()
			return o.stopped(err)
		}
		if err != nil {
			o.fail(judges.StatusError, "merchant_error", fmt.Errorf("merchant: %w", err))
			break
		}
		o.Goals = d.Goals
		if d.Stop {
			o.StopReason = string(d.Reason)
			break
		}
		said := transcript.Message{Role: transcript.RoleUser, Content: d.Message}
		dialogue = append(dialogue, said)
		o.Steps = append(o.Steps, judges.Step{Turn: turn, Message: said})
		box.SetTurn(turn)
		msgs, err := r.turn(ctx, &o, job, turn, dialogue, box)
		dialogue = append(dialogue, msgs...)
		for _, m := range msgs {
			o.Steps = append(o.Steps, judges.Step{Turn: turn, Message: m})
		}
		if err != nil {
			break
		}
	}
	final := box.Final()
	o.Calls = box.Calls()
	o.Finished = r.now()
	if ctx.Err() != nil {
		o.Cancelled = true
		return o
	}
	r.judge(ctx, &o, final)
	return o
}

// open opens the job's sandbox session: recorded when the job replays a
// log with tools the sandbox lacks.
func (r *Runner) open(job Job) *sandbox.Session {
	if r.Recording != nil {
		if rec := r.Recording(job); rec != nil {
			return r.Sandbox.OpenRecorded(job.Key().String(), rec)
		}
	}
	return r.Sandbox.Open(job.Key().String())
}

func (r *Runner) checkBudget() error {
	if r.Budget == nil {
		return nil
	}
	return r.Budget()
}

// stopped marks a session the budget stopped: it is not recorded and is
// played again when the run resumes with more budget.
func (o Outcome) stopped(err error) Outcome {
	o.Cancelled, o.budget = true, err
	return o
}

// turn asks the build for one turn and returns the messages to keep. On
// failure it records why in o and returns an error.
func (r *Runner) turn(ctx context.Context, o *Outcome, job Job, turn int, dialogue []transcript.Message, box *sandbox.Session) ([]transcript.Message, error) {
	tctx, cancel := context.WithTimeout(ctx, r.TurnTimeout)
	defer cancel()
	req := &candidates.TurnRequest{
		Session: job.Key().String(), Persona: job.Card.ID, Turn: turn, Messages: dialogue,
		Sandbox:   candidates.SandboxRef{Subject: r.Sandbox.Subject(), Token: box.Token()},
		TimeoutMS: r.TurnTimeout.Milliseconds(),
	}
	start := time.Now()
	rep, err := r.Client.Turn(tctx, job.Target.Subject, req)
	o.Latencies = append(o.Latencies, time.Since(start))
	switch {
	case errors.Is(err, candidates.ErrTimeout) && ctx.Err() == nil:
		o.fail(judges.StatusTimeout, "timeout", fmt.Errorf("turn %d: no reply within %s", turn, r.TurnTimeout))
		return nil, err
	case err != nil:
		o.fail(judges.StatusError, "error", fmt.Errorf("turn %d: %w", turn, err))
		o.absent = errors.Is(err, candidates.ErrBuildDown)
		return nil, err
	}
	o.Usage.PromptTokens += rep.Usage.PromptTokens
	o.Usage.CompletionTokens += rep.Usage.CompletionTokens
	msgs, bad := keepAssistant(rep.Messages)
	if bad != nil {
		o.fail(judges.StatusError, "error", fmt.Errorf("turn %d: %w", turn, bad))
		return msgs, bad
	}
	return msgs, nil
}

func (o *Outcome) fail(status judges.Status, stop string, err error) {
	o.Status, o.StopReason, o.Err = status, stop, err.Error()
}

// keepAssistant keeps what a build may add to the dialogue: assistant
// messages and tool results. A build that speaks for the merchant fails the
// turn.
func keepAssistant(msgs []transcript.Message) ([]transcript.Message, error) {
	out := make([]transcript.Message, 0, len(msgs))
	for i, m := range msgs {
		if m.Role != transcript.RoleAssistant && m.Role != transcript.RoleTool {
			return out, fmt.Errorf("reply message %d has role %q; a build may add only assistant and tool messages", i, m.Role)
		}
		out = append(out, m)
	}
	return out, nil
}

// visible is what the merchant sees: merchant and assistant text, never
// tool calls or results.
func visible(dialogue []transcript.Message) []transcript.Message {
	out := make([]transcript.Message, 0, len(dialogue))
	for _, m := range dialogue {
		if (m.Role == transcript.RoleUser || m.Role == transcript.RoleAssistant) && m.Content != "" {
			out = append(out, transcript.Message{Role: m.Role, Content: m.Content})
		}
	}
	return out
}

func (r *Runner) judge(ctx context.Context, o *Outcome, final *sandbox.Store) {
	goals := map[string]string{}
	for _, g := range o.Goals {
		goals[g.Goal] = g.Status
	}
	v, err := r.Judge.Judge(ctx, &judges.Evidence{
		Card: o.Job.Card, Steps: o.Steps, Calls: o.Calls,
		Initial: r.initial(), Final: final, Status: o.Status,
		Simulated: o.Merchant.Simulated, StopReason: o.StopReason, MerchantGoals: goals,
		Session: o.Job.Key().String(),
	})
	switch {
	case errors.Is(err, llm.ErrBudget):
		o.Cancelled, o.budget = true, err
	case err != nil:
		o.fail(judges.StatusError, "judge_error", fmt.Errorf("judge: %w", err))
	default:
		o.Verdict = v
	}
}

// percentile returns the p-th percentile (0..1) of ds by nearest rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(float64(len(s))*p+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}
