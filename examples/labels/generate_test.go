package labels_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/merchantarena/merchantarena/examples"
)

var update = flag.Bool("update", false, "rewrite experts.jsonl")

var (
	humans = []string{"expert:ana", "expert:ben", "expert:chloe"}
	judge  = "llm:gpt-4.1-mini"
)

// generate writes the example: for each conversation a true helpfulness
// (mostly 4 or 5) and hallucination (mostly 1), which each human reports
// with small, independent slips, the judge with slips about as often, and
// each human skips an item now and then.
func generate(t *testing.T) []byte {
	t.Helper()
	convs, err := examples.Conversations()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 2025))
	var b bytes.Buffer
	write := func(item, criterion, rater, kind string, label int) {
		line, _ := json.Marshal(struct {
			Item      string `json:"item"`
			Criterion string `json:"criterion"`
			Rater     string `json:"rater"`
			Kind      string `json:"kind"`
			Label     int    `json:"label"`
		}{item, criterion, rater, kind, label})
		b.Write(append(line, '\n'))
	}
	for _, c := range convs {
		help := []int{2, 3, 3, 4, 4, 4, 5, 5, 5, 5}[rng.IntN(10)]
		supported := 1
		if rng.Float64() < 0.25 {
			supported = 0
		}
		for _, h := range humans {
			if rng.Float64() < 0.03 {
				continue // skipped this one
			}
			write(c.ID, "helpfulness", h, "human", slip(rng, help, 0.25))
			write(c.ID, "hallucination", h, "human", flip(rng, supported, 0.04))
		}
		write(c.ID, "helpfulness", judge, "judge", slip(rng, help, 0.25))
		write(c.ID, "hallucination", judge, "judge", flip(rng, supported, 0.06))
	}
	return b.Bytes()
}

// slip moves v one level up or down with probability p, within 1..5.
func slip(rng *rand.Rand, v int, p float64) int {
	if rng.Float64() >= p {
		return v
	}
	if (rng.IntN(2) == 0 && v > 1) || v == 5 {
		return v - 1
	}
	return v + 1
}

// flip turns a binary label over with probability p.
func flip(rng *rand.Rand, v int, p float64) int {
	if rng.Float64() < p {
		return 1 - v
	}
	return v
}

func TestGenerate(t *testing.T) {
	want := generate(t)
	if *update {
		if err := os.WriteFile("experts.jsonl", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile("experts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal(fmt.Errorf("experts.jsonl differs from what the generator writes; rerun with -update"))
	}
}
