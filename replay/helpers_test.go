package replay_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/merchantarena/merchantarena/transcript"
)

// tcall is a tool call with the result the conversation got.
type tcall struct{ name, args, result string }

// tturn is one merchant turn: the message, the calls, the text reply.
type tturn struct {
	merchant string
	calls    []tcall
	reply    string
}

// conv builds a conversation turn by turn; calls get IDs call_1, call_2…
// and each call is its own assistant message followed by its result.
func conv(id string, ts ...tturn) transcript.Conversation {
	c := transcript.Conversation{ID: id, Messages: []transcript.Message{{Role: transcript.RoleSystem, Content: "You help a shop."}}}
	n := 0
	for _, t := range ts {
		c.Messages = append(c.Messages, transcript.Message{Role: transcript.RoleUser, Content: t.merchant})
		for _, tc := range t.calls {
			n++
			callID := fmt.Sprintf("call_%d", n)
			c.Messages = append(c.Messages,
				transcript.Message{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{
					{ID: callID, Type: "function", Function: transcript.FunctionCall{Name: tc.name, Arguments: tc.args}}}},
				transcript.Message{Role: transcript.RoleTool, ToolCallID: callID, Name: tc.name, Content: tc.result})
		}
		if t.reply != "" {
			c.Messages = append(c.Messages, transcript.Message{Role: transcript.RoleAssistant, Content: t.reply})
		}
	}
	return c
}

// shop is a three-turn conversation: a lookup, a tag edit, a question.
func shop(tags string) transcript.Conversation {
	return conv("shop-1",
		tturn{merchant: "who is Henry Tremblay?", calls: []tcall{
			{"search_customers", `{"query":"customer_name = 'Henry Tremblay'"}`, `{"customers":[{"id":"cus_1002"}]}`}},
			reply: "Henry Tremblay is cus_1002."},
		tturn{merchant: "tag him vip", calls: []tcall{
			{"update_customer", `{"customer_id":"cus_1002","add_tags":` + tags + `}`, `{"customer":{"id":"cus_1002"}}`}},
			reply: "Done: cus_1002 is tagged."},
		tturn{merchant: "thanks", reply: "You're welcome."},
	)
}

func boolp(b bool) *bool { return &b }

// sharedData returns the path of a file of the public sample data, or
// skips when the folder is absent.
func sharedData(tb testing.TB, rel string) string {
	tb.Helper()
	dir := os.Getenv("ARENA_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "data")
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("shared data folder absent (%v); CI has it, or set ARENA_SHARED_DATA", err)
	}
	return path
}
