package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/results"
)

// Recorder is the one writer: it consumes the results stream (plans,
// verdicts, LLM calls, run ends), commits them to the results file in
// batches, marks committed sessions in the Done bucket, and acks only
// after the commit. A verdict redelivered after a crash is written once,
// its LLM calls with it: the file keeps the first (WriteSessions ignores a
// key it holds).
type Recorder struct {
	Streams *natsbus.Streams
	DB      *results.DB
	Logger  *slog.Logger
	// Run, when set, limits the recorder to that run's results (a planner
	// recording its own run on a shared server); empty: every run's.
	OnlyRun string
	// Batch is how many messages one transaction takes at most (default
	// 256); Wait how long a fetch waits for them (default 200ms).
	Batch int
	Wait  time.Duration
	// MaxFailures consecutive failed commits stop the recorder with the
	// error (default 20): a locked or full disk is reported, not hidden.
	MaxFailures int
	// Committed, when set, is told each batch's sessions by run.
	Committed func(run string, sessions int)
}

func (r *Recorder) withDefaults() {
	if r.Batch <= 0 {
		r.Batch = 256
	}
	if r.Wait <= 0 {
		r.Wait = 200 * time.Millisecond
	}
	if r.MaxFailures <= 0 {
		r.MaxFailures = 20
	}
	if r.Logger == nil {
		r.Logger = slog.Default()
	}
}

// Run records until ctx ends, or until commits keep failing.
func (r *Recorder) Run(ctx context.Context) error {
	r.withDefaults()
	cons, err := r.Streams.Recorder(ctx, r.OnlyRun)
	if err != nil {
		return err
	}
	failures := 0
	for ctx.Err() == nil {
		msgs, err := r.next(cons)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			r.Logger.Warn("recorder: fetch", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		if len(msgs) == 0 {
			continue
		}
		if err := r.commit(ctx, msgs); err != nil {
			failures++
			r.Logger.Error("recorder: commit failed; the batch is kept for another try", "messages", len(msgs), "err", err)
			for _, m := range msgs {
				_ = m.NakWithDelay(time.Second) // redelivered after AckWait anyway
			}
			if failures >= r.MaxFailures {
				return fmt.Errorf("recorder: %d commits in a row failed, last: %w", failures, err)
			}
			sleep(ctx, time.Duration(failures)*200*time.Millisecond)
			continue
		}
		failures = 0
	}
	return nil
}

// next takes what waits in the stream, up to a batch, without waiting
// for a batch to fill: when nothing waits, it waits up to Wait for one
// message and takes the rest that came with it. A verdict is committed
// milliseconds after it arrives, busy or idle.
func (r *Recorder) next(cons jetstream.Consumer) ([]jetstream.Msg, error) {
	msgs, err := collect(cons.FetchNoWait(r.Batch))
	if err != nil || len(msgs) > 0 {
		return msgs, err
	}
	first, err := collect(cons.Fetch(1, jetstream.FetchMaxWait(r.Wait)))
	if err != nil || len(first) == 0 || r.Batch == 1 {
		return first, err
	}
	// One transaction per verdict would cost more than the verdicts: wait
	// a moment for the ones right behind it.
	rest, err := collect(cons.Fetch(r.Batch-1, jetstream.FetchMaxWait(linger)))
	return append(first, rest...), err
}

// linger is how long the recorder waits for more verdicts after the
// first of an idle spell.
const linger = 10 * time.Millisecond

func collect(batch jetstream.MessageBatch, err error) ([]jetstream.Msg, error) {
	if err != nil {
		return nil, err
	}
	var msgs []jetstream.Msg
	for m := range batch.Messages() {
		msgs = append(msgs, m)
	}
	if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) && len(msgs) == 0 {
		return nil, err
	}
	return msgs, nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// batch is one fetch, sorted by what it holds.
type batch struct {
	plans    []PlanMessage
	sessions []results.Session
	calls    map[string][]llm.Call // by run
	finishes map[string]string     // run → status
	good     []jetstream.Msg
}

// commit writes a batch and acks it. A message that cannot be read is
// terminated (it would fail forever) and logged; the rest still commit.
func (r *Recorder) commit(ctx context.Context, msgs []jetstream.Msg) error {
	b := &batch{calls: map[string][]llm.Call{}, finishes: map[string]string{}}
	for _, m := range msgs {
		if err := b.add(m); err != nil {
			r.Logger.Error("recorder: unreadable message dropped", "subject", m.Subject(), "err", err)
			_ = m.TermWithReason(err.Error()) // a bad message stays bad
			continue
		}
		b.good = append(b.good, m)
	}
	if err := r.write(ctx, b); err != nil {
		return err
	}
	done := map[string][]string{}
	for _, s := range b.sessions {
		done[s.Key.Run] = append(done[s.Key.Run], s.Key.String())
	}
	if err := r.Streams.MarkDone(ctx, done); err != nil {
		return err
	}
	var errs []error
	for _, m := range b.good {
		errs = append(errs, m.Ack())
	}
	if r.Committed != nil {
		for run, n := range countByRun(b.sessions) {
			r.Committed(run, n)
		}
	}
	return errors.Join(errs...)
}

func (b *batch) add(m jetstream.Msg) error {
	run := m.Subject()
	switch natsbus.ResultKind(m.Subject()) {
	case natsbus.ResultPlan:
		var p PlanMessage
		if err := json.Unmarshal(m.Data(), &p); err != nil {
			return fmt.Errorf("plan: %w", err)
		}
		b.plans = append(b.plans, p)
	case natsbus.ResultSession:
		var s SessionMessage
		if err := json.Unmarshal(m.Data(), &s); err != nil {
			return fmt.Errorf("session: %w", err)
		}
		b.sessions = append(b.sessions, s.Session)
	case natsbus.ResultCalls:
		var c CallsMessage
		if err := json.Unmarshal(m.Data(), &c); err != nil {
			return fmt.Errorf("calls: %w", err)
		}
		run = runOf(m.Subject())
		b.calls[run] = append(b.calls[run], c.Calls...)
	case natsbus.ResultFinish:
		var f FinishMessage
		if err := json.Unmarshal(m.Data(), &f); err != nil {
			return fmt.Errorf("finish: %w", err)
		}
		b.finishes[runOf(m.Subject())] = f.Status
	default:
		return fmt.Errorf("unknown result subject %q", m.Subject())
	}
	return nil
}

// runOf reads the run from a result subject arena.results.<run>.<kind>.
func runOf(subject string) string {
	const prefix = "arena.results."
	rest := subject[len(prefix):]
	for i := len(rest) - 1; i >= 0; i-- {
		if rest[i] == '.' {
			return rest[:i]
		}
	}
	return rest
}

// write commits plans first, then sessions and calls, then run ends, so a
// run's end is never recorded before its last verdict of the same batch.
func (r *Recorder) write(ctx context.Context, b *batch) error {
	for _, p := range b.plans {
		if _, err := r.DB.BeginRun(ctx, p.Run); err != nil {
			return err
		}
		if err := r.DB.PutPersonas(ctx, p.Personas); err != nil {
			return err
		}
		if err := r.DB.PutCandidates(ctx, p.Candidates); err != nil {
			return err
		}
	}
	if len(b.sessions) > 0 {
		if err := r.DB.WriteSessions(ctx, b.sessions); err != nil {
			var inv *results.InvalidError
			if !errors.As(err, &inv) {
				return err
			}
			// An invalid session is reported and skipped; the others of
			// the batch were written.
			r.Logger.Error("recorder: session refused", "err", err)
		}
	}
	for run, calls := range b.calls {
		if len(calls) > 0 {
			if err := r.DB.WriteLLMCalls(ctx, run, calls); err != nil {
				return err
			}
		}
	}
	for run, status := range b.finishes {
		err := r.DB.FinishRun(ctx, run, status, time.Time{})
		if errors.Is(err, results.ErrRunNotFound) {
			// It would fail forever; no verdict is lost by dropping it.
			r.Logger.Error("recorder: the end of a run the file does not hold; dropped", "run", run)
			continue
		}
		if err != nil {
			return err
		}
	}
	return r.finishComplete(ctx, b)
}

// finishComplete ends the runs whose every planned session is now in the
// file, so a run whose planner detached (or died) still ends "done".
func (r *Recorder) finishComplete(ctx context.Context, b *batch) error {
	for run := range countByRun(b.sessions) {
		if _, ended := b.finishes[run]; ended {
			continue
		}
		rec, err := r.DB.Run(ctx, run)
		if err != nil || rec.Status != results.RunRunning || plannedOf(rec) == 0 {
			continue // a run with no plan in the file: its planner ends it
		}
		n, err := r.DB.SessionCount(ctx, run)
		if err != nil {
			return err
		}
		if n >= plannedOf(rec) {
			if err := r.DB.FinishRun(ctx, run, results.RunDone, time.Time{}); err != nil {
				return err
			}
			r.Logger.Debug("recorder: every planned session is recorded; the run is done", "run", run, "sessions", n)
		}
	}
	return nil
}

func countByRun(ss []results.Session) map[string]int {
	out := map[string]int{}
	for _, s := range ss {
		out[s.Key.Run]++
	}
	return out
}
