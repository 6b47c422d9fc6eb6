package personas_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/transcript"
)

func ExampleExtract() {
	conv := transcript.Conversation{ID: "orders-1", Messages: []transcript.Message{
		{Role: transcript.RoleUser, Content: "How many orders did Mason Rossi place?"},
		{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{ID: "c1", Type: "function",
			Function: transcript.FunctionCall{Name: "get_customer", Arguments: `{"customer_id":"cus_1001"}`}}}},
		{Role: transcript.RoleTool, ToolCallID: "c1", Name: "get_customer", Content: `{"name":"Mason Rossi","orders_count":5}`},
		{Role: transcript.RoleAssistant, Content: "Mason Rossi has placed 5 orders."},
		{Role: transcript.RoleUser, Content: "Thanks!"},
	}}
	card, err := personas.Extract(conv)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range card.Goals {
		fmt.Printf("%s turn %d: %s\n  actions: %s %s\n  outputs: %q\n",
			g.ID, g.Turn, g.Request, g.ExpectedActions[0].Tool, g.ExpectedActions[0].Arguments, g.ExpectedOutputs)
	}
	// Output:
	// g1 turn 1: How many orders did Mason Rossi place?
	//   actions: get_customer {"customer_id":"cus_1001"}
	//   outputs: ["Mason Rossi" "5"]
}

func ExampleReadJSONL() {
	conv := transcript.Conversation{ID: "hello", Messages: []transcript.Message{
		{Role: transcript.RoleUser, Content: "List my segments."},
		{Role: transcript.RoleAssistant, Content: "You have none yet."},
	}}
	card, _ := personas.Extract(conv)
	var lib bytes.Buffer
	if err := personas.WriteJSONL(&lib, []personas.Card{card}); err != nil {
		fmt.Println(err)
		return
	}
	lib.WriteString(`{"id": "hand-written", "goals": []}` + "\n")

	cards, err := personas.ReadJSONL(strings.NewReader(lib.String()), "cards.jsonl")
	fmt.Println(len(cards), "card read:", cards[0].Source.Conversation)
	fmt.Println(err)
	// Output:
	// 1 card read: hello
	// cards.jsonl:2: card hand-written: extractor: required
}
