package natsbus_test

import (
	"strings"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
)

func TestStartServer_InProcessAndTCP(t *testing.T) {
	s := natstest.Server(t)
	if !strings.HasPrefix(s.ClientURL(), "nats://127.0.0.1:") {
		t.Fatalf("ClientURL = %q, want a loopback URL", s.ClientURL())
	}
	in, err := s.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	tcp := natstest.Connect(t, s)
	sub, err := tcp.SubscribeSync("hello")
	if err != nil {
		t.Fatal(err)
	}
	if err := tcp.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := in.Publish("hello", []byte("world")); err != nil {
		t.Fatal(err)
	}
	msg, err := sub.NextMsg(5 * time.Second)
	if err != nil || string(msg.Data) != "world" {
		t.Fatalf("in-process publish reached TCP subscriber: %v %v", msg, err)
	}
}

func TestStartServer_ErrJetStreamNeedsStore(t *testing.T) {
	if _, err := natsbus.StartServer(natsbus.ServerConfig{JetStream: true}); err == nil {
		t.Fatal("want an error when JetStream has no store folder")
	}
}

func TestConnect_Auth(t *testing.T) {
	s := natstest.Server(t)
	t.Run("OK", func(t *testing.T) {
		nc, err := natsbus.Connect(natsbus.ConnectConfig{URL: s.ClientURL(), Name: "test"})
		if err != nil {
			t.Fatal(err)
		}
		nc.Close()
	})
	t.Run("ErrNoURL", func(t *testing.T) {
		if _, err := natsbus.Connect(natsbus.ConnectConfig{}); err == nil {
			t.Fatal("want an error without URL")
		}
	})
	t.Run("ErrHalfTLS", func(t *testing.T) {
		_, err := natsbus.Connect(natsbus.ConnectConfig{URL: s.ClientURL(), TLSCert: "c.pem"})
		if err == nil || !strings.Contains(err.Error(), "key") {
			t.Fatalf("err = %v, want the missing key named", err)
		}
	})
}

func TestConnectConfig_Redacted(t *testing.T) {
	c := natsbus.ConnectConfig{URL: "nats://x", User: "u", Password: "hunter2", Token: "s3cret"}
	r := c.Redacted()
	if strings.Contains(r.Password+r.Token, "hunter2") || strings.Contains(r.Token, "s3cret") || r.User != "u" {
		t.Fatalf("Redacted = %+v", r)
	}
	if c.Password != "hunter2" {
		t.Fatal("Redacted changed its receiver")
	}
}

func TestSubjects(t *testing.T) {
	if got := natsbus.CandidateTurn("golden", "1.2.0-rc.1+b7"); got != "arena.cand.golden.v1_2_0-rc_1_b7.turn" {
		t.Errorf("CandidateTurn = %q", got)
	}
	if got := natsbus.SandboxCall("s1"); got != "arena.sandbox.s1.call" {
		t.Errorf("SandboxCall = %q", got)
	}
	for _, bad := range []string{"", "a.b", "a b", "*", ">"} {
		if natsbus.CheckName(bad) == nil {
			t.Errorf("CheckName(%q) accepted a name that breaks subjects", bad)
		}
	}
	if err := natsbus.CheckName("tag-hacker_2"); err != nil {
		t.Error(err)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"nats://127.0.0.1:4222":                "nats://127.0.0.1:4222",
		"nats://arena:s3cret@q.internal:4222":  "nats://REDACTED@q.internal:4222",
		"tls://t0ken@q:4222,nats://u:p@r:4222": "tls://REDACTED@q:4222,nats://REDACTED@r:4222",
		"user:p@ss@host:4222":                  "REDACTED@host:4222",
		"":                                     "",
	} {
		if got := natsbus.RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
