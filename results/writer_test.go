package results_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
)

func TestWriter(t *testing.T) {
	t.Run("CloseFlushesEverything", func(t *testing.T) {
		db := MustOpenDB(t)
		w := results.NewWriter(db, 7, 0)
		for i := range 50 {
			if err := w.Add(fullSession(key("r1", "p1", "golden", i), 2, 1, 1)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "sessions"); n != 50 {
			t.Errorf("sessions has %d rows after Close, want 50", n)
		}
		if err := w.Add(fullSession(key("r1", "p1", "golden", 99), 1, 0, 0)); !errors.Is(err, results.ErrWriterClosed) {
			t.Errorf("Add after Close = %v, want ErrWriterClosed", err)
		}
		if err := w.Flush(t.Context()); !errors.Is(err, results.ErrWriterClosed) {
			t.Errorf("Flush after Close = %v, want ErrWriterClosed", err)
		}
		if err := w.Close(); err != nil {
			t.Errorf("second Close = %v, want nil", err)
		}
	})

	t.Run("FlushWritesWhatWasAdded", func(t *testing.T) {
		db := MustOpenDB(t)
		w := results.NewWriter(db, 1000, 0)
		defer w.Close()
		for i := range 3 {
			if err := w.Add(fullSession(key("r1", "p1", "golden", i), 2, 1, 1)); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "sessions"); n != 3 {
			t.Errorf("sessions has %d rows after Flush, want 3", n)
		}
	})

	t.Run("TimedFlush", func(t *testing.T) {
		db := MustOpenDB(t)
		w := results.NewWriter(db, 1000, 10*time.Millisecond)
		defer w.Close()
		if err := w.Add(fullSession(key("r1", "p1", "golden", 0), 2, 1, 1)); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, "the timed flush", func() bool { return count(t, db, "sessions") == 1 })
	})

	t.Run("ErrorsSurfaceFromFlushThenClose", func(t *testing.T) {
		db := MustOpenDB(t)
		w := results.NewWriter(db, 2, 0)
		bad := fullSession(key("r1", "p1", "golden", 0), 1, 0, 0)
		bad.Status = "finished"
		for _, s := range []results.Session{bad, fullSession(key("r1", "p1", "golden", 1), 1, 0, 0)} {
			if err := w.Add(s); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Flush(t.Context()); !errors.Is(err, results.ErrInvalid) {
			t.Errorf("Flush = %v, want the invalid session's error", err)
		}
		if err := w.Flush(t.Context()); err != nil {
			t.Errorf("second Flush = %v, want nil (errors are reported once)", err)
		}
		if err := w.Add(bad); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); !errors.Is(err, results.ErrInvalid) {
			t.Errorf("Close = %v, want the invalid session's error", err)
		}
		if n := count(t, db, "sessions"); n != 1 {
			t.Errorf("sessions has %d rows, want the 1 valid session", n)
		}
	})
	t.Run("SessionsAndCallsInOneStream", func(t *testing.T) {
		// A session's calls arrive around it, as the arena logs them; the
		// writer batches both kinds together, 7 records at a time.
		db := MustOpenDB(t)
		w := results.NewWriter(db, 7, 0)
		rng := rand.New(rand.NewPCG(8, 8))
		var calls []llm.Call
		for i := range 12 {
			k := key("r1", "p1", "golden", i)
			for _, c := range randomCalls(rng, i%4, k.String()) {
				if err := w.AddCall("r1", c); err != nil {
					t.Fatal(err)
				}
				calls = append(calls, c)
			}
			if err := w.Add(fullSession(k, 2, 1, 1)); err != nil {
				t.Fatal(err)
			}
		}
		extraction := llm.Call{Role: llm.RoleExtractor, Model: "m", PromptTokens: 900, At: t0}
		if err := w.AddCall("r1", extraction); err != nil {
			t.Fatal(err)
		}
		calls = append(calls, extraction)
		if err := w.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		if n := count(t, db, "sessions"); n != 12 {
			t.Errorf("sessions has %d rows after Flush, want 12", n)
		}
		got, err := db.LLMCalls(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(calls, got); diff != "" {
			t.Errorf("LLMCalls, in the order added (-want +got):\n%s", diff)
		}
		usage, err := db.RunUsage(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(sumCalls(calls), usage); diff != "" {
			t.Errorf("RunUsage (-want +got):\n%s", diff)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if err := w.AddCall("r1", extraction); !errors.Is(err, results.ErrWriterClosed) {
			t.Errorf("AddCall after Close = %v, want ErrWriterClosed", err)
		}
	})

	t.Run("InvalidCallReportedOthersWritten", func(t *testing.T) {
		db := MustOpenDB(t)
		w := results.NewWriter(db, 100, 0)
		defer w.Close()
		good := llm.Call{Role: llm.RoleJudge, At: t0}
		for i, c := range []llm.Call{good, {Role: llm.RoleJudge, Retries: -1}, good} {
			if err := w.AddCall("r1", c); err != nil {
				t.Fatalf("AddCall %d: %v", i, err)
			}
		}
		if err := w.Add(fullSession(key("r1", "p1", "golden", 0), 2, 1, 1)); err != nil {
			t.Fatal(err)
		}
		err := w.Flush(t.Context())
		var ie *results.InvalidError
		if !errors.As(err, &ie) || ie.Field != "retries" {
			t.Fatalf("Flush = %v, want *InvalidError on retries", err)
		}
		got := fmt.Sprintf("%d sessions, %d calls", count(t, db, "sessions"), count(t, db, "llm_calls"))
		if got != "1 sessions, 2 calls" {
			t.Errorf("wrote %s; want 1 sessions, 2 calls", got)
		}
	})
}
