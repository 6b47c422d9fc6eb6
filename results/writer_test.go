package results_test

import (
	"errors"
	"testing"
	"time"

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
}
