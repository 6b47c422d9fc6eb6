package personas_test

import (
	"bytes"
	"testing"

	"github.com/merchantarena/merchantarena/personas"
)

func BenchmarkExtract(b *testing.B) {
	conv := mustLoad(b, "testdata/toronto.json")
	for b.Loop() {
		if _, err := personas.Extract(conv); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadJSONL(b *testing.B) {
	card, err := personas.Extract(mustLoad(b, "testdata/toronto.json"))
	if err != nil {
		b.Fatal(err)
	}
	cards := make([]personas.Card, 1000)
	for i := range cards {
		cards[i] = card
		cards[i].ID = card.ID + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	var lib bytes.Buffer
	if err := personas.WriteJSONL(&lib, cards); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(lib.Len()))
	for b.Loop() {
		got, err := personas.ReadJSONL(bytes.NewReader(lib.Bytes()), "bench.jsonl")
		if err != nil || len(got) != len(cards) {
			b.Fatalf("%d cards, %v", len(got), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cards)), "ns/card")
}
