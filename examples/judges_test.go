package examples_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// TestConversations_Judged plays each logged conversation as a session of
// the golden build would: the logged messages as its steps, the logged
// calls replayed on a fresh fixture as the sandbox's record. Stage 1 must
// find nothing and count every goal met; that is what lets the golden
// build rank first with no violations.
func TestConversations_Judged(t *testing.T) {
	for _, c := range mustConversations(t) {
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			calls, final := replay(c)
			v := judge(t, c, calls, final)
			for _, f := range v.Findings {
				t.Errorf("turn %d: %s (%s): %s", f.Turn, f.Rule, f.Tool, f.Message)
			}
			for _, g := range v.Goals {
				if !g.Met {
					t.Errorf("goal %s not met: missing %v, diff %v, %s", g.Goal, g.Missing, g.Diff, g.Note)
				}
			}
			if !v.Success || v.Gated != 1 {
				t.Errorf("success %v, gated score %v; want true and 1", v.Success, v.Gated)
			}
		})
	}
}

// TestConversations_JudgedWithoutWrites is the control for the test above:
// the same evidence with a store nothing was written to must fail every
// conversation that changes the store, so a green run is not a judge that
// passes everything.
func TestConversations_JudgedWithoutWrites(t *testing.T) {
	checked := 0
	for _, c := range mustConversations(t) {
		calls, final := replay(c)
		if len(sandbox.Diff(sandbox.Fixture(), final)) == 0 {
			continue
		}
		checked++
		t.Run(c.ID, func(t *testing.T) {
			t.Parallel()
			if v := judge(t, c, calls, sandbox.Fixture()); v.Success {
				t.Error("judged a success although the final store has none of its changes")
			}
		})
	}
	if checked == 0 {
		t.Fatal("no conversation changes the store")
	}
}

// judge runs stage 1 on a logged conversation played as a session that
// ended with the store final.
func judge(t *testing.T, c transcript.Conversation, calls []sandbox.CallRecord, final *sandbox.Store) judges.Verdict {
	t.Helper()
	card, err := personas.Extract(c)
	if err != nil {
		t.Fatal(err)
	}
	v, err := judges.NewProcedural().Judge(&judges.Evidence{Card: &card, Steps: steps(c), Calls: calls,
		Initial: sandbox.Fixture(), Final: final, Status: judges.StatusOK})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// steps turns a log into session steps numbered by merchant turn. The
// system prompt is the build's own and is left out.
func steps(c transcript.Conversation) []judges.Step {
	var out []judges.Step
	turn := 0
	for _, m := range c.Messages {
		switch m.Role {
		case transcript.RoleSystem:
			continue
		case transcript.RoleUser:
			turn++
		}
		out = append(out, judges.Step{Turn: turn, Message: m})
	}
	return out
}
