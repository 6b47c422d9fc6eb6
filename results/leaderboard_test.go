package results_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/results"
)

// verdict builds a session with only what the leaderboard reads.
func verdict(run, persona, cand string, trial int, status string, success bool, gated *float64,
	p50, p95 time.Duration, findings int) results.Session {
	s := results.Session{Key: key(run, persona, cand, trial), Status: status, Success: success,
		GatedScore: gated, RawScore: gated, LatencyP50: p50, LatencyP95: p95, Turns: 3,
		PromptTokens: 100, CompletionTokens: 10}
	for i := range findings {
		s.Findings = append(s.Findings, results.Finding{Turn: i + 1, Rule: "schema", Kind: "validation"})
	}
	return s
}

const ms = time.Millisecond

func TestDB_Leaderboard(t *testing.T) {
	t.Run("HandComputed", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.PutRun(t.Context(), results.Run{ID: "r1", StartedAt: t0}); err != nil {
			t.Fatal(err)
		}
		ok, er, to, cn := results.StatusOK, results.StatusError, results.StatusTimeout, results.StatusCancelled
		var ss []results.Session
		for _, c := range []string{"a", "d"} { // d plays exactly like a: they tie
			ss = append(ss,
				verdict("r1", "p1", c, 0, ok, true, ptr(1.0), 10*ms, 100*ms, 0),
				verdict("r1", "p2", c, 0, ok, true, ptr(0.75), 30*ms, 300*ms, 1),
				verdict("r1", "p3", c, 0, ok, false, ptr(0.25), 20*ms, 200*ms, 2),
				verdict("r1", "p4", c, 0, er, false, nil, 40*ms, 400*ms, 0),
			)
		}
		ss = append(ss,
			verdict("r1", "p1", "b", 0, ok, true, ptr(0.9), 5*ms, 50*ms, 0),
			verdict("r1", "p2", "b", 0, to, true, ptr(0.9), 0, 0, 3), // timeouts score 0, never succeed
			verdict("r1", "p3", "b", 0, ok, false, nil, 7*ms, 70*ms, 0),
			verdict("r1", "p4", "b", 0, cn, true, ptr(1.0), 1*ms, 1*ms, 5), // left out
			verdict("r1", "p1", "c", 0, ok, true, ptr(0.5), 8*ms, 80*ms, 0),
			verdict("r1", "p2", "c", 0, ok, true, ptr(0.5), 9*ms, 90*ms, 0),
			verdict("r1", "p1", "e", 0, cn, true, ptr(1.0), 1*ms, 1*ms, 0), // only cancelled
		)
		if err := db.WriteSessions(t.Context(), ss); err != nil {
			t.Fatal(err)
		}
		got, err := db.Leaderboard(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		// a, d: mean (1+.75+.25+0)/4 = .5, success 2/4; c: mean .5, success 1
		// so c leads; b: mean .9/3 = .3, success 1/3. e has nothing scored.
		row := func(rank int, cand string) results.LeaderRow {
			return results.LeaderRow{RunID: "r1", Rank: rank, Candidate: cand, Version: "1.0.0"}
		}
		a := row(2, "a")
		a.Sessions, a.OK, a.Errors, a.SuccessRate, a.MeanScore, a.Violations, a.MeanTurns = 4, 3, 1, 0.5, 0.5, 3, 3
		a.LatencyP50, a.LatencyP95, a.PromptTokens, a.CompletionTokens = 20*ms, 400*ms, 400, 40
		d := a
		d.Candidate = "d"
		b := row(4, "b")
		b.Sessions, b.OK, b.Timeouts, b.Cancelled, b.SuccessRate, b.MeanScore, b.Violations, b.MeanTurns = 3, 2, 1, 1, 1.0/3, 0.3, 3, 3
		b.LatencyP50, b.LatencyP95, b.PromptTokens, b.CompletionTokens = 5*ms, 70*ms, 300, 30 // p50 of {5, 7} is the 1st
		c := row(1, "c")
		c.Sessions, c.OK, c.SuccessRate, c.MeanScore, c.MeanTurns = 2, 2, 1, 0.5, 3
		c.LatencyP50, c.LatencyP95, c.PromptTokens, c.CompletionTokens = 8*ms, 90*ms, 200, 20
		e := row(5, "e")
		e.Cancelled = 1
		want := []results.LeaderRow{c, a, d, b, e}
		if diff := gocmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("Leaderboard (-want +got):\n%s", diff)
		}
	})

	t.Run("SimulatorFaultsLeftOut", func(t *testing.T) {
		db := MustOpenDB(t)
		if err := db.PutRun(t.Context(), results.Run{ID: "r1", StartedAt: t0}); err != nil {
			t.Fatal(err)
		}
		ok, er, cn := results.StatusOK, results.StatusError, results.StatusCancelled
		fault := func(s results.Session) results.Session {
			s.SimulatorFault, s.FaultReason = true, "simulator fault: repeats the assistant's last message"
			return s
		}
		ss := []results.Session{
			verdict("r1", "p1", "a", 0, ok, true, ptr(1.0), 10*ms, 100*ms, 0),
			verdict("r1", "p2", "a", 0, ok, false, ptr(0.5), 30*ms, 300*ms, 1),
			fault(verdict("r1", "p3", "a", 0, ok, false, ptr(0), 1000*ms, 9000*ms, 4)),
			fault(verdict("r1", "p4", "a", 0, er, false, nil, 2000*ms, 8000*ms, 0)),
			fault(verdict("r1", "p5", "a", 0, cn, false, nil, 0, 0, 0)), // cancelled wins
			verdict("r1", "p1", "b", 0, ok, true, ptr(0.5), 20*ms, 200*ms, 2),
			verdict("r1", "p2", "b", 0, ok, true, ptr(0.5), 40*ms, 400*ms, 0),
			fault(verdict("r1", "p1", "c", 0, ok, true, ptr(1.0), 5*ms, 5*ms, 0)),
		}
		if err := db.WriteSessions(t.Context(), ss); err != nil {
			t.Fatal(err)
		}
		got, err := db.Leaderboard(t.Context(), "r1")
		if err != nil {
			t.Fatal(err)
		}
		// a: (1 + .5)/2 = .75 over its two sound sessions, success 1/2; had
		// its faults counted it would score (1 + .5 + 0 + 0)/4 = .375 and
		// trail b's .5. p95 of {100, 300} is the 2nd. c has nothing sound.
		a := results.LeaderRow{RunID: "r1", Rank: 1, Candidate: "a", Version: "1.0.0", Sessions: 2, OK: 2,
			Cancelled: 1, SimulatorFaults: 2, SuccessRate: 0.5, MeanScore: 0.75, Violations: 1, MeanTurns: 3,
			LatencyP50: 10 * ms, LatencyP95: 300 * ms, PromptTokens: 200, CompletionTokens: 20}
		b := results.LeaderRow{RunID: "r1", Rank: 2, Candidate: "b", Version: "1.0.0", Sessions: 2, OK: 2,
			SuccessRate: 1, MeanScore: 0.5, Violations: 2, MeanTurns: 3,
			LatencyP50: 20 * ms, LatencyP95: 400 * ms, PromptTokens: 200, CompletionTokens: 20}
		c := results.LeaderRow{RunID: "r1", Rank: 3, Candidate: "c", Version: "1.0.0", SimulatorFaults: 1}
		if diff := gocmp.Diff([]results.LeaderRow{a, b, c}, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("Leaderboard (-want +got):\n%s", diff)
		}
	})

	t.Run("MatchesIndependentComputation", func(t *testing.T) {
		db := MustOpenDB(t)
		rng := rand.New(rand.NewPCG(1, 2))
		var ss []results.Session
		for _, run := range []string{"r1", "r2"} {
			if err := db.PutRun(t.Context(), results.Run{ID: run, StartedAt: t0}); err != nil {
				t.Fatal(err)
			}
			ss = append(ss, randomRun(rng, run, 6, 15, 3)...)
		}
		if err := db.WriteSessions(t.Context(), ss); err != nil {
			t.Fatal(err)
		}
		for _, run := range []string{"r1", "r2"} {
			got, err := db.Leaderboard(t.Context(), run)
			if err != nil {
				t.Fatal(err)
			}
			want := expectedBoard(run, ss)
			if diff := gocmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
				t.Errorf("Leaderboard(%s) (-want +got):\n%s", run, diff)
			}
		}
	})

	t.Run("EmptyForUnknownRun", func(t *testing.T) {
		db := MustOpenDB(t)
		got, err := db.Leaderboard(t.Context(), "nope")
		if err != nil || len(got) != 0 {
			t.Errorf("Leaderboard(nope) = %v, %v; want empty", got, err)
		}
	})
}

// randomRun plays cands × personas × trials sessions with random outcomes.
// Scores are multiples of 1/8, so every sum is exact in binary floating
// point and a tie in means is a tie in both SQL and Go.
func randomRun(rng *rand.Rand, run string, cands, personas, trials int) []results.Session {
	statuses := []string{results.StatusOK, results.StatusOK, results.StatusOK, results.StatusOK,
		results.StatusError, results.StatusTimeout, results.StatusCancelled}
	var ss []results.Session
	for c := range cands {
		for p := range personas {
			for tr := range trials {
				s := verdict(run, fmt.Sprintf("p%02d", p), fmt.Sprintf("cand%d", c), tr,
					statuses[rng.IntN(len(statuses))], rng.IntN(2) == 0, nil,
					time.Duration(rng.IntN(5000))*ms, time.Duration(rng.IntN(20000))*ms, rng.IntN(4))
				if rng.IntN(10) > 0 {
					s.GatedScore = ptr(float64(rng.IntN(9)) / 8)
				}
				if rng.IntN(8) == 0 {
					s.SimulatorFault, s.FaultReason = true, "simulator fault: speaks as the assistant"
				}
				s.Turns, s.PromptTokens, s.CompletionTokens = rng.IntN(12), rng.IntN(5000), rng.IntN(900)
				ss = append(ss, s)
			}
		}
	}
	return ss
}

// expectedBoard computes a run's leaderboard from the sessions in Go,
// following the rules documented on LeaderRow: cancelled first, then
// simulator faults, are counted apart from everything else.
func expectedBoard(run string, ss []results.Session) []results.LeaderRow {
	groups := map[string][]results.Session{}
	for _, s := range ss {
		if s.Key.Run == run {
			groups[s.Key.Candidate] = append(groups[s.Key.Candidate], s)
		}
	}
	var board []results.LeaderRow
	for cand, group := range groups {
		board = append(board, expectedRow(run, cand, group))
	}
	better := func(x, y results.LeaderRow) int {
		return cmp.Or(cmp.Compare(y.MeanScore, x.MeanScore), cmp.Compare(y.SuccessRate, x.SuccessRate),
			cmp.Compare(x.Errors+x.Timeouts, y.Errors+y.Timeouts))
	}
	for i := range board {
		board[i].Rank = 1
		for _, o := range board {
			if better(o, board[i]) < 0 {
				board[i].Rank++
			}
		}
	}
	slices.SortFunc(board, func(x, y results.LeaderRow) int {
		return cmp.Or(cmp.Compare(x.Rank, y.Rank), cmp.Compare(x.Candidate, y.Candidate))
	})
	return board
}

func expectedRow(run, cand string, group []results.Session) results.LeaderRow {
	r := results.LeaderRow{RunID: run, Candidate: cand, Version: "1.0.0"}
	var score, turns float64
	var wins int
	var p50s, p95s []time.Duration
	for _, s := range group {
		if s.Status == results.StatusCancelled {
			r.Cancelled++
			continue
		}
		if s.SimulatorFault {
			r.SimulatorFaults++
			continue
		}
		switch s.Status {
		case results.StatusOK:
			r.OK++
			if s.Success {
				wins++
			}
			if s.GatedScore != nil {
				score += *s.GatedScore
			}
		case results.StatusError:
			r.Errors++
		case results.StatusTimeout:
			r.Timeouts++
		}
		r.Sessions++
		r.Violations += len(s.Findings)
		turns += float64(s.Turns)
		r.PromptTokens += int64(s.PromptTokens)
		r.CompletionTokens += int64(s.CompletionTokens)
		if s.LatencyP50 > 0 {
			p50s = append(p50s, s.LatencyP50)
		}
		if s.LatencyP95 > 0 {
			p95s = append(p95s, s.LatencyP95)
		}
	}
	if r.Sessions > 0 {
		n := float64(r.Sessions)
		r.SuccessRate, r.MeanScore, r.MeanTurns = float64(wins)/n, score/n, turns/n
	}
	r.LatencyP50, r.LatencyP95 = nearestRank(p50s, 50), nearestRank(p95s, 95)
	return r
}

// nearestRank returns the smallest value v such that at least pct% of ds
// are <= v.
func nearestRank(ds []time.Duration, pct int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	for _, d := range ds {
		atMost := 0
		for _, e := range ds {
			if e <= d {
				atMost++
			}
		}
		if atMost*100 >= pct*len(ds) {
			return d
		}
	}
	return ds[len(ds)-1]
}
