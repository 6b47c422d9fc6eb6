package ranking_test

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena/ranking"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/stats"
)

func mustDB(tb testing.TB) *results.DB {
	tb.Helper()
	db, err := results.Open(tb.Context(), filepath.Join(tb.TempDir(), "arena.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func session(run, persona, build string, trial int, status string, success bool, gated float64) results.Session {
	return results.Session{
		Key:    results.SessionKey{Run: run, Persona: persona, Candidate: build, Version: "1.0.0", Trial: trial},
		Status: status, Success: success, GatedScore: &gated, RawScore: &gated, Turns: 2,
		LatencyP50: time.Duration(10+trial) * time.Millisecond, LatencyP95: time.Duration(20+trial) * time.Millisecond,
		PromptTokens: 10, CompletionTokens: 1,
	}
}

// board writes three builds over four personas, two trials each:
//
//	a: succeeds everywhere (score 1), except p4 trial 1 (score 0.5, no success)
//	b: succeeds on p1, p2; fails p3 (0.5) and errors on p4
//	c: fails everywhere (0), and one session is a simulator fault
func board(t *testing.T) *results.DB {
	db := mustDB(t)
	var ss []results.Session
	for _, p := range []string{"p1", "p2", "p3", "p4"} {
		for trial := range 2 {
			a := session("r1", p, "a", trial, results.StatusOK, true, 1)
			if p == "p4" && trial == 1 {
				a.Success, a.GatedScore = false, ptr(0.5)
			}
			b := session("r1", p, "b", trial, results.StatusOK, true, 1)
			switch p {
			case "p3":
				b.Success, b.GatedScore = false, ptr(0.5)
			case "p4":
				b.Status, b.Success, b.GatedScore = results.StatusError, false, ptr(0.9) // errors score 0
			}
			ss = append(ss, a, b, session("r1", p, "c", trial, results.StatusOK, false, 0))
		}
	}
	fault := session("r1", "p1", "c", 2, results.StatusOK, true, 1)
	fault.SimulatorFault, fault.FaultReason = true, "the merchant played the assistant"
	ss = append(ss, fault)
	ss[0].Findings = []results.Finding{{Rule: "hack.tag_filter", Kind: "tag_hacking", Gate: true}}
	if err := db.WriteSessions(t.Context(), ss); err != nil {
		t.Fatal(err)
	}
	return db
}

func ptr(f float64) *float64 { return &f }

func find(t *testing.T, b *ranking.Board, name string) ranking.Build {
	t.Helper()
	for _, x := range b.Builds {
		if x.Name == name {
			return x
		}
	}
	t.Fatalf("no build %s in %+v", name, b.Builds)
	return ranking.Build{}
}

func TestCompute(t *testing.T) {
	db := board(t)
	got, err := ranking.Compute(t.Context(), db, ranking.Options{Baseline: "b", Resamples: 400})
	if err != nil {
		t.Fatal(err)
	}
	a, b, c := find(t, got, "a"), find(t, got, "b"), find(t, got, "c")
	// Success and its Wilson interval: a 7/8, b 4/8, c 0/8 (the fault left out).
	for _, tt := range []struct {
		build        ranking.Build
		successes, n int
		score        float64
		errs, faults int
		passK        []float64
		tagHacks     int
	}{
		{a, 7, 8, 7.5 / 8, 0, 0, []float64{7.0 / 8, 0.75}, 1}, // pass^2: p1..p3 1, p4 C(1,2)/C(2,2)=0
		{b, 4, 8, 5.0 / 8, 2, 0, []float64{0.5, 0.5}, 0},      // p3 0.5*2, p4 errors 0
		{c, 0, 8, 0, 0, 1, []float64{0, 0}, 0},
	} {
		x := tt.build
		if x.Sessions != tt.n || x.Errors != tt.errs || x.SimulatorFaults != tt.faults {
			t.Errorf("%s: sessions %d errors %d faults %d", x.Name, x.Sessions, x.Errors, x.SimulatorFaults)
		}
		if want := float64(tt.successes) / float64(tt.n); x.Success != want || x.SuccessCI != stats.Wilson(tt.successes, tt.n, 0.95) {
			t.Errorf("%s: success %v %v, want %v %v", x.Name, x.Success, x.SuccessCI, want, stats.Wilson(tt.successes, tt.n, 0.95))
		}
		if math.Abs(x.Score-tt.score) > 1e-12 || x.ScoreCI.Lo > x.Score || x.ScoreCI.Hi < x.Score {
			t.Errorf("%s: score %v in %v, want %v inside", x.Name, x.Score, x.ScoreCI, tt.score)
		}
		if diff := cmp.Diff(tt.passK, x.PassK); diff != "" {
			t.Errorf("%s: pass^k (-want +got):\n%s", x.Name, diff)
		}
		if x.Violations["tag_hacking"] != tt.tagHacks {
			t.Errorf("%s: violations %v", x.Name, x.Violations)
		}
	}
	// Per persona means: a 1,1,1,0.75; b 1,1,0.5,0; c 0 everywhere.
	// a vs b: tie p1 p2, win p3 p4; b vs c: win p1 p2 p3, tie p4.
	wantPairs := map[string][3]int{"a@1.0.0>b@1.0.0": {2, 2, 0}, "b@1.0.0>a@1.0.0": {0, 2, 2},
		"b@1.0.0>c@1.0.0": {3, 1, 0}, "a@1.0.0>c@1.0.0": {4, 0, 0}}
	for _, p := range got.Pairwise {
		if w, ok := wantPairs[p.A+">"+p.B]; ok && w != [3]int{p.Wins, p.Ties, p.Losses} {
			t.Errorf("%s vs %s: %d/%d/%d, want %v", p.A, p.B, p.Wins, p.Ties, p.Losses, w)
		}
	}
	if got.Baseline != "b@1.0.0" || b.Rating != 1000 {
		t.Errorf("baseline %s rated %v; want b anchored at 1000", got.Baseline, b.Rating)
	}
	if !(a.Rating > b.Rating && b.Rating > c.Rating) {
		t.Errorf("ratings a %v b %v c %v; want a > b > c", a.Rating, b.Rating, c.Rating)
	}
	for _, x := range got.Builds {
		if !(x.RatingCI.Lo <= x.Rating && x.Rating <= x.RatingCI.Hi) {
			t.Errorf("%s: rating %v outside its interval %v", x.Name, x.Rating, x.RatingCI)
		}
	}
	// Four personas cannot tell a from b (2 wins, 2 ties: some resamples
	// hold only ties), so they share rank 1; c lost or tied to both on
	// every persona and ranks 3.
	if got.Builds[0].Name != "a" || a.Rank != 1 || b.Rank != 1 || c.Rank != 3 {
		t.Errorf("ranks a %d b %d c %d, want 1 1 3 (order %s %s %s)", a.Rank, b.Rank, c.Rank,
			got.Builds[0].Name, got.Builds[1].Name, got.Builds[2].Name)
	}
	again, _ := ranking.Compute(t.Context(), db, ranking.Options{Baseline: "b", Resamples: 400})
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("the same seed gave another board (-first +second):\n%s", diff)
	}
}

func TestCompute_ByAndFilters(t *testing.T) {
	db := board(t)
	if err := db.PutPersonas(t.Context(), []results.Persona{{ID: "p1", Skills: []string{"orders"}}, {ID: "p2", Skills: []string{"orders", "seo"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := ranking.Compute(t.Context(), db, ranking.Options{By: "skill", Resamples: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) != 2 || got.Groups[0].Name != "orders" || got.Groups[1].Name != "seo" {
		t.Fatalf("groups = %+v", got.Groups)
	}
	for _, x := range got.Groups[0].Builds {
		if x.Name == "a" && x.Sessions != 4 {
			t.Errorf("a on orders: %d sessions, want p1 and p2 x 2 trials", x.Sessions)
		}
	}
	only, err := ranking.Compute(t.Context(), db, ranking.Options{Candidates: []string{"a", "c@1.0.0"}, Skill: "seo", Resamples: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(only.Builds) != 2 || only.Builds[0].Sessions != 2 {
		t.Errorf("filtered board = %+v", only.Builds)
	}
	if _, err := ranking.Compute(t.Context(), db, ranking.Options{Candidates: []string{"zzz"}}); err == nil {
		t.Error("no matching session: want an error")
	}
	if _, err := ranking.Compute(t.Context(), db, ranking.Options{Baseline: "nope"}); err == nil {
		t.Error("unknown baseline: want an error")
	}
}

func TestStore(t *testing.T) {
	db := board(t)
	b, err := ranking.Compute(t.Context(), db, ranking.Options{Resamples: 100, By: "skill"})
	if err != nil {
		t.Fatal(err)
	}
	if err := ranking.Store(t.Context(), db, "r1", b); err != nil {
		t.Fatal(err)
	}
	rows, err := db.Ranking(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(b.Builds) || rows[0].Rank != 1 || rows[0].Baseline != b.Baseline {
		t.Fatalf("stored %+v", rows)
	}
}

// BenchmarkCompute ranks a run of 100,000 sessions: 10 builds, 1,000
// personas, 10 trials each.
func BenchmarkCompute(b *testing.B) {
	db := mustDB(b)
	var batch []results.Session
	for i := range 100_000 {
		build, persona, trial := fmt.Sprintf("b%d", i%10), fmt.Sprintf("p%d", i/10%1000), i/10000
		score := float64((i*7919+i/10*31)%100) / 100
		s := session("r1", persona, build, trial, results.StatusOK, score > 0.5, score)
		if i%50 == 0 {
			s.Status = results.StatusError
		}
		batch = append(batch, s)
		if len(batch) == 2000 {
			if err := db.WriteSessions(b.Context(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	for b.Loop() {
		board, err := ranking.Compute(b.Context(), db, ranking.Options{})
		if err != nil || len(board.Builds) != 10 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
}

func TestBoard_JSON(t *testing.T) {
	b := ranking.Build{Name: "x", Success: math.NaN(), Score: 0.5, Rating: math.NaN(), MeanTurns: 2,
		PassK: []float64{1, math.NaN()}, SuccessCI: stats.Interval{Lo: math.NaN(), Hi: math.NaN()}}
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatalf("a build with NaN numbers does not encode: %v", err)
	}
	var back struct {
		Success   *float64
		Score     float64
		PassK     []*float64     `json:"pass_k"`
		SuccessCI stats.Interval `json:"success_ci"`
	}
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if back.Success != nil || back.Score != 0.5 || len(back.PassK) != 2 || back.PassK[1] != nil || !math.IsNaN(back.SuccessCI.Lo) {
		t.Fatalf("round trip: %s", out)
	}
}

// TestCompute_NoPairsAcrossSimulators: two builds that played the same
// persona under different merchant simulators are not compared; under the
// same one they are.
func TestCompute_NoPairsAcrossSimulators(t *testing.T) {
	db := mustDB(t)
	var ss []results.Session
	for _, p := range []string{"p1", "p2"} {
		a, b := session("r1", p, "a", 0, results.StatusOK, true, 1), session("r1", p, "b", 0, results.StatusOK, false, 0)
		a.Simulator.Model, b.Simulator.Model = "sim-1", "sim-1"
		if p == "p2" {
			b.Simulator.Model = "sim-2"
		}
		ss = append(ss, a, b)
	}
	if err := db.WriteSessions(t.Context(), ss); err != nil {
		t.Fatal(err)
	}
	board, err := ranking.Compute(t.Context(), db, ranking.Options{Runs: []string{"r1"}, Resamples: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range board.Pairwise {
		if p.A == "a@1.0.0" && p.B == "b@1.0.0" && p.Wins+p.Ties+p.Losses != 1 {
			t.Errorf("pair %+v: want one comparison (p1, same simulator), not p2 across simulators", p)
		}
	}
	if len(board.Pairwise) == 0 {
		t.Fatal("no pair at all: p1 should compare a and b")
	}
}
