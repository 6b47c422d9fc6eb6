package judges

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/personas"
)

// JudgePromptVersion versions the LLM judges' prompt and reply schema; a
// score's Version is the rubric's version, "+", and this.
const JudgePromptVersion = "judge/1"

// judgeConcurrency bounds the criteria of one session judged at once:
// enough to hide one call's latency, few enough that the sessions of a run
// share the client's rate limit.
const judgeConcurrency = 4

// ErrJudgeReply matches a judge's reply that fits the schema but not the
// question: a score off the criterion's scale, or a cited turn the session
// does not have.
var ErrJudgeReply = errors.New("judge reply out of range")

// Completer is the part of *llm.Client the LLM judges need. CompleteJSON
// validates the reply against req.Schema, asking once more when it does
// not match, and decodes it into v; a reply that fails twice is an
// *llm.OutputError.
type Completer interface {
	CompleteJSON(ctx context.Context, req llm.Request, v any) (*llm.Response, error)
}

var _ Completer = (*llm.Client)(nil)

// CriterionError is a failed judgement of one criterion (a per-goal
// criterion's ID carries the goal: "goal_completion/g2"). It wraps the
// client's error (llm.ErrBudget, *llm.OutputError, ...) or ErrJudgeReply.
type CriterionError struct {
	Criterion string
	Err       error
}

func (e *CriterionError) Error() string {
	return fmt.Sprintf("judge criterion %s: %v", e.Criterion, e.Err)
}

func (e *CriterionError) Unwrap() error { return e.Err }

// LLMJudge is stage 2: one LLM judgement per rubric criterion (per goal for
// per-goal criteria), each a structured reply with a score, a rationale and
// the merchant turns it cites. Requests are at temperature 0 with the
// default cache policy, so a client with a Cache answers a second
// judgement of the same session without a call. It is safe for concurrent
// use.
type LLMJudge struct {
	Client Completer
	// Rubric is what to judge; nil means DefaultRubric().
	Rubric *Rubric
	// Model overrides the client's judge model.
	Model string
	// Cap bounds the combined gated score when a stage-1 gate failed; 0
	// means DefaultCap. Pipeline uses its Procedural's Cap instead.
	Cap float64
}

// judgement is a judge's reply.
type judgement struct {
	Score      float64 `json:"score"`
	Rationale  string  `json:"rationale"`
	CitedTurns []int   `json:"cited_turns"`
}

// judgementSchema is the strict reply schema; the scale is checked after
// decoding, so one schema serves every criterion.
const judgementSchema = `{
  "type": "object",
  "properties": {
    "score": {"type": "number", "description": "The score, on the criterion's scale."},
    "rationale": {"type": "string", "description": "Two or three sentences naming the evidence for the score."},
    "cited_turns": {"type": "array", "items": {"type": "integer"}, "description": "The merchant turn numbers the rationale relies on."}
  },
  "required": ["score", "rationale", "cited_turns"],
  "additionalProperties": false
}`

// task is one judgement to ask for: a criterion, and for per-goal
// criteria one goal.
type task struct {
	crit Criterion
	goal *personas.Goal
}

// id is the criterion name the task's score carries.
func (t task) id() string {
	if t.goal != nil {
		return t.crit.ID + "/" + t.goal.ID
	}
	return t.crit.ID
}

// Judge adds the LLM judgements of one session to its stage-1 verdict and
// combines them (see doc.go): the returned verdict has stage1's findings
// and scores, one Score per judgement (Judge "llm", normalised to [0,1]),
// the combined Raw and Gated, Success, and a sim.llm_fidelity finding for
// each merchant criterion that scored its minimum. Merchant criteria are
// asked only when ev.Simulated. Any failed judgement fails the whole call
// with a *CriterionError; stage1 is not modified.
func (j *LLMJudge) Judge(ctx context.Context, ev *Evidence, stage1 Verdict) (Verdict, error) {
	limit := j.Cap
	if limit == 0 {
		limit = DefaultCap
	}
	return j.judge(ctx, ev, stage1, limit)
}

func (j *LLMJudge) judge(ctx context.Context, ev *Evidence, stage1 Verdict, limit float64) (Verdict, error) {
	if j.Client == nil {
		return Verdict{}, fmt.Errorf("llm judge: %w", llm.ErrNotConfigured)
	}
	if ev.Card == nil {
		return Verdict{}, errors.New("llm judge: evidence needs a card")
	}
	rub := j.rubric()
	if err := rub.Validate(); err != nil {
		return Verdict{}, fmt.Errorf("llm judge: %w", err)
	}
	tasks := plan(rub, ev)
	got, err := j.run(ctx, ev, stage1, rub, tasks)
	if err != nil {
		return Verdict{}, err
	}
	return combine(stage1, ev, rub, tasks, got, limit), nil
}

func (j *LLMJudge) rubric() *Rubric {
	if j.Rubric == nil {
		return DefaultRubric()
	}
	return j.Rubric
}

// plan lists the judgements a session needs, in rubric order and, within
// a per-goal criterion, card order.
func plan(rub *Rubric, ev *Evidence) []task {
	var tasks []task
	for _, c := range rub.Criteria {
		if c.Subject == SubjectMerchant && !ev.Simulated {
			continue // a logged merchant is the ground truth, not a suspect
		}
		if !c.PerGoal {
			tasks = append(tasks, task{crit: c})
			continue
		}
		for i := range ev.Card.Goals {
			tasks = append(tasks, task{crit: c, goal: &ev.Card.Goals[i]})
		}
	}
	return tasks
}

// run asks for every judgement, a few at a time; the replies come back in
// task order whatever order the calls finish in.
func (j *LLMJudge) run(ctx context.Context, ev *Evidence, stage1 Verdict, rub *Rubric, tasks []task) ([]judgement, error) {
	ctxt := newPromptContext(ev, stage1)
	out := make([]judgement, len(tasks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(judgeConcurrency)
	for i, t := range tasks {
		g.Go(func() error {
			r, err := j.ask(gctx, ev, ctxt, t)
			if err != nil {
				return &CriterionError{Criterion: t.id(), Err: err}
			}
			out[i] = r
			return nil
		})
	}
	return out, g.Wait()
}

func (j *LLMJudge) ask(ctx context.Context, ev *Evidence, pc *promptContext, t task) (judgement, error) {
	req := llm.Request{
		Role:        llm.RoleJudge,
		Model:       j.Model,
		Messages:    pc.messages(t),
		Temperature: llm.Temperature(0),
		Schema: &llm.Schema{
			Name:        "judgement",
			Description: "A score on the criterion's scale, the rationale, and the merchant turns it cites.",
			JSON:        json.RawMessage(judgementSchema),
		},
		Session: ev.Session,
	}
	var r judgement
	if _, err := j.Client.CompleteJSON(ctx, req, &r); err != nil {
		return judgement{}, err
	}
	return r, check(t.crit, &r, pc.turns)
}

// check holds a reply to the criterion's scale and the session's turns,
// and sorts its cited turns.
func check(c Criterion, r *judgement, turns map[int]bool) error {
	if !finite(r.Score) || !c.Scale.Contains(r.Score) {
		return fmt.Errorf("%w: score %v is not on the scale (%s)", ErrJudgeReply, r.Score, c.Scale)
	}
	for _, t := range r.CitedTurns {
		if !turns[t] {
			return fmt.Errorf("%w: cited turn %d is not a turn of the session", ErrJudgeReply, t)
		}
	}
	slices.Sort(r.CitedTurns)
	r.CitedTurns = slices.Compact(r.CitedTurns)
	if len(r.CitedTurns) == 0 {
		r.CitedTurns = nil
	}
	return nil
}
