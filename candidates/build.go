package candidates

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"regexp"

	"github.com/merchantarena/merchantarena/natsbus"
)

// DefaultMaxConcurrent is how many turns one replica plays at once when
// Build.MaxConcurrent is zero.
const DefaultMaxConcurrent = 16

// semverRE is the expression semver.org suggests, the one micro checks.
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?` +
	`(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// Handler plays one assistant turn. It gets the request and the session's
// tools in t and returns the messages it added. It runs concurrently with
// other turns of other sessions, and ctx ends at the turn's deadline. An
// error fails the turn with CodeFailed, or with the code of a *BuildError;
// a reply with Error set fails it too but keeps the reply's messages.
type Handler interface {
	Turn(ctx context.Context, t *Turn) (*TurnReply, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, t *Turn) (*TurnReply, error)

// Turn calls f(ctx, t).
func (f HandlerFunc) Turn(ctx context.Context, t *Turn) (*TurnReply, error) { return f(ctx, t) }

// Build describes a build under test for Serve.
type Build struct {
	// Name is the build's name: letters, digits, '-' and '_'. Replicas of a
	// build share it.
	Name string
	// Version is the build's semantic version, such as "1.4.0".
	Version string
	// Description is shown by discovery and `nats micro ls`.
	Description string
	// Metadata is published with the service. arena.kind is set by Serve
	// and may not be given.
	Metadata map[string]string
	// Handler plays the turns. Required.
	Handler Handler
	// MaxConcurrent bounds the turns this replica plays at once;
	// DefaultMaxConcurrent when zero.
	MaxConcurrent int
	// Logger gets failed and panicked turns; slog.Default() when nil.
	Logger *slog.Logger
}

// validate checks b and returns a copy with defaults filled in.
func (b Build) validate() (Build, error) {
	if err := natsbus.CheckName(b.Name); err != nil {
		return b, fmt.Errorf("%w: Name: %w", ErrInvalidBuild, err)
	}
	if !semverRE.MatchString(b.Version) {
		return b, fmt.Errorf("%w: Version %q: want a semantic version such as 1.0.0", ErrInvalidBuild, b.Version)
	}
	if b.Handler == nil {
		return b, fmt.Errorf("%w: Handler: not set", ErrInvalidBuild)
	}
	if b.MaxConcurrent < 0 {
		return b, fmt.Errorf("%w: MaxConcurrent %d: want 0 (default %d) or more", ErrInvalidBuild, b.MaxConcurrent, DefaultMaxConcurrent)
	}
	if _, ok := b.Metadata[natsbus.MetaKind]; ok {
		return b, fmt.Errorf("%w: Metadata: key %q is set by Serve", ErrInvalidBuild, natsbus.MetaKind)
	}
	if b.MaxConcurrent == 0 {
		b.MaxConcurrent = DefaultMaxConcurrent
	}
	if b.Logger == nil {
		b.Logger = slog.Default()
	}
	// Copy so that the caller changing its map later cannot change what
	// the service announces.
	b.Metadata = maps.Clone(b.Metadata)
	if b.Metadata == nil {
		b.Metadata = map[string]string{}
	}
	b.Metadata[natsbus.MetaKind] = natsbus.KindCandidate
	return b, nil
}
