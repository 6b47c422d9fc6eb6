package natsbus

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The JetStream resources of the arena. Jobs is a work queue of sessions to
// play; Results carries what workers and planners produce to the one
// writer (plans, verdicts, LLM calls, run ends); Done is a key-value bucket
// where the writer marks every session it committed, so a resumed run, a
// worker and a planner can tell what is finished without the database.
const (
	JobsStream       = "ARENA_JOBS"
	ResultsStream    = "ARENA_RESULTS"
	DoneBucket       = "ARENA_DONE"
	WorkersConsumer  = "arena-workers"
	RecorderConsumer = "arena-recorder"

	jobsPrefix    = "arena.jobs."
	resultsPrefix = "arena.results."
)

// Result kinds on the results stream.
const (
	ResultPlan    = "plan"
	ResultSession = "session"
	ResultCalls   = "calls"
	ResultFinish  = "finish"
)

// JobSubject is where a run's jobs are published.
func JobSubject(run string) string { return jobsPrefix + run }

// ResultSubject is where a run's results of a kind are published.
func ResultSubject(run, kind string) string { return resultsPrefix + run + "." + kind }

// ResultKind returns the kind of a result subject, "" when it is not one.
func ResultKind(subject string) string {
	for _, k := range []string{ResultPlan, ResultSession, ResultCalls, ResultFinish} {
		if len(subject) > len(k) && subject[len(subject)-len(k)-1:] == "."+k {
			return k
		}
	}
	return ""
}

// DoneKey is a session's key in the Done bucket: the run, then a hash of
// the session's full key (which holds characters KV keys may not).
func DoneKey(run, session string) string {
	sum := sha256.Sum256([]byte(session))
	return run + "." + hex.EncodeToString(sum[:12])
}

// DonePrefix matches every Done key of a run.
func DonePrefix(run string) string { return run + ".*" }

// StreamConfig tunes the streams and consumers; the zero value is the
// default.
type StreamConfig struct {
	// AckWait is how long a worker may hold a job without a heartbeat
	// before it is redelivered (default 60s).
	AckWait time.Duration
	// MaxDeliver bounds how often a job is tried (default 5).
	MaxDeliver int
	// Dedup is the window in which a republished job or result with the
	// same ID is dropped (default 24h).
	Dedup time.Duration
	// RetryBase is the backoff base for a session whose build is absent:
	// it is tried again after 2, 4, 8… times RetryBase (default 1s).
	RetryBase time.Duration
	// Memory keeps everything in memory (tests and benchmarks).
	Memory bool
}

func (c StreamConfig) withDefaults() StreamConfig {
	if c.AckWait <= 0 {
		c.AckWait = time.Minute
	}
	if c.MaxDeliver <= 0 {
		c.MaxDeliver = 5
	}
	if c.Dedup <= 0 {
		c.Dedup = 24 * time.Hour
	}
	if c.RetryBase <= 0 {
		c.RetryBase = time.Second
	}
	return c
}

// Streams are the arena's JetStream resources, created if missing.
type Streams struct {
	JS      jetstream.JetStream
	Jobs    jetstream.Stream
	Results jetstream.Stream
	Done    jetstream.KeyValue
	Config  StreamConfig
}

// OpenStreams creates or updates the streams, the consumers and the Done
// bucket on nc's server. It is idempotent: every process of a run calls it.
func OpenStreams(ctx context.Context, nc *nats.Conn, cfg StreamConfig) (*Streams, error) {
	cfg = cfg.withDefaults()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("jetstream: %w", err)
	}
	storage := jetstream.FileStorage
	if cfg.Memory {
		storage = jetstream.MemoryStorage
	}
	s := &Streams{JS: js, Config: cfg}
	if s.Jobs, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: JobsStream, Subjects: []string{jobsPrefix + ">"}, Retention: jetstream.WorkQueuePolicy,
		Storage: storage, Duplicates: cfg.Dedup, Description: "arena sessions to play",
	}); err != nil {
		return nil, fmt.Errorf("jobs stream: %w", err)
	}
	if s.Results, err = js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name: ResultsStream, Subjects: []string{resultsPrefix + ">"}, Retention: jetstream.WorkQueuePolicy,
		Storage: storage, Duplicates: cfg.Dedup, Description: "arena plans, verdicts and LLM calls for the recorder",
	}); err != nil {
		return nil, fmt.Errorf("results stream: %w", err)
	}
	if s.Done, err = js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: DoneBucket, Storage: storage, Description: "sessions the recorder committed",
	}); err != nil {
		return nil, fmt.Errorf("done bucket: %w", err)
	}
	return s, nil
}

// ErrQueueTaken means a work queue is already consumed the other way: a
// JetStream work queue gives each subject to one consumer, so a server's
// jobs (or results) are taken either by the shared consumer of "arena
// worker" ("arena record") processes, or by planners taking their own
// run's, not both at once.
var ErrQueueTaken = errors.New("the queue is consumed the other way on this server")

// consumerIdle is how long a consumer nobody pulls from outlives its last
// process: long enough to ride out a restart, short enough that a queue
// served one way is soon free to be served the other.
const consumerIdle = 5 * time.Minute

// Workers returns the durable pull consumer of the jobs: with run "", the
// one every "arena worker" shares, over every run's jobs; with a run, the
// planner's own, over that run's jobs only (so a planner never plays, or
// pays for, another run's sessions). Jobs are load-balanced over its
// pullers, each held until acked or redelivered after AckWait without a
// heartbeat, at most MaxDeliver times.
func (s *Streams) Workers(ctx context.Context, run string) (jetstream.Consumer, error) {
	cfg := jetstream.ConsumerConfig{
		Durable: WorkersConsumer, AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: s.Config.AckWait, MaxDeliver: s.Config.MaxDeliver, MaxAckPending: 10000,
		InactiveThreshold: consumerIdle,
	}
	if run != "" {
		cfg.Durable, cfg.FilterSubject = WorkersConsumer+"-"+run, JobSubject(run)
	}
	c, err := s.Jobs.CreateOrUpdateConsumer(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("workers consumer: %w", taken(err))
	}
	return c, nil
}

// Recorder returns the durable consumer of the one writer: with run "",
// of every run's results ("arena record"); with a run, of that run's only
// (a planner recording its own run).
func (s *Streams) Recorder(ctx context.Context, run string) (jetstream.Consumer, error) {
	cfg := jetstream.ConsumerConfig{
		Durable: RecorderConsumer, AckPolicy: jetstream.AckExplicitPolicy,
		// A commit takes milliseconds; what a dead recorder held (or a
		// server restart lost in flight) comes back soon.
		AckWait: 30 * time.Second, MaxAckPending: 20000, InactiveThreshold: consumerIdle,
	}
	if run != "" {
		cfg.Durable, cfg.FilterSubject = RecorderConsumer+"-"+run, resultsPrefix+run+".*"
	}
	c, err := s.Results.CreateOrUpdateConsumer(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("recorder consumer: %w", taken(err))
	}
	return c, nil
}

// DropRun removes a planner's own consumers of run once it is over, so
// that the queues are free for shared workers and recorders at once.
func (s *Streams) DropRun(ctx context.Context, run string) error {
	var errs []error
	for _, c := range []struct {
		stream jetstream.Stream
		name   string
	}{{s.Jobs, WorkersConsumer + "-" + run}, {s.Results, RecorderConsumer + "-" + run}} {
		if err := c.stream.DeleteConsumer(ctx, c.name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// The server's error codes for a second consumer of the same work-queue
// subjects (nats-server errors.json; nats.go names neither).
const (
	errCodeWQMultipleUnfiltered jetstream.ErrorCode = 10099
	errCodeWQConsumerNotUnique  jetstream.ErrorCode = 10100
)

// taken turns the server's refusal of a second way of consuming a work
// queue into ErrQueueTaken.
func taken(err error) error {
	var api *jetstream.APIError
	if errors.As(err, &api) && (api.ErrorCode == errCodeWQMultipleUnfiltered || api.ErrorCode == errCodeWQConsumerNotUnique) {
		return fmt.Errorf("%w (%s)", ErrQueueTaken, api.Description)
	}
	return err
}

// IsDone reports whether the recorder committed a session.
func (s *Streams) IsDone(ctx context.Context, run, session string) (bool, error) {
	_, err := s.Done.Get(ctx, DoneKey(run, session))
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("done bucket: %w", err)
	}
	return true, nil
}

// DoneCount counts a run's committed sessions.
func (s *Streams) DoneCount(ctx context.Context, run string) (int, error) {
	keys, err := s.doneKeys(ctx, run)
	return len(keys), err
}

// DoneSessions returns a run's committed sessions as a set of their Done
// keys (see DoneKey): one listing, however many sessions.
func (s *Streams) DoneSessions(ctx context.Context, run string) (map[string]bool, error) {
	return s.doneKeys(ctx, run)
}

func (s *Streams) doneKeys(ctx context.Context, run string) (map[string]bool, error) {
	keys := map[string]bool{}
	lister, err := s.Done.ListKeysFiltered(ctx, DonePrefix(run))
	if errors.Is(err, jetstream.ErrNoKeysFound) {
		return keys, nil
	}
	if err != nil {
		return nil, fmt.Errorf("done bucket: %w", err)
	}
	for k := range lister.Keys() {
		keys[k] = true
	}
	return keys, nil
}

// MarkDone records that sessions (run → session keys) are committed. The
// puts are pipelined: a batch costs one round trip, not one per session.
func (s *Streams) MarkDone(ctx context.Context, sessions map[string][]string) error {
	var futures []jetstream.PubAckFuture
	for run, keys := range sessions {
		for _, k := range keys {
			f, err := s.JS.PublishAsync("$KV."+DoneBucket+"."+DoneKey(run, k), []byte(k))
			if err != nil {
				return fmt.Errorf("done bucket: %w", err)
			}
			futures = append(futures, f)
		}
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			return fmt.Errorf("done bucket: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Release ends every hold on jobs and results that earlier processes took
// and never settled, by recreating both durable consumers: their messages
// stay in the work queues and are delivered afresh at once instead of
// after the ack wait. Only the sole worker and recorder of a server may
// call it (the embedded server of a resumed run): a live worker elsewhere
// would lose its jobs' acks and play them twice (recorded once).
func (s *Streams) Release(ctx context.Context) error {
	for _, c := range []struct {
		stream jetstream.Stream
		name   string
	}{{s.Jobs, WorkersConsumer}, {s.Results, RecorderConsumer}} {
		if err := c.stream.DeleteConsumer(ctx, c.name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
			return fmt.Errorf("release %s: %w", c.name, err)
		}
	}
	return nil
}

// JobCounts returns how many of a run's jobs are in the queue (waiting or
// held by a worker) and how many jobs workers hold: of the run when its
// planner plays it, else across all runs.
func (s *Streams) JobCounts(ctx context.Context, run string) (inQueue, held int, err error) {
	info, err := s.Jobs.Info(ctx, jetstream.WithSubjectFilter(JobSubject(run)))
	if err != nil {
		return 0, 0, fmt.Errorf("jobs stream: %w", err)
	}
	inQueue = int(info.State.Subjects[JobSubject(run)])
	// The run's own consumer counts exactly; the shared one across runs.
	c, err := s.Jobs.Consumer(ctx, WorkersConsumer+"-"+run)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		c, err = s.Jobs.Consumer(ctx, WorkersConsumer)
	}
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return inQueue, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("workers consumer: %w", err)
	}
	ci, err := c.Info(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("workers consumer: %w", err)
	}
	return inQueue, ci.NumAckPending, nil
}

// ResultCount returns how many of a run's messages wait for the recorder.
func (s *Streams) ResultCount(ctx context.Context, run string) (int, error) {
	filter := resultsPrefix + run + ".*"
	info, err := s.Results.Info(ctx, jetstream.WithSubjectFilter(filter))
	if err != nil {
		return 0, fmt.Errorf("results stream: %w", err)
	}
	n := 0
	for _, c := range info.State.Subjects {
		n += int(c)
	}
	return n, nil
}
