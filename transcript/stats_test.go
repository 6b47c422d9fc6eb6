package transcript_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/transcript"
)

// mixedStats is testdata/mixed.jsonl counted by hand.
var mixedStats = transcript.Stats{
	Conversations: 6, Messages: 19,
	MessagesByRole:    map[string]int{"system": 2, "user": 6, "assistant": 6, "tool": 4, "robot": 1},
	MerchantTurns:     6,
	AssistantMessages: 6,
	ToolCalls:         4, ToolCallsByName: map[string]int{"search_customers": 4},
	ToolResults:     4,
	UnansweredCalls: 1, OrphanResults: 1,
	ParallelCallMessages: 1,
	Problems:             6, ProblemsDropped: 2, ProblemsKept: 4,
}

func TestLog_Stats(t *testing.T) {
	l := mustRead(t, "testdata/mixed.jsonl", transcript.Options{})
	t.Run("CountsEverything", func(t *testing.T) {
		if diff := cmp.Diff(mixedStats, l.Stats()); diff != "" {
			t.Errorf("stats (-want +got):\n%s", diff)
		}
	})
	t.Run("LeavesLogUnchanged", func(t *testing.T) {
		before, _ := json.Marshal(l.Conversations)
		l.Stats()
		after, _ := json.Marshal(l.Conversations)
		if string(before) != string(after) {
			t.Error("Stats changed the conversations")
		}
	})
	t.Run("SnakeCaseJSON", func(t *testing.T) {
		b, err := json.Marshal(l.Stats())
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := []string{"assistant_messages", "conversations", "merchant_turns", "messages", "messages_by_role",
			"orphan_results", "parallel_call_messages", "problems", "problems_dropped", "problems_kept",
			"tool_calls", "tool_calls_by_name", "tool_errors", "tool_results", "unanswered_calls"}
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("JSON keys (-want +got):\n%s", diff)
		}
	})
}

func TestStats_Add(t *testing.T) {
	var total transcript.Stats
	total.Add(mixedStats)
	total.Add(mixedStats)
	want := transcript.Stats{
		Conversations: 12, Messages: 38,
		MessagesByRole:    map[string]int{"system": 4, "user": 12, "assistant": 12, "tool": 8, "robot": 2},
		MerchantTurns:     12,
		AssistantMessages: 12,
		ToolCalls:         8, ToolCallsByName: map[string]int{"search_customers": 8},
		ToolResults:     8,
		UnansweredCalls: 2, OrphanResults: 2,
		ParallelCallMessages: 2,
		Problems:             12, ProblemsDropped: 4, ProblemsKept: 8,
	}
	if diff := cmp.Diff(want, total); diff != "" {
		t.Errorf("sum (-want +got):\n%s", diff)
	}
}
