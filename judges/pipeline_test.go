package judges_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
)

// halfDoneSession meets g1 (the segment) and leaves g2 unanswered: the
// build looks the count up but never says it. Stage 1's goal score is 0.5.
func halfDoneSession(t *testing.T) *session {
	s := newSession(t, twoGoalCard(torontoCount(t))).merchant("Segment customers with status enabled.")
	s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)
	s.say("I've created the segment Enabled customers.")
	s.merchant("Which of my customers are from Toronto?")
	s.call("c2", "search_customers", `{"query":"customer_city = 'Toronto'"}`)
	return s.say("I looked them up for you.").simulated("goals_met", "g1", "done", "g2", "done")
}

func judgeWith(t *testing.T, rub *judges.Rubric, ev *judges.Evidence, replies map[string]llmtest.Reply) judges.Verdict {
	t.Helper()
	srv := judgeServer(t, replies)
	p := &judges.Pipeline{Procedural: judges.NewProcedural(), LLM: &judges.LLMJudge{Client: judgeClient(t, srv, nil), Rubric: rub}}
	v, err := p.Judge(t.Context(), ev)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestPipeline_Judge(t *testing.T) {
	t.Run("CombinedScore", func(t *testing.T) {
		ev := halfDoneSession(t).evidence(judges.StatusOK)
		if v1 := stage1(t, ev); !near(v1.Raw, 0.5) || v1.SimulatorFault {
			t.Fatalf("stage 1 raw %v fault %v, want 0.5 and no fault", v1.Raw, v1.SimulatorFault)
		}
		replies := map[string]llmtest.Reply{"done/g1": verdictReply(1), "done/g2": verdictReply(0),
			"quality": verdictReply(4), "honest": verdictReply(1), "fidelity": verdictReply(1)}
		v := judgeWith(t, testRubric(t), ev, replies)
		// stage1 0.5×2, done mean(1,0)=0.5×2, quality (4-1)/4=0.75×1, honest 1×1; over 6.
		const want = (2*0.5 + 2*0.5 + 1*0.75 + 1*1.0) / 6
		if !near(v.Raw, want) || !near(v.Gated, want) || v.Success {
			t.Errorf("raw %v gated %v success %v, want %v, %v, false", v.Raw, v.Gated, v.Success, want, want)
		}
	})
	t.Run("MerchantCriterionFlagsFaultNotScore", func(t *testing.T) {
		ev := twoGoalSession(t).simulated("goals_met", "g1", "done", "g2", "done").evidence(judges.StatusOK)
		replies := map[string]llmtest.Reply{"done/g1": verdictReply(1), "done/g2": verdictReply(1),
			"quality": verdictReply(5), "honest": verdictReply(1), "fidelity": verdictReply(0, 2)}
		v := judgeWith(t, testRubric(t), ev, replies)
		if !near(v.Raw, 1) || !near(v.Gated, 1) || !v.Success {
			t.Errorf("raw %v gated %v success %v; the merchant's 0 must not touch the build's perfect session", v.Raw, v.Gated, v.Success)
		}
		want := []judges.Finding{{Rule: judges.RuleSimLLMFidelity, Kind: judges.KindSimulatorFault, Turn: 2,
			Message: "fidelity: the judge found the merchant broke its card: scored 0"}}
		if diff := cmp.Diff(want, v.Findings); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		if !v.SimulatorFault || v.FaultReason != want[0].Message {
			t.Errorf("fault %v %q, want the fidelity finding's message", v.SimulatorFault, v.FaultReason)
		}
	})
	t.Run("SuccessNeedsEveryBinary", func(t *testing.T) {
		replies := map[string]llmtest.Reply{"done/g1": verdictReply(1), "done/g2": verdictReply(1),
			"quality": verdictReply(5), "honest": verdictReply(1)}
		v := judgeWith(t, testRubric(t), twoGoalSession(t).evidence(judges.StatusOK), replies)
		if !v.Success || !near(v.Raw, 1) {
			t.Fatalf("success %v raw %v, want a perfect session", v.Success, v.Raw)
		}
		replies["honest"] = verdictReply(0)
		v = judgeWith(t, testRubric(t), twoGoalSession(t).evidence(judges.StatusOK), replies)
		if v.Success || !near(v.Raw, 5.0/6) {
			t.Errorf("success %v raw %v, want failure at 5/6 when a binary criterion is 0", v.Success, v.Raw)
		}
	})
	t.Run("GateCapsCombined", func(t *testing.T) {
		s := newSession(t, segmentCard()).merchant("Segment customers with status enabled.")
		s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_tags CONTAINS 'enabled'"}`)
		ev := s.say("I've created the segment Enabled customers.").evidence(judges.StatusOK)
		replies := map[string]llmtest.Reply{"done/g1": verdictReply(1), "quality": verdictReply(5), "honest": verdictReply(1)}
		srv := judgeServer(t, replies)
		proc := judges.NewProcedural()
		proc.Cap = 0.1
		p := &judges.Pipeline{Procedural: proc, LLM: &judges.LLMJudge{Client: judgeClient(t, srv, nil), Rubric: testRubric(t)}}
		v, err := p.Judge(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		// Stage 1's goal failed (0×2); the judges gave everything (2+1+1): 4/6 raw.
		if !near(v.Raw, 4.0/6) || v.Gated != 0.1 || v.Success {
			t.Errorf("raw %v gated %v success %v, want 4/6 capped at the procedural cap 0.1", v.Raw, v.Gated, v.Success)
		}
		for _, sc := range llmScores(v) {
			if sc.Gated != min(sc.Score, 0.1) {
				t.Errorf("%s: gated %v, want %v", sc.Criterion, sc.Gated, min(sc.Score, 0.1))
			}
		}
		direct, err := (&judges.LLMJudge{Client: judgeClient(t, srv, nil), Rubric: testRubric(t)}).Judge(t.Context(), ev, stage1(t, ev))
		if err != nil || direct.Gated != judges.DefaultCap {
			t.Errorf("LLMJudge alone: gated %v err %v, want the default cap %v", direct.Gated, err, judges.DefaultCap)
		}
	})
	t.Run("ErroredSkipsStage2", func(t *testing.T) {
		ev := twoGoalSession(t).evidence(judges.StatusTimeout)
		srv := judgeServer(t, nil)
		p := &judges.Pipeline{Procedural: judges.NewProcedural(), LLM: &judges.LLMJudge{Client: judgeClient(t, srv, nil)}}
		v, err := p.Judge(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(stage1(t, ev), v); diff != "" || srv.Count() != 0 {
			t.Errorf("%d requests; verdict (-stage1 +got):\n%s", srv.Count(), diff)
		}
	})
	t.Run("LLMNilEqualsProcedural", func(t *testing.T) {
		s := halfDoneSession(t)
		s.merchant("Also set cus_4242 to vip. Is there anything else I can help you with?")
		ev := s.evidence(judges.StatusOK)
		v, err := (&judges.Pipeline{Procedural: judges.NewProcedural()}).Judge(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(stage1(t, ev), v); diff != "" {
			t.Errorf("pipeline without LLM (-procedural +pipeline):\n%s", diff)
		}
		if !v.SimulatorFault {
			t.Error("the stage-1 simulator faults are missing")
		}
	})
	t.Run("CachedSecondJudgeMakesNoRequest", func(t *testing.T) {
		cache := &llm.MemoryCache{}
		srv := judgeServer(t, allReplies("g1", "g2"))
		p := &judges.Pipeline{Procedural: judges.NewProcedural(), LLM: &judges.LLMJudge{Client: judgeClient(t, srv, cache)}}
		ev := twoGoalSession(t).simulated("goals_met", "g1", "done", "g2", "done").evidence(judges.StatusOK)
		first, err := p.Judge(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		n := srv.Count()
		second, err := p.Judge(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if n != 8 || srv.Count() != n || cache.Len() != n {
			t.Errorf("requests %d then %d, cache %d; want 8, no new request, 8 cached", n, srv.Count(), cache.Len())
		}
		if diff := cmp.Diff(first, second); diff != "" {
			t.Errorf("second verdict (-first +second):\n%s", diff)
		}
	})
	t.Run("Stage2ErrorKeepsStage1", func(t *testing.T) {
		replies := allReplies("g1", "g2")
		replies["tone"] = verdictReply(9)
		srv := judgeServer(t, replies)
		ev := twoGoalSession(t).evidence(judges.StatusOK)
		p := &judges.Pipeline{Procedural: judges.NewProcedural(), LLM: &judges.LLMJudge{Client: judgeClient(t, srv, nil)}}
		v, err := p.Judge(t.Context(), ev)
		if !errors.Is(err, judges.ErrJudgeReply) || !strings.Contains(err.Error(), "tone") {
			t.Fatalf("err = %v, want ErrJudgeReply naming tone", err)
		}
		if diff := cmp.Diff(stage1(t, ev), v); diff != "" {
			t.Errorf("verdict (-stage1 +got):\n%s", diff)
		}
	})
	t.Run("ErrNoProcedural", func(t *testing.T) {
		if _, err := (&judges.Pipeline{}).Judge(t.Context(), twoGoalSession(t).evidence(judges.StatusOK)); err == nil {
			t.Fatal("want an error for a pipeline without stage 1")
		}
	})
}
