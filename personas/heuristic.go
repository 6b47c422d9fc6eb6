package personas

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/merchantarena/merchantarena/transcript"
)

// HeuristicVersion names the heuristic extractor and its rules; bump it when
// the rules change so that cards get new IDs. Version 2: a goal owns only
// the tool results inside its own span; version 1 let results logged after
// a sign-off leak into the next goal's expected outputs.
const HeuristicVersion = "heuristic/2"

// Extract builds a card from one conversation without an LLM. Every merchant
// message that does not answer the assistant's question and is not a
// sign-off opens a goal; tool calls until the next goal (or a sign-off) are
// that goal's expected actions; facts from those tool results repeated in the
// goal's last reply are its expected outputs; answers to the assistant's
// questions are facts. The card is checked with Validate.
func Extract(c transcript.Conversation) (Card, error) {
	hash, err := SourceHash(c)
	if err != nil {
		return Card{}, err
	}
	card := Card{
		ID:        cardID(hash, HeuristicVersion),
		Extractor: HeuristicVersion,
		Source:    Source{Conversation: c.ID, File: c.Source.File, Line: c.Source.Line, Hash: hash},
		Profile:   profileFrom(c),
		Skills:    c.Skills(),
		Facts:     []string{},
		Goals:     []Goal{},
		Script:    []string{},
	}
	turns := merchantTurns(c)
	if len(turns) == 0 {
		return Card{}, fmt.Errorf("extract %s: no merchant message", c.ID)
	}
	p := classify(turns)
	sp := spans(c, p.starts(), p.ends)
	for i, t := range p.goals {
		g := Goal{
			ID: goalID(i), Turn: t.Turn, Request: t.Text,
			ExpectedActions: sp[i].actions, ExpectedOutputs: sp[i].outputs(),
		}
		g.SuccessTest = successTest(&g)
		card.Goals = append(card.Goals, g)
	}
	card.Facts = append(card.Facts, p.facts...)
	card.Script = scriptOf(turns)
	card.Opening = card.Script[0]
	assignSkills(&card, orderedSkills(c))
	if err := card.Validate(); err != nil {
		return Card{}, fmt.Errorf("extract %s: %w", c.ID, err)
	}
	return card, nil
}

// SourceHash is the sha256 of the conversation's canonical JSON (encoding/json
// sorts map keys, so equal conversations hash equally).
func SourceHash(c transcript.Conversation) (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("hash conversation %s: %w", c.ID, err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func profileFrom(c transcript.Conversation) Profile {
	p := Profile{
		Shop:      c.Text("shop"),
		Industry:  c.Text("industry"),
		Expertise: c.Text("expertise"),
		Tone:      c.Text("tone"),
		Language:  c.Text("language"),
	}
	if p.Language == "" {
		p.Language = "en"
	}
	return p
}

// heuristicPlan is how the heuristic reads the merchant's turns.
type heuristicPlan struct {
	goals []merchantTurn // turns that open a goal
	facts []string       // answers to the assistant's questions
	ends  map[int]bool   // sign-offs, which close the open goal
}

// classify sorts the merchant's turns: an answer to the assistant's
// question is a fact, a sign-off closes the open goal, and anything else
// opens a goal (the first message always does).
func classify(turns []merchantTurn) heuristicPlan {
	p := heuristicPlan{ends: map[int]bool{}}
	open := false
	for _, t := range turns {
		switch {
		case open && t.answers():
			p.facts = append(p.facts, t.Text)
		case open && t.signsOff():
			p.ends[t.Turn], open = true, false
		default:
			p.goals, open = append(p.goals, t), true
		}
	}
	return p
}

func (p heuristicPlan) starts() []int {
	out := make([]int, len(p.goals))
	for i, t := range p.goals {
		out[i] = t.Turn
	}
	return out
}

func goalID(i int) string { return fmt.Sprintf("g%d", i+1) }

func scriptOf(turns []merchantTurn) []string {
	out := make([]string, len(turns))
	for i, t := range turns {
		out[i] = t.Text
	}
	return out
}

func successTest(g *Goal) string {
	var parts []string
	if len(g.ExpectedActions) > 0 {
		names := make([]string, len(g.ExpectedActions))
		for i, a := range g.ExpectedActions {
			names[i] = a.Tool
		}
		parts = append(parts, "the store ends as after "+strings.Join(names, ", "))
	}
	if len(g.ExpectedOutputs) > 0 {
		parts = append(parts, "the reply states "+strings.Join(g.ExpectedOutputs, ", "))
	}
	if len(parts) == 0 {
		return "the assistant answers the request"
	}
	return strings.Join(parts, "; ")
}

// orderedSkills returns metadata "skills" in the order the log gives them,
// which the examples use to name each goal's skill.
func orderedSkills(c transcript.Conversation) []string {
	var out []string
	switch v := c.Metadata["skills"].(type) {
	case string:
		out = []string{v}
	case []any:
		for _, s := range v {
			if s, ok := s.(string); ok {
				out = append(out, s)
			}
		}
	case []string:
		out = v
	}
	return out
}

func assignSkills(card *Card, skills []string) {
	for i := range card.Goals {
		switch {
		case len(skills) == len(card.Goals):
			card.Goals[i].Skill = skills[i]
		case len(skills) == 1:
			card.Goals[i].Skill = skills[0]
		}
	}
}
