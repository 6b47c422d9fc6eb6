// Package arenatest holds a cooperative fake model for tests that run the
// whole simulate path through a real OpenAI-compatible server (llmtest).
package arenatest

import (
	"sync"

	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/transcript"
)

// Brain answers every role of the simulate path the way a cooperative
// model would, so a whole run can go through a real OpenAI-compatible
// server: the extractor finds one goal per log, the merchant finishes after
// the assistant's first answer, the judges approve, the LLM agents look
// customers up once and answer.
type Brain struct {
	// Every answers every n-th request 429 with Retry-After: 1 (0:
	// never).
	Every int
	// Malformed names a reply schema answered with JSON cut off mid-reply.
	Malformed string

	mu        sync.Mutex
	throttled int
}

// Throttled is how many requests were answered 429.
func (b *Brain) Throttled() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.throttled
}

// Handle is the llmtest handler.
func (b *Brain) Handle(r *llmtest.Request) llmtest.Reply {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Every > 0 && r.N%b.Every == 0 {
		b.throttled++
		return llmtest.Status(429).WithRetryAfter("1")
	}
	if r.SchemaName != "" && r.SchemaName == b.Malformed {
		return llmtest.Text(`{"message": "I need`) // cut off mid-reply
	}
	switch r.SchemaName {
	case "persona_card":
		return llmtest.JSON(map[string]any{
			"profile": map[string]any{"shop": "Maple & Pine Outfitters", "industry": "outdoor apparel", "expertise": "intermediate",
				"tone": "brief", "patience": 4, "language": "en"},
			"goals":    []map[string]any{{"turn": 1, "request": "the merchant's first request", "success_test": "the store shows it done", "skill": "customer_lookup"}},
			"facts":    []string{},
			"unknowns": []string{},
			"opening":  "(copied)",
		})
	case "merchant_turn":
		return llmtest.JSON(map[string]any{"message": "", "goals": []map[string]any{{"goal": "g1", "status": "done"}},
			"decision": "finish", "reason": "the assistant answered"})
	case "judgement":
		return llmtest.JSON(map[string]any{"score": 1, "rationale": "fine", "cited_turns": []int{1}})
	}
	if last := r.Messages[len(r.Messages)-1]; last.Role != transcript.RoleTool && len(r.Tools) > 0 {
		return llmtest.Calls(transcript.ToolCall{Function: transcript.FunctionCall{Name: "search_customers", Arguments: `{"query":"customer_city = 'Toronto'","limit":3}`}})
	}
	return llmtest.Text("Here is what I found in your store.")
}
