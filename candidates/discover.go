package candidates

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/merchantarena/merchantarena/natsbus"
)

// Discovery timing, natscli's rule: wait this long for the first reply when
// ctx has no deadline, then stop once no reply came for discoverQuiet.
const (
	discoverFirst = 2 * time.Second
	discoverQuiet = 300 * time.Millisecond
)

// Info describes one build as its replicas announce it.
type Info struct {
	Name        string
	Version     string
	Description string
	// ID is one replica's micro service ID (the smallest, so it is stable
	// across calls while the replicas run).
	ID string
	// Replicas counts the services announcing this name and version.
	Replicas int
	Metadata map[string]string
	// Subject is where the build takes turns, from its endpoint info.
	Subject string
}

// Discover asks every micro service on nc's server to describe itself and
// returns the candidate builds (metadata arena.kind=candidate), one Info per
// name and version, sorted by name, then version. It waits for the first
// reply until ctx's deadline (2 s when ctx has none), then stops 300 ms
// after the last reply. Finding no build is not an error; a cancelled ctx
// is.
func Discover(ctx context.Context, nc *nats.Conn) ([]Info, error) {
	subject, err := micro.ControlSubject(micro.InfoVerb, "", "")
	if err != nil {
		return nil, fmt.Errorf("discover builds: %w", err)
	}
	inbox := nc.NewRespInbox()
	sub, err := nc.SubscribeSync(inbox)
	if err != nil {
		return nil, fmt.Errorf("discover builds: subscribe: %w", err)
	}
	// The inbox is ours alone; an unsubscribe error only leaves it to die
	// with the connection.
	defer func() { _ = sub.Unsubscribe() }()
	if err := nc.PublishRequest(subject, inbox, nil); err != nil {
		return nil, fmt.Errorf("discover builds: publish: %w", err)
	}
	infos, err := collectInfos(ctx, sub)
	if err != nil {
		return nil, fmt.Errorf("discover builds: %w", err)
	}
	return mergeReplicas(infos), nil
}

// collectInfos reads INFO replies until the stop rule ends the wait.
func collectInfos(ctx context.Context, sub *nats.Subscription) ([]micro.Info, error) {
	wait := discoverFirst
	if deadline, ok := ctx.Deadline(); ok {
		wait = time.Until(deadline)
	}
	var infos []micro.Info
	for {
		msg, err := nextMsg(ctx, sub, wait)
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		if err != nil {
			return infos, nil // the wait or ctx's deadline is over
		}
		wait = discoverQuiet
		var info micro.Info
		// A service that answers with something else is not a build; it
		// must not hide the others.
		if json.Unmarshal(msg.Data, &info) == nil && info.Type == micro.InfoResponseType &&
			info.Metadata[natsbus.MetaKind] == natsbus.KindCandidate {
			infos = append(infos, info)
		}
	}
}

func nextMsg(ctx context.Context, sub *nats.Subscription, wait time.Duration) (*nats.Msg, error) {
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	return sub.NextMsgWithContext(ctx)
}

// mergeReplicas folds the replicas of one build into one Info.
func mergeReplicas(infos []micro.Info) []Info {
	type key struct{ name, version string }
	byBuild := map[key]*Info{}
	for _, mi := range infos {
		k := key{mi.Name, mi.Version}
		if got, ok := byBuild[k]; ok {
			got.Replicas++
			if mi.ID < got.ID {
				got.ID = mi.ID
			}
			continue
		}
		info := infoFrom(mi)
		byBuild[k] = &info
	}
	out := make([]Info, 0, len(byBuild))
	for _, info := range byBuild {
		out = append(out, *info)
	}
	slices.SortFunc(out, func(a, b Info) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version))
	})
	return out
}

// infoFrom describes one replica.
func infoFrom(mi micro.Info) Info {
	info := Info{
		Name:        mi.Name,
		Version:     mi.Version,
		Description: mi.Description,
		ID:          mi.ID,
		Replicas:    1,
		Metadata:    maps.Clone(mi.Metadata),
	}
	for _, ep := range mi.Endpoints {
		if ep.Name == natsbus.TurnEndpoint {
			info.Subject = ep.Subject
		}
	}
	return info
}
