package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
)

// The parts of a run spread over machines: "arena run" plans and
// publishes jobs, Work plays them anywhere, Record writes every verdict
// into one results file, Status reads how far a run is.

// WorkConfig is what a worker process needs.
type WorkConfig struct {
	Bus BusConfig // its URL names the shared server
	// Concurrency is how many sessions play at once (default
	// DefaultConcurrency).
	Concurrency int
	// LLM is the endpoint for jobs of simulate-mode runs; nil refuses them
	// (terminated with the reason, not retried).
	LLM     *llm.Config
	Streams natsbus.StreamConfig
	Logger  *slog.Logger
	// Played is told about each session played to its end.
	Played func(o *Outcome)
}

// Work plays jobs from the shared jobs stream until ctx ends, then
// releases the sessions in flight and returns.
func Work(ctx context.Context, cfg WorkConfig) error {
	if cfg.Bus.URL == "" {
		return errors.New("a worker needs the URL of the NATS server the run uses")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	bus, streams, err := openShared(ctx, cfg.Bus, cfg.Streams)
	if err != nil {
		return err
	}
	defer bus.Close()
	box := sandbox.NewService(bus.Conn)
	box.Logger = cfg.Logger
	if err := box.Start(); err != nil {
		return fmt.Errorf("start sandbox: %w", err)
	}
	defer box.Stop()
	calls := newCallLog(streams, cfg.Logger)
	players := &Players{Client: candidates.NewClient(bus.Conn), Sandbox: box, Endpoint: cfg.LLM, Calls: calls, Logger: cfg.Logger}
	w := &Worker{Streams: streams, Runner: players.Runner, Calls: calls.take, Logger: cfg.Logger, Played: cfg.Played,
		Concurrency: max(cfg.Concurrency, 1)}
	if cfg.Concurrency <= 0 {
		w.Concurrency = DefaultConcurrency
	}
	return w.Run(ctx)
}

// RecordConfig is what the recorder process needs.
type RecordConfig struct {
	Bus     BusConfig
	DB      *results.DB
	Streams natsbus.StreamConfig
	Logger  *slog.Logger
	// Committed is told each committed batch's sessions, by run.
	Committed func(run string, sessions int)
}

// Record writes the results stream into DB until ctx ends or commits keep
// failing (a full disk, a file locked by another writer).
func Record(ctx context.Context, cfg RecordConfig) error {
	if cfg.Bus.URL == "" || cfg.DB == nil {
		return errors.New("the recorder needs the NATS server's URL and a results file")
	}
	bus, streams, err := openShared(ctx, cfg.Bus, cfg.Streams)
	if err != nil {
		return err
	}
	defer bus.Close()
	rec := &Recorder{Streams: streams, DB: cfg.DB, Logger: cfg.Logger, Committed: cfg.Committed}
	return rec.Run(ctx)
}

func openShared(ctx context.Context, bc BusConfig, sc natsbus.StreamConfig) (*Bus, *natsbus.Streams, error) {
	bus, err := OpenBus(bc)
	if err != nil {
		return nil, nil, err
	}
	streams, err := natsbus.OpenStreams(ctx, bus.Conn, sc)
	if err != nil {
		bus.Close()
		return nil, nil, err
	}
	return bus, streams, nil
}

// Status is how far a run is, from the streams and the results file.
type Status struct {
	Run string `json:"run"`
	// State is the run's status in the file ("running", "done", ...);
	// empty when the file does not hold the run (yet).
	State   string `json:"state,omitempty"`
	Planned int    `json:"planned"`
	// Queued jobs wait for a worker; Running ones are held by one (the
	// server counts holds across runs, so with several runs at once this
	// is an upper bound).
	Queued  int `json:"queued"`
	Running int `json:"running"`
	// Done sessions are committed to the file; Failed is how many of them
	// failed (build error, timeout, absent build after its retries).
	Done   int `json:"done"`
	Failed int `json:"failed"`
	// Unrecorded verdicts wait in the results stream for the recorder.
	Unrecorded int `json:"unrecorded"`
}

// ReadStatus reads a run's status. streams may be nil (no server reached):
// the counts then come from db alone; db may be nil (no file here).
func ReadStatus(ctx context.Context, streams *natsbus.Streams, db *results.DB, run string) (Status, error) {
	st := Status{Run: run}
	if db != nil {
		if err := st.fromFile(ctx, db); err != nil {
			return st, err
		}
	}
	if streams == nil {
		return st, nil
	}
	inQueue, held, err := streams.JobCounts(ctx, run)
	if err != nil {
		return st, err
	}
	st.Running = min(held, inQueue)
	st.Queued = inQueue - st.Running
	if st.Unrecorded, err = streams.ResultCount(ctx, run); err != nil {
		return st, err
	}
	done, err := streams.DoneCount(ctx, run)
	if err != nil {
		return st, err
	}
	st.Done = max(st.Done, done)
	return st, nil
}

func (st *Status) fromFile(ctx context.Context, db *results.DB) error {
	r, err := db.Run(ctx, st.Run)
	if errors.Is(err, results.ErrRunNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	st.State = r.Status
	st.Planned = plannedOf(r)
	rows, err := db.Leaderboard(ctx, st.Run)
	if err != nil {
		return err
	}
	for _, row := range rows {
		st.Done += row.Sessions + row.SimulatorFaults
		st.Failed += row.Errors + row.Timeouts
	}
	return nil
}

// plannedKey holds, in a run's stored settings, how many sessions it plans.
const plannedKey = "sessions_planned"

func plannedOf(r results.Run) int {
	var c map[string]any
	if json.Unmarshal(r.Config, &c) != nil {
		return 0
	}
	n, _ := c[plannedKey].(float64)
	return int(n)
}

// RunStatus reads a run's status from the server at bus.URL (none when
// empty) and db (may be nil).
func RunStatus(ctx context.Context, bus BusConfig, db *results.DB, run string) (Status, error) {
	if bus.URL == "" {
		return ReadStatus(ctx, nil, db, run)
	}
	b, streams, err := openShared(ctx, bus, natsbus.StreamConfig{})
	if err != nil {
		return Status{Run: run}, err
	}
	defer b.Close()
	return ReadStatus(ctx, streams, db, run)
}
