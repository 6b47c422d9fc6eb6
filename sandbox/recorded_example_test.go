package sandbox_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/sandbox"
)

func ExampleService_OpenRecorded() {
	srv, err := natsbus.StartServer(natsbus.ServerConfig{NoListen: true})
	if err != nil {
		panic(err)
	}
	defer srv.Close()
	nc, err := srv.Connect()
	if err != nil {
		panic(err)
	}
	defer nc.Close()
	svc := sandbox.NewService(nc)
	if err := svc.Start(); err != nil {
		panic(err)
	}
	defer svc.Stop()

	session := svc.OpenRecorded("replay", sandbox.NewRecording(foreignLog()))
	c := sandbox.NewClient(nc, svc.Subject(), session.Token())
	ctx := context.Background()
	res, _ := c.Call(ctx, "c1", "get_user_details", json.RawMessage(`{ "user_id": "ann_1" }`))
	fmt.Println(string(res))
	_, err = c.Call(ctx, "c2", "get_user_details", json.RawMessage(`{"user_id":"bob_2"}`))
	fmt.Println(err.(*sandbox.ToolError).Code == sandbox.CodeNoRecording)
	// Output:
	// {"name":"Ann","balance":1}
	// true
}
