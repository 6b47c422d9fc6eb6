package simulator_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// torontoCard is a two-goal card like the one extracted from
// personas/testdata/toronto.json.
func torontoCard() *personas.Card {
	return &personas.Card{
		ID: "card-toronto",
		Profile: personas.Profile{
			Shop: "Maple & Pine Outfitters", Industry: "outdoor apparel", Expertise: "novice",
			Tone: "brief, friendly", Patience: 2, Language: "en",
		},
		Opening: "Which of my customers are from Toronto?",
		Goals: []personas.Goal{
			{ID: "g1", Turn: 1, Request: "Find the customers from Toronto.",
				SuccessTest:     "the assistant reports how many customers are in Toronto",
				ExpectedOutputs: []string{"37"}},
			{ID: "g2", Turn: 2, Request: "Make a segment of the enabled Toronto customers.",
				SuccessTest: "the assistant reports a segment named Toronto regulars was created"},
		},
		Facts:    []string{"The segment should be called Toronto regulars."},
		Unknowns: []string{"how many orders Toronto customers placed last year"},
		Script:   []string{"Which of my customers are from Toronto?", "Make a segment of the enabled ones.", "Call it Toronto regulars."},
	}
}

// turn is a merchant reply as the model would write it.
func turn(message, decision, reason string, goals ...simulator.GoalStatus) llmtest.Reply {
	if goals == nil {
		goals = []simulator.GoalStatus{}
	}
	return llmtest.JSON(map[string]any{"message": message, "goals": goals, "decision": decision, "reason": reason})
}

func status(goal, s string) simulator.GoalStatus { return simulator.GoalStatus{Goal: goal, Status: s} }

// newMerchant returns a merchant for torontoCard with seed 7 that asks a
// real llm.Client pointed at a scripted server.
func newMerchant(t *testing.T, h llmtest.Handler, cfg llm.Config) (*simulator.LLM, *llmtest.Server) {
	t.Helper()
	srv := llmtest.NewServer(t, h)
	return simulator.NewLLM(llmtest.Client(t, srv, cfg), torontoCard(), 7), srv
}

func user(s string) transcript.Message {
	return transcript.Message{Role: transcript.RoleUser, Content: s}
}
func assistant(s string) transcript.Message {
	return transcript.Message{Role: transcript.RoleAssistant, Content: s}
}

// afterOpening is a dialogue one exchange in.
var afterOpening = []transcript.Message{
	user("Which of my customers are from Toronto?"),
	assistant("You have 37 customers in Toronto."),
}

func TestLLM_Next_Opening(t *testing.T) {
	m, srv := newMerchant(t, nil, llm.Config{})
	d, err := m.Next(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := simulator.Decision{
		Message: "Which of my customers are from Toronto?",
		Goals:   []simulator.GoalStatus{status("g1", "pending"), status("g2", "pending")},
		Note:    "opening message from the card",
	}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("decision (-want +got):\n%s", diff)
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("server saw %d requests, want none for the opening", n)
	}
}

func TestLLM_Next_ErrNoOpening(t *testing.T) {
	m, _ := newMerchant(t, nil, llm.Config{})
	m.Card.Opening = ""
	_, err := m.Next(t.Context(), nil)
	if !errors.Is(err, simulator.ErrNoOpening) {
		t.Fatalf("err = %v, want ErrNoOpening", err)
	}
}

// playScripted runs m against an assistant that answers from replies in order and
// returns every decision.
func playScripted(t *testing.T, m simulator.Merchant, replies ...string) []simulator.Decision {
	t.Helper()
	var dialogue []transcript.Message
	var ds []simulator.Decision
	for i := 0; ; i++ {
		d, err := m.Next(t.Context(), dialogue)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
		if d.Stop {
			return ds
		}
		if i >= len(replies) {
			t.Fatalf("merchant went on after %d assistant replies", len(replies))
		}
		dialogue = append(dialogue, user(d.Message), assistant(replies[i]))
	}
}

func TestLLM_Next_GoalsMet(t *testing.T) {
	m, srv := newMerchant(t, llmtest.Sequence(
		turn("Great. Can you make a segment of the enabled ones?", "continue", "g1 done; asking for g2",
			status("g1", "done"), status("g2", "pending")),
		turn("Call it Toronto regulars.", "continue", "assistant asked for the name",
			status("g1", "done"), status("g2", "pending")),
		turn("", "finish", "segment created; all goals done",
			status("g1", "done"), status("g2", "done")),
	), llm.Config{})
	ds := playScripted(t, m,
		"You have 37 customers in Toronto.",
		"Sure. What should I call the segment?",
		"Done: the segment Toronto regulars (seg_4) has 29 members.")

	var said []string
	for _, d := range ds[:len(ds)-1] {
		said = append(said, d.Message)
	}
	wantSaid := []string{"Which of my customers are from Toronto?", "Great. Can you make a segment of the enabled ones?", "Call it Toronto regulars."}
	if diff := cmp.Diff(wantSaid, said); diff != "" {
		t.Errorf("merchant messages (-want +got):\n%s", diff)
	}
	wantLast := simulator.Decision{
		Stop: true, Reason: simulator.StopGoalsMet,
		Goals: []simulator.GoalStatus{status("g1", "done"), status("g2", "done")},
		Note:  "segment created; all goals done",
	}
	if diff := cmp.Diff(wantLast, ds[len(ds)-1]); diff != "" {
		t.Errorf("last decision (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]simulator.GoalStatus{status("g1", "done"), status("g2", "pending")}, ds[1].Goals); diff != "" {
		t.Errorf("goals after turn 2 (-want +got):\n%s", diff)
	}
	if n := srv.Count(); n != 3 {
		t.Errorf("server saw %d requests, want 3", n)
	}
}

func TestLLM_Next_Stops(t *testing.T) {
	tests := []struct {
		name       string
		reply      llmtest.Reply
		wantReason simulator.StopReason
		wantNote   string
	}{
		{"GaveUp", turn("", "give_up", "the assistant refused twice", status("g1", "failed")),
			simulator.StopGaveUp, "the assistant refused twice"},
		{"GoalsMetFlagsOpenGoals", turn("", "finish", "all good", status("g1", "done")),
			simulator.StopGoalsMet, "all good; finished with goals not done: g2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newMerchant(t, llmtest.Sequence(tt.reply), llm.Config{})
			d, err := m.Next(t.Context(), afterOpening)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Stop || d.Reason != tt.wantReason || d.Message != "" {
				t.Errorf("decision = %+v, want a stop with reason %q", d, tt.wantReason)
			}
			if d.Note != tt.wantNote {
				t.Errorf("note = %q, want %q", d.Note, tt.wantNote)
			}
		})
	}
}

func TestLLM_Next_TurnLimit(t *testing.T) {
	m, srv := newMerchant(t, nil, llm.Config{})
	m.MaxTurns = 2
	dialogue := append(append([]transcript.Message{}, afterOpening...),
		user("Make a segment of the enabled ones."), assistant("What should I call it?"))
	d, err := m.Next(t.Context(), dialogue)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Stop || d.Reason != simulator.StopTurnLimit {
		t.Errorf("decision = %+v, want a turn-limit stop", d)
	}
	if len(d.Goals) != 2 {
		t.Errorf("goals = %+v, want both card goals", d.Goals)
	}
	if n := srv.Count(); n != 0 {
		t.Errorf("server saw %d requests, want none at the turn limit", n)
	}
}

func TestLLM_Next_Request(t *testing.T) {
	m, srv := newMerchant(t, llmtest.Sequence(
		turn("Call it Toronto regulars.", "continue", "answering the name question"),
	), llm.Config{})
	m.Model = "merchant-model"
	dialogue := []transcript.Message{
		user("Which of my customers are from Toronto?"),
		{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{ID: "c1", Type: "function",
			Function: transcript.FunctionCall{Name: "search_customers", Arguments: `{"query":"customer_city = 'Toronto'"}`}}}},
		{Role: transcript.RoleTool, ToolCallID: "c1", Name: "search_customers", Content: `{"count":37}`},
		assistant("You have 37 customers in Toronto."),
		user("Make a segment of the enabled ones."),
		assistant("Sure."),
		assistant("What should I call the segment?"),
	}
	if _, err := m.Next(t.Context(), dialogue); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("server saw %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	if r.Messages[0].Role != transcript.RoleSystem || !strings.Contains(r.Messages[0].Content, "Maple & Pine Outfitters") {
		t.Errorf("first message = %+v, want the system prompt with the card", r.Messages[0])
	}
	want := []transcript.Message{
		{Role: transcript.RoleUser, Content: "(The chat with the store assistant begins. Write your first message.)"},
		{Role: transcript.RoleAssistant, Content: "Which of my customers are from Toronto?"},
		{Role: transcript.RoleUser, Content: "You have 37 customers in Toronto."},
		{Role: transcript.RoleAssistant, Content: "Make a segment of the enabled ones."},
		{Role: transcript.RoleUser, Content: "Sure.\n\nWhat should I call the segment?"},
	}
	if diff := cmp.Diff(want, r.Messages[1:]); diff != "" {
		t.Errorf("flipped dialogue (-want +got):\n%s", diff)
	}
	if r.SchemaName != "merchant_turn" || !r.Strict {
		t.Errorf("response format = %q strict=%v, want merchant_turn strict", r.SchemaName, r.Strict)
	}
	if r.Temperature == nil || *r.Temperature != 0.7 {
		t.Errorf("temperature = %v, want 0.7", r.Temperature)
	}
	if r.Seed == nil || *r.Seed != 7 {
		t.Errorf("seed = %v, want 7", r.Seed)
	}
	if r.Model != "merchant-model" {
		t.Errorf("model = %q, want merchant-model", r.Model)
	}
}

func TestLLM_Next_EndsOnUserMessage(t *testing.T) {
	m, srv := newMerchant(t, llmtest.Sequence(turn("Hello?", "continue", "no answer yet")), llm.Config{})
	dialogue := []transcript.Message{
		user("Which of my customers are from Toronto?"),
		{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{ID: "c1", Type: "function"}}},
	}
	if _, err := m.Next(t.Context(), dialogue); err != nil {
		t.Fatal(err)
	}
	last := srv.Requests()[0].Last()
	if last.Role != transcript.RoleUser || last.Content != "(The assistant sent no visible reply.)" {
		t.Errorf("last message = %+v, want the no-reply note as user", last)
	}
}

// memCache is an in-memory llm.Cache that caches anything it is given.
type memCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (c *memCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[key]
	return v, ok, nil
}

func (c *memCache) Put(_ context.Context, key, _ string, value []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = value
	return nil
}

func TestLLM_Next_NotCached(t *testing.T) {
	// Temperature 0 with a cache configured: a cacheable request would be
	// answered from the cache the second time.
	m, srv := newMerchant(t, llmtest.Sequence(
		turn("Thanks! Now a segment please.", "continue", "g1 done", status("g1", "done")),
		turn("Thanks! Now a segment please.", "continue", "g1 done", status("g1", "done")),
	), llm.Config{Cache: &memCache{m: map[string][]byte{}}})
	m.Temperature = 0
	for i := range 2 {
		if _, err := m.Next(t.Context(), afterOpening); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	if n := srv.Count(); n != 2 {
		t.Errorf("server saw %d requests, want 2: the merchant must never be cached", n)
	}
}

func TestLLM_Next_OutputError(t *testing.T) {
	m, srv := newMerchant(t, llmtest.Sequence(
		llmtest.Text("Sure, here is my next message"),
		llmtest.Text(`{"message": "hi"}`),
	), llm.Config{})
	_, err := m.Next(t.Context(), afterOpening)
	var oe *llm.OutputError
	if !errors.As(err, &oe) {
		t.Fatalf("err = %v, want an *llm.OutputError", err)
	}
	if !strings.HasPrefix(err.Error(), "merchant turn 2: ") {
		t.Errorf("err = %q, want it to name merchant turn 2", err)
	}
	if n := srv.Count(); n != 2 {
		t.Errorf("server saw %d requests, want 2 (one retry)", n)
	}
}

func TestLLM_Next_ClientError(t *testing.T) {
	m, _ := newMerchant(t, llmtest.Sequence(llmtest.Status(400)), llm.Config{})
	_, err := m.Next(t.Context(), afterOpening)
	if err == nil || !strings.HasPrefix(err.Error(), "merchant turn 2: ") {
		t.Fatalf("err = %v, want an error naming merchant turn 2", err)
	}
}

func TestLLM_Next_ErrEmptyMessage(t *testing.T) {
	m, _ := newMerchant(t, llmtest.Sequence(turn("  ", "continue", "thinking")), llm.Config{})
	_, err := m.Next(t.Context(), afterOpening)
	if !errors.Is(err, simulator.ErrEmptyMessage) {
		t.Fatalf("err = %v, want ErrEmptyMessage", err)
	}
	if !strings.Contains(err.Error(), "merchant turn 2") {
		t.Errorf("err = %q, want it to name merchant turn 2", err)
	}
}

func TestLLM_Next_Goals(t *testing.T) {
	m, _ := newMerchant(t, llmtest.Sequence(turn("And the segment?", "continue", "asking for g2",
		status("g9", "done"), status("g2", "failed"), status("g2", "done"), status("G1", "done")),
	), llm.Config{})
	d, err := m.Next(t.Context(), afterOpening)
	if err != nil {
		t.Fatal(err)
	}
	// g9 and G1 are not card goals; the first g2 wins; g1 was not reported.
	want := []simulator.GoalStatus{status("g1", "pending"), status("g2", "failed")}
	if diff := cmp.Diff(want, d.Goals); diff != "" {
		t.Errorf("goals (-want +got):\n%s", diff)
	}
}
