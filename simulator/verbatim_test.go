package simulator_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// play runs a merchant against an assistant that answers "ok" and returns
// what the merchant said and why it stopped.
func play(t *testing.T, m simulator.Merchant) ([]string, simulator.StopReason) {
	t.Helper()
	var dialogue []transcript.Message
	var said []string
	for i := 0; i < 100; i++ {
		d, err := m.Next(t.Context(), dialogue)
		if err != nil {
			t.Fatal(err)
		}
		if d.Stop {
			return said, d.Reason
		}
		said = append(said, d.Message)
		dialogue = append(dialogue,
			transcript.Message{Role: transcript.RoleUser, Content: d.Message},
			transcript.Message{Role: transcript.RoleAssistant, Content: "ok"})
	}
	t.Fatal("merchant never stopped")
	return nil, ""
}

func TestVerbatim_Next(t *testing.T) {
	card := &personas.Card{Script: []string{"a", "b", "c"}}
	tests := []struct {
		name       string
		maxTurns   int
		wantSaid   []string
		wantReason simulator.StopReason
	}{
		{"ScriptDone", 10, []string{"a", "b", "c"}, simulator.StopScriptDone},
		{"TurnLimit", 2, []string{"a", "b"}, simulator.StopTurnLimit},
		{"DefaultLimit", 0, []string{"a", "b", "c"}, simulator.StopScriptDone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			said, reason := play(t, &simulator.Verbatim{Card: card, MaxTurns: tt.maxTurns})
			if diff := cmp.Diff(tt.wantSaid, said); diff != "" {
				t.Errorf("said (-want +got):\n%s", diff)
			}
			if reason != tt.wantReason {
				t.Errorf("reason = %q, want %q", reason, tt.wantReason)
			}
		})
	}
}

func TestVerbatim_IgnoresToolMessages(t *testing.T) {
	v := simulator.NewVerbatim(&personas.Card{Script: []string{"a", "b"}})
	dialogue := []transcript.Message{
		{Role: transcript.RoleUser, Content: "a"},
		{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{ID: "1"}}},
		{Role: transcript.RoleTool, ToolCallID: "1", Content: "{}"},
		{Role: transcript.RoleAssistant, Content: "done"},
	}
	d, err := v.Next(t.Context(), dialogue)
	if err != nil || d.Message != "b" {
		t.Fatalf("Next = %+v, %v; want the second logged turn", d, err)
	}
}
