package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/natsbus"
)

// WorkerCommand plays jobs from a shared server's jobs stream.
type WorkerCommand struct {
	m *Main
}

const workerSummary = `Play sessions from the jobs stream of a shared NATS server (JetStream on), for
any run that "arena run --nats URL" planned, and publish every verdict to the
results stream, where "arena record" writes it. Start as many workers on as many
machines as you like: jobs are shared out, each played once; a worker that dies
has its sessions played again by another after the ack wait (60s).

The builds must be reachable on the same server (served by "arena run", "arena
candidates serve" or your own processes). Jobs of simulate-mode runs need an
LLM endpoint ($OPENAI_BASE_URL or $OPENAI_API_KEY) on the worker.

Ctrl-C releases the sessions in flight (they go back to the queue) and prints
what this worker played; a second Ctrl-C quits at once.`

const workerExamples = `  arena worker --nats nats://10.0.0.5:4222
  arena worker --nats nats://10.0.0.5:4222 --concurrency 64 --nats-creds worker.creds
  NATS_URL=nats://q:4222 NATS_TOKEN=… arena worker`

// Run works until interrupted.
func (c *WorkerCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("worker", workerSummary, workerExamples)
	concurrency := fs.Int("concurrency", arena.DefaultConcurrency, "sessions played at once")
	ackWait := fs.Duration("ack-wait", time.Minute, "how long a dead worker's sessions stay held before another plays them (shared by all workers; heartbeats every third of it)")
	nf := addNATSFlags(fs)
	lf := addLLMFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 {
		return usageErrorf("worker takes no arguments, got %q", fs.positional).try("arena worker --help")
	}
	if *ackWait < time.Second {
		return usageErrorf("--ack-wait %s: use 1s or more", *ackWait).try("arena worker --ack-wait 1m")
	}
	if *concurrency < 1 {
		return usageErrorf("--concurrency must be positive").try("arena worker --concurrency 32")
	}
	bus, err := sharedBus(nf, c.m.Getenv, "worker")
	if err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	var endpoint *llm.Config
	if llmConfigured(c.m.Getenv) {
		cfg, err := lf.config(c.m.Getenv)
		if err != nil {
			return err
		}
		endpoint = &cfg
	}
	bar := c.m.newProgress("sessions").logTo(logger)
	defer bar.finish()
	var played, failed atomic.Int64
	logger.Info("worker ready; stop with Ctrl-C", "nats", natsbus.RedactURL(bus.URL), "concurrency", *concurrency, "llm", endpoint != nil)
	err = arena.Work(ctx, arena.WorkConfig{Bus: bus, Concurrency: *concurrency, LLM: endpoint, Logger: logger,
		Streams: natsbus.StreamConfig{AckWait: *ackWait},
		Played: func(o *arena.Outcome) {
			if o.Status != judges.StatusOK {
				failed.Add(1)
			}
			bar.update(int(played.Add(1)), -1, o)
		}})
	bar.finish()
	logger.Info("worker stopped", "played", played.Load(), "failed", failed.Load())
	if errors.Is(err, natsbus.ErrQueueTaken) {
		return fmt.Errorf("%w\nTry: start \"arena worker\" once the \"arena run\" that plays and records its own run on this server has ended; start such runs with --workers 0 --record=false", err)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// sharedBus is the outside server a worker, recorder or status command
// needs: --nats or $NATS_URL, with its credentials.
func sharedBus(nf *natsFlags, getenv func(string) string, cmd string) (arena.BusConfig, error) {
	connect, err := nf.config(getenv)
	if err != nil {
		return arena.BusConfig{}, err
	}
	if nf.url == "" {
		return arena.BusConfig{}, usageErrorf("%s needs the shared NATS server: --nats URL or $NATS_URL", cmd).
			try("arena " + cmd + " --nats nats://host:4222")
	}
	return arena.BusConfig{URL: nf.url, Connect: connect}, nil
}
