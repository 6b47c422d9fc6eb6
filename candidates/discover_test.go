package candidates_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/transcript"
)

// replica answers with its own tag, so a test can tell replicas apart.
func replica(tag string) candidates.HandlerFunc {
	return func(context.Context, *candidates.Turn) (*candidates.TurnReply, error) {
		return &candidates.TurnReply{Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: tag}}}, nil
	}
}

func TestDiscover(t *testing.T) {
	srv := natstest.Server(t)
	arena := natstest.Connect(t, srv)

	t.Run("NoBuilds", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		got, err := candidates.Discover(ctx, arena)
		if err != nil || len(got) != 0 {
			t.Fatalf("Discover = %v, %v; want none", got, err)
		}
	})

	alpha := build("alpha", replica("alpha"))
	alpha.Metadata = map[string]string{"model": "m1"}
	mustServe(t, natstest.Connect(t, srv), alpha)
	beta := build("beta", replica("beta-1"))
	beta.Version = "2.1.0"
	mustServe(t, natstest.Connect(t, srv), beta)
	beta.Handler = replica("beta-2")
	mustServe(t, natstest.Connect(t, srv), beta)
	// A micro service that is not a build must not show up.
	other, err := micro.AddService(natstest.Connect(t, srv), micro.Config{Name: "sandbox", Version: "1.0.0"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Stop() })

	t.Run("OK", func(t *testing.T) {
		got, err := candidates.Discover(turnCtx(t, 5*time.Second), arena)
		if err != nil {
			t.Fatal(err)
		}
		kind := map[string]string{natsbus.MetaKind: natsbus.KindCandidate}
		want := []candidates.Info{
			{Name: "alpha", Version: "1.0.0", Description: "test build alpha", Replicas: 1,
				Metadata: map[string]string{natsbus.MetaKind: natsbus.KindCandidate, "model": "m1"},
				Subject:  natsbus.CandidateTurn("alpha", "1.0.0")},
			{Name: "beta", Version: "2.1.0", Description: "test build beta", Replicas: 2,
				Metadata: kind, Subject: natsbus.CandidateTurn("beta", "2.1.0")},
		}
		if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(candidates.Info{}, "ID")); diff != "" {
			t.Errorf("Discover (-want +got):\n%s", diff)
		}
		for _, info := range got {
			if info.ID == "" {
				t.Errorf("%s has no ID", info.Name)
			}
		}
	})
	t.Run("ReplicasShareTurns", func(t *testing.T) {
		client := candidates.NewClient(arena)
		seen := map[string]bool{}
		waitFor(t, 10*time.Second, "both beta replicas answer", func() bool {
			reply, err := client.Turn(turnCtx(t, 5*time.Second), natsbus.CandidateTurn("beta", "2.1.0"), say("who?"))
			if err != nil {
				t.Fatal(err)
			}
			seen[reply.Messages[0].Content] = true
			return len(seen) == 2
		})
		if diff := cmp.Diff(map[string]bool{"beta-1": true, "beta-2": true}, seen); diff != "" {
			t.Errorf("replicas that answered (-want +got):\n%s", diff)
		}
	})
	t.Run("ErrCanceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if got, err := candidates.Discover(ctx, arena); err == nil {
			t.Fatalf("Discover with a cancelled ctx = %v, nil; want an error", got)
		}
	})
}

// Two versions of one build, production beside its release candidate, are
// two builds: each keeps its own subject and queue group.
func TestServe_VersionsStayApart(t *testing.T) {
	nc := natstest.Conn(t)
	for _, v := range []string{"1.0.0", "1.1.0"} {
		b := build("twin", func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
			return &candidates.TurnReply{Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: v}}}, nil
		})
		b.Version = v
		mustServe(t, nc, b)
	}
	infos, err := candidates.Discover(turnCtx(t, 5*time.Second), nc)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 2 || infos[0].Version != "1.0.0" || infos[1].Version != "1.1.0" || infos[0].Subject == infos[1].Subject {
		t.Fatalf("Discover = %+v, want the two versions apart", infos)
	}
	client := candidates.NewClient(nc)
	for _, in := range infos {
		for range 10 {
			reply, err := client.Turn(turnCtx(t, 5*time.Second), in.Subject, say("which?"))
			if err != nil {
				t.Fatal(err)
			}
			if got := reply.Messages[0].Content; got != in.Version {
				t.Fatalf("a turn for %s@%s was answered by %s", in.Name, in.Version, got)
			}
		}
	}
}
