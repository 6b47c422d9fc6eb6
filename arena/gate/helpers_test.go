package gate_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/results"
)

// t0 is the clock of test files; runs start an hour apart from it.
var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// mustOpenDB opens a results file in a temp dir, closed when the test ends.
func mustOpenDB(tb testing.TB) *results.DB {
	tb.Helper()
	db, err := results.Open(tb.Context(), filepath.Join(tb.TempDir(), "arena.db"))
	if err != nil {
		tb.Fatal(err)
	}
	db.Now = func() time.Time { return t0 }
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close: %v", err)
		}
	})
	return db
}

// putRuns records runs in order, each an hour after the one before.
func putRuns(tb testing.TB, db *results.DB, ids ...string) {
	tb.Helper()
	for i, id := range ids {
		if err := db.PutRun(tb.Context(), results.Run{ID: id, StartedAt: t0.Add(time.Duration(i) * time.Hour), Mode: "verbatim"}); err != nil {
			tb.Fatal(err)
		}
	}
}

func write(tb testing.TB, db *results.DB, ss []results.Session) {
	tb.Helper()
	for len(ss) > 0 {
		n := min(len(ss), 2000)
		if err := db.WriteSessions(tb.Context(), ss[:n]); err != nil {
			tb.Fatal(err)
		}
		ss = ss[n:]
	}
}

// option changes a test session.
type option func(*results.Session)

// session is one verbatim session of build ("name@version") that scores
// score and succeeds when success.
func session(run, persona, build string, trial int, success bool, score float64, opts ...option) results.Session {
	name, version, _ := strings.Cut(build, "@")
	s := results.Session{
		Key:    results.SessionKey{Run: run, Persona: persona, Candidate: name, Version: version, Trial: trial},
		Status: results.StatusOK, Success: success, GatedScore: &score, RawScore: &score, Turns: 2, StartedAt: t0,
	}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// hacks adds one gating finding of each kind.
func hacks(kinds ...string) option {
	return func(s *results.Session) {
		for _, k := range kinds {
			s.Findings = append(s.Findings, results.Finding{Turn: 1, Rule: "hack." + k, Kind: k, Gate: true, Message: k})
		}
	}
}

func status(st string) option { return func(s *results.Session) { s.Status = st } }

// simulator says an LLM played the merchant with this model and seed.
func simulator(model string, seed int64) option {
	return func(s *results.Session) {
		s.Simulator = results.SimulatorInfo{Model: model, Prompt: "merchant/1", Seed: &seed}
	}
}

func fault() option {
	return func(s *results.Session) { s.SimulatorFault, s.FaultReason = true, "merchant ended early" }
}

// criteria adds LLM judge scores (already on [0,1]).
func criteria(kv map[string]float64) option {
	return func(s *results.Session) {
		for c, v := range kv {
			s.Scores = append(s.Scores, results.Score{Judge: "llm", Criterion: c, Score: v, Gated: v, Version: "rubric/1+judge/1"})
		}
	}
}

// suite plays n personas × trials of build: each session from play.
func suite(run, build string, n, trials int, play func(p, t int) (bool, float64, []option)) []results.Session {
	var out []results.Session
	for p := range n {
		for t := range trials {
			ok, score, opts := play(p, t)
			out = append(out, session(run, persona(p), build, t, ok, score, opts...))
		}
	}
	return out
}

func persona(i int) string { return fmt.Sprintf("p%03d", i) }

// perfect plays every session right.
func perfect(int, int) (bool, float64, []option) { return true, 1, nil }
