package candidates_test

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/transcript"
)

func TestClient_Turn(t *testing.T) {
	nc := natstest.Conn(t)
	client := candidates.NewClient(nc)
	var (
		mu   sync.Mutex
		last candidates.TurnRequest // the request the build saw last
	)
	seen := func() candidates.TurnRequest {
		mu.Lock()
		defer mu.Unlock()
		return last
	}
	mustServe(t, nc, build("probe", func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
		mu.Lock()
		last = tr.TurnRequest
		mu.Unlock()
		switch tr.Messages[0].Content {
		case "stall":
			<-ctx.Done()
			return nil, ctx.Err()
		case "sorry":
			return &candidates.TurnReply{
				Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "partial"}},
				Error:    "model refused the prompt",
			}, nil
		}
		return echo(ctx, tr)
	}))
	subject := natsbus.CandidateTurn("probe", "1.0.0")

	t.Run("OK", func(t *testing.T) {
		req := say("hello")
		req.Context = candidates.PageContext{Page: "/admin/customers", Flags: map[string]string{"beta": "on"}}
		got, err := client.Turn(context.Background(), subject, req)
		if err != nil {
			t.Fatal(err)
		}
		want := &candidates.TurnReply{
			Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "echo: hello"}},
			Usage:    candidates.Usage{PromptTokens: 5},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("reply (-want +got):\n%s", diff)
		}
		sent := seen()
		// With no ctx deadline the default applies, and the build is told.
		if d := sent.Timeout(); d <= candidates.DefaultTurnTimeout-time.Minute || d > candidates.DefaultTurnTimeout {
			t.Errorf("build saw TimeoutMS %d, want about %v", sent.TimeoutMS, candidates.DefaultTurnTimeout)
		}
		if req.TimeoutMS != 0 {
			t.Errorf("Turn changed the caller's request: TimeoutMS %d", req.TimeoutMS)
		}
		sent.TimeoutMS = 0
		if diff := cmp.Diff(*req, sent); diff != "" {
			t.Errorf("request seen by the build (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		_, err := client.Turn(ctx, subject, say("stall"))
		sent := seen()
		if !errors.Is(err, candidates.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Turn = %v; want ErrTimeout and context.DeadlineExceeded", err)
		}
		if sent.TimeoutMS <= 0 || sent.TimeoutMS > 200 {
			t.Errorf("build saw TimeoutMS %d, want the 200 ms left in the ctx", sent.TimeoutMS)
		}
	})
	t.Run("ErrTimeoutOnBuildClock", func(t *testing.T) {
		req := say("stall")
		req.TimeoutMS = 50 // the build's budget ends long before the caller's
		_, err := client.Turn(turnCtx(t, 5*time.Second), subject, req)
		if !errors.Is(err, candidates.ErrTimeout) || !errors.Is(err, &candidates.BuildError{Code: candidates.CodeTimeout}) {
			t.Fatalf("Turn = %v; want ErrTimeout and a *BuildError with code %s", err, candidates.CodeTimeout)
		}
	})
	t.Run("BuildErrorFromReplyError", func(t *testing.T) {
		reply, err := client.Turn(turnCtx(t, 5*time.Second), subject, say("sorry"))
		var be *candidates.BuildError
		if !errors.As(err, &be) {
			t.Fatalf("Turn = %v; want *BuildError", err)
		}
		if diff := cmp.Diff(&candidates.BuildError{Description: "model refused the prompt"}, be); diff != "" {
			t.Errorf("BuildError (-want +got):\n%s", diff)
		}
		if reply == nil || len(reply.Messages) != 1 || reply.Messages[0].Content != "partial" {
			t.Errorf("reply = %+v; want the build's partial messages", reply)
		}
	})
	t.Run("ErrPayloadTooLarge", payloadTooLarge)
	t.Run("ErrBuildDown", func(t *testing.T) {
		_, err := client.Turn(turnCtx(t, 5*time.Second), natsbus.CandidateTurn("nobody", "1.0.0"), say("hi"))
		if !errors.Is(err, candidates.ErrBuildDown) {
			t.Fatalf("Turn = %v; want ErrBuildDown", err)
		}
	})
}

// payloadTooLarge runs against a server with a 4 KiB max payload.
func payloadTooLarge(t *testing.T) {
	const limit = 4096
	nc := smallConn(t, limit)
	client := candidates.NewClient(nc)
	mustServe(t, nc, build("small", echo))
	subject := natsbus.CandidateTurn("small", "1.0.0")
	if _, err := client.Turn(turnCtx(t, 5*time.Second), subject, say(strings.Repeat("x", limit/2))); err != nil {
		t.Fatalf("a request under the limit: %v", err)
	}
	_, err := client.Turn(turnCtx(t, 5*time.Second), subject, say(strings.Repeat("x", limit)))
	if !errors.Is(err, candidates.ErrPayloadTooLarge) {
		t.Fatalf("Turn = %v; want ErrPayloadTooLarge", err)
	}
	m := regexp.MustCompile(`request is (\d+) bytes, the server's max payload is (\d+)`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("error %q does not give both sizes", err)
	}
	if size, _ := strconv.Atoi(m[1]); size <= limit || m[2] != strconv.Itoa(limit) {
		t.Errorf("error %q: want a size over %d and the limit %d", err, limit, limit)
	}
}
