package arena_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/arena/arenatest"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/results"
)

// simulateConfig is a simulate run on a few bundled logs against golden,
// opt-out and the two LLM agents.
func simulateConfig(t *testing.T, db *results.DB, srv *llmtest.Server) arena.Config {
	cfg := config(t, db)
	cfg.Conversations = cfg.Conversations[:3]
	cfg.References = []string{"golden", "opt-out", "monolith", "jit"}
	cfg.TurnTimeout = 20 * time.Second
	cfg.LLM = &llm.Config{BaseURL: srv.URL, APIKey: "sk-arena-test-secret", Model: llmtest.TestModel,
		Prices: map[string]llm.Price{llmtest.TestModel: llmtest.TestModelPrice}, Backoff: 5 * time.Millisecond}
	return cfg
}

func TestExecute_Simulate(t *testing.T) {
	b := &arenatest.Brain{}
	srv := llmtest.NewServer(t, b.Handle)
	db := mustDB(t)
	rep, err := arena.Execute(t.Context(), simulateConfig(t, db, srv))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Mode != arena.ModeSimulate || !strings.HasPrefix(rep.Path["merchant"], "merchant/1") {
		t.Fatalf("mode %q, path %v; want the simulate path recorded", rep.Mode, rep.Path)
	}
	if len(rep.Leaderboard) != 4 || rep.Summary.Played != 12 {
		t.Fatalf("leaderboard %d builds, %d played; want 4 builds x 3 personas", len(rep.Leaderboard), rep.Summary.Played)
	}
	for _, role := range llm.Roles() {
		if rep.Usage[role].Calls == 0 || rep.Usage[role].PromptTokens == 0 {
			t.Errorf("usage of %s = %+v, want calls and tokens summed in the run record", role, rep.Usage[role])
		}
	}
	run, err := db.Run(t.Context(), rep.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	var settings struct {
		Mode string
		Path map[string]string
	}
	if err := json.Unmarshal(run.Config, &settings); err != nil || settings.Mode != "simulate" || settings.Path["judges"] == "" {
		t.Fatalf("run record config %s: want mode and path", run.Config)
	}
	assertLLMScores(t, db, rep.Run.ID)

	// The same run again: extraction and judging come from the cache, the
	// merchant and the agents do not.
	before := srv.Count()
	rep2, err := arena.Execute(t.Context(), simulateConfig(t, db, srv))
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []llm.Role{llm.RoleExtractor, llm.RoleJudge} {
		if u := rep2.Usage[role]; u.Calls == 0 || u.CacheHits != u.Calls {
			t.Errorf("second run, %s: %+v; want every call served from the cache", role, u)
		}
	}
	if u := rep2.Usage[llm.RoleSimulator]; u.CacheHits != 0 || u.Calls == 0 {
		t.Errorf("second run, merchant: %+v; want no cache", u)
	}
	if srv.Count() == before {
		t.Error("the second run sent nothing; the merchant and the agents must not be cached")
	}
}

// assertLLMScores checks that stage-2 scores were stored with their
// version.
func assertLLMScores(t *testing.T, db *results.DB, run string) {
	t.Helper()
	scores, err := db.SessionScores(t.Context(), run)
	if err != nil || len(scores) == 0 {
		t.Fatalf("session scores: %v", err)
	}
	s, err := db.Session(t.Context(), scores[0].SessionID)
	if err != nil {
		t.Fatal(err)
	}
	if s.Simulator.Model != llmtest.TestModel || s.Simulator.Prompt == "" || s.Simulator.Seed == nil {
		t.Errorf("session merchant = %+v; want model, prompt version and seed recorded", s.Simulator)
	}
	for _, sc := range s.Scores {
		if sc.Judge == "llm" && strings.Contains(sc.Version, "judge/1") {
			return
		}
	}
	t.Errorf("session %d has no stage-2 score with its version: %+v", s.ID, s.Scores)
}

func TestExecute_SimulateThrottled(t *testing.T) {
	b := &arenatest.Brain{Every: 3}
	srv := llmtest.NewServer(t, b.Handle)
	cfg := simulateConfig(t, mustDB(t), srv)
	cfg.Conversations = cfg.Conversations[:2]
	cfg.References = []string{"golden"}
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Played != 2 || rep.Summary.Errors != 0 {
		t.Fatalf("summary %+v; want both sessions played without error", rep.Summary)
	}
	retries := 0
	for _, u := range rep.Usage {
		retries += u.Retries
	}
	throttled := b.Throttled()
	if throttled == 0 || retries != throttled {
		t.Fatalf("run record counts %d retries; the server throttled %d requests", retries, throttled)
	}
}

func TestExecute_SimulateMalformedMerchant(t *testing.T) {
	b := &arenatest.Brain{Malformed: "merchant_turn"}
	srv := llmtest.NewServer(t, b.Handle)
	cfg := simulateConfig(t, mustDB(t), srv)
	cfg.Conversations = cfg.Conversations[:1]
	cfg.References = []string{"golden"}
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatalf("a bad merchant reply must fail its session, not the run: %v", err)
	}
	if rep.Summary.SimulatorFaults != 1 || rep.Leaderboard[0].SimulatorFaults != 1 || rep.Leaderboard[0].Sessions != 0 {
		t.Fatalf("summary %+v, leaderboard %+v; want the session failed and kept out of the build's scores", rep.Summary, rep.Leaderboard[0])
	}
	scores, err := cfg.DB.SessionScores(t.Context(), rep.Run.ID)
	if err != nil || len(scores) != 1 || !strings.Contains(scores[0].FaultReason, "schema") {
		t.Fatalf("scores %+v (%v); want the reason naming the schema", scores, err)
	}
}

func TestExecute_SimulateBudget(t *testing.T) {
	b := &arenatest.Brain{}
	srv := llmtest.NewServer(t, b.Handle)
	db := mustDB(t)
	cfg := simulateConfig(t, db, srv)
	cfg.LLM.MaxTokens = 1 // spent by the extractions
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatalf("a spent budget must stop the run cleanly: %v", err)
	}
	// The budget runs out while extracting personas or before the first
	// session, depending on how the extractions interleave; either way
	// nothing is played and the run says why.
	if !strings.Contains(rep.Summary.Stopped, "budget") || rep.Summary.Played != 0 {
		t.Fatalf("summary %+v; want nothing played and the reason", rep.Summary)
	}
	run, err := db.Run(t.Context(), rep.Run.ID)
	if err != nil || run.Status != "stopped" {
		t.Fatalf("run status %q (%v), want stopped", run.Status, err)
	}
	if u := rep.Usage[llm.RoleExtractor]; u.PromptTokens == 0 {
		t.Errorf("what was spent is not in the run record: %+v", rep.Usage)
	}
}

// TestExecute_SimulatorArms plays each merchant model as its own trial arm,
// with seeds shared across builds so that sessions pair.
func TestExecute_SimulatorArms(t *testing.T) {
	b := &arenatest.Brain{}
	srv := llmtest.NewServer(t, b.Handle)
	db := mustDB(t)
	cfg := simulateConfig(t, db, srv)
	cfg.Conversations = cfg.Conversations[:2]
	cfg.References = []string{"golden", "opt-out"}
	cfg.SimulatorModels = []string{"merchant-a", "merchant-b"}
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Played != 8 {
		t.Fatalf("played %d sessions, want 2 personas x 2 builds x 2 arms", rep.Summary.Played)
	}
	scores, err := db.SessionScores(t.Context(), rep.Run.ID)
	if err != nil {
		t.Fatal(err)
	}
	arms := map[int]string{} // trial → merchant model
	seeds := map[string]int64{}
	for _, sc := range scores {
		if m, ok := arms[sc.Key.Trial]; ok && m != sc.SimulatorModel {
			t.Errorf("trial %d played by %s and %s", sc.Key.Trial, m, sc.SimulatorModel)
		}
		arms[sc.Key.Trial] = sc.SimulatorModel
		s, err := db.Session(t.Context(), sc.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		pair := sc.Key.Persona + "/" + sc.SimulatorModel
		if seed, ok := seeds[pair]; ok && seed != *s.Simulator.Seed {
			t.Errorf("%s: builds met different seeds %d and %d", pair, seed, *s.Simulator.Seed)
		}
		seeds[pair] = *s.Simulator.Seed
	}
	if arms[0] != "merchant-a" || arms[1] != "merchant-b" {
		t.Fatalf("arms by trial = %v, want merchant-a then merchant-b", arms)
	}
	models := map[string]bool{}
	for _, r := range srv.Requests() {
		if r.SchemaName == "merchant_turn" {
			models[r.Model] = true
		}
	}
	if !models["merchant-a"] || !models["merchant-b"] {
		t.Fatalf("merchant requests went to %v, want both arms' models", models)
	}
}
