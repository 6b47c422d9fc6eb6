package judges_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/transcript"
)

func llmScores(v judges.Verdict) []judges.Score {
	var out []judges.Score
	for _, s := range v.Scores {
		if s.Judge == "llm" {
			out = append(out, s)
		}
	}
	return out
}

func stage1(t *testing.T, ev *judges.Evidence) judges.Verdict {
	t.Helper()
	v, err := judges.NewProcedural().Judge(ev)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestLLMJudge_Judge(t *testing.T) {
	t.Run("OneRequestPerCriterionAndGoal", func(t *testing.T) {
		srv := judgeServer(t, allReplies("g1", "g2"))
		ev := twoGoalSession(t).evidence(judges.StatusOK)
		j := &judges.LLMJudge{Client: judgeClient(t, srv, nil)}
		if _, err := j.Judge(t.Context(), ev, stage1(t, ev)); err != nil {
			t.Fatal(err)
		}
		var asked []string
		for _, r := range srv.Requests() {
			asked = append(asked, taskOf(&r))
			// llm sends 0 as the smallest float32, because go-openai drops a zero.
			if r.Temperature == nil || *r.Temperature > 1e-9 {
				t.Errorf("%s: temperature %v, want 0", taskOf(&r), r.Temperature)
			}
			props, required, strict := jsonProps(t, r.Schema)
			slices.Sort(props)
			slices.Sort(required)
			want := []string{"cited_turns", "rationale", "score"}
			if r.SchemaName != "judgement" || !r.Strict || !strict || !slices.Equal(props, want) || !slices.Equal(required, want) {
				t.Errorf("%s: schema %s strict %v props %v required %v", taskOf(&r), r.SchemaName, r.Strict && strict, props, required)
			}
		}
		slices.Sort(asked)
		// A logged merchant is not judged: merchant_fidelity is for simulated ones.
		want := []string{"action_correctness", "goal_completion/g1", "goal_completion/g2", "hallucination", "helpfulness", "opt_out", "tone"}
		if diff := cmp.Diff(want, asked); diff != "" {
			t.Errorf("judgements asked for (-want +got):\n%s", diff)
		}
	})
	t.Run("PromptCarriesSandboxRecordsAndFindings", func(t *testing.T) {
		s := twoGoalSession(t).simulated("goals_met", "g1", "done", "g2", "done")
		s.call("c3", "get_customer", `{"customer_id":"cus_9777"}`)
		for i := range s.steps { // the build misreports what the sandbox answered
			if s.steps[i].Role == transcript.RoleTool && s.steps[i].ToolCallID == "c2" {
				s.steps[i].Content = "FAKE: no customers"
			}
		}
		srv := judgeServer(t, allReplies("g1", "g2"))
		ev := s.evidence(judges.StatusOK)
		v1 := stage1(t, ev)
		j := &judges.LLMJudge{Client: judgeClient(t, srv, nil)}
		if _, err := j.Judge(t.Context(), ev, v1); err != nil {
			t.Fatal(err)
		}
		result := string(s.calls[1].Result)
		mustHave := []string{
			"The sandbox returned: " + result[:min(len(result), 200)],
			"The sandbox refused: " + s.calls[2].Error,
			"### Turn 2",
			"Merchant: Which of my customers are from Toronto?",
			"## What the procedural checks found",
			judges.RuleArgsID + " (fails the gate): " + v1.Findings[0].Message,
			"- g1: met",
			"Success test: a segment of enabled customers exists",
		}
		if len(srv.Requests()) != 8 {
			t.Fatalf("%d requests, want 8 (7 build judgements and the merchant's)", len(srv.Requests()))
		}
		for _, r := range srv.Requests() {
			id, prompt := taskOf(&r), r.Messages[1].Content
			for _, m := range mustHave {
				if !strings.Contains(prompt, m) {
					t.Errorf("%s: prompt lacks %q", id, m)
				}
			}
			if strings.Contains(prompt, "FAKE") {
				t.Errorf("%s: prompt quotes the build's copy of a tool result", id)
			}
			merchant := strings.Contains(prompt, "Things the merchant does not know:\n- how many customers live in Toronto")
			if merchant != (id == "merchant_fidelity") {
				t.Errorf("%s: merchant card in prompt = %v", id, merchant)
			}
			if strings.HasPrefix(id, "goal_completion/") && !strings.Contains(prompt, "## The goal to judge\n"+strings.TrimPrefix(id, "goal_completion/")) {
				t.Errorf("%s: prompt does not name its goal", id)
			}
			if !strings.Contains(r.Messages[0].Content, "Scale: ") {
				t.Errorf("%s: system prompt does not state the scale", id)
			}
		}
	})
	t.Run("ScoresNormalisedInRubricOrder", func(t *testing.T) {
		replies := allReplies("g1", "g2")
		replies["helpfulness"] = verdictReply(4, 2, 1, 2)
		replies["tone"] = verdictReply(3)
		// The first judgement answers last; the order must not follow.
		replies["goal_completion/g1"] = verdictReply(1, 1).WithDelay(50 * time.Millisecond)
		srv := judgeServer(t, replies)
		ev := twoGoalSession(t).evidence(judges.StatusOK)
		v, err := (&judges.LLMJudge{Client: judgeClient(t, srv, nil)}).Judge(t.Context(), ev, stage1(t, ev))
		if err != nil {
			t.Fatal(err)
		}
		const ver = "rubric/1+judge/1"
		sc := func(c string, s float64, why string, cited ...int) judges.Score {
			return judges.Score{Judge: "llm", Criterion: c, Score: s, Gated: s, Rationale: why, CitedTurns: cited, Version: ver}
		}
		want := []judges.Score{
			sc("goal_completion/g1", 1, "scored 1", 1), sc("goal_completion/g2", 1, "scored 1", 1),
			sc("action_correctness", 1, "scored 5", 1), sc("helpfulness", 0.75, "scored 4", 1, 2),
			sc("tone", 0.5, "scored 3"), sc("opt_out", 1, "scored 1", 1), sc("hallucination", 1, "scored 1", 1),
		}
		if diff := cmp.Diff(want, llmScores(v)); diff != "" {
			t.Errorf("llm scores (-want +got):\n%s", diff)
		}
	})
	t.Run("BoundedConcurrency", func(t *testing.T) {
		const delay = 200 * time.Millisecond
		replies := allReplies("g1", "g2")
		for k, r := range replies {
			replies[k] = r.WithDelay(delay)
		}
		srv := judgeServer(t, replies)
		ev := twoGoalSession(t).evidence(judges.StatusOK)
		if _, err := (&judges.LLMJudge{Client: judgeClient(t, srv, nil)}).Judge(t.Context(), ev, stage1(t, ev)); err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		// Four at once: the fourth arrives before the first is answered,
		// the fifth only after one of the first four was.
		if got := reqs[3].At.Sub(reqs[0].At); got >= delay {
			t.Errorf("request 4 came %v after request 1; the judgements did not run concurrently", got)
		}
		if got := reqs[4].At.Sub(reqs[0].At); got < delay {
			t.Errorf("request 5 came %v after request 1, before any answer; more than 4 ran at once", got)
		}
	})
	for _, tc := range []struct {
		name, criterion string
		reply           llmtest.Reply
		wantErr         error
	}{
		{"ErrOutOfScale", "helpfulness", verdictReply(7), judges.ErrJudgeReply},
		{"ErrBinaryHalf", "opt_out", verdictReply(0.5), judges.ErrJudgeReply},
		{"ErrCitedTurn", "tone", verdictReply(4, 9), judges.ErrJudgeReply},
		{"ErrPerGoal", "goal_completion/g2", verdictReply(2), judges.ErrJudgeReply},
		{"ErrOutput", "tone", llmtest.Text("a fine tone"), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			replies := allReplies("g1", "g2")
			replies[tc.criterion] = tc.reply
			srv := judgeServer(t, replies)
			ev := twoGoalSession(t).evidence(judges.StatusOK)
			_, err := (&judges.LLMJudge{Client: judgeClient(t, srv, nil)}).Judge(t.Context(), ev, stage1(t, ev))
			var ce *judges.CriterionError
			if !errors.As(err, &ce) || ce.Criterion != tc.criterion {
				t.Fatalf("err = %v, want a CriterionError naming %s", err, tc.criterion)
			}
			var oe *llm.OutputError
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) || tc.wantErr == nil && !errors.As(err, &oe) {
				t.Errorf("err = %v, want %v", err, tc.wantErr)
			}
		})
	}
	t.Run("ErrNoClient", func(t *testing.T) {
		ev := twoGoalSession(t).evidence(judges.StatusOK)
		if _, err := (&judges.LLMJudge{}).Judge(t.Context(), ev, stage1(t, ev)); !errors.Is(err, llm.ErrNotConfigured) {
			t.Fatalf("err = %v, want ErrNotConfigured", err)
		}
	})
}
