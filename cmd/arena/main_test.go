package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/arena/arenatest"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/natsbus/natstest"
)

// syncBuffer is a bytes.Buffer safe for a command writing while the test
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs arena in-process with args and env, as a user would.
func run(t *testing.T, ctx context.Context, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	m := &Main{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return env[k] }}
	code := m.Run(ctx, args)
	return result{code, out.String(), errb.String()}
}

func TestMain_Help(t *testing.T) {
	r := run(t, t.Context(), nil, "help")
	if r.code != 0 || !strings.Contains(r.stdout, "leaderboard") {
		t.Fatalf("help: exit %d\n%s", r.code, r.stdout)
	}
	for _, cmd := range [][]string{{"run"}, {"leaderboard"}, {"logs", "inspect"}, {"candidates", "serve"}, {"candidates", "ls"},
		{"worker"}, {"record"}, {"status"}, {"replay"}, {"gate"}} {
		r := run(t, t.Context(), nil, append(cmd, "--help")...)
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "arena "+cmd[0]) {
			t.Errorf("%v --help: exit %d, want usage with examples on stdout:\n%s%s", cmd, r.code, r.stdout, r.stderr)
		}
		if r.stderr != "" {
			t.Errorf("%v --help also wrote to stderr:\n%s", cmd, r.stderr)
		}
	}
}

func TestMain_UsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"UnknownCommand", []string{"frobnicate"}, "unknown command"},
		{"NoArgs", nil, "Usage:"},
		{"BadFlag", []string{"run", "--no-such-flag"}, "Try: arena run --help"},
		{"BadFormat", []string{"run", "--format", "xml"}, "--format"},
		{"BadTrials", []string{"run", "--trials", "0"}, "must be positive"},
		{"BadReference", []string{"run", "--references", "gold"}, `no reference build "gold"`},
		{"BadReferenceVersion", []string{"run", "--references", "golden@two"}, `"two" is not a semantic version`},
		{"CredentialsWithoutURL", []string{"run", "--nats-user", "bob"}, "without --nats"},
		{"LogsNoFile", []string{"logs", "inspect"}, "name at least one log file"},
		{"LogsMissingFile", []string{"logs", "inspect", "nope.jsonl"}, "nope.jsonl"},
		{"LeaderboardNoDB", []string{"leaderboard", "--db", "/nonexistent/x.db"}, "Try: arena run"},
		{"LsWithoutNATS", []string{"candidates", "ls"}, "needs --nats"},
		{"SimulateWithoutEndpoint", []string{"run", "--mode", "simulate"}, "needs an LLM endpoint"},
		{"BadMode", []string{"run", "--mode", "dream"}, "use offline or simulate"},
		{"AgentsWithoutEndpoint", []string{"run", "--references", "golden,jit"}, "the LLM agents need an LLM endpoint"},
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
}

func TestRun_EndToEnd(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	r := run(t, t.Context(), nil, "run", "--db", db, "--data-dir", filepath.Join(dir, "data"), "--turn-timeout", "500ms")
	if r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"offline path", "no LLM", "golden", "tag_hacking", "opt_out"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("run output lacks %q:\n%s", want, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "nats://127.0.0.1:") {
		t.Errorf("the NATS URL outside builds can join is not logged:\n%s", r.stderr)
	}
	lb := run(t, t.Context(), nil, "leaderboard", "--db", db, "--format", "json")
	if lb.code != 0 {
		t.Fatalf("leaderboard: exit %d\n%s", lb.code, lb.stderr)
	}
	var board struct {
		Runs   []string
		Builds []struct {
			Rank       int
			Name       string
			Violations map[string]int
			Rating     float64
		}
		Pairwise []struct{ A, B string }
	}
	if err := json.Unmarshal([]byte(lb.stdout), &board); err != nil {
		t.Fatalf("leaderboard json: %v\n%s", err, lb.stdout)
	}
	if len(board.Builds) != 7 || board.Builds[0].Name != "golden" || board.Builds[0].Rank != 1 ||
		len(board.Builds[0].Violations) != 0 || board.Builds[1].Rank == 1 {
		t.Fatalf("leaderboard = %+v, want golden alone first with no violation among 7 builds", board.Builds)
	}
	if board.Builds[1].Violations["tag_hacking"] == 0 && board.Builds[2].Violations["tag_hacking"] == 0 {
		t.Errorf("tag-hacker shows no tag hacking near the top: %+v", board.Builds[:3])
	}
	if len(board.Pairwise) != 7*6 {
		t.Errorf("%d pairwise rows, want every ordered pair of 7 builds", len(board.Pairwise))
	}
	for _, f := range []string{"md", "csv", "table"} {
		r := run(t, t.Context(), nil, "leaderboard", "--db", db, "--format", f)
		if r.code != 0 || !strings.Contains(r.stdout, "golden") {
			t.Errorf("leaderboard --format %s: exit %d\n%s", f, r.code, r.stdout)
		}
	}
	// The analyst's view: plain SQL in the sqlite3 shell shows the same
	// ranking.
	sh, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Fatal("the sqlite3 shell is not installed; .ci/run installs it (apt-get install sqlite3)")
	}
	out, err := exec.Command(sh, db, "select candidate from leaderboard order by rank, candidate limit 1").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "golden" {
		t.Fatalf("sqlite3: %s %v, want golden first", out, err)
	}
	// A second run on the same file resumes nothing and adds a run.
	again := run(t, t.Context(), nil, "run", "--db", db, "--data-dir", filepath.Join(dir, "data"),
		"--candidates", "golden", "--references", "golden", "--format", "csv")
	if again.code != 0 || !strings.HasPrefix(again.stdout, "by,group,rank,build") {
		t.Fatalf("second run: exit %d\n%s%s", again.code, again.stdout, again.stderr)
	}
}

func TestRun_SecretsStayOut(t *testing.T) {
	srv := natstest.Server(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	const token, password = "s3cr3t-t0ken-value", "pa55w0rd-in-the-url"
	r := run(t, t.Context(), map[string]string{"NATS_TOKEN": token}, "run", "--db", db,
		"--nats", srv.ClientURL(), "--references", "golden", "--format", "json", "--log-level", "debug")
	if r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	// Credentials in the URL itself: the server has no auth and accepts them.
	withPassword := strings.Replace(srv.ClientURL(), "nats://", "nats://arena:"+password+"@", 1)
	r2 := run(t, t.Context(), nil, "run", "--db", db, "--nats", withPassword, "--references", "golden",
		"--format", "json", "--log-level", "debug")
	if r2.code != 0 {
		t.Fatalf("run with a password in the URL: exit %d\n%s", r2.code, r2.stderr)
	}
	worker := run(t, t.Context(), nil, "status", "latest", "--db", db, "--nats", withPassword)
	r.stdout += r2.stdout + worker.stdout
	r.stderr += r2.stderr + worker.stderr
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(db + "-wal") // absent after a checkpoint
	for where, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr, "database": string(raw) + string(wal)} {
		for _, secret := range []string{token, password} {
			if strings.Contains(text, secret) {
				t.Errorf("a NATS secret reached %s", where)
			}
		}
	}
}

func TestLogsInspect(t *testing.T) {
	r := run(t, t.Context(), nil, "logs", "inspect", "--format", "json", "testdata/broken.jsonl")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var got []struct {
		Stats struct {
			Conversations   int `json:"conversations"`
			ProblemsDropped int `json:"problems_dropped"`
		}
		Problems []string
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if len(got) != 1 || got[0].Stats.Conversations != 2 || got[0].Stats.ProblemsDropped != 1 {
		t.Fatalf("inspect = %+v, want 2 conversations and the bad line dropped", got)
	}
	if len(got[0].Problems) != 1 || !strings.HasPrefix(got[0].Problems[0], "testdata/broken.jsonl:2:") {
		t.Fatalf("problems = %q, want file:line of the bad line", got[0].Problems)
	}
	strict := run(t, t.Context(), nil, "logs", "inspect", "--strict", "testdata/broken.jsonl")
	if strict.code != 2 || !strings.Contains(strict.stderr, "broken.jsonl:2:") {
		t.Fatalf("--strict: exit %d\n%s", strict.code, strict.stderr)
	}
	table := run(t, t.Context(), nil, "logs", "inspect", "testdata/broken.jsonl", "--format", "md")
	if table.code != 0 || !strings.Contains(table.stdout, "| conversations | 2 |") || !strings.Contains(table.stderr, "broken.jsonl:2:") {
		t.Fatalf("table: exit %d\n%s\n%s", table.code, table.stdout, table.stderr)
	}
}

func TestRun_LogsWithBadLine(t *testing.T) {
	dir := t.TempDir()
	r := run(t, t.Context(), nil, "run", "--logs", "testdata/broken.jsonl", "--db", filepath.Join(dir, "a.db"),
		"--data-dir", dir, "--references", "golden,opt-out", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "broken.jsonl:2") {
		t.Errorf("the bad line is not reported:\n%s", r.stderr)
	}
	if lines := strings.Count(strings.TrimSpace(r.stdout), "\n"); lines != 2 {
		t.Errorf("csv has %d rows, want 2 builds:\n%s", lines, r.stdout)
	}
}

func TestCandidates_ServeAndList(t *testing.T) {
	srv := natstest.Server(t)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan result, 1)
	go func() {
		done <- run(t, ctx, nil, "candidates", "serve", "--nats", srv.ClientURL(), "--builds", "golden,slow")
	}()
	deadline := time.Now().Add(10 * time.Second)
	var ls result
	for time.Now().Before(deadline) {
		ls = run(t, t.Context(), nil, "candidates", "ls", "--nats", srv.ClientURL(), "--format", "csv")
		if strings.Contains(ls.stdout, "golden") && strings.Contains(ls.stdout, "slow") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if !strings.Contains(ls.stdout, "golden,1.0.0,1,mutant,-,arena.cand.golden.v1_0_0.turn") || !strings.Contains(ls.stdout, "slow,1.0.0,1,mutant,timeout") {
		t.Fatalf("ls:\n%s%s", ls.stdout, ls.stderr)
	}
	if r := <-done; r.code != 0 {
		t.Fatalf("serve: exit %d\n%s", r.code, r.stderr)
	}
}

// TestRun_Simulate runs the LLM path from the command line against an
// OpenAI-compatible server, and checks the key stays out of every output.
func TestRun_Simulate(t *testing.T) {
	b := &arenatest.Brain{}
	srv := llmtest.NewServer(t, b.Handle)
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	const key = "sk-test-9f8e7d6c5b4a-secret"
	env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": key}
	args := []string{"run", "--db", db, "--data-dir", dir, "--logs", "../../examples/customers.jsonl",
		"--references", "golden,monolith", "--model", llmtest.TestModel, "--log-level", "debug"}
	r := run(t, t.Context(), env, args...)
	if r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"simulate path", "merchant/1:" + llmtest.TestModel, "judge/1", "cache hits", "extractor"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, r.stdout)
		}
	}
	again := run(t, t.Context(), env, append(args, "--format", "json")...)
	if again.code != 0 {
		t.Fatalf("second run: exit %d\n%s", again.code, again.stderr)
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(db + "-wal") // absent after a checkpoint
	for where, text := range map[string]string{"stdout": r.stdout + again.stdout, "stderr": r.stderr + again.stderr, "database": string(raw) + string(wal)} {
		if strings.Contains(text, key) {
			t.Errorf("the API key reached %s", where)
		}
	}
	offline := run(t, t.Context(), env, "run", "--db", db, "--data-dir", dir, "--mode", "offline", "--references", "golden", "--format", "csv")
	if offline.code != 0 || srv.Count() == 0 {
		t.Fatalf("--mode offline with an endpoint set: exit %d\n%s", offline.code, offline.stderr)
	}
}
