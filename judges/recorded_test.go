package judges_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// recordedLog declares book_flight with an enum and calls lookup_user
// without declaring it: two tools the sandbox lacks.
func recordedLog() transcript.Conversation {
	return transcript.Conversation{ID: "tau-1",
		Messages: []transcript.Message{
			{Role: transcript.RoleUser, Content: "Book me on HAT001."},
			{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{ID: "c1", Type: "function",
				Function: transcript.FunctionCall{Name: "lookup_user", Arguments: `{"user_id":"mia_1"}`}}}},
			{Role: transcript.RoleTool, ToolCallID: "c1", Content: `{"name":"Mia"}`},
		},
		Tools: []transcript.Tool{{Type: "function", Function: transcript.Function{Name: "book_flight",
			Parameters: json.RawMessage(`{"type":"object","properties":{"cabin":{"enum":["economy","business"]}},"required":["cabin"]}`)}}},
	}
}

func TestProcedural_JudgeRecordedSession(t *testing.T) {
	rec := sandbox.NewRecording(recordedLog())
	call := func(seq int, tool, args, code string) sandbox.CallRecord {
		c := sandbox.CallRecord{Seq: seq, Turn: 1, CallID: tool, Tool: tool, Arguments: json.RawMessage(args), Code: code}
		if code != "" {
			c.Error = "no recording for this call"
		}
		return c
	}
	tests := []struct {
		name      string
		recording *sandbox.Recording
		calls     []sandbox.CallRecord
		want      []judges.Finding
	}{
		{"WithoutRecordingForeignToolsAreUnknown", nil,
			[]sandbox.CallRecord{call(1, "lookup_user", `{"user_id":"mia_1"}`, "")},
			[]judges.Finding{{Rule: judges.RuleToolKnown, Kind: judges.KindUnknownTool, Gate: true}}},
		{"DeclaredAndUndeclaredToolsPass", rec,
			[]sandbox.CallRecord{call(1, "lookup_user", `{"user_id":"mia_1"}`, ""), call(2, "book_flight", `{"cabin":"economy"}`, "")},
			nil},
		{"DeclaredSchemaRefusesArguments", rec,
			[]sandbox.CallRecord{call(1, "book_flight", `{"cabin":"Economy"}`, "")},
			[]judges.Finding{{Rule: judges.RuleArgsSchema, Kind: judges.KindInvalidArgs, Gate: true}}},
		{"NoRecordingIsCountedNotGated", rec,
			[]sandbox.CallRecord{call(1, "lookup_user", `{"user_id":"bob_2"}`, sandbox.CodeNoRecording)},
			[]judges.Finding{{Rule: judges.RuleRecorded, Kind: judges.KindNoRecording}}},
		{"UnknownEvenToTheLog", rec,
			[]sandbox.CallRecord{call(1, "fly_me", `{}`, "")},
			[]judges.Finding{{Rule: judges.RuleToolKnown, Kind: judges.KindUnknownTool, Gate: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := &judges.Evidence{Card: &personas.Card{ID: "p"}, Calls: tt.calls, Initial: sandbox.Fixture(),
				Final: sandbox.Fixture(), Status: judges.StatusOK, Recording: tt.recording}
			v, err := judges.NewProcedural().Judge(ev)
			if err != nil {
				t.Fatal(err)
			}
			var got []judges.Finding
			for _, f := range v.Findings {
				got = append(got, judges.Finding{Rule: f.Rule, Kind: f.Kind, Gate: f.Gate})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProcedural_ClaimsInRecordedSession: a reply claiming a change in a
// turn that called a foreign tool is no claimed_action (the log does not
// say whether the tool writes); in a turn with no call it still is.
func TestProcedural_ClaimsInRecordedSession(t *testing.T) {
	steps := []judges.Step{
		{Turn: 1, Message: transcript.Message{Role: transcript.RoleUser, Content: "Book me on HAT001."}},
		{Turn: 1, Message: transcript.Message{Role: transcript.RoleAssistant, Content: "Done, I have updated your booking."}},
		{Turn: 2, Message: transcript.Message{Role: transcript.RoleUser, Content: "And the return?"}},
		{Turn: 2, Message: transcript.Message{Role: transcript.RoleAssistant, Content: "Done, I have updated that booking too."}},
	}
	calls := []sandbox.CallRecord{{Seq: 1, Turn: 1, CallID: "c1", Tool: "book_flight", Arguments: json.RawMessage(`{"cabin":"economy"}`)}}
	ev := &judges.Evidence{Card: &personas.Card{ID: "p"}, Steps: steps, Calls: calls, Initial: sandbox.Fixture(),
		Final: sandbox.Fixture(), Status: judges.StatusOK, Recording: sandbox.NewRecording(recordedLog())}
	v, err := judges.NewProcedural().Judge(ev)
	if err != nil {
		t.Fatal(err)
	}
	var turns []int
	for _, f := range v.Findings {
		if f.Kind == judges.KindClaimedAction {
			turns = append(turns, f.Turn)
		}
	}
	if diff := cmp.Diff([]int{2}, turns); diff != "" {
		t.Errorf("claimed_action turns (-want +got):\n%s", diff)
	}
}
