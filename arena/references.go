package arena

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/transcript"
)

// ServeReferences serves the named reference builds (all of them when names
// is nil, none when it is empty) over the logs in convs; logger gets what the builds log (nil:
// slog.Default()). The caller stops the services.
func ServeReferences(nc *nats.Conn, convs []transcript.Conversation, names []string, logger *slog.Logger) ([]*candidates.Service, error) {
	lib := mutants.NewLibrary(convs)
	if names == nil {
		names = mutants.Names()
	}
	var svcs []*candidates.Service
	for _, n := range names {
		b, err := mutants.Build(n, lib)
		b.Logger = logger
		if err == nil {
			var s *candidates.Service
			s, err = candidates.Serve(nc, b)
			svcs = append(svcs, s)
		}
		if err != nil {
			return nil, errors.Join(fmt.Errorf("serve reference build %s: %w", n, err), StopAll(svcs))
		}
	}
	return svcs, nil
}

// StopAll stops services, joining their errors.
func StopAll(svcs []*candidates.Service) error {
	var errs []error
	for _, s := range svcs {
		if s != nil {
			errs = append(errs, s.Stop())
		}
	}
	return errors.Join(errs...)
}
