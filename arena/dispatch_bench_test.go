package arena_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// The benchmarks of issue 5: whole runs through JetStream (jobs stream,
// workers, results stream, the recorder, SQLite), as "arena run" does.

// latencyBuild answers each turn after latency; inFlight counts the turns
// it holds; release, when not nil, holds every turn until it is closed.
func latencyBuild(latency time.Duration, release <-chan struct{}, inFlight *atomic.Int64) candidates.Build {
	h := candidates.HandlerFunc(func(ctx context.Context, tr *candidates.Turn) (*candidates.TurnReply, error) {
		inFlight.Add(1)
		defer inFlight.Add(-1)
		wait := time.After(latency)
		if release != nil {
			wait = nil
		}
		select {
		case <-wait:
		case <-release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return &candidates.TurnReply{Messages: []transcript.Message{{Role: transcript.RoleAssistant, Content: "Done."}}}, nil
	})
	return candidates.Build{Name: "fake", Version: "1.0.0", Handler: h, MaxConcurrent: 1024}
}

// benchConfig is a run of the bundled personas × trials against the fake
// build on srv, played by workers in this process and recorded to a file.
func benchConfig(tb testing.TB, url string, workers, trials int) arena.Config {
	db, err := results.Open(tb.Context(), filepath.Join(tb.TempDir(), "arena.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return arena.Config{
		Bus: arena.BusConfig{URL: url}, DB: db, Conversations: mustExamples(tb),
		References: []string{}, Candidates: []string{"fake"}, Trials: trials,
		Concurrency: workers, Workers: workers, Record: true, TurnTimeout: 10 * time.Second,
	}
}

// BenchmarkExecute_Throughput plays sessions against a build of fixed
// latency L with C sessions at once, and reports sessions/s during the
// play against the ideal C/(turns·L), turns being the mean merchant turns
// per session.
func BenchmarkExecute_Throughput(b *testing.B) {
	const workers, latency, trials = 64, 50 * time.Millisecond, 48
	srv := natstest.Server(b)
	nc := natstest.Connect(b, srv)
	var inFlight atomic.Int64
	svc, err := candidates.Serve(nc, latencyBuild(latency, nil, &inFlight))
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Stop()
	var sessions, turns int
	var play time.Duration
	for b.Loop() {
		cfg := benchConfig(b, srv.ClientURL(), workers, trials)
		var mu sync.Mutex
		cfg.Progress = func(_, _ int, o *arena.Outcome) {
			mu.Lock()
			sessions++
			turns += o.Turns()
			mu.Unlock()
		}
		rep, err := arena.Execute(b.Context(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		play += rep.PlayTime
	}
	perSession := float64(turns) / float64(sessions)
	ideal := float64(workers) / (perSession * latency.Seconds())
	got := float64(sessions) / play.Seconds()
	b.ReportMetric(got, "sessions/s")
	b.ReportMetric(ideal, "ideal-sessions/s")
	b.ReportMetric(got/ideal, "of-ideal")
	b.ReportMetric(float64(sessions)/b.Elapsed().Seconds(), "run-sessions/s")
	b.ReportMetric(perSession, "turns/session")
}

// BenchmarkExecute_Overhead plays the bundled examples against golden
// (served in-process, no latency) on the embedded server with its file
// store, recording every verdict: the arena's own cost per merchant turn.
// turns/s counts the play (jobs published to last verdict committed);
// run-turns/s the whole run, with setup and ranking.
func BenchmarkExecute_Overhead(b *testing.B) {
	var turns int
	var play time.Duration
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		db, err := results.Open(b.Context(), filepath.Join(b.TempDir(), "arena.db"))
		if err != nil {
			b.Fatal(err)
		}
		cfg := arena.Config{Bus: arena.BusConfig{DataDir: b.TempDir()}, DB: db, Conversations: mustExamples(b),
			References: []string{"golden"}, Trials: 30, Concurrency: 16, TurnTimeout: 5 * time.Second}
		cfg.Progress = func(_, _ int, o *arena.Outcome) { turns += o.Turns() }
		rep, err := arena.Execute(b.Context(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		play += rep.PlayTime
		db.Close()
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(turns)/play.Seconds(), "turns/s")
	b.ReportMetric(float64(play.Microseconds())/float64(turns), "µs/turn")
	b.ReportMetric(float64(turns)/b.Elapsed().Seconds(), "run-turns/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(turns), "allocs/turn")
}

// BenchmarkExecute_MemoryPerSession holds sessions in flight in the
// build and compares the heap with 64 and with 8 of them: the marginal
// memory of one in-flight session (job, runner state, sandbox session,
// NATS buffers).
func BenchmarkExecute_MemoryPerSession(b *testing.B) {
	heap := map[int]float64{}
	for b.Loop() {
		for _, n := range []int{8, 64} {
			heap[n] = heapWith(b, n)
		}
	}
	b.ReportMetric((heap[64]-heap[8])/56/1024, "KiB/session")
}

// heapWith starts a run with n workers, waits until n turns are held by
// the build, and returns the live heap.
func heapWith(b *testing.B, n int) float64 {
	srv := natstest.Server(b)
	nc := natstest.Connect(b, srv)
	release := make(chan struct{})
	var inFlight atomic.Int64
	svc, err := candidates.Serve(nc, latencyBuild(0, release, &inFlight))
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Stop()
	cfg := benchConfig(b, srv.ClientURL(), n, 4)
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	done := make(chan error, 1)
	go func() { _, err := arena.Execute(ctx, cfg); done <- err }()
	for deadline := time.Now().Add(30 * time.Second); inFlight.Load() < int64(n); {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d sessions in flight after 30s", inFlight.Load(), n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	cancel()
	close(release)
	<-done
	return float64(m.HeapAlloc)
}

// BenchmarkRecorder measures the one writer: verdicts already in the
// results stream, committed to SQLite in batches and acked.
func BenchmarkRecorder(b *testing.B) {
	const n = 5000
	var rows, verdicts int
	for b.Loop() {
		b.StopTimer()
		srv := natstest.Server(b)
		nc := natstest.Connect(b, srv)
		streams, err := natsbus.OpenStreams(b.Context(), nc, natsbus.StreamConfig{Memory: true})
		if err != nil {
			b.Fatal(err)
		}
		run := fmt.Sprintf("bench-%d", verdicts)
		rows += publishVerdicts(b, streams, run, n)
		verdicts += n
		db, err := results.Open(b.Context(), filepath.Join(b.TempDir(), "arena.db"))
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(b.Context())
		var committed atomic.Int64
		rec := &arena.Recorder{Streams: streams, DB: db, Batch: 1000, Committed: func(_ string, k int) {
			if committed.Add(int64(k)) >= n {
				cancel()
			}
		}}
		b.StartTimer()
		if err := rec.Run(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cancel()
		db.Close()
		nc.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(verdicts)/b.Elapsed().Seconds(), "verdicts/s")
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// publishVerdicts puts n verdicts of run in the results stream, each as
// big as a short session: 6 messages, 2 tool calls, 1 finding, 2 scores.
// It returns how many table rows they make.
func publishVerdicts(b *testing.B, streams *natsbus.Streams, run string, n int) int {
	for i := range n {
		s := results.Session{
			Key:    results.SessionKey{Run: run, Persona: fmt.Sprintf("p%d", i%500), Candidate: "golden", Version: "1.0.0", Trial: i / 500},
			Status: results.StatusOK, StopReason: "goals_done", Turns: 3, StartedAt: time.Unix(1e9, 0), FinishedAt: time.Unix(1e9+4, 0),
			Duration: 4 * time.Second, Success: true,
		}
		for t := range 6 {
			role := transcript.RoleUser
			if t%2 == 1 {
				role = transcript.RoleAssistant
			}
			s.Messages = append(s.Messages, results.Message{Turn: t/2 + 1, Message: transcript.Message{Role: role, Content: "a line of text"}})
		}
		for c := range 2 {
			s.ToolCalls = append(s.ToolCalls, results.ToolCall{Turn: c + 1, CallID: fmt.Sprint("call_", c), Tool: "search_customers",
				Arguments: `{"query":"customer_city = 'Toronto'"}`, Result: `{"customers":[]}`, Valid: true})
		}
		s.Findings = []results.Finding{{Turn: 1, Rule: "opt_out", Kind: "opt_out", Message: "declined"}}
		s.Scores = []results.Score{{Judge: "stage1", Criterion: "goals", Score: 1, Gated: 1}, {Judge: "stage1", Criterion: "validity", Score: 1, Gated: 1}}
		data, err := json.Marshal(arena.SessionMessage{Session: s})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := streams.JS.PublishAsync(natsbus.ResultSubject(run, natsbus.ResultSession), data); err != nil {
			b.Fatal(err)
		}
	}
	<-streams.JS.PublishAsyncComplete()
	return n * (1 + 6 + 2 + 1 + 2)
}
