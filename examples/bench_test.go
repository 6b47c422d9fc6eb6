package examples_test

import (
	"testing"

	"github.com/merchantarena/merchantarena/examples"
)

func BenchmarkConversations(b *testing.B) {
	n := 0
	for b.Loop() {
		convs, err := examples.Conversations()
		if err != nil {
			b.Fatal(err)
		}
		n = len(convs)
	}
	b.ReportMetric(float64(n), "conversations")
}
