package candidates_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
)

// BenchmarkClient_Turn measures a turn round trip through one served echo
// build over TCP loopback: the SDK's cost without any model behind it.
func BenchmarkClient_Turn(b *testing.B) {
	srv := natstest.Server(b)
	mustServe(b, natstest.Connect(b, srv), build("bench", echo))
	client := candidates.NewClient(natstest.Connect(b, srv))
	subject := natsbus.CandidateTurn("bench", "1.0.0")
	req := say("how many customers opted in to email marketing this month?")

	b.Run("mode=serial", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.Turn(b.Context(), subject, req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	})
	b.Run("mode=parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := client.Turn(b.Context(), subject, req); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "turns/s")
	})
}
