package candidates_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
)

// gauge counts handlers in flight and remembers the most at once.
type gauge struct {
	mu       sync.Mutex
	now, top int
}

func (g *gauge) enter() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now++
	g.top = max(g.top, g.now)
}

func (g *gauge) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now--
}

func (g *gauge) max() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.top
}

// slowBuild plays 50 ms turns and records how many ran at once.
func slowBuild(name string, limit int, g *gauge) candidates.Build {
	b := build(name, func(ctx context.Context, t *candidates.Turn) (*candidates.TurnReply, error) {
		g.enter()
		defer g.leave()
		select {
		case <-time.After(50 * time.Millisecond): // the build's work
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return echo(ctx, t)
	})
	b.MaxConcurrent = limit
	return b
}

// playAll sends n turns at once and fails the test on any error.
func playAll(t *testing.T, client *candidates.Client, subject string, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	ctx := turnCtx(t, 10*time.Second)
	for range n {
		wg.Go(func() {
			_, err := client.Turn(ctx, subject, say("hi"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestService_Concurrency(t *testing.T) {
	nc := natstest.Conn(t)
	client := candidates.NewClient(nc)
	t.Run("OverlappingTurns", func(t *testing.T) {
		var g gauge
		mustServe(t, nc, slowBuild("wide", 0, &g))
		playAll(t, client, natsbus.CandidateTurn("wide", "1.0.0"), 10)
		if g.max() < 2 {
			t.Errorf("at most %d turn in flight; one endpoint must serve sessions at once", g.max())
		}
	})
	t.Run("BoundedByMaxConcurrent", func(t *testing.T) {
		var g gauge
		mustServe(t, nc, slowBuild("narrow", 2, &g))
		playAll(t, client, natsbus.CandidateTurn("narrow", "1.0.0"), 6)
		if g.max() != 2 {
			t.Errorf("%d turns in flight at most, want MaxConcurrent 2", g.max())
		}
	})
	t.Run("ErrBusy", busy)
}

// busy fills the only slot of a build and sends one more turn.
func busy(t *testing.T) {
	nc := natstest.Conn(t)
	client := candidates.NewClient(nc)
	entered, release := make(chan struct{}), make(chan struct{})
	b := build("single", func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
		if tr.Messages[0].Content == "hold" {
			close(entered)
			<-release
		}
		return echo(ctx, tr)
	})
	b.MaxConcurrent = 1
	mustServe(t, nc, b)
	subject := natsbus.CandidateTurn("single", "1.0.0")
	held := make(chan error, 1)
	go func() {
		_, err := client.Turn(context.Background(), subject, say("hold"))
		held <- err
	}()
	<-entered
	req := say("next")
	req.TimeoutMS = 50
	_, err := client.Turn(turnCtx(t, 5*time.Second), subject, req)
	if !errors.Is(err, &candidates.BuildError{Code: candidates.CodeBusy}) {
		t.Errorf("Turn while the only slot is taken = %v; want a *BuildError with code %s", err, candidates.CodeBusy)
	}
	close(release)
	if err := <-held; err != nil {
		t.Errorf("the turn holding the slot: %v", err)
	}
	if _, err := client.Turn(turnCtx(t, 5*time.Second), subject, say("again")); err != nil {
		t.Errorf("turn once the slot is free: %v", err)
	}
}

func TestService_Stop(t *testing.T) {
	t.Run("DrainsInFlightTurns", func(t *testing.T) {
		nc := natstest.Conn(t)
		client := candidates.NewClient(nc)
		entered, release := make(chan struct{}), make(chan struct{})
		svc, err := candidates.Serve(nc, build("draining", func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
			if tr.Messages[0].Content == "slow" {
				close(entered)
				<-release
			}
			return echo(ctx, tr)
		}))
		if err != nil {
			t.Fatal(err)
		}
		subject := natsbus.CandidateTurn("draining", "1.0.0")
		turnErr := make(chan error, 1)
		go func() {
			_, err := client.Turn(turnCtx(t, 10*time.Second), subject, say("slow"))
			turnErr <- err
		}()
		<-entered
		stopped := make(chan error, 1)
		go func() { stopped <- svc.Stop() }()
		waitFor(t, 5*time.Second, "the stopping build still takes turns", func() bool {
			_, err := client.Turn(turnCtx(t, time.Second), subject, say("late"))
			return errors.Is(err, candidates.ErrBuildDown)
		})
		select {
		case err := <-stopped:
			t.Fatalf("Stop returned %v before the turn in flight was answered", err)
		default:
		}
		close(release)
		if err := <-turnErr; err != nil {
			t.Errorf("turn in flight during Stop: %v", err)
		}
		if err := <-stopped; err != nil {
			t.Errorf("Stop: %v", err)
		}
		if err := svc.Stop(); err != nil {
			t.Errorf("second Stop: %v", err)
		}
	})
	t.Run("ConnectionCloseEndsTurns", func(t *testing.T) {
		srv := natstest.Server(t)
		nc := natstest.Connect(t, srv)
		entered, ended := make(chan struct{}), make(chan error, 1)
		mustServe(t, nc, build("orphan", func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
			close(entered)
			<-ctx.Done()
			ended <- ctx.Err()
			return nil, ctx.Err()
		}))
		caller := natstest.Connect(t, srv)
		ctx := turnCtx(t, 10*time.Second)
		go func() {
			// The reply never comes: the build's connection is gone.
			_, _ = candidates.NewClient(caller).Turn(ctx, natsbus.CandidateTurn("orphan", "1.0.0"), say("hi"))
		}()
		<-entered
		nc.Close()
		select {
		case err := <-ended:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("turn ctx ended with %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("turn ctx still alive 5 s after its connection closed")
		}
	})
}
