package results_test

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
)

// randomCalls returns n calls with random roles, outcomes and spend. Costs
// are multiples of 1/1024 dollar, so every sum is exact in float64.
func randomCalls(rng *rand.Rand, n int, session string) []llm.Call {
	roles := llm.Roles()
	calls := make([]llm.Call, n)
	for i := range calls {
		c := llm.Call{Role: roles[rng.IntN(len(roles))], Model: fmt.Sprintf("model-%d", rng.IntN(2)),
			Session: session, Retries: rng.IntN(3), Latency: time.Duration(1+rng.IntN(3000)) * time.Millisecond,
			At: t0.Add(time.Duration(i) * time.Second)}
		switch rng.IntN(5) {
		case 0: // a cache hit spends nothing
			c.Cached = true
		case 1:
			c.Err = "status 500: upstream"
		default:
			c.PromptTokens, c.CompletionTokens = rng.IntN(4000), rng.IntN(800)
			c.Cost = float64(rng.IntN(200)) / 1024
		}
		calls[i] = c
	}
	return calls
}

// sumCalls totals calls by role as llm.Client does.
func sumCalls(calls ...[]llm.Call) map[llm.Role]llm.Totals {
	out := map[llm.Role]llm.Totals{}
	for _, cs := range calls {
		for _, c := range cs {
			t := out[c.Role]
			t.Calls++
			t.Retries += c.Retries
			if c.Cached {
				t.CacheHits++
			}
			if c.Err != "" {
				t.Errors++
			}
			t.PromptTokens += int64(c.PromptTokens)
			t.CompletionTokens += int64(c.CompletionTokens)
			t.Cost += c.Cost
			out[c.Role] = t
		}
	}
	return out
}

func TestDB_WriteLLMCalls(t *testing.T) {
	t.Run("RoundTrip", func(t *testing.T) {
		db := MustOpenDB(t)
		want := randomCalls(rand.New(rand.NewPCG(1, 1)), 30, "r1/p1/golden@1.0.0/0")
		want[3].Session = "" // extraction serves no session: NULL
		want[4].Latency = 1500 * time.Microsecond
		if err := db.WriteLLMCalls(t.Context(), "r1", want); err != nil {
			t.Fatal(err)
		}
		got, err := db.LLMCalls(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("LLMCalls (-want +got):\n%s", diff)
		}
		var nulls int
		if err := MustRawDB(t, db.Path()).QueryRow(`SELECT count(*) FROM llm_calls WHERE session IS NULL`).
			Scan(&nulls); err != nil {
			t.Fatal(err)
		}
		if nulls != 1 {
			t.Errorf("%d calls with a NULL session, want 1", nulls)
		}
	})

	t.Run("ZeroTimeTakesTheClockAndRunIsStubbed", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.WriteLLMCalls(t.Context(), "r9", []llm.Call{{Role: llm.RoleExtractor}}); err != nil {
			t.Fatal(err)
		}
		got, err := db.LLMCalls(t.Context(), "r9")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]llm.Call{{Role: llm.RoleExtractor, At: t0}}, got); diff != "" {
			t.Errorf("LLMCalls (-want +got):\n%s", diff)
		}
		run, err := db.Run(t.Context(), "r9")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(results.Run{ID: "r9", StartedAt: t0, Status: results.RunRunning}, run); diff != "" {
			t.Errorf("stub run (-want +got):\n%s", diff)
		}
	})

	t.Run("InvalidCallSkippedOthersWritten", func(t *testing.T) {
		db := MustOpenDB(t)
		good := llm.Call{Role: llm.RoleJudge, Model: "m", PromptTokens: 10, At: t0}
		noRole, negTokens, nanCost := good, good, good
		noRole.Role = ""
		negTokens.CompletionTokens = -1
		nanCost.Cost = math.NaN()
		err := db.WriteLLMCalls(t.Context(), "r1", []llm.Call{good, noRole, negTokens, nanCost, good})
		var got []string
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var ie *results.InvalidError
			if !errors.As(e, &ie) {
				t.Fatalf("error %v is not an *InvalidError", e)
			}
			got = append(got, fmt.Sprintf("%s %s #%d %s", ie.Kind, ie.Key, ie.Index, ie.Field))
		}
		want := []string{"llm_call r1/ #1 role", "llm_call r1/judge #2 completion_tokens", "llm_call r1/judge #3 cost"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("invalid calls (-want +got):\n%s", diff)
		}
		if n := count(t, db, "llm_calls"); n != 2 {
			t.Errorf("llm_calls has %d rows, want the 2 valid calls", n)
		}
		if err := db.WriteLLMCalls(t.Context(), "", []llm.Call{good}); !errors.Is(err, results.ErrInvalid) {
			t.Errorf("WriteLLMCalls with no run = %v, want ErrInvalid", err)
		}
	})
}

func TestDB_RunUsage(t *testing.T) {
	t.Run("MatchesIndependentSums", func(t *testing.T) {
		db := MustOpenDB(t)
		rng := rand.New(rand.NewPCG(3, 4))
		r1a, r1b := randomCalls(rng, 200, "s1"), randomCalls(rng, 150, "")
		r2 := randomCalls(rng, 80, "s2")
		for run, batch := range map[string][]llm.Call{"r1": r1a, "r2": r2} {
			if err := db.WriteLLMCalls(t.Context(), run, batch); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.WriteLLMCalls(t.Context(), "r1", r1b); err != nil {
			t.Fatal(err)
		}
		for run, want := range map[string]map[llm.Role]llm.Totals{"r1": sumCalls(r1a, r1b), "r2": sumCalls(r2)} {
			got, err := db.RunUsage(t.Context(), run)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("RunUsage(%s) (-want +got):\n%s", run, diff)
			}
		}
	})

	t.Run("EmptyForUnknownRun", func(t *testing.T) {
		got, err := MustOpenDB(t).RunUsage(t.Context(), "nope")
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("RunUsage(nope) = %v, %v; want an empty map", got, err)
		}
	})

	t.Run("ResumedRunKeepsItsTotals", func(t *testing.T) {
		// The first life logs calls and dies without finishing; the
		// resumed run logs more and finishes: its usage is both lives.
		path := filepath.Join(t.TempDir(), "arena.db")
		rng := rand.New(rand.NewPCG(5, 6))
		first, second := randomCalls(rng, 40, "s1"), randomCalls(rng, 25, "s2")
		db, err := results.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.BeginRun(t.Context(), results.Run{ID: "r1", StartedAt: t0, Mode: "simulate"}); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteLLMCalls(t.Context(), "r1", first); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}

		db = MustOpenPath(t, path)
		db.Now = func() time.Time { return t0.Add(time.Hour) }
		if _, err := db.BeginRun(t.Context(), results.Run{ID: "r1"}); err != nil {
			t.Fatal(err)
		}
		if err := db.WriteLLMCalls(t.Context(), "r1", second); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(t.Context(), "r1", results.RunDone, time.Time{}); err != nil {
			t.Fatal(err)
		}
		got, err := db.RunUsage(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sumCalls(first, second), got); diff != "" {
			t.Errorf("RunUsage after resume (-want +got):\n%s", diff)
		}
		run, err := db.Run(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		want := results.Run{ID: "r1", StartedAt: t0, FinishedAt: t0.Add(time.Hour), Mode: "simulate",
			Status: results.RunDone}
		if diff := cmp.Diff(want, run); diff != "" {
			t.Errorf("resumed and finished run (-want +got):\n%s", diff)
		}
	})

	t.Run("DeletedRunTakesItsCalls", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.WriteLLMCalls(t.Context(), "r1", randomCalls(rand.New(rand.NewPCG(1, 9)), 5, "")); err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("sqlite3", "file:"+db.Path()+"?_foreign_keys=on&_busy_timeout=5000")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`DELETE FROM runs WHERE id = 'r1'`); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "llm_calls"); n != 0 {
			t.Errorf("llm_calls has %d rows after its run was deleted, want 0", n)
		}
	})
}

// A session's LLM calls are written with it, once: a verdict delivered
// twice does not count its tokens twice.
func TestDB_WriteSessionsWithCalls(t *testing.T) {
	db := MustOpenDB(t)
	s := verdict("r1", "p1", "golden", 0, results.StatusOK, true, ptr(1), 0, 0, 0)
	s.LLMCalls = []llm.Call{{Role: llm.RoleSimulator, PromptTokens: 10, Cost: 0.5, At: t0},
		{Role: llm.RoleJudge, PromptTokens: 20, Cost: 0.25, At: t0}}
	for range 2 {
		if err := db.WriteSessions(t.Context(), []results.Session{s}); err != nil {
			t.Fatal(err)
		}
	}
	calls, err := db.LLMCalls(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0].Session != s.Key.String() {
		t.Fatalf("calls = %+v, want the two calls once, named by the session", calls)
	}
	usage, err := db.RunUsage(t.Context(), "r1")
	if err != nil || usage[llm.RoleSimulator].Cost != 0.5 || usage[llm.RoleJudge].PromptTokens != 20 {
		t.Fatalf("usage %+v (%v)", usage, err)
	}
}
