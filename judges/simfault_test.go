package judges_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/sandbox"
)

func simFaults(v judges.Verdict) []judges.Finding {
	var out []judges.Finding
	for _, f := range v.Findings {
		if f.Kind == judges.KindSimulatorFault {
			out = append(out, f)
		}
	}
	return out
}

// faithfulMerchant plays the segment card and repeats only what its card
// and the assistant gave it: the card's email and budget, the segment ID
// the assistant named, small numbers and a year.
func faithfulMerchant(t *testing.T) *session {
	card := segmentCard()
	card.Facts = []string{"My email is owner@maplegoods.ca", "Budget is $250.00 a month"}
	s := newSession(t, card).merchant("Segment customers with status enabled, for my 2026 plan. Send it to owner@maplegoods.ca.")
	res := s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)
	seg := sandbox.IDPattern.FindString(string(res))
	s.say("I've created the segment Enabled customers (" + seg + "). Anything else?")
	s.merchant("Thanks, " + seg + " is what I needed. I have updated my address too, and I'll keep my 250 dollar budget for the top 5 groups.")
	return s.say("You're welcome.").simulated("goals_met", "g1", "done")
}

func TestProcedural_SimulatorFaults(t *testing.T) {
	t.Run("FaithfulMerchant", func(t *testing.T) {
		v := faithfulMerchant(t).judge(judges.StatusOK)
		if fs := simFaults(v); len(fs) != 0 || v.SimulatorFault || v.FaultReason != "" {
			t.Fatalf("faults %+v on a faithful merchant", fs)
		}
		if !v.Success {
			t.Errorf("findings %+v; the faithful session should succeed", v.Findings)
		}
	})
	t.Run("EndedEarlyByOwnStatus", func(t *testing.T) {
		for _, st := range []string{"pending", "failed"} {
			v := twoGoalSession(t).simulated("goals_met", "g1", "done", "g2", st).judge(judges.StatusOK)
			want := []judges.Finding{{Rule: judges.RuleSimEndedEarly, Kind: judges.KindSimulatorFault, Turn: 2,
				Message: "the merchant finished (goals_met) while its own status for goal g2 was " + st}}
			if diff := cmp.Diff(want, simFaults(v)); diff != "" {
				t.Errorf("%s: faults (-want +got):\n%s", st, diff)
			}
			if !v.SimulatorFault || v.FaultReason != want[0].Message || !v.Success {
				t.Errorf("%s: fault %v %q success %v; a simulator fault neither gates nor fails the build", st, v.SimulatorFault, v.FaultReason, v.Success)
			}
		}
		v := twoGoalSession(t).simulated("gave_up", "g1", "done", "g2", "pending").judge(judges.StatusOK)
		if fs := simFaults(v); len(fs) != 0 {
			t.Errorf("faults %+v; giving up is not claiming the goals were met", fs)
		}
	})
	t.Run("EndedEarlyOnAQuestion", func(t *testing.T) {
		asked := newSession(t, segmentCard()).merchant("Segment customers with status enabled.").
			say("Shall I create the segment Enabled customers now?").simulated("goals_met", "g1", "done")
		v := asked.judge(judges.StatusOK)
		if fs := simFaults(v); len(fs) != 1 || fs[0].Rule != judges.RuleSimEndedEarly || !strings.Contains(fs[0].Message, "goal g1's change is not in the store") {
			t.Fatalf("faults %+v, want sim.ended_early on g1", fs)
		}
		// Without a question pending, the missing change is the build's fault.
		told := newSession(t, segmentCard()).merchant("Segment customers with status enabled.").
			say("That segment is all set up.").simulated("goals_met", "g1", "done")
		if fs := simFaults(told.judge(judges.StatusOK)); len(fs) != 0 {
			t.Errorf("faults %+v, want none when the build asked nothing", fs)
		}
	})
	t.Run("InventedData", func(t *testing.T) {
		s := faithfulMerchant(t)
		s.merchant("Also tag cus_4242 and email sam@shop.ca; we sold 150 units at $24.99, like owner@maplegoods.ca said.")
		v := s.judge(judges.StatusOK)
		want := []judges.Finding{{Rule: judges.RuleSimInventedData, Kind: judges.KindSimulatorFault, Turn: 3,
			Message: "the merchant states cus_4242, sam@shop.ca, 150, $24.99, which neither its card nor the assistant gave"}}
		if diff := cmp.Diff(want, simFaults(v)); diff != "" {
			t.Errorf("faults (-want +got):\n%s", diff)
		}
	})
	t.Run("PlayedAssistant", func(t *testing.T) {
		for _, msg := range []string{
			"I've created the segment for you.",
			"Done! The segment is ready.",
			"Great news: your discount has been applied.",
			"The segment has been created with 29 members.",
			"Is there anything else I can help you with?",
			"How can I help you today?",
			"you're welcome!", // the assistant's last words, echoed
		} {
			s := faithfulMerchant(t).merchant(msg)
			fs := simFaults(s.judge(judges.StatusOK))
			if len(fs) != 1 || fs[0].Rule != judges.RuleSimPlayedAssistant || fs[0].Turn != 3 {
				t.Errorf("%q: faults %+v, want one sim.played_assistant at turn 3", msg, fs)
			}
		}
	})
	t.Run("LoggedMerchantIsNotChecked", func(t *testing.T) {
		s := faithfulMerchant(t)
		s.merchant("I've created the segment. Also tag cus_4242.")
		s.sim = false
		if v := s.judge(judges.StatusOK); len(simFaults(v)) != 0 || v.SimulatorFault {
			t.Errorf("faults %+v on a verbatim session", simFaults(v))
		}
	})
}
