package transcript_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/transcript"
)

func TestReadFile_TauBench(t *testing.T) {
	l := mustRead(t, "testdata/tau-bench-small.json", transcript.Options{})

	t.Run("BrokenTrajectoryDroppedOthersLoad", func(t *testing.T) {
		if diff := cmp.Diff([]string{"task-0/trial-0", "task-0/trial-0#2"}, ids(l)); diff != "" {
			t.Errorf("IDs (-want +got):\n%s", diff)
		}
		if got := []int{l.Conversations[0].Source.Line, l.Conversations[1].Source.Line}; !cmp.Equal(got, []int{2, 34}) {
			t.Errorf("source lines %v; want [2 34], where each array element starts", got)
		}
		// Line 30 holds the missing comma, inside the element that starts at 25.
		if diff := cmp.Diff([]problem{{Line: 30, Dropped: true, Kind: "syntax"}}, problems(l)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
	})

	t.Run("Metadata", func(t *testing.T) {
		want := map[string]any{
			"task_id": 0.0, "trial": 0.0, "reward": 1.0, "user_id": "mia_li_3668",
			"instruction": "You are mia_li_3668. You want to know your membership.",
			"expected_actions": []any{map[string]any{
				"name": "get_user_details", "arguments": map[string]any{"user_id": "mia_li_3668"},
			}},
			"expected_outputs": []any{"gold"},
		}
		if diff := cmp.Diff(want, l.Conversations[0].Metadata); diff != "" {
			t.Errorf("metadata (-want +got):\n%s", diff)
		}
	})

	t.Run("CallIDReusedAfterAnswerLinks", func(t *testing.T) {
		msgs := l.Conversations[1].Messages
		if msgs[2].Name != "get_user_details" || msgs[4].Name != "get_reservation_details" {
			t.Errorf("results name %q and %q; want each call's tool", msgs[2].Name, msgs[4].Name)
		}
	})
}

func TestReadFile_Tau2(t *testing.T) {
	l := mustRead(t, "testdata/tau2-small.json", transcript.Options{})

	t.Run("BrokenSimulationDroppedOthersLoad", func(t *testing.T) {
		if diff := cmp.Diff([]string{"sim-a", "sim-c"}, ids(l)); diff != "" {
			t.Errorf("IDs (-want +got):\n%s", diff)
		}
		if got := []int{l.Conversations[0].Source.Line, l.Conversations[1].Source.Line}; !cmp.Equal(got, []int{29, 58}) {
			t.Errorf("source lines %v; want [29 58], where each simulation starts", got)
		}
		want := []problem{
			{Line: 56, Record: "sim-b", Dropped: true, Kind: "field"},
			{Line: 67, Record: "sim-c", Kind: "unanswered"},
		}
		if diff := cmp.Diff(want, problems(l)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
	})

	t.Run("ParallelCallsInOpenAIShape", func(t *testing.T) {
		call := func(id, order string) transcript.ToolCall {
			return transcript.ToolCall{ID: id, Type: "function", Function: transcript.FunctionCall{
				Name: "get_order_details", Arguments: `{"order_id":"` + order + `"}`}}
		}
		want := []transcript.Message{
			{Role: transcript.RoleAssistant, Content: "Hi! How can I help you today?"},
			{Role: transcript.RoleUser, Content: "Please check orders #W1 and #W3."},
			{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{call("call_a", "#W1"), call("call_b", "#W3")}},
			{Role: transcript.RoleTool, ToolCallID: "call_a", Name: "get_order_details", Content: `{"status": "delivered"}`},
			{Role: transcript.RoleTool, ToolCallID: "call_b", Name: "get_order_details", Content: "Error: order not found", Error: true},
			{Role: transcript.RoleAssistant, Content: "#W1 was delivered; #W3 does not exist."},
			{Role: transcript.RoleUser, Content: "Thanks! ###STOP###"},
		}
		if diff := cmp.Diff(want, l.Conversations[0].Messages); diff != "" {
			t.Errorf("messages (-want +got):\n%s", diff)
		}
	})

	t.Run("ToolDefsInFileOrder", func(t *testing.T) {
		var got []string
		for _, tl := range l.Conversations[0].Tools {
			got = append(got, tl.Type+" "+tl.Function.Name+" "+string(tl.Function.Parameters))
		}
		want := []string{
			`function get_order_details {"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}`,
			`function cancel_pending_order {"type":"object","properties":{"order_id":{"type":"string"},"reason":{"type":"string"}}}`,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("tools (-want +got):\n%s", diff)
		}
	})

	t.Run("Metadata", func(t *testing.T) {
		want := map[string]any{
			"task_id": "7", "trial": 0.0, "seed": 626729.0, "reward": 1.0, "termination_reason": "user_stop",
			"agent_llm": "gpt-4.1-mini", "user_llm": "gpt-4.1", "domain": "retail",
			"instructions": map[string]any{"domain": "retail", "reason_for_call": "You want to check two orders.",
				"known_info": "You are yusuf_rossi_9620."},
			"expected_actions": []any{map[string]any{"name": "get_order_details", "arguments": map[string]any{"order_id": "#W1"}}},
		}
		if diff := cmp.Diff(want, l.Conversations[0].Metadata); diff != "" {
			t.Errorf("metadata (-want +got):\n%s", diff)
		}
		if got := l.Conversations[1].Metadata["instructions"]; got != "Cancel order #W2." {
			t.Errorf("sim-c instructions %v; want task 8's string", got)
		}
	})
}

// TestRead_JSONLRoundTrip proves the model keeps everything the importers
// read: conversations written as JSONL read back equal.
func TestRead_JSONLRoundTrip(t *testing.T) {
	for _, path := range []string{"testdata/tau2-small.json", "testdata/tau-bench-small.json", "testdata/mixed.jsonl"} {
		t.Run(path, func(t *testing.T) {
			want := mustRead(t, path, transcript.Options{})
			var buf bytes.Buffer
			for _, c := range want.Conversations {
				b, err := json.Marshal(c)
				if err != nil {
					t.Fatal(err)
				}
				buf.Write(append(b, '\n'))
			}
			got, err := transcript.Read(&buf, "round.jsonl", transcript.Options{})
			if err != nil {
				t.Fatal(err)
			}
			opt := cmpopts.IgnoreFields(transcript.Conversation{}, "Source")
			if diff := cmp.Diff(want.Conversations, got.Conversations, opt, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("conversations after a JSONL round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRead_TauDocuments(t *testing.T) {
	tests := []struct {
		name, format, in string
		want             []problem
		conversations    int
	}{
		{"TauBenchStrayComma", transcript.FormatTauBench, "[\n{\"task_id\":1,\"traj\":[]},\n,\n{\"task_id\":2,\"traj\":[]}\n]",
			[]problem{{Line: 3, Kind: "syntax"}}, 2},
		{"TauBenchNotClosed", transcript.FormatTauBench, "[\n{\"task_id\":1,\"traj\":[]},\n{\"task_id\":2,\"traj\":[]}\n",
			[]problem{{Line: 3, Kind: "syntax"}}, 2},
		{"TauBenchTruncated", transcript.FormatTauBench, "[\n{\"task_id\":1,\"traj\":[]},\n{\"task_id\":2,\"traj\":[{\"role\":",
			[]problem{{Line: 3, Dropped: true, Kind: "syntax"}, {Line: 3, Kind: "syntax"}}, 1},
		{"TauBenchTrailingData", transcript.FormatTauBench, "[{\"task_id\":1,\"traj\":[]}]\nextra",
			[]problem{{Line: 2, Kind: "syntax"}}, 1},
		{"TauBenchNoTraj", transcript.FormatTauBench, "[{\"task_id\":1}]",
			[]problem{{Line: 1, Record: "task-1", Dropped: true, Kind: "field"}}, 0},
		{"Tau2UnknownTask", transcript.FormatTau2Bench, `{"tasks":[],"simulations":[{"id":"s","task_id":"9","messages":[]}]}`,
			[]problem{{Line: 1, Record: "s", Kind: "field"}}, 1},
		{"Tau2BrokenInfoKept", transcript.FormatTau2Bench, "{\"info\": [],\n\"simulations\":[{\"id\":\"s\",\"messages\":[]}]}",
			[]problem{{Line: 1, Kind: "field"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := transcript.Read(strings.NewReader(tt.in), "doc.json", transcript.Options{Format: tt.format})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, problems(l)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%v", diff, l.Problems)
			}
			if len(l.Conversations) != tt.conversations {
				t.Errorf("%d conversations; want %d", len(l.Conversations), tt.conversations)
			}
		})
	}
}
