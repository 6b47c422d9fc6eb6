package refagent_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/refagent"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// The jit build plays a turn over NATS: the model searches the store, the
// sandbox answers, the query-language guidance rides along with the result,
// and the model answers from it. A scripted OpenAI-compatible server stands
// in for the model.
func ExampleJIT() {
	srv, err := natsbus.StartServer(natsbus.ServerConfig{NoListen: true})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	nc, err := srv.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer nc.Close()
	box := sandbox.NewService(nc)
	if err := box.Start(); err != nil {
		log.Fatal(err)
	}
	defer box.Stop()
	sess := box.Open("example")

	model := llmtest.Start(llmtest.Sequence(
		llmtest.Calls(transcript.ToolCall{Function: transcript.FunctionCall{
			Name: "search_customers", Arguments: `{"query":"customer_account_status = 'ENABLED'","limit":1}`}}),
		llmtest.Text("Most of your customers have enabled accounts."),
	))
	defer model.Close()
	client, err := llm.New(llm.Config{BaseURL: model.URL, Model: "example-model",
		Prices: map[string]llm.Price{"example-model": {PromptPerMillion: 1, CompletionPerMillion: 2}}})
	if err != nil {
		log.Fatal(err)
	}

	svc, err := candidates.Serve(nc, refagent.JIT(client, ""))
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Stop()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	reply, err := candidates.NewClient(nc).Turn(ctx, svc.Info().Subject, &candidates.TurnRequest{
		Session:  "example",
		Messages: []transcript.Message{{Role: transcript.RoleUser, Content: "Are my customers' accounts enabled?"}},
		Sandbox:  candidates.SandboxRef{Subject: box.Subject(), Token: sess.Token()},
		Context:  candidates.PageContext{Page: "customers"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range reply.Messages {
		switch {
		case len(m.ToolCalls) > 0:
			fmt.Println("assistant calls", m.ToolCalls[0].Function.Name)
		case m.Role == transcript.RoleTool:
			fmt.Println("tool result with guidance:", strings.Contains(m.Content, "\n\nGuidance: Segment queries"))
		default:
			fmt.Println("assistant:", m.Content)
		}
	}
	fmt.Println("calls recorded:", len(sess.Calls()))
	// Output:
	// assistant calls search_customers
	// tool result with guidance: true
	// assistant: Most of your customers have enabled accounts.
	// calls recorded: 1
}

// Guidance is the jit rules table: the notes a tool's result earns, here a
// refused search on the discounts page.
func ExampleGuidance() {
	for _, n := range refagent.Guidance("search_customers", true, candidates.PageContext{Page: "discounts"}) {
		fmt.Println(n[:40] + "…")
	}
	// Output:
	// Segment queries (the query argument of s…
	// A refused call changed nothing. Its mess…
}

// Builds gives both reference agents over one client and model, ready for
// candidates.Serve; the metadata says where each keeps its guidance.
func ExampleBuilds() {
	client, err := llm.New(llm.Config{BaseURL: "http://127.0.0.1:1/v1", Model: "example-model"})
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range refagent.Builds(client, "example-model", refagent.WithMaxSteps(4)) {
		fmt.Println(b.Name, b.Version, b.Metadata[refagent.MetaGuidance], b.Metadata[refagent.MetaPrompt])
	}
	// Output:
	// monolith 1.0.0 monolith refagent/1
	// jit 1.0.0 jit refagent/1
}
