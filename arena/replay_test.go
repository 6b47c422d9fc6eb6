package arena_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/transcript"
)

// foreignLog is a conversation with two tools the sandbox lacks: set_booking,
// declared with an enum, and flight_status, called but never declared.
func foreignLog() transcript.Conversation {
	call := func(id, name, args string) transcript.Message {
		return transcript.Message{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{
			{ID: id, Type: "function", Function: transcript.FunctionCall{Name: name, Arguments: args}}}}
	}
	say := func(role transcript.Role, text string) transcript.Message {
		return transcript.Message{Role: role, Content: text}
	}
	result := func(id, name, content string) transcript.Message {
		return transcript.Message{Role: transcript.RoleTool, ToolCallID: id, Name: name, Content: content}
	}
	return transcript.Conversation{
		ID: "foreign-1",
		Messages: []transcript.Message{
			say(transcript.RoleSystem, "You are an airline agent."),
			say(transcript.RoleUser, "Is flight HAT001 flying today?"),
			call("c1", "flight_status", `{"flight": "HAT001", "state": "ACTIVE"}`),
			result("c1", "flight_status", `{"flight":"HAT001","on_time":true}`),
			say(transcript.RoleAssistant, "Yes, HAT001 flies today and is on time."),
			say(transcript.RoleUser, "Then put booking B1 back to active."),
			call("c2", "set_booking", `{"booking":"B1","status":"ACTIVE"}`),
			result("c2", "set_booking", `{"ok":true}`),
			say(transcript.RoleAssistant, "Done: booking B1 is active again."),
			say(transcript.RoleUser, "###STOP###"),
		},
		Tools: []transcript.Tool{{Type: "function", Function: transcript.Function{Name: "set_booking",
			Parameters: json.RawMessage(`{"type":"object","properties":{"booking":{"type":"string"},"status":{"enum":["ACTIVE","CANCELLED"]}},"required":["booking","status"]}`)}}},
		Metadata: map[string]any{"reward": 1.0},
	}
}

func TestReplay_ForeignToolsAnswerFromTheLog(t *testing.T) {
	res, err := arena.Replay(t.Context(), arena.ReplayConfig{
		Bus: arena.BusConfig{DataDir: t.TempDir()}, DB: mustDB(t),
		Conversations: []transcript.Conversation{foreignLog()}, Candidates: []string{"golden", "wrong-enum"},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Conversations[0]
	if diff := cmp.Diff([]string{"flight_status", "set_booking"}, c.Recorded); diff != "" {
		t.Errorf("recorded tools (-want +got):\n%s", diff)
	}
	if n := len(c.Original.Conversation.Messages); n != 9 {
		t.Errorf("original has %d messages; want the unanswered ###STOP### left out", n)
	}
	if c.Label == nil || !*c.Label || res.Agreement == nil || res.Agreement.N != 1 {
		t.Errorf("label %v, agreement %+v; want the log's reward 1 as a success label, counted", c.Label, res.Agreement)
	}
	golden, hacker := c.Builds[0].Trials[0], c.Builds[1].Trials[0]
	if kinds := findingKinds(golden.Verdict); len(kinds) != 0 || !golden.Verdict.Success {
		t.Errorf("golden findings %v; want none: foreign tools are not unknown when the log has them", kinds)
	}
	if diff := cmp.Diff(golden.Conversation.Messages, c.Original.Conversation.Messages[1:]); diff != "" {
		t.Errorf("golden's conversation differs from the log (-played +logged):\n%s", diff)
	}
	want := []string{judges.KindInvalidArgs, judges.KindNoRecording}
	if diff := cmp.Diff(want, findingKinds(hacker.Verdict)); diff != "" {
		t.Errorf("wrong-enum finding kinds (-want +got):\n%s", diff)
	}
	for _, f := range hacker.Verdict.Findings {
		if f.Kind == judges.KindNoRecording && (f.Gate || f.Tool != "flight_status") {
			t.Errorf("no_recording finding %+v; want it on flight_status, not gating", f)
		}
	}
}

func findingKinds(v *judges.Verdict) []string {
	var out []string
	for _, f := range v.Findings {
		if !slices.Contains(out, f.Kind) {
			out = append(out, f.Kind)
		}
	}
	slices.Sort(out)
	return out
}

func TestAgree(t *testing.T) {
	t.Run("Kappa", func(t *testing.T) {
		// po = 3/4; pe = 1/2·1/4 + 1/2·3/4 = 1/2; kappa = (3/4-1/2)/(1/2) = 1/2.
		convs := []arena.ReplayedConversation{mk(true, true), mk(true, false), mk(false, false), mk(false, false),
			{ID: "unlabelled"}}
		got := arena.Agree(convs)
		if got.N != 4 || got.BothPass != 1 || got.ArenaPass != 1 || got.BothFail != 2 || got.Unlabelled != 1 ||
			got.Accuracy != 0.75 || got.CohenKappa == nil || math.Abs(*got.CohenKappa-0.5) > 1e-12 {
			t.Errorf("Agree = %+v", got)
		}
	})
	t.Run("UndefinedKappa", func(t *testing.T) {
		got := arena.Agree([]arena.ReplayedConversation{mk(true, true), mk(true, true)})
		if got.Accuracy != 1 || got.CohenKappa != nil {
			t.Errorf("Agree = %+v; want accuracy 1 and no kappa when both sides say success only", got)
		}
	})
	t.Run("NoLabel", func(t *testing.T) {
		if got := arena.Agree([]arena.ReplayedConversation{{ID: "x"}}); got != nil {
			t.Errorf("Agree = %+v; want nil without labels", got)
		}
	})
}

func mk(arenaSays, label bool) arena.ReplayedConversation {
	v := judges.Verdict{Success: arenaSays}
	return arena.ReplayedConversation{Label: &label, Original: arena.ReplayPlay{Verdict: &v}}
}

func TestReward(t *testing.T) {
	for _, tt := range []struct {
		v    any
		want float64
		ok   bool
	}{{1.0, 1, true}, {"0.0", 0, true}, {true, 1, true}, {json.Number("0.5"), 0.5, true}, {"n/a", 0, false}, {nil, 0, false}} {
		got, ok := arena.Reward(transcript.Conversation{Metadata: map[string]any{"reward": tt.v}})
		if got != tt.want || ok != tt.ok {
			t.Errorf("Reward(%#v) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSelectConversations(t *testing.T) {
	convs := mustExamples(t)
	ids := func(cs []transcript.Conversation) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	t.Run("ByIDInOrder", func(t *testing.T) {
		got, err := arena.SelectConversations(convs, []string{"june-vs-may", "enabled-segment", "june-vs-may"}, nil)
		if diff := cmp.Diff([]string{"june-vs-may", "enabled-segment"}, ids(got)); err != nil || diff != "" {
			t.Errorf("err %v, (-want +got):\n%s", err, diff)
		}
	})
	t.Run("BySkill", func(t *testing.T) {
		w, _ := arena.ParseWhere("skill=segments")
		got, err := arena.SelectConversations(convs, nil, []arena.Where{w})
		if err != nil || len(got) == 0 {
			t.Fatalf("got %v, %v", ids(got), err)
		}
		for _, c := range got {
			if !slices.Contains(c.Skills(), "customer_segmentation") {
				t.Errorf("%s has skills %v", c.ID, c.Skills())
			}
		}
	})
	t.Run("ErrUnknownID", func(t *testing.T) {
		if _, err := arena.SelectConversations(convs, []string{"nope"}, nil); err == nil {
			t.Error("no error for an unknown ID")
		}
	})
	t.Run("ErrBadFilter", func(t *testing.T) {
		for _, s := range []string{"skill", "=x", "id=[", "skill="} {
			if _, err := arena.ParseWhere(s); err == nil {
				t.Errorf("ParseWhere(%q): no error", s)
			}
		}
	})
}

func TestReplayable(t *testing.T) {
	c := foreignLog()
	got := arena.Replayable(c)
	if len(got.Messages) != len(c.Messages)-1 || got.Messages[len(got.Messages)-1].Role != transcript.RoleAssistant {
		t.Errorf("Replayable kept %d of %d messages; want the last, unanswered merchant message dropped", len(got.Messages), len(c.Messages))
	}
	only := transcript.Conversation{Messages: []transcript.Message{{Role: transcript.RoleUser, Content: "hi"}}}
	if got := arena.Replayable(only); len(got.Messages) != 1 {
		t.Error("a conversation with no answered merchant message lost it")
	}
}

func ExampleSelectConversations() {
	convs := []transcript.Conversation{
		{ID: "a", Metadata: map[string]any{"skills": []any{"customer_segmentation"}, "reward": 1.0}},
		{ID: "b", Metadata: map[string]any{"skills": []any{"sales_reporting"}, "reward": 0.0}},
	}
	w, _ := arena.ParseWhere("skill=segments")
	picked, _ := arena.SelectConversations(convs, nil, []arena.Where{w})
	fmt.Println(picked[0].ID)
	w, _ = arena.ParseWhere("reward=0")
	picked, _ = arena.SelectConversations(convs, nil, []arena.Where{w})
	fmt.Println(picked[0].ID)
	// Output:
	// a
	// b
}
