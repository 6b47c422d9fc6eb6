package judges_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/personas"
)

var (
	criterionRE = regexp.MustCompile(`Criterion: (\S+)`)
	goalRE      = regexp.MustCompile(`## The goal to judge\n(\S+):`)
)

// taskOf names the judgement a request asks for as scores name it:
// "helpfulness", or "goal_completion/g1" for a per-goal criterion.
func taskOf(r *llmtest.Request) string {
	if len(r.Messages) < 2 {
		return ""
	}
	m := criterionRE.FindStringSubmatch(r.Messages[0].Content)
	if m == nil {
		return ""
	}
	if g := goalRE.FindStringSubmatch(r.Messages[1].Content); g != nil {
		return m[1] + "/" + g[1]
	}
	return m[1]
}

// judgeServer answers each judgement from replies by task; a judgement it
// has no reply for fails the test.
func judgeServer(t *testing.T, replies map[string]llmtest.Reply) *llmtest.Server {
	t.Helper()
	return llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
		id := taskOf(r)
		rep, ok := replies[id]
		if !ok {
			t.Errorf("request %d asks for an unexpected judgement %q", r.N, id)
			return llmtest.Status(400)
		}
		return rep
	})
}

// verdictReply is a judge's reply.
func verdictReply(score float64, cited ...int) llmtest.Reply {
	if cited == nil {
		cited = []int{}
	}
	return llmtest.JSON(map[string]any{"score": score, "rationale": fmt.Sprintf("scored %g", score), "cited_turns": cited})
}

// allReplies answers every criterion of the default rubric for a card
// with these goals, with a perfect score citing turn 1.
func allReplies(goals ...string) map[string]llmtest.Reply {
	m := map[string]llmtest.Reply{
		"action_correctness": verdictReply(5, 1), "helpfulness": verdictReply(5, 1), "tone": verdictReply(5, 1),
		"opt_out": verdictReply(1, 1), "hallucination": verdictReply(1, 1), "merchant_fidelity": verdictReply(1, 1),
	}
	for _, g := range goals {
		m["goal_completion/"+g] = verdictReply(1, 1)
	}
	return m
}

func judgeClient(t *testing.T, srv *llmtest.Server, cache llm.Cache) *llm.Client {
	t.Helper()
	return llmtest.Client(t, srv, llm.Config{Cache: cache, MaxRetries: 1})
}

// twoGoalCard asks for the enabled segment, then the Toronto count.
func twoGoalCard(count string) *personas.Card {
	seg, look := segmentCard().Goals[0], lookupCard(count).Goals[0]
	seg.SuccessTest = "a segment of enabled customers exists"
	look.ID, look.Turn = "g2", 2
	return &personas.Card{ID: "p3", Opening: seg.Request,
		Goals:    []personas.Goal{seg, look},
		Facts:    []string{"The shop is called Maple Goods."},
		Unknowns: []string{"how many customers live in Toronto"},
		Script:   []string{seg.Request, look.Request},
		Profile:  personas.Profile{Shop: "Maple Goods", Expertise: "novice"},
	}
}

// twoGoalSession plays twoGoalCard faithfully.
func twoGoalSession(t testing.TB) *session {
	count := torontoCount(t)
	s := newSession(t, twoGoalCard(count)).merchant("Segment customers with status enabled.")
	s.call("c1", "create_segment", `{"name":"Enabled customers","query":"customer_account_status = 'ENABLED'"}`)
	s.say("I've created the segment Enabled customers.")
	s.merchant("Which of my customers are from Toronto?")
	s.call("c2", "search_customers", `{"query":"customer_city = 'Toronto'"}`)
	return s.say("You have " + count + " customers in Toronto.")
}

func jsonProps(t *testing.T, schema json.RawMessage) (props []string, required []string, strictObject bool) {
	t.Helper()
	var s struct {
		Properties           map[string]json.RawMessage
		Required             []string
		AdditionalProperties *bool
	}
	if err := json.Unmarshal(schema, &s); err != nil {
		t.Fatal(err)
	}
	for p := range s.Properties {
		props = append(props, p)
	}
	return props, s.Required, s.AdditionalProperties != nil && !*s.AdditionalProperties
}
