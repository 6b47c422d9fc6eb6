package candidates_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/transcript"
)

func TestServe(t *testing.T) {
	nc := natstest.Conn(t)
	valid := build("ok", echo)
	tests := []struct {
		name      string
		edit      func(*candidates.Build)
		wantField string
	}{
		{"ErrNameEmpty", func(b *candidates.Build) { b.Name = "" }, "Name"},
		{"ErrNameWithDot", func(b *candidates.Build) { b.Name = "a.b" }, "Name"},
		{"ErrVersionNotSemver", func(b *candidates.Build) { b.Version = "1.0" }, "Version"},
		{"ErrVersionEmpty", func(b *candidates.Build) { b.Version = "" }, "Version"},
		{"ErrHandlerNil", func(b *candidates.Build) { b.Handler = nil }, "Handler"},
		{"ErrMaxConcurrentNegative", func(b *candidates.Build) { b.MaxConcurrent = -1 }, "MaxConcurrent"},
		{"ErrMetadataSetsKind", func(b *candidates.Build) {
			b.Metadata = map[string]string{natsbus.MetaKind: "sandbox"}
		}, "Metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := valid
			tt.edit(&b)
			svc, err := candidates.Serve(nc, b)
			if !errors.Is(err, candidates.ErrInvalidBuild) {
				t.Fatalf("Serve = %v, %v; want ErrInvalidBuild", svc, err)
			}
			if !strings.Contains(err.Error(), tt.wantField) {
				t.Errorf("error %q does not name field %s", err, tt.wantField)
			}
		})
	}
	t.Run("ErrNoConn", func(t *testing.T) {
		if _, err := candidates.Serve(nil, valid); err == nil {
			t.Fatal("Serve(nil) succeeded")
		}
	})
	t.Run("OK", func(t *testing.T) {
		b := valid
		b.Metadata = map[string]string{"model": "gpt-x"}
		svc := mustServe(t, nc, b)
		want := candidates.Info{
			Name: "ok", Version: "1.0.0", Description: "test build ok", Replicas: 1,
			Metadata: map[string]string{"model": "gpt-x", natsbus.MetaKind: natsbus.KindCandidate},
			Subject:  natsbus.CandidateTurn("ok", "1.0.0"),
		}
		got := svc.Info()
		if got.ID == "" {
			t.Error("Info has no ID")
		}
		got.ID = ""
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Info (-want +got):\n%s", diff)
		}
		if b.Metadata[natsbus.MetaKind] != "" {
			t.Error("Serve wrote into the caller's Metadata")
		}
	})
}

func TestService_Turn(t *testing.T) {
	nc := natstest.Conn(t)
	client := candidates.NewClient(nc)
	var (
		mu    sync.Mutex
		calls int
	)
	var logs logBuffer
	faulty := build("faulty", func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		switch text := tr.Messages[len(tr.Messages)-1].Content; text {
		case "panic":
			panic("boom\nsecond line")
		case "fail":
			return nil, errors.New("model unreachable")
		case "refuse":
			return nil, fmt.Errorf("check input: %w", &candidates.BuildError{Code: "422", Description: "no store id"})
		case "nothing":
			return nil, nil
		case "huge":
			return &candidates.TurnReply{Messages: []transcript.Message{
				{Role: transcript.RoleAssistant, Content: strings.Repeat("x", int(nc.MaxPayload()))},
			}}, nil
		default:
			return echo(ctx, tr)
		}
	})
	faulty.Logger = logs.logger()
	mustServe(t, nc, faulty)
	subject := natsbus.CandidateTurn("faulty", "1.0.0")
	tests := []struct {
		text string
		want *candidates.BuildError
	}{
		{"panic", &candidates.BuildError{Code: candidates.CodeFailed, Description: "build panicked: boom second line"}},
		{"fail", &candidates.BuildError{Code: candidates.CodeFailed, Description: "model unreachable"}},
		{"refuse", &candidates.BuildError{Code: "422", Description: "no store id"}},
		{"nothing", &candidates.BuildError{Code: candidates.CodeFailed, Description: "handler returned neither a reply nor an error"}},
	}
	for _, tt := range tests {
		t.Run("BuildErrorOn_"+tt.text, func(t *testing.T) {
			reply, err := client.Turn(turnCtx(t, 5*time.Second), subject, say(tt.text))
			var got *candidates.BuildError
			if !errors.As(err, &got) {
				t.Fatalf("Turn = %+v, %v; want *BuildError", reply, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("BuildError (-want +got):\n%s", diff)
			}
			if !strings.Contains(logs.String(), "code="+tt.want.Code) {
				t.Errorf("the build's log has no line for code %s:\n%s", tt.want.Code, logs.String())
			}
			// A failed turn fails its session only: the next one is played.
			if _, err := client.Turn(turnCtx(t, 5*time.Second), subject, say("still there?")); err != nil {
				t.Errorf("turn after %s: %v", tt.text, err)
			}
		})
	}
	t.Run("PanicLoggedWithStack", func(t *testing.T) {
		for _, want := range []string{`msg="build panicked"`, "stack=", "serve_test.go"} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("the build's log lacks %s:\n%s", want, logs.String())
			}
		}
	})
	t.Run("ErrReplyTooLarge", func(t *testing.T) {
		_, err := client.Turn(turnCtx(t, 5*time.Second), subject, say("huge"))
		var got *candidates.BuildError
		if !errors.As(err, &got) || got.Code != candidates.CodeTooLarge || !errors.Is(err, candidates.ErrPayloadTooLarge) {
			t.Fatalf("Turn = %v; want ErrPayloadTooLarge and a *BuildError with code %s", err, candidates.CodeTooLarge)
		}
		if want := fmt.Sprint(nc.MaxPayload()); !strings.Contains(got.Description, want) {
			t.Errorf("description %q does not give the max payload %s", got.Description, want)
		}
	})
	t.Run("ErrBadRequest", func(t *testing.T) {
		mu.Lock()
		before := calls
		mu.Unlock()
		msg, err := nc.RequestWithContext(turnCtx(t, 5*time.Second), subject, []byte(`{"session": 7}`))
		if err != nil {
			t.Fatal(err)
		}
		if code := msg.Header.Get(micro.ErrorCodeHeader); code != candidates.CodeBadRequest {
			t.Errorf("error code = %q, want %s", code, candidates.CodeBadRequest)
		}
		if desc := msg.Header.Get(micro.ErrorHeader); !strings.Contains(desc, "session") {
			t.Errorf("description %q does not name the bad field", desc)
		}
		mu.Lock()
		defer mu.Unlock()
		if calls != before {
			t.Error("the handler ran for a request that does not decode")
		}
	})
}
