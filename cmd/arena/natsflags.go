package main

import (
	"github.com/merchantarena/merchantarena/natsbus"
)

// natsFlags are the flags every command that reaches NATS shares. Each has
// an environment variable (NATS_URL, NATS_CREDS, NATS_NKEY, NATS_USER,
// NATS_PASSWORD, NATS_TOKEN, NATS_TLS_CERT, NATS_TLS_KEY, NATS_TLS_CA) used
// when the flag is not given, so secrets stay out of shell history; they
// are never logged or stored.
type natsFlags struct {
	url, creds, nkey, user, password, token, cert, key, ca string
}

func addNATSFlags(fs *flagSet) *natsFlags {
	n := &natsFlags{}
	fs.StringVar(&n.url, "nats", "", "NATS server URL, or $NATS_URL (default: start an in-process server)")
	fs.StringVar(&n.creds, "nats-creds", "", "NATS credentials file (JWT + seed)")
	fs.StringVar(&n.nkey, "nats-nkey", "", "NATS nkey seed file")
	fs.StringVar(&n.user, "nats-user", "", "NATS user (password from --nats-password or $NATS_PASSWORD)")
	fs.StringVar(&n.password, "nats-password", "", "NATS password (prefer $NATS_PASSWORD)")
	fs.StringVar(&n.token, "nats-token", "", "NATS token (prefer $NATS_TOKEN)")
	fs.StringVar(&n.cert, "tls-cert", "", "client TLS certificate file")
	fs.StringVar(&n.key, "tls-key", "", "client TLS key file")
	fs.StringVar(&n.ca, "tls-ca", "", "CA file to verify the NATS server")
	return n
}

// config builds the connect config, taking secrets from the environment
// when the flags leave them empty.
func (n *natsFlags) config(getenv func(string) string) (natsbus.ConnectConfig, error) {
	for _, f := range []struct {
		v   *string
		env string
	}{
		{&n.url, "NATS_URL"}, {&n.creds, "NATS_CREDS"}, {&n.nkey, "NATS_NKEY"}, {&n.user, "NATS_USER"},
		{&n.password, "NATS_PASSWORD"}, {&n.token, "NATS_TOKEN"}, {&n.cert, "NATS_TLS_CERT"},
		{&n.key, "NATS_TLS_KEY"}, {&n.ca, "NATS_TLS_CA"},
	} {
		if *f.v == "" {
			*f.v = getenv(f.env)
		}
	}
	c := natsbus.ConnectConfig{
		Name: "arena", Creds: n.creds, NKeySeed: n.nkey, User: n.user, Password: n.password,
		Token: n.token, TLSCert: n.cert, TLSKey: n.key, TLSCA: n.ca,
	}
	if n.url == "" && (c.Creds != "" || c.NKeySeed != "" || c.User != "" || c.Token != "" || c.TLSCert != "") {
		return c, usageErrorf("NATS credentials given without --nats URL").try("add --nats nats://host:4222, or drop the credentials to use the in-process server")
	}
	return c, nil
}
