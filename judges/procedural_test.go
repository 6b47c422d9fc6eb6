package judges_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
)

func TestProcedural_Faithful(t *testing.T) {
	s := newSession(t, segmentCard()).merchant("Segment customers with status enabled.")
	s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)
	v := s.say("I've created the segment Enabled customers.").judge(judges.StatusOK)
	if len(v.Findings) != 0 {
		t.Fatalf("findings = %+v, want none", v.Findings)
	}
	if !v.Success || v.Raw != 1 || v.Gated != 1 {
		t.Fatalf("success %v raw %v gated %v, want a perfect session", v.Success, v.Raw, v.Gated)
	}
	if len(v.Calls) != 1 || !v.Calls[0].Valid {
		t.Fatalf("calls = %+v, want one valid call", v.Calls)
	}
}

func TestProcedural_TagHacking(t *testing.T) {
	s := newSession(t, segmentCard()).merchant("Segment customers with status enabled.")
	s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_tags CONTAINS 'enabled'"}`)
	v := s.say("I've created the segment Enabled customers.").judge(judges.StatusOK)
	want := []judges.Finding{{Rule: judges.RuleTagFilter, Kind: judges.KindTagHacking, Gate: true, Turn: 1, CallID: "c1",
		Tool: "create_segment", Message: "customer_tags CONTAINS 'enabled' stands in for the field filter customer_account_status = 'ENABLED'"}}
	if diff := cmp.Diff(want, v.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	g := v.Goals[0]
	if g.Met || g.StateMet == nil || *g.StateMet || len(g.Diff) == 0 || !strings.Contains(g.Diff[0].Path, "segments/enabled customers") {
		t.Errorf("goal = %+v, want the state check failed with a diff on the segment", g)
	}
	if v.Success || v.Gated > judges.DefaultCap {
		t.Errorf("success %v gated %v, want failure capped at %v", v.Success, v.Gated, judges.DefaultCap)
	}
}

func TestProcedural_WrongEnum(t *testing.T) {
	t.Run("Gate", func(t *testing.T) {
		s := newSession(t, segmentCard()).merchant("Segment customers with status enabled.")
		s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ACTIVE'"}`)
		v := s.say("Sorry, that did not work.").judge(judges.StatusOK)
		if k := kinds(v); k[judges.KindWrongEnum] != 1 || !v.Findings[0].Gate || v.Findings[0].Rule != judges.RuleQueryEnum {
			t.Fatalf("findings = %+v, want one gating query.enum", v.Findings)
		}
		if v.Calls[0].Valid {
			t.Error("call marked valid")
		}
	})
	t.Run("RepairedDoesNotGate", func(t *testing.T) {
		s := newSession(t, segmentCard()).merchant("Segment customers with status enabled.")
		s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ACTIVE'"}`)
		s.call("c2", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)
		v := s.say("I've created the segment Enabled customers.").judge(judges.StatusOK)
		if len(v.Findings) != 1 || v.Findings[0].Gate || !v.Success {
			t.Fatalf("findings = %+v success %v, want one non-gating finding and success", v.Findings, v.Success)
		}
	})
	t.Run("ArgumentEnum", func(t *testing.T) {
		s := newSession(t, segmentCard()).merchant("Archive it.")
		s.call("c1", "update_product", `{"product_id":"prod_2001","status":"archived"}`)
		v := s.judge(judges.StatusOK)
		if k := kinds(v); k[judges.KindWrongEnum] != 1 || v.Findings[0].Rule != judges.RuleArgsEnum {
			t.Fatalf("findings = %+v, want args.enum", v.Findings)
		}
	})
}

func TestProcedural_OptOut(t *testing.T) {
	v := newSession(t, segmentCard()).merchant("Segment customers with status enabled.").
		say("I'm sorry, but I can't help with that.").judge(judges.StatusOK)
	if k := kinds(v); k[judges.KindOptOut] != 1 {
		t.Fatalf("findings = %+v, want opt_out", v.Findings)
	}
	// Declining what the log shows was not acted on is not an opt-out.
	card := segmentCard()
	card.Goals[0].ExpectedActions = nil
	v = newSession(t, card).merchant("Can you fly me to the moon?").say("I'm sorry, but I can't help with that.").judge(judges.StatusOK)
	if k := kinds(v); k[judges.KindOptOut] != 0 {
		t.Fatalf("findings = %+v, want no opt_out for an infeasible request", v.Findings)
	}
}

func TestProcedural_Hallucinations(t *testing.T) {
	count := torontoCount(t)
	t.Run("Grounded", func(t *testing.T) {
		s := newSession(t, lookupCard(count)).merchant("Which of my customers are from Toronto?")
		s.call("c1", "search_customers", `{"query":"customer_city = 'Toronto'"}`)
		v := s.say("You have " + count + " customers in Toronto.").judge(judges.StatusOK)
		if len(v.Findings) != 0 || !v.Success {
			t.Fatalf("findings = %+v success %v", v.Findings, v.Success)
		}
	})
	t.Run("UngroundedFact", func(t *testing.T) {
		v := newSession(t, lookupCard(count)).merchant("Which of my customers are from Toronto?").
			say("You have " + count + " customers in Toronto.").judge(judges.StatusOK)
		if k := kinds(v); k[judges.KindUngrounded] != 1 {
			t.Fatalf("findings = %+v, want hallucinated_fact", v.Findings)
		}
	})
	t.Run("InventedID", func(t *testing.T) {
		s := newSession(t, lookupCard(count)).merchant("Which of my customers are from Toronto?")
		s.call("c1", "search_customers", `{"query":"customer_city = 'Toronto'"}`)
		v := s.say("You have " + count + " customers in Toronto; the first is cus_9777.").judge(judges.StatusOK)
		if k := kinds(v); k[judges.KindHallucinatedID] != 1 {
			t.Fatalf("findings = %+v, want hallucinated_id", v.Findings)
		}
	})
	t.Run("InventedIDThatExists", func(t *testing.T) {
		s := newSession(t, lookupCard(count)).merchant("Tag my best customer as vip.")
		s.call("c1", "update_customer", `{"customer_id":"cus_1001","add_tags":["vip"]}`)
		v := s.judge(judges.StatusOK)
		if k := kinds(v); k[judges.KindHallucinatedID] != 1 || v.Findings[0].CallID != "c1" {
			t.Fatalf("findings = %+v, want the guessed ID flagged on its call", v.Findings)
		}
	})
	t.Run("RefusalGrounds", func(t *testing.T) {
		s := newSession(t, segmentCard()).merchant("Make a VIP segment.")
		s.call("c1", "create_segment", `{"name":"VIP customers","query":"customer_tags CONTAINS 'vip'"}`)
		s.call("c2", "create_segment", `{"name":"VIP customers","query":"customer_tags CONTAINS 'vip'"}`)
		seg := sandbox.IDPattern.FindString(s.calls[1].Error)
		if seg == "" {
			t.Fatalf("the duplicate refusal names no ID (%q); the test needs one", s.calls[1].Error)
		}
		v := s.say("That segment already exists as " + seg + ".").judge(judges.StatusOK)
		if k := kinds(v); k[judges.KindHallucinatedID] != 0 {
			t.Fatalf("findings = %+v; an ID the sandbox named in a refusal is grounded", v.Findings)
		}
	})
	t.Run("UnknownIDInArguments", func(t *testing.T) {
		s := newSession(t, lookupCard(count)).merchant("Look up customer 9777.")
		s.call("c1", "get_customer", `{"customer_id":"cus_9777"}`)
		v := s.judge(judges.StatusOK)
		k := kinds(v)
		if k[judges.KindUnknownID] != 1 || k[judges.KindHallucinatedID] != 1 {
			t.Fatalf("findings = %+v, want unknown_id and hallucinated_id", v.Findings)
		}
	})
}

func TestProcedural_ClaimedAction(t *testing.T) {
	v := newSession(t, segmentCard()).merchant("Segment customers with status enabled.").
		say("Done! The segment has been created.").judge(judges.StatusOK)
	f := v.Findings
	if k := kinds(v); k[judges.KindClaimedAction] != 1 {
		t.Fatalf("findings = %+v, want claimed_action", f)
	}
	if v.Goals[0].Met {
		t.Error("goal met without the segment in the store")
	}
}

func TestProcedural_SideEffect(t *testing.T) {
	s := newSession(t, segmentCard()).merchant("Segment customers with status enabled.")
	s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)
	s.call("c2", "search_customers", `{"query":"customer_email = 'masonrossi@shaw.ca'"}`)
	s.call("c3", "update_customer", `{"customer_id":"cus_1001","add_tags":["oops"]}`)
	v := s.say("I've created the segment Enabled customers.").judge(judges.StatusOK)
	if len(v.Findings) != 1 || v.Findings[0].Kind != judges.KindSideEffect || v.Findings[0].Gate {
		t.Fatalf("findings = %+v, want one non-gating side_effect", v.Findings)
	}
	if !strings.Contains(v.Findings[0].Message, "customers/cus_1001/tags") {
		t.Errorf("message %q does not name the changed path", v.Findings[0].Message)
	}
}

func TestProcedural_Errored(t *testing.T) {
	s := newSession(t, segmentCard()).merchant("Segment customers with status enabled.")
	s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)
	v := s.judge(judges.StatusTimeout)
	if v.Success || v.Gated != 0 || v.Raw != 1 {
		t.Fatalf("success %v raw %v gated %v; want the goal judged but the session scored 0", v.Success, v.Raw, v.Gated)
	}
	for _, sc := range v.Scores {
		if sc.Gated != 0 {
			t.Errorf("score %s gated %v, want 0 for an errored session", sc.Criterion, sc.Gated)
		}
	}
}

func TestProcedural_ErrEvidence(t *testing.T) {
	if _, err := judges.NewProcedural().Judge(&judges.Evidence{}); err == nil {
		t.Fatal("want an error for evidence without card or stores")
	}
}

func TestProcedural_Simulated(t *testing.T) {
	count := torontoCount(t)
	t.Run("OutputsFromTurnOne", func(t *testing.T) {
		// The log asked for the count at turn 3; the simulated merchant
		// asked at once.
		card := lookupCard(count)
		card.Goals[0].Turn = 3
		play := func() *session {
			s := newSession(t, card).merchant("Which of my customers are from Toronto?")
			s.call("c1", "search_customers", `{"query":"customer_city = 'Toronto'"}`)
			return s.say("You have " + count + " customers in Toronto.")
		}
		if v := play().judge(judges.StatusOK); v.Goals[0].Met {
			t.Fatal("a logged session met the goal before its logged turn; the test proves nothing")
		}
		v := play().simulated("goals_met", "g1", "done").judge(judges.StatusOK)
		if !v.Goals[0].Met || !v.Success || len(v.Findings) != 0 {
			t.Errorf("goal %+v findings %+v; a simulated session states outputs in its own turns", v.Goals[0], v.Findings)
		}
	})
	t.Run("OptOutAgainstAnyFeasibleGoal", func(t *testing.T) {
		card := segmentCard()
		card.Goals = append([]personas.Goal{{ID: "g0", Turn: 1, Request: "Hi, how are you?"}}, card.Goals...)
		card.Goals[1].ID, card.Goals[1].Turn = "g1", 2
		play := func() *session {
			return newSession(t, card).merchant("Segment customers with status enabled.").
				say("I'm sorry, but I can't help with that.")
		}
		if k := kinds(play().judge(judges.StatusOK)); k[judges.KindOptOut] != 0 {
			t.Fatal("a logged turn 1 maps to g0, which has no actions; the test proves nothing")
		}
		v := play().simulated("gave_up", "g0", "done", "g1", "failed").judge(judges.StatusOK)
		if k := kinds(v); k[judges.KindOptOut] != 1 || !strings.Contains(v.Findings[0].Message, "g1") {
			t.Errorf("findings %+v, want one opt_out naming g1", v.Findings)
		}
	})
}
