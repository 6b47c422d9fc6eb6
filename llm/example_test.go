package llm_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/transcript"
)

func ExampleClient_Complete() {
	// A scripted OpenAI API; in a program BaseURL and APIKey come from
	// OPENAI_BASE_URL and OPENAI_API_KEY.
	srv := llmtest.Start(func(*llmtest.Request) llmtest.Reply {
		return llmtest.Text("Your store ships in 2 days.").WithUsage(1200, 8)
	})
	defer srv.Close()

	c, err := llm.New(llm.Config{BaseURL: srv.URL, Model: "gpt-4.1-mini"})
	if err != nil {
		log.Fatal(err)
	}
	resp, err := c.Complete(context.Background(), llm.Request{
		Role: llm.RoleSimulator,
		Messages: []transcript.Message{
			{Role: transcript.RoleSystem, Content: "You are a merchant's assistant."},
			{Role: transcript.RoleUser, Content: "How fast do we ship?"},
		},
		Temperature: llm.Temperature(0.7),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Message.Content)
	fmt.Printf("%d tokens, $%.6f\n", resp.Usage.Total(), resp.Cost)
	fmt.Println(c.Totals()[llm.RoleSimulator].Calls, "call")
	// Output:
	// Your store ships in 2 days.
	// 1208 tokens, $0.000493
	// 1 call
}

func ExampleClient_CompleteJSON() {
	srv := llmtest.Start(func(*llmtest.Request) llmtest.Reply {
		return llmtest.Text(`{"score": 4, "rationale": "Answered the question, skipped the refund policy."}`)
	})
	defer srv.Close()

	c, err := llm.New(llm.Config{BaseURL: srv.URL, Model: "gpt-4.1"})
	if err != nil {
		log.Fatal(err)
	}
	schema := &llm.Schema{Name: "verdict", JSON: json.RawMessage(`{
		"type": "object",
		"properties": {"score": {"type": "integer"}, "rationale": {"type": "string"}},
		"required": ["score", "rationale"],
		"additionalProperties": false
	}`)}
	var verdict struct {
		Score     int    `json:"score"`
		Rationale string `json:"rationale"`
	}
	_, err = c.CompleteJSON(context.Background(), llm.Request{
		Role:        llm.RoleJudge,
		Messages:    []transcript.Message{{Role: transcript.RoleUser, Content: "Score this session from 1 to 5."}},
		Temperature: llm.Temperature(0),
		Schema:      schema,
	}, &verdict)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(verdict.Score, verdict.Rationale)
	// Output:
	// 4 Answered the question, skipped the refund policy.
}
