package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
)

// Worker plays jobs from the jobs stream: it pulls them (shared durable
// consumer, explicit ack), heartbeats while a session runs so a long
// session is not redelivered, publishes each verdict to the results
// stream, and acks the job only once the verdict is stored in the stream.
// A job whose build is absent (no responders) is retried with backoff up
// to the stream's MaxDeliver; a session cut short by shutdown is released
// (nak) and played again later. Any number of workers may share a stream.
type Worker struct {
	Streams *natsbus.Streams
	// Runner returns the runner for a job's run (cached by the caller or
	// built fresh); see RunnerFromJob.
	Runner func(*JobMessage) (*Runner, error)
	// Calls returns, and forgets, the LLM calls made for a session
	// (merchant, judges); nil when the runner makes none.
	Calls       func(session string) []llm.Call
	Concurrency int
	// Run, when set, limits the worker to that run's jobs (a planner
	// playing its own run on a shared server); empty: every run's.
	OnlyRun string
	Logger  *slog.Logger
	// Played, when set, is told about each session the worker finished
	// (recorded or failed), from one goroutine at a time.
	Played func(o *Outcome)
	// Budget, when set, is told that a session found the run's budget
	// spent (the session was released); the caller stops the worker.
	Budget func(error)
}

// Run works until ctx ends. In-flight sessions are then released, to be
// played again; Run returns once they are.
func (w *Worker) Run(ctx context.Context) error {
	if w.Logger == nil {
		w.Logger = slog.Default()
	}
	conc := max(w.Concurrency, 1)
	cons, err := w.Streams.Workers(ctx, w.OnlyRun)
	if err != nil {
		return err
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(2 * conc))
	if err != nil {
		return fmt.Errorf("worker: %w", err)
	}
	// On shutdown, stop pulling but take what was already pulled, so those
	// jobs can be released at once instead of after the ack wait.
	stop := context.AfterFunc(ctx, it.Drain)
	defer stop()
	// A job is held from its arrival to its ack; of the held ones, conc
	// play at once. The others are being checked or settled: those round
	// trips to the server do not take a playing slot.
	held, playing := make(chan struct{}, 2*conc), make(chan struct{}, conc)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for {
		msg, err := it.Next()
		if err != nil {
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) || ctx.Err() != nil {
				break
			}
			w.Logger.Warn("worker: next job", "err", err)
			continue
		}
		select {
		case held <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			_ = msg.Nak() // not started: back to the queue
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-held }()
			o := w.handle(ctx, msg, playing)
			if o != nil && w.Played != nil {
				mu.Lock()
				w.Played(o)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return nil
}

// handle plays one job message, taking a slot of playing for the play
// only, and settles it; it returns the outcome when the session ended
// (recorded or failed for good), nil otherwise.
func (w *Worker) handle(ctx context.Context, msg jetstream.Msg, playing chan struct{}) *Outcome {
	stopBeat := w.heartbeat(msg)
	defer stopBeat()
	var m JobMessage
	if err := json.Unmarshal(msg.Data(), &m); err != nil {
		w.Logger.Error("worker: unreadable job dropped", "subject", msg.Subject(), "err", err)
		_ = msg.TermWithReason("unreadable job: " + err.Error())
		return nil
	}
	key := m.key().String()
	if done, err := w.Streams.IsDone(ctx, m.Run, key); err == nil && done {
		_ = msg.Ack() // recorded already, by an earlier delivery
		return nil
	}
	r, err := w.Runner(&m)
	if err != nil {
		w.Logger.Error("worker: cannot play job", "session", key, "err", err)
		_ = msg.TermWithReason(err.Error())
		return nil
	}
	select {
	case playing <- struct{}{}:
	case <-ctx.Done():
		_ = msg.Nak() // not started: back to the queue
		return nil
	}
	o := r.play(ctx, m.job())
	<-playing
	var calls []llm.Call
	if w.Calls != nil {
		calls = w.Calls(key)
	}
	if o.Cancelled {
		w.keepSpend(m.Run, calls)
		_ = msg.Nak() // released: played again on resume or by another worker
		if o.budget != nil && w.Budget != nil {
			w.Budget(o.budget)
		}
		return nil
	}
	if delay, retry := w.retry(msg, &o); retry {
		w.Logger.Warn("worker: build absent; the session will be tried again", "session", key, "in", delay)
		w.keepSpend(m.Run, calls)
		_ = msg.NakWithDelay(delay)
		return nil
	}
	// A finished session is stored even when shutdown began meanwhile.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := w.publish(sctx, &o, calls); err != nil {
		w.Logger.Error("worker: verdict not stored; the session will be played again", "session", key, "err", err)
		w.keepSpend(m.Run, calls)
		_ = msg.Nak()
		return nil
	}
	// A plain ack: if it is lost, the redelivered job finds the session
	// done (or plays it again, and the recorder keeps the first verdict);
	// waiting for the server's confirmation would cost every session a
	// round trip.
	if err := msg.Ack(); err != nil {
		w.Logger.Warn("worker: ack", "session", key, "err", err)
	}
	return &o
}

// heartbeat tells the server the job is still being worked on, more often
// than its ack wait, until the returned stop is called.
func (w *Worker) heartbeat(msg jetstream.Msg) (stop func()) {
	every := w.Streams.Config.AckWait / 3
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				_ = msg.InProgress() // a missed beat only risks a redelivery
			}
		}
	}()
	return func() { close(done) }
}

// retry says whether an absent build's session should be tried again,
// and after how long: 2, 4, 8… times RetryBase while deliveries remain.
func (w *Worker) retry(msg jetstream.Msg, o *Outcome) (time.Duration, bool) {
	if !o.absent {
		return 0, false
	}
	meta, err := msg.Metadata()
	if err != nil || int(meta.NumDelivered) >= w.Streams.Config.MaxDeliver {
		return 0, false
	}
	return time.Duration(1<<meta.NumDelivered) * w.Streams.Config.RetryBase, true
}

// publish stores a verdict, with the LLM calls made for it, in the
// results stream, deduplicated by its session key.
func (w *Worker) publish(ctx context.Context, o *Outcome, calls []llm.Call) error {
	s := SessionRecord(o)
	s.LLMCalls = calls
	data, err := json.Marshal(SessionMessage{Session: s})
	if err != nil {
		return fmt.Errorf("encode verdict: %w", err)
	}
	_, err = w.Streams.JS.Publish(ctx, natsbus.ResultSubject(s.Key.Run, natsbus.ResultSession), data,
		jetstream.WithMsgID(s.Key.String()))
	return err
}

// keepSpend records the LLM calls of a session that will be played again
// as calls of its run: the tokens were spent, and the next attempt's
// verdict carries only its own.
func (w *Worker) keepSpend(run string, calls []llm.Call) {
	if len(calls) == 0 {
		return
	}
	if err := publishCalls(w.Streams, run, calls); err != nil {
		w.Logger.Warn("worker: spend of a released session not recorded", "run", run, "calls", len(calls), "err", err)
	}
}
