package arena

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
)

// RunStopped is the status of a run a spent budget stopped.
const RunStopped = "stopped"

// execution is one Execute: the planner, and the in-process recorder and
// workers when this process plays those parts.
type execution struct {
	cfg     Config
	bus     *Bus
	streams *natsbus.Streams
	rep     *Report
	runID   string
	planned int

	recorderDone chan error
	stopRecorder context.CancelFunc
	workersDone  chan struct{}
	stopWorkers  context.CancelCauseFunc
	mu           sync.Mutex
	budget       error
	finished     int // sessions played to the end here, or skipped
	planSent     bool
}

// run plans the run, publishes its jobs and waits for their verdicts.
func (e *execution) run(ctx context.Context) error {
	cfg := e.cfg
	e.runID = cfg.Resume
	if e.runID == "" {
		e.runID = NewRunID(cfg.Now())
	}
	e.rep.Run = results.Run{ID: e.runID, Mode: cfg.Mode, StartedAt: cfg.Now()}
	e.rep.Path = DescribePath(cfg)
	if cfg.Resume != "" && e.bus.Server != nil {
		// This process is the server's only worker and recorder: what a
		// killed one held is free now, not after the ack wait.
		if err := e.streams.Release(ctx); err != nil {
			return err
		}
	}
	if err := e.claimQueues(ctx); err != nil {
		return err
	}
	if cfg.Record {
		e.startRecorder(ctx)
	}
	calls := newCallLog(e.streams, cfg.Logger)
	p, err := newPath(ctx, cfg, e.runID, calls)
	if err != nil {
		return err
	}
	cards, err := p.cards(ctx)
	if errors.Is(err, llm.ErrBudget) {
		e.rep.Summary.Stopped = err.Error()
		return nil
	}
	if err != nil {
		return err
	}
	e.rep.Personas = len(cards)
	box := sandbox.NewService(e.bus.Conn)
	box.Logger = cfg.Logger
	if err := box.Start(); err != nil {
		return fmt.Errorf("start sandbox: %w", err)
	}
	defer box.Stop()
	refs, err := ServeReferences(e.bus.Conn, References{Names: cfg.References, Logs: cfg.Conversations, Agent: p.agent(), Logger: cfg.BuildLogger})
	if err != nil {
		return err
	}
	defer StopAll(refs)
	targets, err := Targets(ctx, e.bus.Conn, cfg.Candidates)
	if err != nil {
		return err
	}
	e.rep.Targets = targets
	plan := Plan{Run: e.runID, Cards: cards, Targets: targets, Trials: cfg.Trials, Arms: p.arms()}
	jobs := plan.Jobs()
	e.planned = len(jobs)
	if err := e.publishPlan(ctx, cards, targets); err != nil {
		return err
	}
	todo, err := e.notDone(ctx, jobs)
	if err != nil {
		return err
	}
	// Longest first: a long session started last would keep the run
	// waiting on it alone while every other worker idles.
	slices.SortStableFunc(todo, func(a, b Job) int {
		return cmp.Compare(len(b.Card.Script)+len(b.Card.Goals), len(a.Card.Script)+len(a.Card.Goals))
	})
	e.rep.Summary.Planned, e.rep.Summary.Skipped = len(jobs), len(jobs)-len(todo)
	e.finished = e.rep.Summary.Skipped
	playStart := time.Now()
	defer func() { e.rep.PlayTime = time.Since(playStart) }()
	// Workers first: they play the first jobs while the rest are published.
	if cfg.Workers > 0 && !cfg.Detach {
		e.startWorkers(ctx, p, calls, box)
	}
	if err := e.publishJobs(ctx, p.settings(), todo); err != nil {
		return err
	}
	if cfg.Detach {
		return nil
	}
	return e.wait(ctx)
}

// ownRun is the run this process's workers and recorder keep to: on a
// shared server, its own, so that it never plays (or pays for) another
// run's sessions nor writes another run's verdicts into its file; on the
// embedded server, every run (it is this process's alone).
func (e *execution) ownRun() string {
	if e.bus.Server != nil {
		return ""
	}
	return e.runID
}

// claimQueues creates the consumers this process will use before any job
// is published, so that a server whose queues "arena worker" or "arena
// record" already serve is an error now, not a run that never ends.
func (e *execution) claimQueues(ctx context.Context) error {
	if e.cfg.Record {
		if _, err := e.streams.Recorder(ctx, e.ownRun()); err != nil {
			return fmt.Errorf("record this run here: %w", err)
		}
	}
	if e.cfg.Workers > 0 && !e.cfg.Detach {
		if _, err := e.streams.Workers(ctx, e.ownRun()); err != nil {
			return fmt.Errorf("play this run here: %w", err)
		}
	}
	return nil
}

// startRecorder runs the one writer in this process. It outlives ctx so
// that a cancelled run's end is still recorded; finish stops it.
func (e *execution) startRecorder(ctx context.Context) {
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e.stopRecorder = cancel
	e.recorderDone = make(chan error, 1)
	rec := &Recorder{Streams: e.streams, DB: e.cfg.DB, Logger: e.cfg.Logger, OnlyRun: e.ownRun()}
	go func() { e.recorderDone <- rec.Run(rctx) }()
}

// startWorkers plays jobs in this process: the run's own with the
// planner's model client and budget, any other run's from its settings.
func (e *execution) startWorkers(ctx context.Context, p *path, calls *callLog, box *sandbox.Service) {
	players := &Players{Client: candidates.NewClient(e.bus.Conn), Sandbox: box, Endpoint: e.cfg.LLM,
		Calls: calls, Logger: e.cfg.Logger}
	if e.cfg.DB != nil {
		players.Cache = e.cfg.DB.LLMCache()
	}
	players.share(e.runID, p)
	wctx, cancel := context.WithCancelCause(ctx)
	e.stopWorkers = cancel
	w := &Worker{Streams: e.streams, Runner: players.Runner, Calls: calls.take, Concurrency: e.cfg.Workers, OnlyRun: e.ownRun(),
		Logger: e.cfg.Logger, Played: e.played, Budget: func(err error) {
			e.mu.Lock()
			e.budget = err
			e.mu.Unlock()
			cancel(err)
		}}
	e.workersDone = make(chan struct{})
	go func() {
		defer close(e.workersDone)
		if err := w.Run(wctx); err != nil {
			e.cfg.Logger.Error("workers stopped", "err", err)
		}
	}()
}

// publishPlan tells the recorder what the run is.
func (e *execution) publishPlan(ctx context.Context, cards []personas.Card, targets []Target) error {
	withPlan := map[string]any{plannedKey: e.planned}
	for k, v := range e.cfg.Settings {
		withPlan[k] = v
	}
	settings, err := json.Marshal(withPlan)
	if err != nil {
		return fmt.Errorf("run settings: %w", err)
	}
	ps, cs := planRecords(cards, targets)
	msg := PlanMessage{Run: results.Run{ID: e.runID, Mode: e.cfg.Mode, Config: settings, StartedAt: e.rep.Run.StartedAt},
		Personas: ps, Candidates: cs, Jobs: e.planned}
	data, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	if _, err := e.streams.JS.Publish(ctx, natsbus.ResultSubject(e.runID, natsbus.ResultPlan), data); err != nil {
		return fmt.Errorf("publish plan: %w", err)
	}
	e.planSent = true
	return nil
}

// notDone drops the jobs already recorded: those the results file holds
// (when this process has it) and those the Done bucket marks.
func (e *execution) notDone(ctx context.Context, jobs []Job) ([]Job, error) {
	if e.cfg.Resume == "" {
		return jobs, nil
	}
	inFile := map[results.SessionKey]bool{}
	if e.cfg.DB != nil {
		var err error
		if inFile, err = e.cfg.DB.DoneSessions(ctx, e.runID); err != nil {
			return nil, err
		}
	}
	marked, err := e.streams.DoneSessions(ctx, e.runID)
	if err != nil {
		return nil, err
	}
	var todo []Job
	for _, j := range jobs {
		if !inFile[j.Key()] && !marked[natsbus.DoneKey(e.runID, j.Key().String())] {
			todo = append(todo, j)
		}
	}
	return todo, nil
}

// publishJobs puts one message per session on the jobs stream, each with
// its session key as message ID, so that a plan published twice (a resume
// within the dedup window) adds nothing.
func (e *execution) publishJobs(ctx context.Context, settings JobMessage, jobs []Job) error {
	for _, j := range jobs {
		m := settings
		m.Run, m.Card, m.Target, m.Trial, m.Arm, m.Seed = j.Run, *j.Card, j.Target, j.Trial, j.Arm, j.Seed
		data, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("encode job: %w", err)
		}
		if _, err := e.streams.JS.PublishAsync(natsbus.JobSubject(e.runID), data, jetstream.WithMsgID(j.Key().String())); err != nil {
			return fmt.Errorf("publish job %s: %w", j.Key(), err)
		}
	}
	select {
	case <-e.streams.JS.PublishAsyncComplete():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(time.Minute):
		return errors.New("publish jobs: the server did not confirm them within a minute")
	}
}

// wait follows the Done bucket until every planned session is recorded,
// ctx ends, the budget runs out, or the run's jobs left the queue without
// a verdict (they ran out of deliveries).
func (e *execution) wait(ctx context.Context) error {
	watcher, err := e.streams.Done.Watch(ctx, natsbus.DonePrefix(e.runID))
	if err != nil {
		return fmt.Errorf("watch done sessions: %w", err)
	}
	defer watcher.Stop()
	seen := map[string]bool{}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	idle := 0
	for {
		done := len(seen)
		if done >= e.planned {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-e.workersStopped():
			if e.budgetErr() != nil {
				e.rep.Summary.Stopped = e.budgetErr().Error()
				return nil
			}
			return errors.New("the workers of this process stopped")
		case u := <-watcher.Updates():
			if u != nil {
				seen[u.Key()] = true
				if e.workersDone == nil {
					e.progress(len(seen), nil)
				}
			}
			idle = 0
		case <-tick.C:
			if e.nothingLeft(ctx) {
				idle++
			} else {
				idle = 0
			}
			if idle >= 10 { // 5s with no job of the run left and sessions missing
				return fmt.Errorf("%d session(s) were not played: their jobs ran out of deliveries (see the workers' logs)", e.planned-len(seen))
			}
		}
	}
}

// progress reports sessions played here when this process has workers
// (with their outcomes), else sessions recorded by anyone.
func (e *execution) progress(done int, o *Outcome) {
	if e.cfg.Progress != nil {
		e.cfg.Progress(done, e.planned, o)
	}
}

// played counts a session a worker of this process finished; the worker
// calls it from one goroutine at a time.
func (e *execution) played(o *Outcome) {
	if o.Job.Run != e.runID {
		return
	}
	e.finished++
	e.progress(e.finished, o)
}

// nothingLeft reports whether the run has no job in the queue (waiting or
// in play) and no verdict waiting for the recorder.
func (e *execution) nothingLeft(ctx context.Context) bool {
	jobs, _, err := e.streams.JobCounts(ctx, e.runID)
	if err != nil || jobs > 0 {
		return false
	}
	verdicts, err := e.streams.ResultCount(ctx, e.runID)
	return err == nil && verdicts == 0
}

func (e *execution) workersStopped() <-chan struct{} {
	if e.workersDone == nil {
		return nil
	}
	return e.workersDone
}

func (e *execution) budgetErr() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.budget
}
