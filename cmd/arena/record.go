package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/results"
)

// RecordCommand is the one writer of a results file for a shared server.
type RecordCommand struct {
	m *Main
}

const recordSummary = `Write every verdict from the results stream of a shared NATS server into one
SQLite results file: plans, sessions, LLM calls and run ends, in batches, each
acknowledged only after its commit. A verdict delivered twice is written once.
Run exactly one recorder per results file; runs planned with
"arena run --nats URL --record=false" rely on it.

A commit that keeps failing (a full disk, the file locked by another process)
stops the recorder with the error: nothing is acknowledged that was not
written, so a restarted recorder picks up where it failed.`

const recordExamples = `  arena record --nats nats://10.0.0.5:4222 --db arena.db
  NATS_URL=nats://q:4222 NATS_CREDS=recorder.creds arena record --db /data/arena.db`

// Run records until interrupted.
func (c *RecordCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("record", recordSummary, recordExamples)
	dbPath := fs.String("db", "arena.db", "results file (SQLite)")
	nf := addNATSFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 {
		return usageErrorf("record takes no arguments, got %q", fs.positional).try("arena record --help")
	}
	bus, err := sharedBus(nf, c.m.Getenv, "record")
	if err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	db, err := results.Open(ctx, *dbPath)
	if err != nil {
		return fmt.Errorf("%w\nTry: check that %s is an arena results file, or pass another --db", err, *dbPath)
	}
	defer db.Close()
	var (
		mu    sync.Mutex
		total = map[string]int{}
		last  = time.Now()
	)
	logger.Info("recorder ready; stop with Ctrl-C", "nats", natsbus.RedactURL(bus.URL), "db", db.Path())
	err = arena.Record(ctx, arena.RecordConfig{Bus: bus, DB: db, Logger: logger,
		Committed: func(run string, n int) {
			mu.Lock()
			defer mu.Unlock()
			total[run] += n
			if time.Since(last) >= progressEvery {
				last = time.Now()
				logger.Info("recorded", "run", run, "sessions", total[run])
			}
		}})
	mu.Lock()
	for run, n := range total {
		logger.Info("recorder stopped", "run", run, "sessions", n)
	}
	mu.Unlock()
	if errors.Is(err, natsbus.ErrQueueTaken) {
		return fmt.Errorf("%w\nTry: start \"arena record\" once the \"arena run\" that plays and records its own run on this server has ended; start such runs with --workers 0 --record=false", err)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w\nTry: free disk space or close the program holding %s, then start arena record again; nothing unwritten was acknowledged", err, db.Path())
	}
	return nil
}
