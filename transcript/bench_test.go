package transcript_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/merchantarena/merchantarena/transcript"
)

// BenchmarkRead reads the public sample logs from memory; MB/s comes from
// b.SetBytes, conversations/s from b.ReportMetric.
func BenchmarkRead(b *testing.B) {
	files := []struct{ format, rel string }{
		{transcript.FormatTauBench, "tau-bench/airline/trajectories-gpt-4o.json"},
		{transcript.FormatTau2Bench, "tau2-bench/retail/results-gpt-4.1-40sims.json"},
		{transcript.FormatJSONL, "tau2-bench/retail/sft-openai.jsonl"},
	}
	for _, f := range files {
		b.Run("format="+f.format, func(b *testing.B) {
			path := sharedData(b, f.rel)
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			convs := 0
			for b.Loop() {
				l, err := transcript.Read(bytes.NewReader(data), path, transcript.Options{})
				if err != nil || len(l.Problems) > 0 {
					b.Fatalf("Read: %v (%d problems)", err, len(l.Problems))
				}
				convs += len(l.Conversations)
			}
			b.ReportMetric(float64(convs)/b.Elapsed().Seconds(), "conversations/s")
		})
	}
}
