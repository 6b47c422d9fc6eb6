package mutants_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

const (
	ask1 = "Which of my customers are from Toronto?"
	ask2 = "Make a segment of the enabled ones, call it Toronto regulars."
	q1   = `{"query":"customer_city = 'Toronto'","limit":2}`
	q2   = `{"name":"Toronto regulars","query":"customer_city = 'Toronto' AND customer_account_status = 'ENABLED'"}`
)

// logged returns a conversation whose tool results are what the fixture
// really answers, as the bundled examples are.
func logged(t *testing.T) (transcript.Conversation, int) {
	t.Helper()
	store := sandbox.Fixture()
	r1, err := store.Call("search_customers", json.RawMessage(q1))
	if err != nil {
		t.Fatal(err)
	}
	r2, err := store.Call("create_segment", json.RawMessage(q2))
	if err != nil {
		t.Fatal(err)
	}
	var found struct{ Count int }
	if err := json.Unmarshal(r1, &found); err != nil {
		t.Fatal(err)
	}
	var seg struct {
		Segment struct{ ID string }
	}
	if err := json.Unmarshal(r2, &seg); err != nil {
		t.Fatal(err)
	}
	call := func(id, name, args string) transcript.Message {
		return transcript.Message{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{
			{ID: id, Type: "function", Function: transcript.FunctionCall{Name: name, Arguments: args}}}}
	}
	msgs := []transcript.Message{
		{Role: transcript.RoleUser, Content: ask1},
		call("c1", "search_customers", q1),
		{Role: transcript.RoleTool, ToolCallID: "c1", Name: "search_customers", Content: string(r1)},
		{Role: transcript.RoleAssistant, Content: fmt.Sprintf("You have %d customers in Toronto.", found.Count)},
		{Role: transcript.RoleUser, Content: ask2},
		call("c2", "create_segment", q2),
		{Role: transcript.RoleTool, ToolCallID: "c2", Name: "create_segment", Content: string(r2)},
		{Role: transcript.RoleAssistant, Content: "I've created the segment Toronto regulars (" + seg.Segment.ID + ")."},
	}
	return transcript.Conversation{ID: "toronto", Messages: msgs}, found.Count
}

type rig struct {
	nc     *nats.Conn
	box    *sandbox.Service
	client *candidates.Client
	lib    *mutants.Library
}

func newRig(t *testing.T, convs ...transcript.Conversation) *rig {
	t.Helper()
	nc := natstest.Conn(t)
	box := sandbox.NewService(nc)
	if err := box.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { box.Stop() })
	return &rig{nc: nc, box: box, client: candidates.NewClient(nc), lib: mutants.NewLibrary(convs)}
}

// serve starts a reference build and returns its subject.
func (r *rig) serve(t *testing.T, name string) string {
	t.Helper()
	b, err := mutants.Build(name, r.lib)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := candidates.Serve(r.nc, b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Stop() })
	return svc.Info().Subject
}

// play sends the merchant's messages one turn at a time, as the arena does.
func (r *rig) play(t *testing.T, subject string, timeout time.Duration, said ...string) ([]transcript.Message, *sandbox.Session, error) {
	t.Helper()
	box := r.box.Open(t.Name())
	var dialogue []transcript.Message
	for i, s := range said {
		box.SetTurn(i + 1)
		dialogue = append(dialogue, transcript.Message{Role: transcript.RoleUser, Content: s})
		ctx, cancel := contextWithTimeout(t, timeout)
		rep, err := r.client.Turn(ctx, subject, &candidates.TurnRequest{
			Session: t.Name(), Turn: i + 1, Messages: dialogue,
			Sandbox: candidates.SandboxRef{Subject: r.box.Subject(), Token: box.Token()},
		})
		cancel()
		if err != nil {
			return dialogue, box, err
		}
		dialogue = append(dialogue, rep.Messages...)
	}
	return dialogue, box, nil
}

func texts(msgs []transcript.Message) []string {
	var out []string
	for _, m := range msgs {
		if m.Role == transcript.RoleAssistant && m.Content != "" {
			out = append(out, m.Content)
		}
	}
	return out
}

func TestGolden_ReplaysTheLog(t *testing.T) {
	conv, _ := logged(t)
	r := newRig(t, conv)
	got, box, err := r.play(t, r.serve(t, "golden"), 5*time.Second, ask1, ask2)
	if err != nil {
		t.Fatal(err)
	}
	want := conv.Messages
	if len(got) != len(want) {
		t.Fatalf("golden said %d messages, the log has %d", len(got), len(want))
	}
	for i := range want {
		if got[i].Role != want[i].Role || got[i].Content != want[i].Content {
			t.Errorf("message %d = %s %q, want %s %q", i, got[i].Role, got[i].Content, want[i].Role, want[i].Content)
		}
	}
	calls := box.Calls()
	if len(calls) != 2 || calls[0].Turn != 1 || calls[1].Turn != 2 || calls[1].CallID != "c2" || calls[1].Error != "" {
		t.Fatalf("sandbox recorded %+v, want both logged calls on their turns", calls)
	}
}

func TestTagHacker_RewritesFilters(t *testing.T) {
	conv, count := logged(t)
	r := newRig(t, conv)
	got, box, err := r.play(t, r.serve(t, "tag-hacker"), 5*time.Second, ask1)
	if err != nil {
		t.Fatal(err)
	}
	calls := box.Calls()
	if len(calls) != 1 || !strings.Contains(string(calls[0].Arguments), "customer_tags CONTAINS 'toronto'") {
		t.Fatalf("calls = %+v, want the city filter turned into a tag filter", calls)
	}
	var res struct{ Count int }
	if err := json.Unmarshal(calls[0].Result, &res); err != nil {
		t.Fatal(err)
	}
	if res.Count == count {
		t.Fatalf("the tag filter found %d customers like the field filter; the fixture should make them differ", count)
	}
	want := fmt.Sprintf("You have %d customers in Toronto.", res.Count)
	if tx := texts(got); len(tx) != 1 || tx[0] != want {
		t.Errorf("reply = %q, want it retold with what the tool returned: %q", tx, want)
	}
}

func TestOptOut_Declines(t *testing.T) {
	conv, _ := logged(t)
	r := newRig(t, conv)
	got, box, err := r.play(t, r.serve(t, "opt-out"), 5*time.Second, ask1)
	if err != nil {
		t.Fatal(err)
	}
	if len(box.Calls()) != 0 || len(texts(got)) != 1 || !strings.Contains(texts(got)[0], "can't help") {
		t.Fatalf("opt-out made %d calls and said %q", len(box.Calls()), texts(got))
	}
}

func TestHallucinator_InventsIDs(t *testing.T) {
	conv, _ := logged(t)
	r := newRig(t, conv)
	got, box, err := r.play(t, r.serve(t, "hallucinator"), 5*time.Second, ask1, ask2)
	if err != nil {
		t.Fatal(err)
	}
	if len(box.Calls()) != 0 {
		t.Fatalf("hallucinator made calls: %+v", box.Calls())
	}
	last := texts(got)[len(texts(got))-1]
	for _, id := range sandbox.IDPattern.FindAllString(last, -1) {
		if sandbox.Fixture().Exists(id) || strings.HasPrefix(id, "seg_4") {
			t.Errorf("reply %q mentions %s, which is real", last, id)
		}
	}
	if !sandbox.IDPattern.MatchString(last) {
		t.Errorf("reply %q mentions no ID", last)
	}
}

func TestWrongEnum_IsRefused(t *testing.T) {
	conv, _ := logged(t)
	r := newRig(t, conv)
	_, box, err := r.play(t, r.serve(t, "wrong-enum"), 5*time.Second, ask1, ask2)
	if err != nil {
		t.Fatal(err)
	}
	calls := box.Calls()
	if len(calls) != 2 || calls[1].Code != sandbox.CodeInvalid || !strings.Contains(string(calls[1].Arguments), "'ACTIVE'") {
		t.Fatalf("calls = %+v, want the segment refused for its enum", calls)
	}
}

func TestCrashy_FailsItsSession(t *testing.T) {
	conv, _ := logged(t)
	r := newRig(t, conv)
	subject := r.serve(t, "crashy")
	_, _, err := r.play(t, subject, 5*time.Second, ask1, ask2)
	var be *candidates.BuildError
	if !errors.As(err, &be) || !strings.Contains(be.Description, "panicked") {
		t.Fatalf("err = %v, want a panic reported as a build error", err)
	}
	// The build still serves other sessions.
	if _, _, err := r.play(t, subject, 5*time.Second, ask1); err != nil {
		t.Fatalf("first turn after a crash: %v", err)
	}
}

func TestSlow_MissesTheDeadline(t *testing.T) {
	conv, _ := logged(t)
	r := newRig(t, conv)
	_, _, err := r.play(t, r.serve(t, "slow"), 200*time.Millisecond, ask1)
	if !errors.Is(err, candidates.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
}

func TestLibrary_LostSession(t *testing.T) {
	conv, _ := logged(t)
	r := newRig(t, conv)
	got, box, err := r.play(t, r.serve(t, "golden"), 5*time.Second, "Something the log never said")
	if err != nil {
		t.Fatal(err)
	}
	if len(box.Calls()) != 0 || len(texts(got)) != 1 || !strings.Contains(texts(got)[0], "not sure I follow") {
		t.Fatalf("golden off the log said %q with %d calls", texts(got), len(box.Calls()))
	}
}

func TestBuild_ErrUnknown(t *testing.T) {
	_, err := mutants.Build("nope", mutants.NewLibrary(nil))
	if err == nil || !strings.Contains(err.Error(), "golden") {
		t.Fatalf("err = %v, want the known builds listed", err)
	}
	if n := len(mutants.Builds(mutants.NewLibrary(nil))); n != len(mutants.Names()) {
		t.Fatalf("Builds = %d, want %d", n, len(mutants.Names()))
	}
}
