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
	"github.com/merchantarena/merchantarena/llm"
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

// Judge scores one session; judges.Pipeline is the arena's.
type Judge interface {
	Judge(ctx context.Context, ev *judges.Evidence) (judges.Verdict, error)
}

// MerchantInfo says who played the merchant of a session, for the record
// and for pairing sessions only when the same merchant played them.
type MerchantInfo struct {
	Model       string
	Prompt      string
	Temperature *float64
	Simulated   bool
}

// Runner plays the sessions of a plan. Build it with NewRunner, adjust the
// exported fields, then call Run.
type Runner struct {
	Client  *candidates.Client
	Sandbox *sandbox.Service
	Judge   Judge
	// Merchant returns the simulator that plays a job's card, and says who
	// it is.
	Merchant func(Job) (simulator.Merchant, MerchantInfo)
	// Fixture returns the store every session starts from.
	Fixture func() *sandbox.Store
	// Sink receives every finished session; the run stops on its error.
	Sink func(ctx context.Context, o Outcome) error
	// Progress, when set, is called after each session (from one goroutine
	// at a time).
	Progress func(done, total int, o *Outcome)
	// Budget, when set, is asked before every session and turn; an error
	// (wrapping llm.ErrBudget) stops the run cleanly.
	Budget func() error
	// Recording, when set, returns the log a job replays: its session is
	// opened with Sandbox.OpenRecorded, so tools the sandbox lacks answer
	// from the log. Nil, or a nil recording, opens a native session.
	Recording func(Job) *sandbox.Recording

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
		Client: client, Sandbox: box, Judge: &judges.Pipeline{Procedural: judges.NewProcedural()},
		Fixture:     sandbox.Fixture,
		Concurrency: DefaultConcurrency, TurnTimeout: DefaultTurnTimeout,
		MaxTurns: simulator.DefaultMaxTurns, Logger: slog.Default(), Now: time.Now,
	}
	r.Merchant = func(j Job) (simulator.Merchant, MerchantInfo) {
		return &simulator.Verbatim{Card: j.Card, MaxTurns: r.MaxTurns}, MerchantInfo{Model: "verbatim"}
	}
	return r
}

func (r *Runner) now() time.Time { return r.Now() }

// Summary counts what a run did.
type Summary struct {
	Planned         int
	Skipped         int // already done before a resume
	Played          int
	OK              int
	Errors          int
	Timeouts        int
	SimulatorFaults int
	Cancelled       int
	// Stopped says why the run ended early, if it did on purpose (a
	// spent budget).
	Stopped string
}

// Run plays jobs with bounded concurrency, skipping those whose key is in
// done. A failing build fails its session, never the run; a sink error,
// cancellation or a spent budget stops it early, keeping what is done.
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
	runCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	g, gctx := errgroup.WithContext(runCtx)
	g.SetLimit(max(r.Concurrency, 1))
	var mu sync.Mutex
	for _, j := range todo {
		if context.Cause(runCtx) != nil {
			mu.Lock()
			sum.Cancelled++
			mu.Unlock()
			continue
		}
		g.Go(func() error {
			o := r.play(gctx, j)
			if o.budget != nil {
				stop(o.budget)
			}
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
	if cause := context.Cause(runCtx); errors.Is(cause, llm.ErrBudget) {
		sum.Stopped = cause.Error()
		r.Logger.Warn("budget spent; the run stops here, keeping what is done", "err", cause, "not_played", sum.Cancelled)
		return sum, nil
	}
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
	if fault, _ := o.simulatorFault(); fault {
		s.SimulatorFaults++
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
