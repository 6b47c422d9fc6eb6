package simulator_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/simulator"
	"github.com/merchantarena/merchantarena/transcript"
)

// exampleTB lets an Example run llmtest, which reports through a
// testing.TB: an Example has none, so a failure panics and cleanups run
// when close is called.
type exampleTB struct {
	testing.TB
	cleanups []func()
}

func (*exampleTB) Helper()                      {}
func (e *exampleTB) Cleanup(f func())           { e.cleanups = append(e.cleanups, f) }
func (*exampleTB) Error(args ...any)            { panic(fmt.Sprint(args...)) }
func (*exampleTB) Errorf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }
func (*exampleTB) Fatalf(f string, args ...any) { panic(fmt.Sprintf(f, args...)) }

func (e *exampleTB) close() {
	for i := len(e.cleanups) - 1; i >= 0; i-- {
		e.cleanups[i]()
	}
}

func ExampleLLM_Next() {
	tb := &exampleTB{}
	defer tb.close()
	// The model playing the merchant, scripted: answer the assistant's
	// question, then finish once it reports the count.
	srv := llmtest.NewServer(tb, llmtest.Sequence(
		llmtest.JSON(map[string]any{"message": "Yes, Toronto in Ontario.", "decision": "continue",
			"goals": []map[string]string{{"goal": "g1", "status": "pending"}}, "reason": "answering the question"}),
		llmtest.JSON(map[string]any{"message": "", "decision": "finish",
			"goals": []map[string]string{{"goal": "g1", "status": "done"}}, "reason": "the count was reported"}),
	))
	card := &personas.Card{
		ID:      "toronto",
		Opening: "How many of my customers are in Toronto?",
		Goals: []personas.Goal{{ID: "g1", Request: "Count the customers in Toronto.",
			SuccessTest: "the assistant reports the number of Toronto customers"}},
		Facts: []string{"Toronto means Toronto, Ontario."},
	}
	merchant := simulator.NewLLM(llmtest.Client(tb, srv, llm.Config{}), card, 1)

	answers := []string{"Toronto in Ontario, or the one in Ohio?", "You have 37 customers in Toronto, Ontario."}
	var dialogue []transcript.Message
	for _, answer := range answers {
		d, err := merchant.Next(context.Background(), dialogue)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("merchant:", d.Message)
		fmt.Println("assistant:", answer)
		dialogue = append(dialogue,
			transcript.Message{Role: transcript.RoleUser, Content: d.Message},
			transcript.Message{Role: transcript.RoleAssistant, Content: answer})
	}
	d, err := merchant.Next(context.Background(), dialogue)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("stop:", d.Reason, d.Goals, "-", d.Note)
	// Output:
	// merchant: How many of my customers are in Toronto?
	// assistant: Toronto in Ontario, or the one in Ohio?
	// merchant: Yes, Toronto in Ontario.
	// assistant: You have 37 customers in Toronto, Ontario.
	// stop: goals_met [{g1 done}] - the count was reported
}
