package natsbus

import (
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// ServerConfig configures an embedded server. The zero value listens on a
// random loopback port with JetStream off.
type ServerConfig struct {
	// Host to listen on; "127.0.0.1" when empty.
	Host string
	// Port to listen on; 0 picks a free port.
	Port int
	// NoListen keeps the server in-process only (no TCP port).
	NoListen bool
	// JetStream turns on JetStream, storing under StoreDir.
	JetStream bool
	// StoreDir is required with JetStream: an empty one would share the OS
	// temp folder with every other embedded server.
	StoreDir string
	// MaxPayload overrides the server's 1 MiB default when positive.
	MaxPayload int32
	// Users, when set, are the only ones who may connect.
	Users []User
}

// Server is an embedded nats-server.
type Server struct {
	ns *server.Server
}

// StartServer starts an embedded server and waits until it accepts
// connections.
func StartServer(cfg ServerConfig) (*Server, error) {
	if cfg.JetStream && cfg.StoreDir == "" {
		return nil, errors.New("start nats: jetstream needs a store folder")
	}
	opts := &server.Options{
		Host:       cfg.Host,
		Port:       cfg.Port,
		DontListen: cfg.NoListen,
		JetStream:  cfg.JetStream,
		StoreDir:   cfg.StoreDir,
		NoLog:      true,
		NoSigs:     true,
		MaxPayload: cfg.MaxPayload,
	}
	if len(cfg.Users) > 0 {
		opts.Users = serverUsers(cfg.Users)
	}
	if opts.Host == "" {
		opts.Host = "127.0.0.1"
	}
	if opts.Port == 0 {
		opts.Port = server.RANDOM_PORT
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("start nats: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, errors.New("start nats: server not ready after 10s")
	}
	return &Server{ns: ns}, nil
}

// ClientURL is the URL other processes connect to. It is meaningless when
// the server does not listen.
func (s *Server) ClientURL() string { return s.ns.ClientURL() }

// Connect opens an in-process connection, which needs no TCP port.
func (s *Server) Connect(opts ...nats.Option) (*nats.Conn, error) {
	opts = append([]nats.Option{nats.InProcessServer(s.ns)}, opts...)
	nc, err := nats.Connect("", opts...)
	if err != nil {
		return nil, fmt.Errorf("connect in-process nats: %w", err)
	}
	return nc, nil
}

// Close shuts the server down and waits until it has stopped.
func (s *Server) Close() {
	s.ns.Shutdown()
	s.ns.WaitForShutdown()
}
