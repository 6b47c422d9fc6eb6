package arena

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/natsbus"
)

// Bus is the NATS connection a run uses, and the embedded server when the
// arena started its own.
type Bus struct {
	Conn   *nats.Conn
	Server *natsbus.Server // nil when connected to an outside server
	URL    string          // for display: credentials in it are redacted
}

// BusConfig says which NATS to use. With no URL an embedded server with
// JetStream is started under DataDir, listening on Port (0: any free port)
// so that outside builds can join.
type BusConfig struct {
	URL     string
	Connect natsbus.ConnectConfig
	DataDir string
	Port    int
}

// OpenBus connects to NATS, starting the embedded server if needed.
func OpenBus(cfg BusConfig) (*Bus, error) {
	if cfg.URL != "" {
		c := cfg.Connect
		c.URL = cfg.URL
		nc, err := natsbus.Connect(c)
		if err != nil {
			return nil, err
		}
		return &Bus{Conn: nc, URL: natsbus.RedactURL(cfg.URL)}, nil
	}
	store := filepath.Join(cfg.DataDir, "jetstream")
	if err := os.MkdirAll(store, 0o755); err != nil {
		return nil, fmt.Errorf("nats data folder: %w", err)
	}
	srv, err := natsbus.StartServer(natsbus.ServerConfig{JetStream: true, StoreDir: store, Port: cfg.Port})
	if err != nil {
		return nil, err
	}
	nc, err := srv.Connect(nats.Name("arena"))
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &Bus{Conn: nc, Server: srv, URL: srv.ClientURL()}, nil
}

// Close drains the connection and stops the embedded server.
func (b *Bus) Close() {
	// Drain flushes what is pending; its error on an already closed
	// connection says nothing we could act on.
	_ = b.Conn.Drain()
	b.Conn.Close()
	if b.Server != nil {
		b.Server.Close()
	}
}
