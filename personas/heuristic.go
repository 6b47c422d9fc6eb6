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
// the rules change so that cards get new IDs.
const HeuristicVersion = "heuristic/1"

// Extract builds a card from one conversation without an LLM. Every merchant
// message that does not answer the assistant's question and is not a
// sign-off opens a goal; tool calls until the next goal are that goal's
// expected actions; facts from tool results repeated in the goal's last reply
// are its expected outputs; answers to the assistant's questions are facts.
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
	g := goalBuilder{card: &card}
	for _, m := range c.Messages {
		g.add(m)
	}
	g.finish()
	if len(card.Script) == 0 {
		return Card{}, fmt.Errorf("extract %s: no merchant message", c.ID)
	}
	card.Opening = card.Script[0]
	assignSkills(&card, orderedSkills(c))
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

// goalBuilder walks a conversation once, keeping the goal being served.
type goalBuilder struct {
	card       *Card
	cur        *Goal
	lastAsk    string // last assistant text since the previous merchant turn
	lastReply  string // last assistant text of the current goal
	results    []string
	turn       int
	pendingIDs map[string]string // tool_call_id → tool name, unanswered
}

func (g *goalBuilder) add(m transcript.Message) {
	switch m.Role {
	case transcript.RoleUser:
		g.merchant(m.Content)
	case transcript.RoleAssistant:
		if m.Content != "" {
			g.lastAsk, g.lastReply = m.Content, m.Content
		}
		if g.cur == nil {
			return
		}
		for _, tc := range m.ToolCalls {
			g.cur.ExpectedActions = append(g.cur.ExpectedActions, Action{
				Tool: tc.Function.Name, Arguments: rawArgs(tc.Function.Arguments),
			})
		}
	case transcript.RoleTool:
		if !m.Error {
			g.results = append(g.results, m.Content)
		}
	}
}

func (g *goalBuilder) merchant(text string) {
	g.turn++
	g.card.Script = append(g.card.Script, text)
	switch {
	case g.cur != nil && asksQuestion(g.lastAsk):
		g.card.Facts = append(g.card.Facts, text)
	case g.cur != nil && isSignOff(text):
		// The goal ends here: a courtesy reply to the sign-off must not
		// become its last reply and wipe its expected outputs.
		g.finish()
	default:
		g.finish()
		g.cur = &Goal{
			ID: fmt.Sprintf("g%d", len(g.card.Goals)+1), Turn: g.turn, Request: text,
			ExpectedActions: []Action{}, ExpectedOutputs: []string{},
		}
	}
	g.lastAsk = ""
}

// finish closes the current goal: its outputs are the facts its last reply
// took from its tool results.
func (g *goalBuilder) finish() {
	if g.cur == nil {
		return
	}
	g.cur.ExpectedOutputs = outputs(g.lastReply, g.results)
	g.cur.SuccessTest = successTest(g.cur)
	g.card.Goals = append(g.card.Goals, *g.cur)
	g.cur, g.lastReply, g.results = nil, "", nil
}

func rawArgs(s string) json.RawMessage {
	if json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s) // a string always marshals
	return b
}

// asksQuestion reports whether an assistant message ends by asking the
// merchant something, so the merchant's next message answers it.
func asksQuestion(text string) bool {
	text = strings.TrimSpace(text)
	if text == "" {
		return false
	}
	paras := strings.Split(text, "\n")
	last := strings.TrimSpace(paras[len(paras)-1])
	return strings.HasSuffix(last, "?") && !isOffer(last)
}

// isOffer is an assistant's closing courtesy ("Anything else I can help
// with?"), which the merchant's next message does not answer.
func isOffer(s string) bool {
	s = strings.ToLower(s)
	for _, p := range []string{"anything else", "something else", "help with anything", "else i can"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

func isSignOff(text string) bool {
	t := strings.ToLower(strings.TrimSpace(text))
	if len(t) > 80 || strings.Contains(t, "?") {
		return false
	}
	for _, p := range []string{"thanks", "thank you", "that's all", "that is all", "bye", "perfect", "great, that", "all set"} {
		if strings.Contains(t, p) {
			return true
		}
	}
	return false
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
