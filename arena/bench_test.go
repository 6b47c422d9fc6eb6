package arena_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/sandbox"
)

// BenchmarkRunner measures the arena's overhead per merchant turn: the
// bundled examples played by reference builds served in-process, each turn
// a NATS round trip to the build, tool calls through the sandbox, the
// stage-1 judges, and (sink=sqlite) the results file in batches of 64.
func BenchmarkRunner(b *testing.B) {
	for _, build := range []string{"golden", "tag-hacker"} {
		for _, sink := range []string{"none", "sqlite"} {
			b.Run(fmt.Sprintf("build=%s/sink=%s", build, sink), func(b *testing.B) {
				benchRunner(b, build, sink)
			})
		}
	}
}

func benchRunner(b *testing.B, build, sink string) {
	convs := mustExamples(b)
	nc := natstest.Conn(b)
	box := sandbox.NewService(nc)
	if err := box.Start(); err != nil {
		b.Fatal(err)
	}
	defer box.Stop()
	svcs, err := arena.ServeReferences(nc, arena.References{Names: []string{build}, Logs: convs})
	if err != nil {
		b.Fatal(err)
	}
	defer arena.StopAll(svcs)
	var cards []personas.Card
	for _, c := range convs {
		card, err := personas.Extract(c)
		if err != nil {
			b.Fatal(err)
		}
		cards = append(cards, card)
	}
	in := svcs[0].Info()
	target := arena.Target{Name: in.Name, Version: in.Version, Subject: in.Subject}
	r := arena.NewRunner(candidates.NewClient(nc), box)
	r.Concurrency = 8
	var turns int
	r.Sink = func(_ context.Context, o arena.Outcome) error { turns += o.Turns(); return nil }
	var pending []results.Session
	var db *results.DB
	if sink == "sqlite" {
		db = mustDB(b)
		r.Sink = func(ctx context.Context, o arena.Outcome) error {
			turns += o.Turns()
			if pending = append(pending, arena.SessionRecord(&o)); len(pending) < 64 {
				return nil
			}
			defer func() { pending = pending[:0] }()
			return db.WriteSessions(ctx, pending)
		}
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	i := 0
	for b.Loop() {
		plan := arena.Plan{Run: fmt.Sprintf("bench-%d", i), Cards: cards, Targets: []arena.Target{target}}
		if _, err := r.Run(b.Context(), plan.Jobs(), nil); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if db != nil && len(pending) > 0 {
		if err := db.WriteSessions(b.Context(), pending); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(turns)/b.Elapsed().Seconds(), "turns/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(turns), "allocs/turn")
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(turns), "µs/turn")
}
