package replay_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/replay"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

func kinds(d replay.Diff) []string {
	var out []string
	for _, dv := range d.Divergences {
		out = append(out, dv.Kind)
	}
	return out
}

func TestCompare(t *testing.T) {
	t.Run("NoDivergenceWhenIdentical", func(t *testing.T) {
		d := replay.Compare(replay.Play{Conversation: shop(`["vip"]`)}, replay.Play{Conversation: shop(`["vip"]`)})
		if !d.Identical() || d.First != nil {
			t.Errorf("divergences %v, first %v; want none", d.Divergences, d.First)
		}
		if len(d.Turns) != 3 || len(d.Turns[1].Calls) != 1 {
			t.Errorf("turns %+v; want 3, the second with one call", d.Turns)
		}
	})
	t.Run("ChangedArgumentNamesTurnAndPath", func(t *testing.T) {
		d := replay.Compare(replay.Play{Conversation: shop(`["returning","vip"]`)}, replay.Play{Conversation: shop(`["returning","VIP"]`)})
		want := []replay.Divergence{{
			Turn: 2, Kind: "argument:update_customer.add_tags", Tool: "update_customer",
			Path: "arguments.add_tags[1]", Want: `"vip"`, Got: `"VIP"`,
			Message: `turn 2: call update_customer: arguments.add_tags[1]: want "vip" got "VIP"`,
		}}
		if diff := cmp.Diff(want, d.Divergences); diff != "" {
			t.Errorf("divergences (-want +got):\n%s", diff)
		}
		if d.First == nil || d.First.Turn != 2 {
			t.Errorf("first divergence %v; want turn 2", d.First)
		}
	})
	t.Run("MissingAndExtraCalls", func(t *testing.T) {
		played := conv("shop-1",
			tturn{merchant: "who is Henry Tremblay?", calls: []tcall{{"get_customer", `{"customer_id":"cus_1002"}`, `{}`}},
				reply: "Henry Tremblay is cus_1002."},
			tturn{merchant: "tag him vip", reply: "Done."},
			tturn{merchant: "thanks", reply: "You're welcome."})
		d := replay.Compare(replay.Play{Conversation: shop(`["vip"]`)}, replay.Play{Conversation: played})
		want := []string{"missing_call:search_customers", "extra_call:get_customer", "missing_call:update_customer"}
		if diff := cmp.Diff(want, kinds(d)); diff != "" {
			t.Errorf("kinds (-want +got):\n%s", diff)
		}
		if got := d.Divergences[2].Message; got != `turn 2: missing call update_customer({"add_tags":["vip"],"customer_id":"cus_1002"})` {
			t.Errorf("message %q", got)
		}
	})
	t.Run("ReorderedIndependentCallsAgree", func(t *testing.T) {
		a := tcall{"get_customer", `{"customer_id":"cus_1002"}`, `{"id":"cus_1002"}`}
		b := tcall{"get_customer", `{"customer_id":"cus_1003"}`, `{"id":"cus_1003"}`}
		c := tcall{"list_segments", ``, `[]`}
		d := replay.Compare(
			replay.Play{Conversation: conv("x", tturn{merchant: "compare cus_1002 and cus_1003", calls: []tcall{a, b, c}, reply: "ok"})},
			replay.Play{Conversation: conv("x", tturn{merchant: "compare cus_1002 and cus_1003", calls: []tcall{c, b, a}, reply: "ok"})})
		if !d.Identical() {
			t.Errorf("divergences %v; want none for independent calls in another order", d.Divergences)
		}
	})
	t.Run("ReorderedDependentCallsDiverge", func(t *testing.T) {
		find := tcall{"find_user_id_by_email", `{"email":"ann@example.com"}`, "ann_lopez_6490"}
		details := tcall{"get_user_details", `{"user_id":"ann_lopez_6490"}`, `{"name":"Ann"}`}
		d := replay.Compare(
			replay.Play{Conversation: conv("x", tturn{merchant: "I'm ann@example.com", calls: []tcall{find, details}, reply: "ok"})},
			replay.Play{Conversation: conv("x", tturn{merchant: "I'm ann@example.com", calls: []tcall{details, find}, reply: "ok"})})
		if diff := cmp.Diff([]string{"order:get_user_details"}, kinds(d)); diff != "" {
			t.Errorf("kinds (-want +got):\n%s", diff)
		}
	})
	t.Run("JSONNormalisedArgumentsAgree", func(t *testing.T) {
		d := replay.Compare(
			replay.Play{Conversation: conv("x", tturn{merchant: "go", calls: []tcall{{"f", `{"a":1,"b":2}`, ""}}})},
			replay.Play{Conversation: conv("x", tturn{merchant: "go", calls: []tcall{{"f", `{ "b":2.0, "a":1 }`, ""}}})})
		if !d.Identical() {
			t.Errorf("divergences %v; want none", d.Divergences)
		}
	})
	t.Run("RepliesAndTurns", func(t *testing.T) {
		played := conv("shop-1",
			tturn{merchant: "who is Henry Tremblay?", calls: []tcall{
				{"search_customers", `{"query":"customer_name = 'Henry Tremblay'"}`, `{}`}}},
			tturn{merchant: "tag him vip", calls: []tcall{
				{"update_customer", `{"customer_id":"cus_1002","add_tags":["vip"]}`, `{}`}}, reply: "Done."})
		d := replay.Compare(replay.Play{Conversation: shop(`["vip"]`)}, replay.Play{Conversation: played})
		if diff := cmp.Diff([]string{"missing_reply", "missing_turn"}, kinds(d)); diff != "" {
			t.Errorf("kinds (-want +got):\n%s", diff)
		}
	})
	t.Run("StoreAndGoals", func(t *testing.T) {
		fixture := sandbox.Fixture()
		mustCall := func(s *sandbox.Store, args string) *sandbox.Store {
			if _, err := s.Call("update_customer", []byte(args)); err != nil {
				t.Fatal(err)
			}
			return s
		}
		orig := replay.Play{Conversation: shop(`["vip"]`), Goals: []judges.GoalResult{{Goal: "g1", Met: true}, {Goal: "g2", Met: true}}}
		orig = orig.WithStore(fixture, mustCall(fixture.Clone(), `{"customer_id":"cus_1002","add_tags":["vip"]}`))
		played := replay.Play{Conversation: shop(`["vip"]`), Goals: []judges.GoalResult{{Goal: "g1", Met: true}, {Goal: "g2", Met: false}}}
		played = played.WithStore(fixture, mustCall(fixture.Clone(), `{"customer_id":"cus_1003","add_tags":["vip"]}`))
		d := replay.Compare(orig, played)
		want := []string{"store:customers/cus_1002/tags", "store:customers/cus_1003/tags", "goal:g2"}
		if diff := cmp.Diff(want, kinds(d)); diff != "" {
			t.Errorf("kinds (-want +got):\n%s", diff)
		}
		if got := d.Divergences[0]; got.Turn != 0 || got.Want != `["vip"]` || got.Got != `[]` {
			t.Errorf("store divergence %+v; want [\"vip\"] in the original, [] in the play", got)
		}
	})
}

// TestCompare_Examples plays every bundled conversation against itself
// (no divergence) and against a copy with one argument changed (exactly
// that divergence, at its turn).
func TestCompare_Examples(t *testing.T) {
	convs, err := examples.Conversations()
	if err != nil {
		t.Fatal(err)
	}
	changed := 0
	for _, c := range convs {
		if d := replay.Compare(replay.Play{Conversation: c}, replay.Play{Conversation: c}); !d.Identical() {
			t.Errorf("%s against itself: %v", c.ID, d.Divergences)
		}
		mutant, turn, ok := tagHack(c)
		if !ok {
			continue
		}
		changed++
		d := replay.Compare(replay.Play{Conversation: c}, replay.Play{Conversation: mutant})
		if len(d.Divergences) != 1 || d.First.Turn != turn || !strings.HasPrefix(d.First.Kind, "argument:") {
			t.Errorf("%s with a changed argument at turn %d: %v", c.ID, turn, d.Divergences)
		}
	}
	if changed == 0 {
		t.Error("no example has a string argument to change; the test checks nothing")
	}
}

// tagHack returns a copy of c whose first call with a "query" argument
// asks for something else, and that call's merchant turn.
func tagHack(c transcript.Conversation) (transcript.Conversation, int, bool) {
	out := c
	out.Messages = append([]transcript.Message(nil), c.Messages...)
	turn := 0
	for i, m := range out.Messages {
		if m.Role == transcript.RoleUser {
			turn++
		}
		for j, tc := range m.ToolCalls {
			if !strings.Contains(tc.Function.Arguments, `"query":"`) {
				continue
			}
			calls := append([]transcript.ToolCall(nil), m.ToolCalls...)
			calls[j].Function.Arguments = strings.Replace(tc.Function.Arguments, `"query":"`, `"query":"customer_tags CONTAINS 'x' AND `, 1)
			out.Messages[i].ToolCalls = calls
			return out, turn, true
		}
	}
	return c, 0, false
}

// TestCompare_TauBench replays every tau-bench airline trajectory against
// itself: none may diverge, whatever its foreign tools and reused IDs.
func TestCompare_TauBench(t *testing.T) {
	log, err := transcript.ReadFile(sharedData(t, "tau-bench/airline/trajectories-gpt-4o.json"), transcript.Options{})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for _, c := range log.Conversations {
		d := replay.Compare(replay.Play{Conversation: c}, replay.Play{Conversation: c})
		if !d.Identical() {
			t.Errorf("%s against itself: %v", c.ID, d.Divergences)
		}
		for _, td := range d.Turns {
			calls += len(td.Calls)
		}
	}
	t.Logf("%d conversations, %d calls", len(log.Conversations), calls)
	if len(log.Conversations) != 200 || calls < 500 {
		t.Errorf("compared %d conversations with %d calls; want the 200 trajectories and their calls", len(log.Conversations), calls)
	}
}
