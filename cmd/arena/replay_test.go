package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena/arenatest"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// replayJSON is the part of "arena replay --format json" the tests read.
type replayJSON struct {
	Run           string
	Mode          string
	Conversations []struct {
		ID       string
		Recorded []string `json:"recorded_tools"`
		Original struct {
			Success *bool
		}
		Label  *bool
		Report struct {
			Builds []struct {
				Name   string
				Trials []struct {
					Divergences []struct {
						Turn                                 int
						Kind, Tool, Path, Want, Got, Message string
					}
					First *struct {
						Turn int
						Kind string
					}
				}
				Summary struct {
					Trials, Identical, Judged, Successes int
					PassK                                []struct {
						K int
						P float64
					} `json:"pass_k"`
					Kinds []struct {
						Kind   string
						Trials int
						Rate   float64
					}
				}
			}
		}
	}
	Agreement *struct {
		N          int
		BothPass   int `json:"both_pass"`
		BothFail   int `json:"both_fail"`
		ArenaPass  int `json:"arena_pass_label_fail"`
		LabelPass  int `json:"arena_fail_label_pass"`
		Accuracy   float64
		CohenKappa *float64 `json:"cohen_kappa"`
	}
}

func decodeReplay(t *testing.T, r result) replayJSON {
	t.Helper()
	if r.code != 0 {
		t.Fatalf("replay: exit %d\n%s", r.code, r.stderr)
	}
	var out replayJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("replay json: %v\n%s", err, r.stdout)
	}
	return out
}

// tauAirline returns the tau-bench airline trajectories in the shared
// data folder, or skips.
func tauAirline(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ARENA_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	path := filepath.Join(dir, "tau-bench", "airline", "trajectories-gpt-4o.json")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("shared data folder absent (%v); CI has it, or set ARENA_SHARED_DATA", err)
	}
	return path
}

func replayArgs(t *testing.T, db string, args ...string) []string {
	return append([]string{"replay", "--db", db, "--data-dir", filepath.Join(t.TempDir(), "nats"), "--turn-timeout", "2s"}, args...)
}

func TestReplayCommand_TauBenchGoldenDoesNotDiverge(t *testing.T) {
	logs := tauAirline(t)
	db := filepath.Join(t.TempDir(), "arena.db")
	out := decodeReplay(t, run(t, t.Context(), nil, replayArgs(t, db, "--logs", logs,
		"--conversation", "task-0/trial-0", "--candidate", "golden", "--format", "json")...))
	if len(out.Conversations) != 1 || len(out.Conversations[0].Report.Builds) != 1 {
		t.Fatalf("want one conversation and one build, got %+v", out.Conversations)
	}
	c := out.Conversations[0]
	b := c.Report.Builds[0]
	if b.Summary.Trials != 1 || b.Summary.Identical != 1 || len(b.Trials[0].Divergences) != 0 {
		t.Errorf("golden diverged from the tau-bench log: %+v", b.Trials[0].Divergences)
	}
	if len(c.Recorded) == 0 || !strings.Contains(strings.Join(c.Recorded, ","), "get_user_details") {
		t.Errorf("recorded tools = %v, want the airline tools answered from the log", c.Recorded)
	}
	if c.Label == nil || *c.Label {
		t.Errorf("label = %v, want the log's reward 0 (failure) of task 0 trial 0", c.Label)
	}
}

func TestReplayCommand_MutantsShowTurnAndArgument(t *testing.T) {
	db := filepath.Join(t.TempDir(), "arena.db")
	args := replayArgs(t, db, "--conversation", "enabled-segment", "--candidate", "tag-hacker", "--candidate", "hallucinator")
	table := run(t, t.Context(), nil, args...)
	if table.code != 0 {
		t.Fatalf("replay: exit %d\n%s", table.code, table.stderr)
	}
	for _, want := range []string{
		`turn 2: call create_segment: arguments.query: want "customer_account_status = 'ENABLED'" got "customer_tags CONTAINS 'enabled'"`,
		"finding tag_hacking (create_segment) [gate]",
		"turn 2: missing call create_segment(",
		"original: arena verdict success",
	} {
		if !strings.Contains(strings.Join(strings.Fields(table.stdout), " "), want) {
			t.Errorf("table output lacks %q:\n%s", want, table.stdout)
		}
	}

	out := decodeReplay(t, run(t, t.Context(), nil, "replay", "--run", "latest", "--db", db, "--format", "json"))
	type first struct {
		Turn int
		Kind string
	}
	var got []first
	for _, b := range out.Conversations[0].Report.Builds {
		got = append(got, first{b.Trials[0].First.Turn, b.Trials[0].First.Kind})
	}
	want := []first{{2, "argument:create_segment.query"}, {2, "missing_call:create_segment"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("first divergences (-want +got):\n%s", diff)
	}

	again := run(t, t.Context(), nil, "replay", "--run", "latest", "--db", db)
	if diff := cmp.Diff(table.stdout, again.stdout); diff != "" {
		t.Errorf("--run re-rendered another report (-played +stored):\n%s", diff)
	}
	assertReplayRun(t, db)
}

// assertReplayRun checks the file holds the replay as a run of mode
// replay with its sessions.
func assertReplayRun(t *testing.T, path string) {
	t.Helper()
	db, err := results.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.LatestRun(t.Context()); !errors.Is(err, results.ErrNoRuns) {
		t.Errorf("LatestRun = %v; want no run: a replay is never the latest run of the leaderboard or gate", err)
	}
	runs, err := db.Runs(t.Context())
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs %+v (%v); want the replay alone", runs, err)
	}
	r := runs[0]
	if r.Mode != "replay" || r.Status != results.RunDone {
		t.Fatalf("run %+v; want a finished run of mode replay", r)
	}
	done, err := db.DoneSessions(t.Context(), r.ID)
	if err != nil || len(done) != 2 {
		t.Errorf("run %s holds %d sessions (%v); want one per build", r.ID, len(done), err)
	}
}

func TestReplayCommand_SimulateTrialsReportFrequencies(t *testing.T) {
	m := &trialMerchant{}
	srv := llmtest.NewServer(t, m.Handle)
	env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "sk-replay-test"}
	db := filepath.Join(t.TempDir(), "arena.db")
	out := decodeReplay(t, run(t, t.Context(), env, replayArgs(t, db, "--conversation", "enabled-segment",
		"--mode", "simulate", "--trials", "5", "--model", llmtest.TestModel, "--format", "json")...))
	s := out.Conversations[0].Report.Builds[0].Summary
	if s.Trials != 5 || s.Judged != 5 || s.Successes != 3 {
		t.Fatalf("summary %+v; want 5 judged trials, 3 of them successes (the merchant quits early in 2)", s)
	}
	rates := map[string]float64{}
	for _, k := range s.Kinds {
		rates[k.Kind] = k.Rate
	}
	if rates["missing_turn"] != 0.4 || rates["goal:g1"] != 0.4 {
		t.Errorf("divergence rates %v; want missing_turn and goal:g1 in 2 of 5 trials", rates)
	}
	if len(s.PassK) != 5 || s.PassK[0].P != 0.6 || s.PassK[4].P != 0 {
		t.Errorf("pass^k = %+v; want k=1..5 from 0.6 down to 0", s.PassK)
	}
	table := run(t, t.Context(), nil, "replay", "--run", out.Run, "--db", db)
	for _, want := range []string{"pass^5 0.00", "missing_turn: 2/5 trials (40%)"} {
		if !strings.Contains(table.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, table.stdout)
		}
	}

	// --prefix 2: the logged turns 1 and 2, then the simulated merchant.
	prefix := run(t, t.Context(), env, replayArgs(t, db, "--conversation", "enabled-segment", "--prefix", "2",
		"--trials", "2", "--model", llmtest.TestModel)...)
	if prefix.code != 0 || !strings.Contains(prefix.stdout, "simulate after 2 logged turn(s)") ||
		!strings.Contains(prefix.stdout, "2 trial(s), 2 identical to the original") {
		t.Errorf("--prefix 2: exit %d; want both trials to follow the log:\n%s%s", prefix.code, prefix.stdout, prefix.stderr)
	}
}

// trialMerchant is the fake model of TestReplayCommand_SimulateTrials:
// arenatest.Brain for every role but the merchant, which plays the logged
// script of enabled-segment, except that every second merchant deciding
// its second turn quits at once, before the segment is made.
type trialMerchant struct {
	brain arenatest.Brain
	mu    sync.Mutex
	quits int
}

func (m *trialMerchant) Handle(r *llmtest.Request) llmtest.Reply {
	if r.SchemaName != "merchant_turn" {
		return m.brain.Handle(r)
	}
	script := []string{"segment customers with status enabled", "Active accounts", "Perfect, thanks!"}
	said := 0 // the merchant's own messages are the assistant's in its request
	for _, msg := range r.Messages {
		if msg.Role == transcript.RoleAssistant {
			said++
		}
	}
	finish := llmtest.JSON(map[string]any{"message": "", "goals": []map[string]any{{"goal": "g1", "status": "done"}},
		"decision": "finish", "reason": "done"})
	if said >= len(script) {
		return finish
	}
	if said == 1 {
		m.mu.Lock()
		m.quits++
		quit := m.quits%2 == 0
		m.mu.Unlock()
		if quit {
			return finish
		}
	}
	return llmtest.JSON(map[string]any{"message": script[said], "goals": []map[string]any{{"goal": "g1", "status": "pending"}},
		"decision": "continue", "reason": "next logged request"})
}

func TestReplayCommand_TauBenchAgreementWithReward(t *testing.T) {
	logs := tauAirline(t)
	db := filepath.Join(t.TempDir(), "arena.db")
	r := run(t, t.Context(), nil, replayArgs(t, db, "--logs", logs, "--all")...)
	if r.code != 0 {
		t.Fatalf("replay: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"agreement of the arena's verdict on the originals", "200 conversation(s)", "Cohen's kappa"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, tail(r.stdout, 15))
		}
	}
	out := decodeReplay(t, run(t, t.Context(), nil, "replay", "--run", "latest", "--db", db, "--format", "json"))
	a := out.Agreement
	if a == nil || a.N != 200 || a.BothPass+a.BothFail+a.ArenaPass+a.LabelPass != 200 || a.CohenKappa == nil {
		t.Fatalf("agreement %+v; want all 200 trajectories counted once and a kappa", a)
	}
	if a.BothPass+a.LabelPass != 84 {
		t.Errorf("%d log successes, want the 84 trajectories whose reward is 1", a.BothPass+a.LabelPass)
	}
	for _, c := range out.Conversations {
		if s := c.Report.Builds[0].Summary; s.Identical != 1 {
			t.Errorf("%s: golden diverged from the log", c.ID)
		}
	}
	t.Logf("tau-bench airline agreement: %+v, kappa %.3f", *a, *a.CohenKappa)

	stored, err := results.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer stored.Close()
	run, err := stored.Run(t.Context(), out.Run)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Replay struct {
			Agreement struct{ N int }
		}
	}
	if err := json.Unmarshal(run.Config, &cfg); err != nil || cfg.Replay.Agreement.N != 200 {
		t.Errorf("run config %.200s (%v); want the agreement under replay.agreement", run.Config, err)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

func TestReplayCommand_UsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"NothingPicked", []string{"replay"}, "Try: arena replay --conversation"},
		{"UnknownConversation", []string{"replay", "--conversation", "nope"}, `no conversation "nope"`},
		{"NoMatch", []string{"replay", "--where", "skill=astrology"}, "customer_segmentation"},
		{"BadWhere", []string{"replay", "--where", "skill"}, "want key=value"},
		{"BadMode", []string{"replay", "--all", "--mode", "dream"}, "use verbatim or simulate"},
		{"SimulateWithoutEndpoint", []string{"replay", "--all", "--mode", "simulate"}, "need an LLM endpoint"},
		{"PrefixVerbatim", []string{"replay", "--all", "--prefix", "2", "--mode", "verbatim"}, "--mode simulate"},
		{"RunWithConversation", []string{"replay", "--run", "latest", "--conversation", "x"}, "re-renders a stored replay"},
		{"RunWithoutFile", []string{"replay", "--run", "latest", "--db", "/nonexistent/a.db"}, "Try: arena replay --conversation"},
		{"BadFormat", []string{"replay", "--all", "--format", "xml"}, "--format"},
		{"BadVersion", []string{"replay", "--all", "--candidate", "golden@two"}, "semantic version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			r := run(t, t.Context(), nil, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 and %q", r.code, r.stderr, tt.want)
			}
			if _, err := os.Stat("arena.db"); err == nil {
				t.Error("a usage error left a results file behind")
			}
		})
	}
	// Found missing only once the bus is searched: the results file exists
	// by then; the hint is what matters.
	t.Run("MissingBuild", func(t *testing.T) {
		t.Chdir(t.TempDir())
		r := run(t, t.Context(), nil, "replay", "--conversation", "enabled-segment", "--candidate", "ghost@1.0.0", "--references", "none")
		if r.code != 2 || !strings.Contains(r.stderr, "not on the bus") || !strings.Contains(r.stderr, "start yours and pass --nats URL") {
			t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 naming the build and what to try", r.code, r.stderr)
		}
	})
	t.Run("RunNotReplay", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "arena.db")
		if r := run(t, t.Context(), nil, "run", "--db", db, "--data-dir", dir, "--references", "golden"); r.code != 0 {
			t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
		}
		r := run(t, t.Context(), nil, "replay", "--run", "latest", "--db", db)
		if r.code != 2 || !strings.Contains(r.stderr, "latest replay") {
			t.Fatalf("exit %d, stderr:\n%s\nwant no replay found", r.code, r.stderr)
		}
	})
	t.Run("Help", func(t *testing.T) {
		r := run(t, t.Context(), nil, "replay", "--help")
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "arena replay --run") {
			t.Fatalf("help: exit %d\n%s", r.code, r.stdout)
		}
	})
}
