package results_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/results"
)

func TestDB_BeginRun(t *testing.T) {
	t.Run("NewRunGetsClockAndRunning", func(t *testing.T) {
		db := MustOpenDB(t)
		got, err := db.BeginRun(t.Context(), results.Run{ID: "r1", Mode: "verbatim",
			Config: json.RawMessage(`{"trials":3}`)})
		if err != nil {
			t.Fatal(err)
		}
		want := results.Run{ID: "r1", StartedAt: t0, Mode: "verbatim", Status: results.RunRunning,
			Config: json.RawMessage(`{"trials":3}`)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("BeginRun (-want +got):\n%s", diff)
		}
	})

	t.Run("ResumeKeepsStartAndConfig", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.BeginRun(t.Context(), results.Run{ID: "r1", Mode: "verbatim",
			Config: json.RawMessage(`{"trials":3}`), Notes: "first"}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(t.Context(), "r1", results.RunCancelled, t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return t0.Add(time.Hour) }
		got, err := db.BeginRun(t.Context(), results.Run{ID: "r1"})
		if err != nil {
			t.Fatal(err)
		}
		want := results.Run{ID: "r1", StartedAt: t0, Mode: "verbatim", Status: results.RunRunning,
			Config: json.RawMessage(`{"trials":3}`), Notes: "first"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("resumed run (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrInvalidConfigWithoutEchoingIt", func(t *testing.T) {
		db := MustOpenDB(t)
		_, err := db.BeginRun(t.Context(), results.Run{ID: "r1",
			Config: json.RawMessage(`{"api_key":"sk-live-123"`)})
		var ie *results.InvalidError
		if !errors.As(err, &ie) || ie.Field != "config" {
			t.Fatalf("BeginRun = %v, want *InvalidError on config", err)
		}
		if strings.Contains(err.Error(), "sk-live-123") {
			t.Errorf("error %q repeats the config's content", err)
		}
	})
}

func TestDB_PutRun(t *testing.T) {
	t.Run("ReplacesEveryField", func(t *testing.T) {
		db := MustOpenDB(t)
		first := results.Run{ID: "r1", StartedAt: t0, Mode: "simulate", Status: results.RunRunning,
			Config: json.RawMessage(`{"a":1}`), Notes: "n"}
		if err := db.PutRun(t.Context(), first); err != nil {
			t.Fatal(err)
		}
		second := results.Run{ID: "r1", StartedAt: t0.Add(time.Second), FinishedAt: t0.Add(time.Hour),
			Mode: "verbatim", Status: results.RunDone}
		if err := db.PutRun(t.Context(), second); err != nil {
			t.Fatal(err)
		}
		got, err := db.Run(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(second, got); diff != "" {
			t.Errorf("Run (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrEmptyID", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.PutRun(t.Context(), results.Run{}); !errors.Is(err, results.ErrInvalid) {
			t.Errorf("PutRun(empty) = %v, want ErrInvalid", err)
		}
	})
}

func TestDB_FinishRun(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.PutRun(t.Context(), results.Run{ID: "r1", StartedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := db.FinishRun(t.Context(), "r1", results.RunDone, time.Time{}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Run(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != results.RunDone || !got.FinishedAt.Equal(t0) {
			t.Errorf("finished run = %+v, want done at the clock's %v", got, t0)
		}
	})

	t.Run("ErrRunNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		err := db.FinishRun(t.Context(), "nope", results.RunDone, t0)
		if !errors.Is(err, results.ErrRunNotFound) {
			t.Errorf("FinishRun(nope) = %v, want ErrRunNotFound", err)
		}
	})
}

func TestDB_Runs(t *testing.T) {
	db := MustOpenDB(t)
	for i, id := range []string{"b", "c", "a"} {
		if err := db.PutRun(t.Context(), results.Run{ID: id, StartedAt: t0.Add(time.Duration(i) * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := db.Runs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.ID)
	}
	if diff := cmp.Diff([]string{"a", "c", "b"}, got); diff != "" {
		t.Errorf("Runs order, newest first (-want +got):\n%s", diff)
	}
}

func TestDB_LatestRun(t *testing.T) {
	t.Run("ErrNoRuns", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.LatestRun(t.Context()); !errors.Is(err, results.ErrNoRuns) {
			t.Errorf("LatestRun on an empty file = %v, want ErrNoRuns", err)
		}
	})

	t.Run("NewestStart", func(t *testing.T) {
		db := MustOpenDB(t)
		// Millisecond times sort as text only if the width is fixed: 9.5 s
		// must come after 9 s.
		if err := db.PutRun(t.Context(), results.Run{ID: "early", StartedAt: t0.Truncate(time.Second)}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutRun(t.Context(), results.Run{ID: "late", StartedAt: t0.Truncate(time.Second).Add(500 * time.Millisecond)}); err != nil {
			t.Fatal(err)
		}
		got, err := db.LatestRun(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "late" {
			t.Errorf("LatestRun = %q, want late", got.ID)
		}
	})
}

func TestDB_Run(t *testing.T) {
	t.Run("ErrRunNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.Run(t.Context(), "nope"); !errors.Is(err, results.ErrRunNotFound) {
			t.Errorf("Run(nope) = %v, want ErrRunNotFound", err)
		}
	})
}

func TestDB_PutPersonas(t *testing.T) {
	t.Run("UpsertAndRead", func(t *testing.T) {
		db := MustOpenDB(t)
		p := results.Persona{ID: "p1", SourceConversation: "conv-7", SourceFile: "logs.jsonl",
			Extractor: "heuristic/1", Skills: []string{"segments", "tags"},
			Card: json.RawMessage(`{"id":"p1","goals":[]}`)}
		if err := db.PutPersonas(t.Context(), []results.Persona{{ID: "p1"}}); err != nil {
			t.Fatal(err)
		}
		if err := db.PutPersonas(t.Context(), []results.Persona{p}); err != nil {
			t.Fatal(err)
		}
		got, err := db.Persona(t.Context(), "p1")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("Persona (-want +got):\n%s", diff)
		}
	})

	t.Run("InvalidSkippedOthersWritten", func(t *testing.T) {
		db := MustOpenDB(t)
		err := db.PutPersonas(t.Context(), []results.Persona{
			{ID: "ok"}, {ID: "bad", Card: json.RawMessage(`{`)}, {},
		})
		var ie *results.InvalidError
		if !errors.As(err, &ie) || ie.Index != 1 || ie.Field != "card" {
			t.Fatalf("PutPersonas = %v, want *InvalidError for #1 card first", err)
		}
		if _, err := db.Persona(t.Context(), "ok"); err != nil {
			t.Errorf("valid persona not written: %v", err)
		}
		if _, err := db.Persona(t.Context(), "bad"); !errors.Is(err, results.ErrPersonaNotFound) {
			t.Errorf("Persona(bad) = %v, want ErrPersonaNotFound", err)
		}
	})
}

func TestDB_PutCandidates(t *testing.T) {
	t.Run("UpsertByNameAndVersion", func(t *testing.T) {
		db := MustOpenDB(t)
		in := []results.Candidate{
			{Name: "golden", Version: "1.0.0", Kind: "mutant"},
			{Name: "golden", Version: "1.1.0", Kind: "mutant"},
			{Name: "golden", Version: "1.0.0", Kind: "reference", Metadata: json.RawMessage(`{"arena.kind":"candidate"}`)},
		}
		if err := db.PutCandidates(t.Context(), in); err != nil {
			t.Fatal(err)
		}
		got, err := db.Candidates(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := []results.Candidate{
			{Name: "golden", Version: "1.0.0", Kind: "reference", Metadata: json.RawMessage(`{"arena.kind":"candidate"}`)},
			{Name: "golden", Version: "1.1.0", Kind: "mutant"},
		}
		ignoreID := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".ID" }, cmp.Ignore())
		if diff := cmp.Diff(want, got, ignoreID); diff != "" {
			t.Errorf("Candidates (-want +got):\n%s", diff)
		}
	})

	t.Run("ErrEmptyName", func(t *testing.T) {
		db := MustOpenDB(t)
		err := db.PutCandidates(t.Context(), []results.Candidate{{Version: "1"}})
		if !errors.Is(err, results.ErrInvalid) {
			t.Errorf("PutCandidates = %v, want ErrInvalid", err)
		}
	})
}
