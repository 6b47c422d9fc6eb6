package arena

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/simulator"
)

// Defaults for a Runner.
const (
	// DefaultConcurrency: sessions mostly wait on builds, so many run at
	// once even on two cores.
	DefaultConcurrency = 32
	DefaultTurnTimeout = 5 * time.Second
)

// Runner plays the sessions of a plan. Build it with NewRunner, adjust the
// exported fields, then call Run.
type Runner struct {
	Client  *candidates.Client
	Sandbox *sandbox.Service
	Judge   *judges.Procedural
	// Merchant returns the simulator that plays a card.
	Merchant func(*personas.Card) simulator.Merchant
	// Fixture returns the store every session starts from.
	Fixture func() *sandbox.Store
	// Sink receives every finished session; the run stops on its error.
	Sink func(ctx context.Context, o Outcome) error
	// Progress, when set, is called after each session (from one goroutine
	// at a time).
	Progress func(done, total int, o *Outcome)

	Concurrency int
	TurnTimeout time.Duration
	MaxTurns    int
	Logger      *slog.Logger
	Now         func() time.Time

	initialOnce  sync.Once
	initialStore *sandbox.Store
}

// initial is the store every session starts from, built once and shared
// read-only: the judges cache what each card's logged actions do to it.
func (r *Runner) initial() *sandbox.Store {
	r.initialOnce.Do(func() { r.initialStore = r.Fixture() })
	return r.initialStore
}

// NewRunner returns a runner with defaults: verbatim merchants, the
// sandbox's fixture, stage-1 judges, DefaultConcurrency sessions at once and
// DefaultTurnTimeout per turn.
func NewRunner(client *candidates.Client, box *sandbox.Service) *Runner {
	r := &Runner{
		Client: client, Sandbox: box, Judge: judges.NewProcedural(),
		Fixture:     sandbox.Fixture,
		Concurrency: DefaultConcurrency, TurnTimeout: DefaultTurnTimeout,
		MaxTurns: simulator.DefaultMaxTurns, Logger: slog.Default(), Now: time.Now,
	}
	r.Merchant = func(c *personas.Card) simulator.Merchant {
		return &simulator.Verbatim{Card: c, MaxTurns: r.MaxTurns}
	}
	return r
}

func (r *Runner) now() time.Time { return r.Now() }

// Summary counts what a run did.
type Summary struct {
	Planned   int
	Skipped   int // already done before a resume
	Played    int
	OK        int
	Errors    int
	Timeouts  int
	Cancelled int
}

// Run plays jobs with bounded concurrency, skipping those whose key is in
// done. A failing build fails its session, never the run; only a sink error
// or cancellation stops it early.
func (r *Runner) Run(ctx context.Context, jobs []Job, done map[results.SessionKey]bool) (Summary, error) {
	sum := Summary{Planned: len(jobs)}
	var todo []Job
	for _, j := range jobs {
		if done[j.Key()] {
			sum.Skipped++
			continue
		}
		todo = append(todo, j)
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(r.Concurrency, 1))
	var mu sync.Mutex
	for _, j := range todo {
		g.Go(func() error {
			o := r.play(gctx, j)
			mu.Lock()
			defer mu.Unlock()
			sum.count(&o)
			if o.Cancelled {
				return nil
			}
			if err := r.Sink(gctx, o); err != nil {
				return fmt.Errorf("record %s: %w", j.Key(), err)
			}
			if r.Progress != nil {
				r.Progress(sum.Played+sum.Skipped, sum.Planned, &o)
			}
			return nil
		})
	}
	err := g.Wait()
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if errors.Is(err, context.Canceled) && sum.Cancelled > 0 {
		r.Logger.Warn("run interrupted; resume it to play the rest", "cancelled", sum.Cancelled)
	}
	return sum, err
}

func (s *Summary) count(o *Outcome) {
	if o.Cancelled {
		s.Cancelled++
		return
	}
	s.Played++
	switch o.Status {
	case judges.StatusOK:
		s.OK++
	case judges.StatusTimeout:
		s.Timeouts++
	default:
		s.Errors++
	}
}
