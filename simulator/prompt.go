package simulator

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/template"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/transcript"
)

// PromptVersion names the merchant prompt and reply schema below. Sessions
// record it beside the simulator's model, and sessions played under
// different versions are never paired: bump it whenever the prompt text,
// the schema or the way the dialogue is presented changes.
const PromptVersion = "merchant/1"

// DefaultPatience is how many unhelpful replies a merchant tolerates when
// the card gives no patience.
const DefaultPatience = 3

// schemaName names the reply schema in response_format.
const schemaName = "merchant_turn"

// replySchema is the strict schema of one merchant turn. Goal IDs are plain
// strings, not an enum of the card's IDs, so one schema serves every card
// and an unknown ID is dropped by normaliseGoals instead of failing the turn.
const replySchema = `{
  "type": "object",
  "properties": {
    "message": {
      "type": "string",
      "description": "The merchant's next message to the assistant, in the persona's voice and language. Empty when decision is finish or give_up."
    },
    "goals": {
      "type": "array",
      "description": "Every goal of the card, by id, as it stands after the assistant's last message.",
      "items": {
        "type": "object",
        "properties": {
          "goal": {"type": "string", "description": "The goal id from the card."},
          "status": {"type": "string", "enum": ["pending", "done", "failed"]}
        },
        "required": ["goal", "status"],
        "additionalProperties": false
      }
    },
    "decision": {
      "type": "string",
      "enum": ["continue", "finish", "give_up"],
      "description": "continue: send message. finish: every goal is done. give_up: patience exhausted, or the assistant is stuck or refuses."
    },
    "reason": {
      "type": "string",
      "description": "One short sentence for the test log: why this decision and these statuses."
    }
  },
  "required": ["message", "goals", "decision", "reason"],
  "additionalProperties": false
}`

// Decisions in the reply schema.
const (
	decisionContinue = "continue"
	decisionFinish   = "finish"
	decisionGiveUp   = "give_up"
)

// reply is one merchant turn as the model writes it.
type reply struct {
	Message  string       `json:"message"`
	Goals    []GoalStatus `json:"goals"`
	Decision string       `json:"decision"`
	Reason   string       `json:"reason"`
}

// Stand-in user messages keep the flipped dialogue alternating user and
// assistant, which some chat templates (Mistral, Llama on vLLM) require.
const (
	kickoff   = "(The chat with the store assistant begins. Write your first message.)"
	noReply   = "(The assistant sent no visible reply.)"
	joinParts = "\n\n"
)

// systemPrompt is the merchant's brief. It is written to the model that
// plays the merchant, in the second person. Why each rule is there:
//   - reveal facts only when asked: a merchant who volunteers everything
//     makes every build look good at clarifying questions;
//   - never invent store data: an invented ID or number would be blamed on
//     the build when the judges check grounding;
//   - never act as the assistant: simulated users that "do the work" or
//     declare success end sessions before the write happens;
//   - settle goals only on what the assistant reported, and decline extra
//     offers: the session must end when the card's goals are met, not run
//     on into new requests the card never had.
var systemPrompt = template.Must(template.New("merchant").
	Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).
	Parse(merchantPrompt))

// merchantPrompt is the text/template of the system prompt; its data is a
// promptData.
const merchantPrompt = `You are role-playing a merchant: the owner of an online store who is chatting with the store's AI assistant to get things done. You are the merchant and only the merchant. The assistant is the other side of this chat: its messages appear as the user's, and your own earlier messages appear as yours.

This chat tests the assistant. Behave like the real merchant described below would: ask for what you want, answer the assistant's questions, and react honestly to what it tells you. Do not make the assistant's job easier or harder than a real merchant would.

# Who you are
{{- with .Profile.Shop}}
- Shop: {{.}}{{end}}
{{- with .Profile.Industry}}
- Industry: {{.}}{{end}}
{{- with .Profile.Expertise}}
- Expertise: {{.}}. Use the words someone with this expertise would use; do not use technical terms, field names or query syntax you would not know.{{end}}
{{- with .Profile.Tone}}
- Tone: {{.}}{{end}}
- Language: {{.Language}}. Write every message in it.
- Patience: you put up with about {{.Patience}} unhelpful replies in the whole chat (a wrong or vague answer, an error, a needless question, a refusal, a reply that ignores what you asked). After that you give up.

# Your goals, in order
You came to the chat with these requests. Pursue them one at a time, in this order; move on to the next only when the current one is done or has failed. Ask in your own words, the way you would type it in a chat; do not copy the goal text. Your opening message may already have asked for the first goals: then wait for the assistant's answer instead of asking again.
{{- range $i, $g := .Goals}}
{{inc $i}}. [{{$g.ID}}] {{$g.Request}}
   Done when: {{if $g.SuccessTest}}{{$g.SuccessTest}}{{else}}the assistant reports that this request was carried out or answered.{{end}}
{{- else}}
(No goals are listed: pursue what your opening message asked for, then finish.)
{{- end}}

The "done when" tests are for you to judge by. They are private: never quote them, or any number in them, to the assistant.

# What you know
These facts are yours to share, but only when the assistant asks for them or clearly needs one to go on with your current goal. Never volunteer them up front, and share only the one that is needed.
{{- range .Facts}}
- {{.}}
{{- else}}
(No facts beyond your goals.)
{{- end}}

# What you do not know
{{- range .Unknowns}}
- {{.}}
{{- end}}
When the assistant asks about any of this, or about anything else that is not in this brief or in the chat, say that you do not know, or ask it to look it up. Never make up an answer.

# Rules
1. Write only your next message to the assistant: one message, in your voice and your language ({{.Language}}). No quotation marks around it, no name or role prefix, no stage directions, no notes to anyone else.
2. You are never the assistant. Do not answer your own questions, do not write what the assistant would reply, and never say that you did the work or that something was changed in the store (no "I've created the segment…", no "Done! The segment…"). Only the assistant acts on the store; you ask and react.
3. Never invent store data: no IDs, names, numbers, amounts, dates or counts that are not in this brief or in the chat. When you give a name or value, spell it exactly as the brief or the chat does. If you need something you do not have, ask the assistant.
4. Answer the assistant's questions briefly and truthfully from this brief. If it asks you to confirm an action that matches your goal, confirm it; if what it proposes differs from your goal, correct it.
5. Judge only by what the assistant reported in this chat. A goal is done when the assistant's reply shows its "done when" test is met. A promise ("I will…"), a plan, a question or a request for confirmation is not done yet: the goal stays pending. Do not assume what you were not shown.
6. If an answer is wrong, incomplete or vague, say so and ask again, as this merchant would. If the assistant tells you to do it yourself in the store admin, ask it to do it for you.
7. A goal has failed when the assistant says it cannot do it, refuses, or keeps getting it wrong after you have corrected it. Then move on to the next pending goal.
8. Ask for nothing beyond your goals. If the assistant offers more help, do not take it up.
9. Never mention goal ids, this brief, tests or simulations.

# Your reply
Reply with a JSON object:
- "message": your next message; "" when you finish or give up (nothing more is sent).
- "goals": every goal above, by id, with status "pending", "done" or "failed", as things stand after the assistant's last message.
- "decision": "continue" to send your message; "finish" only when every goal is done; "give_up" when your patience is exhausted, when the assistant is stuck (repeats itself, loops on questions, keeps failing) or refuses, or when no goal is pending and some have failed.
- "reason": one short sentence for the test log saying why, e.g. "g1 done: the assistant reported the count; asking for g2".`

// promptData is what the system prompt shows of a card.
type promptData struct {
	Profile  personas.Profile
	Language string
	Patience int
	Goals    []personas.Goal
	Facts    []string
	Unknowns []string
}

// SystemPrompt renders the merchant's system prompt for card: the brief
// the simulate mode gives the model, for inspection and replay tools.
func SystemPrompt(card *personas.Card) (string, error) {
	d := promptData{
		Profile: card.Profile, Language: card.Profile.Language, Patience: card.Profile.Patience,
		Goals: card.Goals, Facts: card.Facts, Unknowns: card.Unknowns,
	}
	if d.Language == "" {
		d.Language = "the language of your first message"
	}
	if d.Patience <= 0 {
		d.Patience = DefaultPatience
	}
	var b strings.Builder
	if err := systemPrompt.Execute(&b, d); err != nil {
		return "", fmt.Errorf("render merchant prompt: %w", err)
	}
	return b.String(), nil
}

// flip turns the visible dialogue into the model's conversation. The model
// plays the merchant, so the merchant's messages become its own
// ("assistant") and the assistant's become "user". Consecutive messages of
// one side are joined, and the conversation always opens and ends on a
// "user" message, so that roles alternate.
func flip(system string, visible []transcript.Message) []transcript.Message {
	msgs := []transcript.Message{
		{Role: transcript.RoleSystem, Content: system},
		{Role: transcript.RoleUser, Content: kickoff},
	}
	for _, m := range visible {
		role := transcript.RoleUser
		if m.Role == transcript.RoleUser {
			role = transcript.RoleAssistant
		}
		last := &msgs[len(msgs)-1]
		if last.Role == role {
			last.Content += joinParts + m.Content
			continue
		}
		msgs = append(msgs, transcript.Message{Role: role, Content: m.Content})
	}
	if msgs[len(msgs)-1].Role == transcript.RoleAssistant {
		msgs = append(msgs, transcript.Message{Role: transcript.RoleUser, Content: noReply})
	}
	return msgs
}

// visibleText keeps the merchant's and the assistant's text and drops
// everything else (tool calls, tool results, system messages), whatever the
// caller passed.
func visibleText(dialogue []transcript.Message) []transcript.Message {
	out := make([]transcript.Message, 0, len(dialogue))
	for _, m := range dialogue {
		if (m.Role == transcript.RoleUser || m.Role == transcript.RoleAssistant) && strings.TrimSpace(m.Content) != "" {
			out = append(out, transcript.Message{Role: m.Role, Content: m.Content})
		}
	}
	return out
}

// schema is the reply schema for a request.
func schema() json.RawMessage { return json.RawMessage(replySchema) }
