package personas

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/transcript"
)

// Completer is the part of *llm.Client the LLM extractor needs.
// CompleteJSON validates the reply against req.Schema and decodes it into
// v (a reply that fails twice is an *llm.OutputError); ModelFor names the
// model a role's requests go to, which the card's extractor records.
type Completer interface {
	CompleteJSON(ctx context.Context, req llm.Request, v any) (*llm.Response, error)
	ModelFor(role llm.Role) string
}

var _ Completer = (*llm.Client)(nil)

// LLMExtractor builds cards with a language model. The model reads the
// conversation and writes the profile, the goals (turn, request, success
// test, skill), facts, unknowns and opening; the code does the rest from
// the log, deterministically: the ID, source and script, and each goal's
// expected actions and outputs, cut the way the heuristic cuts them (what
// the logged assistant did between the goal's turn and the next goal's).
// So a model can misjudge a goal but cannot invent an action.
//
// Requests are at temperature 0 with the default cache policy, so a client
// with a Cache answers a second extraction of the same conversation with
// the same model without a call. An LLMExtractor keeps no state: it is
// safe for concurrent use when its Client is, as *llm.Client is.
type LLMExtractor struct {
	Client Completer
	// Model overrides the client's extractor model.
	Model string
}

// Extractor is the extractor name cards get: LLMVersion:model.
func (e *LLMExtractor) Extractor() string { return LLMVersion + ":" + e.model() }

func (e *LLMExtractor) model() string {
	if e.Model != "" || e.Client == nil {
		return e.Model
	}
	return e.Client.ModelFor(llm.RoleExtractor)
}

// Extract builds a card from one conversation with one model call. Errors
// name the conversation: the client's (llm.ErrBudget, *llm.OutputError,
// a *llm.StatusError…), and a reply that cannot make a card (no goal, a goal
// turn out of range or not after the previous one, a blank request or
// opening, patience outside 1–10) as a *FieldError matching
// ErrInvalidReply and naming the reply's field. The logged opening wins
// over the model's copy of it, and metadata the log states (shop,
// industry, expertise, tone, language) wins over the model's guess.
func (e *LLMExtractor) Extract(ctx context.Context, c transcript.Conversation) (Card, error) {
	if e.Client == nil {
		return Card{}, fmt.Errorf("extract %s: %w", c.ID, llm.ErrNotConfigured)
	}
	turns := merchantTurns(c)
	if len(turns) == 0 {
		return Card{}, fmt.Errorf("extract %s: no merchant message", c.ID)
	}
	hash, err := SourceHash(c)
	if err != nil {
		return Card{}, err
	}
	var r extraction
	if _, err := e.Client.CompleteJSON(ctx, e.request(c, len(turns)), &r); err != nil {
		return Card{}, fmt.Errorf("extract %s: %w", c.ID, err)
	}
	if err := r.check(len(turns)); err != nil {
		return Card{}, fmt.Errorf("extract %s: llm reply: %w", c.ID, err)
	}
	card := e.build(c, hash, turns, &r)
	if err := card.Validate(); err != nil {
		return Card{}, fmt.Errorf("extract %s: %w", c.ID, err)
	}
	return card, nil
}

func (e *LLMExtractor) request(c transcript.Conversation, turns int) llm.Request {
	return llm.Request{
		Role:        llm.RoleExtractor,
		Model:       e.model(),
		Messages:    extractMessages(c, turns),
		Temperature: llm.Temperature(0),
		Schema: &llm.Schema{
			Name:        extractSchemaName,
			Description: "A merchant's persona card, read from a logged conversation.",
			JSON:        json.RawMessage(extractSchema),
		},
	}
}

// extraction is the model's reply.
type extraction struct {
	Profile  Profile         `json:"profile"`
	Goals    []extractedGoal `json:"goals"`
	Facts    []string        `json:"facts"`
	Unknowns []string        `json:"unknowns"`
	Opening  string          `json:"opening"`
}

type extractedGoal struct {
	Turn        int    `json:"turn"`
	Request     string `json:"request"`
	SuccessTest string `json:"success_test"`
	Skill       string `json:"skill"`
}

// check rejects a reply the code cannot build a card from; turns is the
// number of merchant turns.
func (r *extraction) check(turns int) error {
	bad := func(field, format string, args ...any) error {
		return &FieldError{Field: field, Problem: fmt.Sprintf(format, args...), Kind: ErrInvalidReply}
	}
	switch {
	case len(r.Goals) == 0:
		return bad("goals", "no goal")
	case blank(r.Opening):
		return bad("opening", "blank")
	case r.Profile.Patience < MinPatience || r.Profile.Patience > MaxPatience:
		return bad("profile.patience", "%d is outside %d-%d", r.Profile.Patience, MinPatience, MaxPatience)
	}
	for i, g := range r.Goals {
		at := fmt.Sprintf("goals[%d]", i)
		switch {
		case g.Turn < 1 || g.Turn > turns:
			return bad(at+".turn", "%d is not a merchant turn (1-%d)", g.Turn, turns)
		case i > 0 && g.Turn <= r.Goals[i-1].Turn:
			return bad(at+".turn", "%d does not come after goals[%d].turn %d", g.Turn, i-1, r.Goals[i-1].Turn)
		case blank(g.Request):
			return bad(at+".request", "blank")
		}
	}
	return nil
}

// build makes the card: the model's judgement, the log's facts.
func (e *LLMExtractor) build(c transcript.Conversation, hash string, turns []merchantTurn, r *extraction) Card {
	extractor := e.Extractor()
	card := Card{
		ID:        cardID(hash, extractor),
		Extractor: extractor,
		Source:    Source{Conversation: c.ID, File: c.Source.File, Line: c.Source.Line, Hash: hash},
		Profile:   mergeProfile(r.Profile, c),
		Facts:     nonBlank(r.Facts),
		Unknowns:  nonBlank(r.Unknowns),
		Script:    scriptOf(turns),
		Goals:     make([]Goal, len(r.Goals)),
	}
	// The logged opening wins: the verbatim and simulated merchants must
	// open alike, and a model's "copy" may be paraphrased.
	card.Opening = card.Script[0]
	starts := make([]int, len(r.Goals))
	for i, g := range r.Goals {
		starts[i] = g.Turn
	}
	sp := spans(c, starts, signOffs(turns, starts))
	for i, g := range r.Goals {
		card.Goals[i] = Goal{
			ID: goalID(i), Turn: g.Turn, Request: strings.TrimSpace(g.Request),
			Skill: strings.TrimSpace(g.Skill), SuccessTest: strings.TrimSpace(g.SuccessTest),
			ExpectedActions: sp[i].actions, ExpectedOutputs: sp[i].outputs(),
		}
	}
	card.Skills = cardSkills(c, card.Goals)
	return card
}

// signOffs are the merchant turns that close a goal's span: sign-offs
// that open no goal.
func signOffs(turns []merchantTurn, starts []int) map[int]bool {
	isStart := map[int]bool{}
	for _, t := range starts {
		isStart[t] = true
	}
	ends := map[int]bool{}
	for _, t := range turns {
		if !isStart[t.Turn] && t.signsOff() {
			ends[t.Turn] = true
		}
	}
	return ends
}

// mergeProfile keeps what the log's metadata states over the model's
// reading of it.
func mergeProfile(p Profile, c transcript.Conversation) Profile {
	for _, f := range []struct {
		dst *string
		key string
	}{{&p.Shop, "shop"}, {&p.Industry, "industry"}, {&p.Expertise, "expertise"}, {&p.Tone, "tone"}, {&p.Language, "language"}} {
		if v := strings.TrimSpace(c.Text(f.key)); v != "" {
			*f.dst = v
		} else {
			*f.dst = strings.TrimSpace(*f.dst)
		}
	}
	return p
}

// cardSkills are the log's skill tags, or the goals' when the log has none.
func cardSkills(c transcript.Conversation, goals []Goal) []string {
	if s := c.Skills(); len(s) > 0 {
		return s
	}
	seen := map[string]bool{}
	out := []string{}
	for _, g := range goals {
		if g.Skill != "" && !seen[g.Skill] {
			seen[g.Skill] = true
			out = append(out, g.Skill)
		}
	}
	sort.Strings(out)
	return out
}

func nonBlank(xs []string) []string {
	out := []string{}
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
