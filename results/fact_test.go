package results_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/results"
)

// factsFile writes a small file: two runs, two builds (golden in two
// versions), two personas with skills, findings, scores, a fault, a
// cancelled session and an agent's LLM cost.
func factsFile(t *testing.T) *results.DB {
	t.Helper()
	db := MustOpenDB(t)
	ctx := t.Context()
	if err := db.PutPersonas(ctx, []results.Persona{
		{ID: "p1", Skills: []string{"customer_lookup"}, Card: json.RawMessage(`{}`)},
		{ID: "p2", Skills: []string{"discounts", "orders"}, Card: json.RawMessage(`{}`)},
	}); err != nil {
		t.Fatal(err)
	}
	s := func(run, persona, cand, version string, trial int, status string, gated float64) results.Session {
		x := verdict(run, persona, cand, trial, status, status == results.StatusOK && gated == 1, ptr(gated), 10*ms, 40*ms, 0)
		x.Key.Version = version
		x.StartedAt = t0.Add(time.Duration(trial) * time.Hour)
		x.Simulator = results.SimulatorInfo{Model: "sim-a", Prompt: "merchant/1", Seed: seed(int64(trial + 1))}
		return x
	}
	hack := s("r1", "p1", "golden", "1.1.0", 0, results.StatusOK, 0.25)
	hack.Findings = []results.Finding{
		{Rule: "hack.tag_filter", Kind: "tag_hacking", Gate: true},
		{Rule: "hack.tag_filter", Kind: "tag_hacking", Gate: true},
		{Rule: "state.side_effect", Kind: "side_effect", Gate: false},
	}
	judged := s("r1", "p2", "golden", "1.0.0", 0, results.StatusOK, 1)
	judged.Scores = []results.Score{
		{Judge: "llm", Criterion: "goal_completion/g1", Score: 1, Gated: 1},
		{Judge: "llm", Criterion: "goal_completion/g2", Score: 0, Gated: 0},
		{Judge: "llm", Criterion: "tone", Score: 0.75, Gated: 0.75},
		{Judge: "procedural", Criterion: "goals", Score: 1, Gated: 1},
		{Judge: "procedural", Criterion: "goal/g1", Score: 1, Gated: 1},
	}
	fault := s("r1", "p2", "golden", "1.1.0", 0, results.StatusError, 0)
	fault.SimulatorFault, fault.FaultReason = true, "merchant invented an order"
	cancelled := s("r1", "p1", "golden", "1.0.0", 1, results.StatusCancelled, 0)
	ss := []results.Session{
		s("r1", "p1", "golden", "1.0.0", 0, results.StatusOK, 1), hack, judged, fault, cancelled,
		s("r2", "p1", "golden", "1.0.0", 3, results.StatusTimeout, 0),
	}
	if err := db.WriteSessions(ctx, ss); err != nil {
		t.Fatal(err)
	}
	calls := []llm.Call{
		{Role: llm.RoleAgent, Session: "r1/p2/golden@1.0.0/0", Cost: 0.25},
		{Role: llm.RoleAgent, Session: "r1/p2/golden@1.0.0/0", Cost: 0.5},
		{Role: llm.RoleJudge, Session: "r1/p2/golden@1.0.0/0", Cost: 9}, // judging is not the build's cost
	}
	if err := db.WriteLLMCalls(ctx, "r1", calls); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestDB_SessionFacts(t *testing.T) {
	db := factsFile(t)
	ctx := t.Context()
	all, err := db.SessionFacts(ctx, results.FactFilter{Findings: true, Criteria: true})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Build, Persona string
		Trial          int
		Status         string
		Gated, Cost    float64
		Fault          bool
		GateFailures   int
		Kinds          map[string]int
		Criteria       map[string]float64
		Skills         []string
	}
	var got []row
	for _, f := range all {
		got = append(got, row{f.Build(), f.Persona, f.Trial, f.Status, f.Gated, f.Cost, f.SimulatorFault, f.GateFailures, f.Kinds, f.Criteria, f.Skills})
	}
	want := []row{
		{"golden@1.0.0", "p1", 0, "ok", 1, 0, false, 0, nil, nil, []string{"customer_lookup"}},
		{"golden@1.1.0", "p1", 0, "ok", 0.25, 0, false, 2, map[string]int{"tag_hacking": 2}, nil, []string{"customer_lookup"}},
		{"golden@1.0.0", "p2", 0, "ok", 1, 0.75, false, 0, nil,
			map[string]float64{"goal_completion": 0.5, "tone": 0.75, "goals": 1}, []string{"discounts", "orders"}},
		{"golden@1.1.0", "p2", 0, "error", 0, 0, true, 0, nil, nil, []string{"discounts", "orders"}},
		{"golden@1.0.0", "p1", 3, "timeout", 0, 0, false, 0, nil, nil, []string{"customer_lookup"}},
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("facts (-want +got):\n%s", diff)
	}
	if f := all[0]; f.SimulatorModel != "sim-a" || f.SimulatorPrompt != "merchant/1" || f.Seed == nil || *f.Seed != 1 ||
		f.LatencyP50 != 10*ms || f.LatencyP95 != 40*ms || f.PromptTokens != 100 || f.StartedAt != t0 {
		t.Errorf("first fact = %+v", f)
	}

	filters := []struct {
		name string
		f    results.FactFilter
		want int
	}{
		{"Run", results.FactFilter{Runs: []string{"r2"}}, 1},
		{"Name", results.FactFilter{Candidates: []string{"golden"}}, 5},
		{"NameAtVersion", results.FactFilter{Candidates: []string{"golden@1.1.0"}}, 2},
		{"TwoBuilds", results.FactFilter{Runs: []string{"r1"}, Candidates: []string{"golden@1.1.0", "golden@1.0.0"}}, 4},
		{"Skill", results.FactFilter{Skill: "orders"}, 2},
		{"Since", results.FactFilter{Since: t0.Add(2 * time.Hour)}, 1},
		{"Nothing", results.FactFilter{Candidates: []string{"nope"}}, 0},
	}
	for _, tt := range filters {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.SessionFacts(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want {
				t.Errorf("%d facts, want %d", len(got), tt.want)
			}
			for _, f := range got {
				if f.Criteria != nil || f.Kinds != nil {
					t.Error("criteria or findings read without being asked for")
				}
			}
		})
	}
}

func TestDB_Pairwise(t *testing.T) {
	db := MustOpenDB(t)
	// Persona scores (mean gated over trials): p1 a=1 b=0.5; p2 a=0.5 b=0.5;
	// p3 a=0 (error) b=1; p4 only a. A fault and a cancelled session of b
	// would otherwise flip p1 and p2.
	ss := []results.Session{
		verdict("r1", "p1", "a", 0, results.StatusOK, true, ptr(1), 0, 0, 0),
		verdict("r1", "p1", "b", 0, results.StatusOK, false, ptr(0), 0, 0, 0),
		verdict("r1", "p1", "b", 1, results.StatusOK, true, ptr(1), 0, 0, 0),
		verdict("r1", "p2", "a", 0, results.StatusOK, false, ptr(0.5), 0, 0, 0),
		verdict("r1", "p2", "b", 0, results.StatusOK, false, ptr(0.5), 0, 0, 0),
		verdict("r1", "p3", "a", 0, results.StatusError, false, ptr(0.9), 0, 0, 0),
		verdict("r1", "p3", "b", 0, results.StatusOK, true, ptr(1), 0, 0, 0),
		verdict("r1", "p4", "a", 0, results.StatusOK, true, ptr(1), 0, 0, 0),
	}
	f := verdict("r1", "p1", "b", 2, results.StatusOK, true, ptr(1), 0, 0, 0)
	f.SimulatorFault, f.FaultReason = true, "x"
	c := verdict("r1", "p2", "b", 1, results.StatusCancelled, false, ptr(0), 0, 0, 0)
	// p5 was played by a different merchant simulator for each build: no
	// comparison.
	s5a, s5b := verdict("r1", "p5", "a", 0, results.StatusOK, true, ptr(1), 0, 0, 0), verdict("r1", "p5", "b", 0, results.StatusOK, false, ptr(0), 0, 0, 0)
	s5a.Simulator.Model, s5b.Simulator.Model = "sim-1", "sim-2"
	if err := db.WriteSessions(t.Context(), append(ss, f, c, s5a, s5b)); err != nil {
		t.Fatal(err)
	}
	got, err := db.Pairwise(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	want := []results.PairRow{
		{Run: "r1", Candidate: "a", Version: "1.0.0", Opponent: "b", OpponentVersion: "1.0.0", Wins: 1, Ties: 1, Losses: 1, Personas: 3},
		{Run: "r1", Candidate: "b", Version: "1.0.0", Opponent: "a", OpponentVersion: "1.0.0", Wins: 1, Ties: 1, Losses: 1, Personas: 3},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pairwise (-want +got):\n%s", diff)
	}
}

func TestDB_GateDecisions(t *testing.T) {
	db := MustOpenDB(t)
	d := results.GateDecision{Runs: []string{"r1"}, Baseline: "golden@1.0.0", Candidate: "tag-hacker@1.0.0",
		Verdict: results.VerdictBlock, Reasons: []string{"tag_hacking rate rose 0.00 → 0.41"},
		Report: json.RawMessage(`{"pairs":37}`), Inputs: json.RawMessage(`{"seed":1}`)}
	id, err := db.PutGateDecision(t.Context(), d)
	if err != nil {
		t.Fatal(err)
	}
	d2 := d
	d2.Verdict, d2.Reasons, d2.At = results.VerdictPass, nil, t0.Add(time.Hour)
	if _, err := db.PutGateDecision(t.Context(), d2); err != nil {
		t.Fatal(err)
	}
	got, err := db.GateDecisions(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	d.ID, d.At = id, t0
	d2.ID, d2.Reasons = id+1, []string{}
	if diff := cmp.Diff([]results.GateDecision{d2, d}, got); diff != "" {
		t.Errorf("decisions, newest first (-want +got):\n%s", diff)
	}
	if _, err := db.PutGateDecision(t.Context(), results.GateDecision{Verdict: "maybe"}); err == nil {
		t.Error("a verdict that is not pass, block or undecided was stored")
	}
}

func TestDB_Ranking(t *testing.T) {
	db := MustOpenDB(t)
	if err := db.WriteSessions(t.Context(), []results.Session{verdict("r1", "p1", "a", 0, results.StatusOK, true, ptr(1), 0, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	first := []results.RankingRow{{Candidate: "a", Version: "1.0.0", Rank: 1, Rating: 1000, RatingLo: 990, RatingHi: 1010,
		Success: 1, SuccessLo: 0.2, SuccessHi: 1, Score: 1, ScoreLo: 1, ScoreHi: 1, PassK: []float64{1, nanF()}}}
	if err := db.PutRanking(t.Context(), "r1", first); err != nil {
		t.Fatal(err)
	}
	second := []results.RankingRow{
		{Candidate: "a", Version: "1.0.0", Rank: 1, Rating: 1000, Baseline: "a@1.0.0"},
		{Dimension: "skill", Group: "orders", Candidate: "a", Version: "1.0.0", Rank: 2, Rating: 1100},
	}
	if err := db.PutRanking(t.Context(), "r1", second); err != nil {
		t.Fatal(err)
	}
	got, err := db.Ranking(t.Context(), "r1")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Baseline != "a@1.0.0" || got[1].Group != "orders" || got[1].Rating != 1100 || got[0].ComputedAt != t0 {
		t.Fatalf("ranking = %+v; want the second write to replace the first", got)
	}
	if err := db.PutRanking(t.Context(), "r1", first); err != nil {
		t.Fatal(err)
	}
	got, _ = db.Ranking(t.Context(), "r1")
	if len(got[0].PassK) != 2 || got[0].PassK[0] != 1 || got[0].PassK[1] == got[0].PassK[1] {
		t.Errorf("pass^k = %v, want [1 NaN]", got[0].PassK)
	}
}
