package natsbus

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnectConfig says how to reach an existing NATS server. At most one
// authentication method applies, picked in the order Creds, NKeySeed,
// User/Password, Token; TLS settings add to any of them.
type ConnectConfig struct {
	URL      string
	Name     string // client name shown by the server
	Creds    string // path to a .creds file (JWT + seed)
	NKeySeed string // path to an nkey seed file
	User     string
	Password string
	Token    string
	TLSCert  string // client certificate file
	TLSKey   string // client key file
	TLSCA    string // CA file to verify the server
}

// Redacted returns the config with every secret replaced, fit for logs.
func (c ConnectConfig) Redacted() ConnectConfig {
	if c.Password != "" {
		c.Password = "REDACTED"
	}
	if c.Token != "" {
		c.Token = "REDACTED"
	}
	return c
}

// Options turns the config into nats.go options.
func (c ConnectConfig) Options() ([]nats.Option, error) {
	// A server restart is ridden out: reconnect for as long as it takes,
	// buffering what is published meanwhile; JetStream redelivers the rest.
	opts := []nats.Option{nats.MaxReconnects(-1), nats.ReconnectWait(250 * time.Millisecond)}
	if c.Name != "" {
		opts = append(opts, nats.Name(c.Name))
	}
	switch {
	case c.Creds != "":
		opts = append(opts, nats.UserCredentials(c.Creds))
	case c.NKeySeed != "":
		o, err := nats.NkeyOptionFromSeed(c.NKeySeed)
		if err != nil {
			return nil, fmt.Errorf("nkey seed %s: %w", c.NKeySeed, err)
		}
		opts = append(opts, o)
	case c.User != "":
		opts = append(opts, nats.UserInfo(c.User, c.Password))
	case c.Token != "":
		opts = append(opts, nats.Token(c.Token))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, errors.New("tls: give both a client certificate and its key")
	}
	if c.TLSCert != "" {
		opts = append(opts, nats.ClientCert(c.TLSCert, c.TLSKey))
	}
	if c.TLSCA != "" {
		opts = append(opts, nats.RootCAs(c.TLSCA))
	}
	return opts, nil
}

// RedactURL returns a server URL (or a comma-separated list of them) fit
// for logs and stored settings: any user, password or token in it is
// replaced by "REDACTED".
func RedactURL(u string) string {
	parts := strings.Split(u, ",")
	for i, p := range parts {
		scheme, rest, ok := strings.Cut(p, "://")
		if !ok {
			scheme, rest = "", p
		}
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			rest = "REDACTED" + rest[at:]
		}
		if ok {
			rest = scheme + "://" + rest
		}
		parts[i] = rest
	}
	return strings.Join(parts, ",")
}

// Connect dials the server in c.URL.
func Connect(c ConnectConfig) (*nats.Conn, error) {
	if c.URL == "" {
		return nil, errors.New("connect nats: no URL")
	}
	opts, err := c.Options()
	if err != nil {
		return nil, fmt.Errorf("connect nats: %w", err)
	}
	nc, err := nats.Connect(c.URL, opts...)
	if err != nil {
		// nats.go errors carry no credentials; the URL may, so it is redacted.
		return nil, fmt.Errorf("connect nats %s: %w", RedactURL(c.URL), err)
	}
	return nc, nil
}
