package results_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
)

// The cache is handed to llm.Config.Cache.
var _ llm.Cache = (*results.LLMCache)(nil)

func TestLLMCache_Get(t *testing.T) {
	t.Run("MissIsFalseWithoutError", func(t *testing.T) {
		c := MustOpenDB(t).LLMCache()
		v, ok, err := c.Get(t.Context(), "absent")
		if err != nil || ok || v != nil {
			t.Errorf("Get(absent) = %q, %v, %v; want nil, false, nil", v, ok, err)
		}
	})

	t.Run("ErrEmptyKey", func(t *testing.T) {
		c := MustOpenDB(t).LLMCache()
		if _, _, err := c.Get(t.Context(), ""); err == nil {
			t.Error("Get(\"\") succeeded, want an error")
		}
		if err := c.Put(t.Context(), "", "m", []byte("v")); err == nil {
			t.Error("Put(\"\") succeeded, want an error")
		}
	})
}

func TestLLMCache_Put(t *testing.T) {
	t.Run("RoundTripsBytes", func(t *testing.T) {
		c := MustOpenDB(t).LLMCache()
		want := []byte("{\"message\":\"caf\xc3\xa9\"}\x00\xff binary tail")
		if err := c.Put(t.Context(), "k1", "gpt-judge", want); err != nil {
			t.Fatal(err)
		}
		got, ok, err := c.Get(t.Context(), "k1")
		if err != nil || !ok {
			t.Fatalf("Get(k1) = %v, %v; want a hit", ok, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Get(k1) (-want +got):\n%s", diff)
		}
	})

	t.Run("EmptyValueIsAHit", func(t *testing.T) {
		c := MustOpenDB(t).LLMCache()
		if err := c.Put(t.Context(), "k1", "m", nil); err != nil {
			t.Fatal(err)
		}
		got, ok, err := c.Get(t.Context(), "k1")
		if err != nil || !ok || len(got) != 0 {
			t.Errorf("Get(k1) = %q, %v, %v; want an empty hit", got, ok, err)
		}
	})

	t.Run("UpsertReplacesValueModelAndTime", func(t *testing.T) {
		db := MustOpenDB(t)
		c := db.LLMCache()
		if err := c.Put(t.Context(), "k1", "old-model", []byte("old")); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return t0.Add(time.Hour) }
		if err := c.Put(t.Context(), "k1", "new-model", []byte("new")); err != nil {
			t.Fatal(err)
		}
		got, _, err := c.Get(t.Context(), "k1")
		if err != nil || string(got) != "new" {
			t.Errorf("Get(k1) = %q, %v; want new", got, err)
		}
		var n int
		var model, at string
		err = MustRawDB(t, db.Path()).QueryRow(`SELECT count(*), max(model), max(created_at) FROM llm_cache`).
			Scan(&n, &model, &at)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("1 new-model %s", t0.Add(time.Hour).Format("2006-01-02T15:04:05.000Z"))
		if got := fmt.Sprintf("%d %s %s", n, model, at); got != want {
			t.Errorf("llm_cache = %q, want %q", got, want)
		}
	})

	t.Run("SurvivesReopen", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "arena.db")
		db, err := results.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.LLMCache().Put(t.Context(), "k1", "m", []byte("v")); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		got, ok, err := MustOpenPath(t, path).LLMCache().Get(t.Context(), "k1")
		if err != nil || !ok || string(got) != "v" {
			t.Errorf("Get(k1) after reopen = %q, %v, %v; want v", got, ok, err)
		}
	})

	t.Run("ConcurrentPutAndGet", func(t *testing.T) {
		// Writers share half their keys; readers must only ever see a
		// value some writer put under that key.
		db := MustOpenDB(t)
		const writers, keys, rounds = 4, 20, 5
		var wg sync.WaitGroup
		errs := make(chan error, 2*writers)
		for w := range writers {
			wg.Go(func() {
				c := db.LLMCache()
				for r := range rounds {
					for k := range keys {
						if err := c.Put(t.Context(), cacheKey(w, k), "m", cacheValue(w, k, r)); err != nil {
							errs <- err
							return
						}
					}
				}
			})
			wg.Go(func() {
				c := db.LLMCache()
				for range rounds {
					for k := range keys {
						v, ok, err := c.Get(t.Context(), cacheKey(w, k))
						if err != nil {
							errs <- err
							return
						}
						if ok && !strings.HasPrefix(string(v), cacheKey(w, k)+"=") {
							errs <- fmt.Errorf("Get(%s) = %q: another key's value", cacheKey(w, k), v)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		c := db.LLMCache()
		for w := range writers {
			for k := range keys {
				got, ok, err := c.Get(t.Context(), cacheKey(w, k))
				if err != nil || !ok {
					t.Fatalf("Get(%s) = %v, %v after the writers finished", cacheKey(w, k), ok, err)
				}
				if !isFinalValue(string(got), w, k, writers, rounds) {
					t.Errorf("Get(%s) = %q, want some writer's last value", cacheKey(w, k), got)
				}
			}
		}
		// Even keys are shared by all writers, odd ones private to each.
		if n, want := count(t, db, "llm_cache"), keys/2+writers*keys/2; n != want {
			t.Errorf("llm_cache has %d rows, want %d (one per key)", n, want)
		}
	})
}

// cacheKey makes even keys shared by every writer and odd keys private to
// writer w.
func cacheKey(w, k int) string {
	if k%2 == 0 {
		return fmt.Sprintf("shared-%d", k)
	}
	return fmt.Sprintf("w%d-%d", w, k)
}

func cacheValue(w, k, round int) []byte {
	return fmt.Appendf(nil, "%s=w%d/r%d", cacheKey(w, k), w, round)
}

// isFinalValue reports whether v is a value written in the last round by a
// writer that puts key (w, k).
func isFinalValue(v string, w, k, writers, rounds int) bool {
	for o := range writers {
		if cacheKey(o, k) == cacheKey(w, k) && v == string(cacheValue(o, k, rounds-1)) {
			return true
		}
	}
	return false
}

func TestLLMCache_ErrClosed(t *testing.T) {
	db, err := results.Open(t.Context(), filepath.Join(t.TempDir(), "arena.db"))
	if err != nil {
		t.Fatal(err)
	}
	c := db.LLMCache()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Get(t.Context(), "k"); err == nil {
		t.Error("Get on a closed file succeeded")
	}
	if err := c.Put(t.Context(), "k", "m", []byte("v")); err == nil || errors.Is(err, results.ErrInvalid) {
		t.Errorf("Put on a closed file = %v, want a database error", err)
	}
}
