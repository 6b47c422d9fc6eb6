package candidates_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// A build serves its handler; the arena discovers it and plays a turn.
func Example() {
	srv, err := natsbus.StartServer(natsbus.ServerConfig{})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	nc, err := srv.Connect()
	if err != nil {
		log.Fatal(err)
	}
	defer nc.Close()

	// The build's side.
	svc, err := candidates.Serve(nc, candidates.Build{
		Name:    "greeter",
		Version: "1.0.0",
		Handler: candidates.HandlerFunc(func(ctx context.Context, t *candidates.Turn) (*candidates.TurnReply, error) {
			last := t.Messages[len(t.Messages)-1]
			return &candidates.TurnReply{Messages: []transcript.Message{
				{Role: transcript.RoleAssistant, Content: "Hello! You said: " + last.Content},
			}}, nil
		}),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Stop()

	// The arena's side.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	builds, err := candidates.Discover(ctx, nc)
	if err != nil {
		log.Fatal(err)
	}
	for _, b := range builds {
		fmt.Printf("%s %s on %s, %d replica\n", b.Name, b.Version, b.Subject, b.Replicas)
	}
	reply, err := candidates.NewClient(nc).Turn(ctx, builds[0].Subject, &candidates.TurnRequest{
		Session:  "session-1",
		Messages: []transcript.Message{{Role: transcript.RoleUser, Content: "how many customers opted in?"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(reply.Messages[0].Content)
	// Output:
	// greeter 1.0.0 on arena.cand.greeter.v1_0_0.turn, 1 replica
	// Hello! You said: how many customers opted in?
}

// A build's agent loop runs the model's tool calls through the session's
// sandbox and feeds the results back, refusals included.
func ExampleTurn_CallTool() {
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
	sbx := sandbox.NewService(nc)
	if err := sbx.Start(); err != nil {
		log.Fatal(err)
	}
	defer sbx.Stop()
	session := sbx.Open("session-1")

	// What Serve hands the build's Handler for this session.
	t := candidates.NewTurn(nc, candidates.TurnRequest{
		Session: "session-1",
		Sandbox: candidates.SandboxRef{Subject: sbx.Subject(), Token: session.Token()},
	})
	ctx := context.Background()
	for _, call := range []transcript.ToolCall{
		{ID: "call_1", Type: "function", Function: transcript.FunctionCall{Name: "list_segments", Arguments: "{}"}},
		{ID: "call_2", Type: "function", Function: transcript.FunctionCall{Name: "get_customer", Arguments: `{"customer_id": "cus_0"}`}},
	} {
		msg := t.CallTool(ctx, call)
		fmt.Printf("%s %s: error=%v, JSON=%v\n", msg.ToolCallID, msg.Name, msg.Error, json.Valid([]byte(msg.Content)))
	}
	fmt.Println("recorded calls:", len(session.Calls()))
	// Output:
	// call_1 list_segments: error=false, JSON=true
	// call_2 get_customer: error=true, JSON=false
	// recorded calls: 2
}
