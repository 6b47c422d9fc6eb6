package personas_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/transcript"
)

func mustLoad(t testing.TB, path string) transcript.Conversation {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c transcript.Conversation
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

func TestExtract_Goals(t *testing.T) {
	card, err := personas.Extract(mustLoad(t, "testdata/toronto.json"))
	if err != nil {
		t.Fatal(err)
	}
	type goal struct {
		ID, Request, Skill string
		Turn               int
		Tools              []string
		Outputs            []string
	}
	var got []goal
	for _, g := range card.Goals {
		var tools []string
		for _, a := range g.ExpectedActions {
			tools = append(tools, a.Tool)
		}
		got = append(got, goal{g.ID, g.Request, g.Skill, g.Turn, tools, g.ExpectedOutputs})
	}
	want := []goal{
		{"g1", "Which of my customers are from Toronto?", "customer_lookup", 1,
			[]string{"search_customers"}, []string{"37", "Ava Chen", "$1,234.50"}},
		{"g2", "Make a segment of the enabled ones.", "customer_segmentation", 2,
			[]string{"create_segment"}, []string{"Toronto regulars", "seg_4", "29"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("goals (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Call it Toronto regulars."}, card.Facts); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	if card.Opening != "Which of my customers are from Toronto?" || len(card.Script) != 4 {
		t.Errorf("opening %q, script %d turns; want the first merchant message and 4 turns", card.Opening, len(card.Script))
	}
	var args map[string]string
	if err := json.Unmarshal(card.Goals[1].ExpectedActions[0].Arguments, &args); err != nil || args["name"] != "Toronto regulars" {
		t.Errorf("object arguments kept as JSON: %s (%v)", card.Goals[1].ExpectedActions[0].Arguments, err)
	}
}

func TestExtract_ContentAddressed(t *testing.T) {
	c := mustLoad(t, "testdata/toronto.json")
	a, err := personas.Extract(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := personas.Extract(c)
	if a.ID != b.ID || a.Source.Hash != b.Source.Hash {
		t.Fatalf("same conversation, different IDs: %s %s", a.ID, b.ID)
	}
	c.Messages[1].Content += " Please."
	d, _ := personas.Extract(c)
	if d.ID == a.ID {
		t.Fatalf("changed conversation kept ID %s", a.ID)
	}
}

func TestExtract_ErrNoMerchant(t *testing.T) {
	c := transcript.Conversation{ID: "empty", Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "Hi"}}}
	if _, err := personas.Extract(c); err == nil {
		t.Fatal("want an error for a conversation with no merchant message")
	}
}

func TestExtract_SignOffKeepsOutputs(t *testing.T) {
	c := transcript.Conversation{ID: "signoff", Messages: []transcript.Message{
		{Role: transcript.RoleUser, Content: "How many orders did Mason Rossi place?"},
		{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{ID: "c1", Type: "function",
			Function: transcript.FunctionCall{Name: "get_customer", Arguments: `{"customer_id":"cus_1001"}`}}}},
		{Role: transcript.RoleTool, ToolCallID: "c1", Name: "get_customer", Content: `{"first_name":"Mason","name":"Mason Rossi","orders_count":5}`},
		{Role: transcript.RoleAssistant, Content: "Mason Rossi has placed 5 orders, the last on June 5, 2026."},
		{Role: transcript.RoleUser, Content: "Thanks, that's all!"},
		{Role: transcript.RoleAssistant, Content: "You're welcome!"},
	}}
	card, err := personas.Extract(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(card.Goals) != 1 {
		t.Fatalf("goals = %+v, want one", card.Goals)
	}
	if diff := cmp.Diff([]string{"Mason Rossi", "5"}, card.Goals[0].ExpectedOutputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
}
