package replay_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/replay"
	"github.com/merchantarena/merchantarena/transcript"
)

// BenchmarkCompare diffs the 200 tau-bench airline trajectories, each
// against the next trial of its task.
func BenchmarkCompare(b *testing.B) {
	log, err := transcript.ReadFile(sharedData(b, "tau-bench/airline/trajectories-gpt-4o.json"), transcript.Options{})
	if err != nil {
		b.Fatal(err)
	}
	convs := log.Conversations
	divs := 0
	for b.Loop() {
		divs = 0
		for i := range convs {
			d := replay.Compare(replay.Play{Conversation: convs[i]}, replay.Play{Conversation: convs[(i+1)%len(convs)]})
			divs += len(d.Divergences)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(convs)), "us/conversation")
	b.ReportMetric(float64(divs)/float64(len(convs)), "divergences/conversation")
}
