package judges_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"strings"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

func ExampleLoadRubric() {
	r, err := judges.LoadRubric(strings.NewReader(`
version: shop-rubric/2
stage1_weight: 2
criteria:
  - id: resolved
    per_goal: true
    scale: binary
    prompt: Score 1 when the goal was resolved.
  - id: clarity
    scale: {min: 1, max: 5}
    weight: 0.5
    prompt: Rate how clear the replies were.
`), "shop.yaml")
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range r.Criteria {
		fmt.Printf("%s: %s, weight %g, per goal %v\n", c.ID, c.Scale, c.Weight, c.PerGoal)
	}
	_, err = judges.LoadRubric(strings.NewReader("version: v\ncriteria:\n  - id: clarity\n    scale: {min: 5, max: 1}\n    prompt: p\n"), "bad.yaml")
	fmt.Println(err)
	// Output:
	// resolved: binary: 0 or 1, weight 1, per goal true
	// clarity: from 1 to 5, weight 0.5, per goal false
	// rubric bad.yaml:4: criteria[0].scale: max 1 must exceed min 5
}

func ExampleDefaultRubric() {
	for _, c := range judges.DefaultRubric().Criteria {
		fmt.Println(c.ID, c.Subject)
	}
	// Output:
	// goal_completion build
	// action_correctness build
	// helpfulness build
	// tone build
	// opt_out build
	// hallucination build
	// merchant_fidelity merchant
}

// exampleEvidence is a session in which a simulated merchant asked for a
// segment, the build made it, and the merchant then spoke as the assistant.
func exampleEvidence() *judges.Evidence {
	args := `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`
	card := &personas.Card{ID: "example", Goals: []personas.Goal{{ID: "g1", Turn: 1,
		Request:         "Segment customers with status enabled.",
		ExpectedActions: []personas.Action{{Tool: "create_segment", Arguments: json.RawMessage(args)}}}}}
	final := sandbox.Fixture()
	res, err := final.Call("create_segment", json.RawMessage(args))
	if err != nil {
		log.Fatal(err)
	}
	step := func(role transcript.Role, text string) judges.Step {
		return judges.Step{Turn: 1, Message: transcript.Message{Role: role, Content: text}}
	}
	return &judges.Evidence{
		Card: card, Initial: sandbox.Fixture(), Final: final, Status: judges.StatusOK,
		Steps: []judges.Step{
			step(transcript.RoleUser, "Segment customers with status enabled."),
			step(transcript.RoleAssistant, "I've created the segment Enabled customers."),
			{Turn: 2, Message: transcript.Message{Role: transcript.RoleUser, Content: "Is there anything else I can help you with?"}},
		},
		Calls:     []sandbox.CallRecord{{Seq: 1, Turn: 1, CallID: "c1", Tool: "create_segment", Arguments: json.RawMessage(args), Result: res}},
		Simulated: true, StopReason: "goals_met", MerchantGoals: map[string]string{"g1": "done"},
	}
}

func ExamplePipeline_Judge() {
	// Stage 1 only: no LLM configured.
	p := &judges.Pipeline{Procedural: judges.NewProcedural()}
	v, err := p.Judge(context.Background(), exampleEvidence())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("success %v, gated %.2f\n", v.Success, v.Gated)
	fmt.Println("simulator fault:", v.FaultReason)
	// Output:
	// success true, gated 1.00
	// simulator fault: the merchant offers help as the assistant would ("anything else I can help"): "Is there anything else I can help you with?"
}

func ExampleLLMJudge_Judge() {
	// A scripted judge that scores every criterion at the top of its scale.
	srv := llmtest.Start(func(r *llmtest.Request) llmtest.Reply {
		score := 1
		if strings.Contains(r.Messages[0].Content, "Scale: from 1 to 5") {
			score = 5
		}
		return llmtest.JSON(map[string]any{"score": score, "rationale": "as the sandbox recorded", "cited_turns": []int{1}})
	})
	defer srv.Close()
	client, err := llm.New(llm.Config{BaseURL: srv.URL, APIKey: "key", Model: "judge-model",
		Prices: map[string]llm.Price{"judge-model": {PromptPerMillion: 0.4, CompletionPerMillion: 1.6}}})
	if err != nil {
		log.Fatal(err)
	}

	ev := exampleEvidence()
	stage1, err := judges.NewProcedural().Judge(ev)
	if err != nil {
		log.Fatal(err)
	}
	v, err := (&judges.LLMJudge{Client: client}).Judge(context.Background(), ev, stage1)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range v.Scores {
		if s.Judge == "llm" {
			fmt.Println(s.Criterion, s.Score, s.Version)
		}
	}
	fmt.Printf("%d requests, raw %.2f\n", srv.Count(), v.Raw)
	// Output:
	// goal_completion/g1 1 rubric/1+judge/1
	// action_correctness 1 rubric/1+judge/1
	// helpfulness 1 rubric/1+judge/1
	// tone 1 rubric/1+judge/1
	// opt_out 1 rubric/1+judge/1
	// hallucination 1 rubric/1+judge/1
	// merchant_fidelity 1 rubric/1+judge/1
	// 7 requests, raw 1.00
}
