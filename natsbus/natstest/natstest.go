// Package natstest starts in-process NATS servers for tests, the way
// httptest starts HTTP servers: random port, JetStream in a temporary folder,
// shut down by t.Cleanup.
package natstest

import (
	"testing"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/natsbus"
)

// Server starts an embedded server with JetStream on a random loopback port.
func Server(tb testing.TB) *natsbus.Server {
	tb.Helper()
	s, err := natsbus.StartServer(natsbus.ServerConfig{JetStream: true, StoreDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Conn starts a server and returns a connection to it over TCP, closed by
// t.Cleanup.
func Conn(tb testing.TB) *nats.Conn {
	tb.Helper()
	return Connect(tb, Server(tb))
}

// Connect returns a new TCP connection to s, closed by t.Cleanup.
func Connect(tb testing.TB, s *natsbus.Server) *nats.Conn {
	tb.Helper()
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	return nc
}
