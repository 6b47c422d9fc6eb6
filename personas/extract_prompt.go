package personas

import (
	"fmt"
	"sort"
	"strings"

	"github.com/merchantarena/merchantarena/transcript"
)

// LLMVersion names the LLM extractor's prompt, reply schema and the way
// the conversation is shown. Cards carry it (with the model) in Extractor,
// and their IDs derive from it: bump it whenever any of these change.
const LLMVersion = "llm/1"

// extractSchemaName names the reply schema in response_format.
const extractSchemaName = "persona_card"

// Clip lengths of what the prompt shows. Merchant messages are shown whole
// up to a generous bound, since goals quote them; the assistant's tool
// traffic is context only.
const (
	clipMerchant  = 4000
	clipAssistant = 2000
	clipArguments = 300
	clipResult    = 400
	clipMetadata  = 200
)

// extractSchema is the strict schema of the extractor's reply. Every
// property is required and nothing else is allowed, as OpenAI's strict
// structured output demands; "no value" is an empty string or list.
const extractSchema = `{
  "type": "object",
  "properties": {
    "profile": {
      "type": "object",
      "properties": {
        "shop": {"type": "string", "description": "The store's name, as the log gives it; empty if never stated."},
        "industry": {"type": "string", "description": "What the store sells, in a few words, e.g. \"outdoor apparel\"; empty if unclear."},
        "expertise": {"type": "string", "enum": ["novice", "intermediate", "expert"], "description": "How well the merchant knows e-commerce tools and their own store data, judged from their wording."},
        "tone": {"type": "string", "description": "How the merchant writes, in a few words, e.g. \"brief and businesslike\"."},
        "patience": {"type": "integer", "minimum": 1, "maximum": 10, "description": "How many unhelpful replies this merchant would put up with: 1 very impatient, 10 very patient."},
        "language": {"type": "string", "description": "The language the merchant writes in, as a BCP 47 code, e.g. \"en\"."}
      },
      "required": ["shop", "industry", "expertise", "tone", "patience", "language"],
      "additionalProperties": false
    },
    "goals": {
      "type": "array",
      "minItems": 1,
      "description": "The merchant's requests, in the order asked, one per merchant turn at most.",
      "items": {
        "type": "object",
        "properties": {
          "turn": {"type": "integer", "minimum": 1, "description": "The number of the merchant turn that first asks for this goal."},
          "request": {"type": "string", "description": "What the merchant asked, in their words, shortened to one sentence."},
          "success_test": {"type": "string", "description": "How a reviewer checks that the goal is done: the store change that must exist, or the facts the reply must state."},
          "skill": {"type": "string", "description": "The skill the goal exercises, a snake_case tag."}
        },
        "required": ["turn", "request", "success_test", "skill"],
        "additionalProperties": false
      }
    },
    "facts": {"type": "array", "items": {"type": "string"}, "description": "What the merchant told the assistant and may tell again when asked."},
    "unknowns": {"type": "array", "items": {"type": "string"}, "description": "What the merchant does not know."},
    "opening": {"type": "string", "description": "The merchant's first message, copied exactly."}
  },
  "required": ["profile", "goals", "facts", "unknowns", "opening"],
  "additionalProperties": false
}`

// extractInstructions is the system message. Why its rules are there:
//   - one goal per turn, turns increasing: the code gives each goal the
//     tool calls between its turn and the next goal's, and the judges find
//     a turn's goal the same way;
//   - answers, confirmations and thanks are not goals: each would become a
//     goal with no actions that every build "fails";
//   - facts only from the merchant: store data is the assistant's to find,
//     and a simulated merchant who knows it makes every build look good;
//   - nothing invented: success tests are graded, so an invented number
//     would fail good builds.
const extractInstructions = `You read a logged chat between a merchant (the owner of an online store) and the store's AI assistant, and write the merchant's persona card as JSON. The card is used to play this merchant against new builds of the assistant, and to judge whether each build got the merchant's requests done.

The log shows the merchant's messages as "[merchant turn N]", the assistant's replies as "[assistant]", the assistant's tool calls as "-> tool(arguments)" and the tool results as "[result of tool]". Tool calls and results are shortened; they show what the assistant did and found, not what the merchant knows.

Write these fields:
- profile: who the merchant is. shop and industry from the log or its metadata (empty when not stated); expertise from their wording (novice: no technical terms, needs guidance; expert: precise terms, knows their data); tone in a few words; patience 1-10 from how they react to delays, questions and mistakes (5 when there is no sign); language as a BCP 47 code.
- goals: the merchant's requests, in the order asked. A goal is something the merchant wants the assistant to find out or to do in the store. These are not goals: greetings, thanks and goodbyes, answers to the assistant's questions, confirmations ("yes, go ahead"), and corrections or details of a request already made; they belong to the goal they serve.
  - turn: the number N of the merchant turn that first asks for the goal. Each goal has its own turn, and turns increase from goal to goal. When one message asks for two things, write one goal that covers both.
  - request: what the merchant asked, in their words, shortened to one sentence.
  - success_test: how a reviewer would check that the goal is done, concretely: which change the store must show (what was created, updated or deleted, with the names and values the merchant gave) or which facts the reply must state. Base it on what the log shows the right outcome was, e.g. "a segment named Toronto regulars exists for enabled customers in Toronto" or "the reply states how many customers are in Toronto (37)".
  - skill: the skill the goal exercises, as a snake_case tag.{{skills}}
- facts: what the merchant told the assistant that a merchant would have to tell again: names, values, preferences, constraints, answers to the assistant's questions. One short statement each, in the merchant's voice, e.g. "The segment should be called Toronto regulars." Only what the merchant said; nothing that only the assistant or a tool said.
- unknowns: what the merchant showed they do not know or cannot provide (e.g. "the reservation ID"), one short phrase each; empty when there is none.
- opening: the merchant's first message, copied exactly.

Use only what the log shows. Never invent names, IDs, numbers or dates. Write request, success_test, facts and unknowns in the language of the chat.`

// extractMessages builds the extractor's request: the instructions, then
// the conversation as text.
func extractMessages(c transcript.Conversation, turns int) []transcript.Message {
	return []transcript.Message{
		{Role: transcript.RoleSystem, Content: instructions(c)},
		{Role: transcript.RoleUser, Content: renderConversation(c, turns)},
	}
}

// instructions fills in the log's skill tags, when it has some, so goal
// skills use the log's own names.
func instructions(c transcript.Conversation) string {
	hint := ""
	if skills := orderedSkills(c); len(skills) > 0 {
		hint = " The log is tagged with these skills, in this order: " + strings.Join(skills, ", ") + "; use these tags."
	}
	return strings.Replace(extractInstructions, "{{skills}}", hint, 1)
}

// renderConversation shows the conversation as the prompt's log. System
// messages are left out: they instruct the logged assistant, not the
// merchant.
func renderConversation(c transcript.Conversation, turns int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Conversation %s, %d merchant turns.\n", c.ID, turns)
	if md := renderMetadata(c.Metadata); md != "" {
		fmt.Fprintf(&b, "Metadata: %s\n", md)
	}
	turn := 0
	for _, m := range c.Messages {
		switch m.Role {
		case transcript.RoleUser:
			turn++
			fmt.Fprintf(&b, "\n[merchant turn %d]\n%s\n", turn, clipText(m.Content, clipMerchant))
		case transcript.RoleAssistant:
			renderAssistant(&b, m)
		case transcript.RoleTool:
			renderResult(&b, m)
		}
	}
	return b.String()
}

func renderAssistant(b *strings.Builder, m transcript.Message) {
	if m.Content == "" && len(m.ToolCalls) == 0 {
		return
	}
	b.WriteString("\n[assistant]\n")
	if m.Content != "" {
		b.WriteString(clipText(m.Content, clipAssistant) + "\n")
	}
	for _, tc := range m.ToolCalls {
		fmt.Fprintf(b, "-> %s(%s)\n", tc.Function.Name, clipText(tc.Function.Arguments, clipArguments))
	}
}

func renderResult(b *strings.Builder, m transcript.Message) {
	name := m.Name
	if name == "" {
		name = "a tool"
	}
	status := ""
	if m.Error {
		status = ", an error"
	}
	fmt.Fprintf(b, "[result of %s%s] %s\n", name, status, clipText(m.Content, clipResult))
}

// renderMetadata lists the metadata's text and list values, sorted by key.
func renderMetadata(md map[string]any) string {
	keys := make([]string, 0, len(md))
	for k := range md {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		var v string
		switch x := md[k].(type) {
		case string:
			v = x
		case []any:
			v = joinStrings(x)
		case []string:
			v = strings.Join(x, ", ")
		}
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, k+": "+clipText(v, clipMetadata))
		}
	}
	return strings.Join(parts, "; ")
}

func joinStrings(xs []any) string {
	var out []string
	for _, x := range xs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return strings.Join(out, ", ")
}

// clipText shortens s to at most n bytes, on a rune boundary, saying how
// much was cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:cut], len(s)-cut)
}
