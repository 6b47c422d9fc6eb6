package candidates_test

import (
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
)

// TestBuildPermissions runs the README's permission layout on a server
// with users: a build holding only its own credentials serves its turns
// and calls the sandbox, and cannot subscribe to another build's subject,
// the job stream or others' replies, nor publish to another build.
func TestBuildPermissions(t *testing.T) {
	golden, hacker := natsbus.BuildPermissions("golden", "1.0.0"), natsbus.BuildPermissions("tag-hacker", "1.0.0")
	srv, err := natsbus.StartServer(natsbus.ServerConfig{Users: []natsbus.User{
		{Name: "arena", Password: "arena-pw"},
		{Name: "golden", Password: "golden-pw", Permissions: &golden},
		{Name: "tag-hacker", Password: "hacker-pw", Permissions: &hacker},
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	arena := connectAs(t, srv, "arena", "arena-pw", nil)
	violations := make(chan error, 16)
	goldenNC := connectAs(t, srv, "golden", "golden-pw", violations,
		nats.CustomInboxPrefix(natsbus.BuildInbox("golden", "1.0.0")))

	mustServe(t, goldenNC, build("golden", echo))
	// The arena stands in for the sandbox: the build may call it.
	sbx, err := arena.Subscribe(natsbus.SandboxCall("sbx-1"), func(m *nats.Msg) { _ = m.Respond([]byte(`{"ok":true}`)) })
	if err != nil {
		t.Fatal(err)
	}
	defer sbx.Unsubscribe()
	if err := arena.Flush(); err != nil {
		t.Fatal(err)
	}

	t.Run("ServesItsOwnTurns", func(t *testing.T) {
		reply, err := candidates.NewClient(arena).Turn(t.Context(), natsbus.CandidateTurn("golden", "1.0.0"), say("hello"))
		if err != nil || len(reply.Messages) != 1 || reply.Messages[0].Content != "echo: hello" {
			t.Fatalf("turn = %+v, %v; want the echo", reply, err)
		}
	})
	t.Run("CallsTheSandbox", func(t *testing.T) {
		m, err := goldenNC.Request(natsbus.SandboxCall("sbx-1"), []byte(`{}`), 2*time.Second)
		if err != nil || string(m.Data) != `{"ok":true}` {
			t.Fatalf("sandbox call = %v, %v", m, err)
		}
	})
	for _, subject := range []string{
		natsbus.CandidateTurn("tag-hacker", "1.0.0"), "arena.cand.>", natsbus.JobSubject("r1"), "arena.jobs.>",
		"arena.results.>", "$JS.API.>", "_INBOX.>", natsbus.BuildInbox("tag-hacker", "1.0.0") + ".>",
	} {
		t.Run("CannotSubscribe/"+subject, func(t *testing.T) {
			got := make(chan *nats.Msg, 1)
			sub, err := goldenNC.ChanSubscribe(subject, got)
			if err == nil {
				defer sub.Unsubscribe()
			}
			wantViolation(t, goldenNC, violations, "subscription", subject)
			probe := strings.NewReplacer(">", "x", "*", "x").Replace(subject)
			if err := arena.Publish(probe, []byte("secret")); err != nil {
				t.Fatal(err)
			}
			_ = arena.Flush()
			select {
			case m := <-got:
				t.Fatalf("the golden build read %s: %q", m.Subject, m.Data)
			case <-time.After(100 * time.Millisecond):
			}
		})
	}
	t.Run("CannotPublishToAnotherBuild", func(t *testing.T) {
		if err := goldenNC.Publish(natsbus.CandidateTurn("tag-hacker", "1.0.0"), []byte("{}")); err != nil {
			t.Fatal(err)
		}
		wantViolation(t, goldenNC, violations, "publish", natsbus.CandidateTurn("tag-hacker", "1.0.0"))
	})
}

// connectAs connects over TCP as user; asynchronous errors (permission
// violations) go to errs.
func connectAs(t *testing.T, srv *natsbus.Server, user, password string, errs chan error, opts ...nats.Option) *nats.Conn {
	t.Helper()
	opts = append(opts, nats.UserInfo(user, password), nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		if errs != nil {
			errs <- err
		}
	}))
	nc, err := nats.Connect(srv.ClientURL(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// wantViolation waits for the server to refuse kind ("subscription" or
// "publish") on subject.
func wantViolation(t *testing.T, nc *nats.Conn, errs chan error, kind, subject string) {
	t.Helper()
	_ = nc.Flush()
	deadline := time.After(2 * time.Second)
	for {
		select {
		case err := <-errs:
			msg := strings.ToLower(err.Error())
			if strings.Contains(msg, "permissions violation for "+kind) && strings.Contains(err.Error(), subject) {
				return
			}
		case <-deadline:
			t.Fatalf("no permissions violation for %s to %q", kind, subject)
		}
	}
}
