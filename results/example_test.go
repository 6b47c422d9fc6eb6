package results_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// exampleDB opens a results file in a temp dir; the returned func closes
// and removes it.
func exampleDB() (*results.DB, func()) {
	dir, err := os.MkdirTemp("", "results-example")
	if err != nil {
		panic(err)
	}
	db, err := results.Open(context.Background(), filepath.Join(dir, "arena.db"))
	if err != nil {
		panic(err)
	}
	return db, func() { db.Close(); os.RemoveAll(dir) }
}

func Example() {
	ctx := context.Background()
	db, done := exampleDB()
	defer done()

	run, err := db.BeginRun(ctx, results.Run{ID: "run-1", Mode: "verbatim"})
	if err != nil {
		panic(err)
	}
	score := func(f float64) *float64 { return &f }
	err = db.WriteSessions(ctx, []results.Session{
		{
			Key:    results.SessionKey{Run: run.ID, Persona: "p1", Candidate: "golden", Version: "1.0.0"},
			Status: results.StatusOK, Success: true, GatedScore: score(1), Turns: 2,
			Messages: []results.Message{
				{Turn: 1, Message: transcript.Message{Role: transcript.RoleUser, Content: "Tag my VIPs"}},
				{Turn: 1, Message: transcript.Message{Role: transcript.RoleAssistant, Content: "Done: 12 tagged."}},
			},
		},
		{
			Key:    results.SessionKey{Run: run.ID, Persona: "p1", Candidate: "tag-hacker", Version: "1.0.0"},
			Status: results.StatusOK, GatedScore: score(0.25), Turns: 2,
			Findings: []results.Finding{{Turn: 1, Rule: "tag_hack", Kind: "hack", Gate: true}},
		},
	})
	if err != nil {
		panic(err)
	}
	if err := db.FinishRun(ctx, run.ID, results.RunDone, time.Time{}); err != nil {
		panic(err)
	}

	board, err := db.Leaderboard(ctx, run.ID)
	if err != nil {
		panic(err)
	}
	for _, r := range board {
		fmt.Printf("%d. %s@%s score %.2f success %.0f%% violations %d\n",
			r.Rank, r.Candidate, r.Version, r.MeanScore, 100*r.SuccessRate, r.Violations)
	}
	// Output:
	// 1. golden@1.0.0 score 1.00 success 100% violations 0
	// 2. tag-hacker@1.0.0 score 0.25 success 0% violations 1
}

func ExampleDB_DoneSessions() {
	ctx := context.Background()
	db, done := exampleDB()
	defer done()

	k := results.SessionKey{Run: "run-1", Persona: "p1", Candidate: "golden", Version: "1.0.0"}
	cut := k
	cut.Trial = 1
	if err := db.WriteSessions(ctx, []results.Session{
		{Key: k, Status: results.StatusOK},
		{Key: cut, Status: results.StatusCancelled}, // replayed on resume
	}); err != nil {
		panic(err)
	}
	recorded, err := db.DoneSessions(ctx, "run-1")
	if err != nil {
		panic(err)
	}
	fmt.Println(recorded[k], recorded[cut])
	// Output: true false
}

func ExampleDB_LatestRun() {
	db, done := exampleDB()
	defer done()

	_, err := db.LatestRun(context.Background())
	fmt.Println(err)
	// Output: latest run: no runs in the results file
}

func ExampleDB_RunUsage() {
	ctx := context.Background()
	db, done := exampleDB()
	defer done()

	// In a run, the calls made for a session ride on its verdict; the
	// others are written as they come.
	err := db.WriteLLMCalls(ctx, "run-1", []llm.Call{
		{Role: llm.RoleJudge, Model: "gpt-judge", PromptTokens: 1200, CompletionTokens: 80, Cost: 0.002},
		{Role: llm.RoleJudge, Model: "gpt-judge", Cached: true},
		{Role: llm.RoleSimulator, Model: "gpt-sim", PromptTokens: 900, CompletionTokens: 40, Cost: 0.001, Retries: 1},
	})
	if err != nil {
		panic(err)
	}
	usage, err := db.RunUsage(ctx, "run-1")
	if err != nil {
		panic(err)
	}
	for _, role := range llm.Roles() {
		if t, ok := usage[role]; ok {
			fmt.Printf("%s: %d calls, %d cached, %d retries, %d tokens, $%.3f\n",
				role, t.Calls, t.CacheHits, t.Retries, t.PromptTokens+t.CompletionTokens, t.Cost)
		}
	}
	// Output:
	// simulator: 1 calls, 0 cached, 1 retries, 940 tokens, $0.001
	// judge: 2 calls, 1 cached, 0 retries, 1280 tokens, $0.002
}

func ExampleDB_LLMCache() {
	ctx := context.Background()
	db, done := exampleDB()
	defer done()

	// Hand it to the client: llm.New(llm.Config{Cache: db.LLMCache(), ...}).
	var cache llm.Cache = db.LLMCache()
	if err := cache.Put(ctx, "sha256-of-the-request", "gpt-judge", []byte(`{"score":0.8}`)); err != nil {
		panic(err)
	}
	v, ok, err := cache.Get(ctx, "sha256-of-the-request")
	fmt.Println(string(v), ok, err)
	// Output: {"score":0.8} true <nil>
}
