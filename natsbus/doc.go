// Package natsbus owns how Merchant Arena reaches NATS: an embedded
// nats-server with JetStream for the one-machine default, a connection to an
// existing server (credentials, nkeys, tokens, TLS) for many machines, and
// the one file that spells every subject.
//
// Only this package imports nats-server. natsbus/natstest does for NATS what
// httptest does for HTTP.
package natsbus
