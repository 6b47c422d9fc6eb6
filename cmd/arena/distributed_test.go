package main_test

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/nats-io/nats.go"
)

// The tests here run the real binaries: arena built from this module and
// nats-server built from the module go.mod pins, as separate processes
// that can be killed.

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

// binaries builds arena and nats-server once per test process.
func binaries(t *testing.T) (arena, natsServer string) {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "arena-bin-")
		if binErr != nil {
			return
		}
		for pkg, name := range map[string]string{".": "arena", "github.com/nats-io/nats-server/v2": "nats-server"} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, name), pkg).CombinedOutput()
			if err != nil {
				binErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
				return
			}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return filepath.Join(binDir, "arena"), filepath.Join(binDir, "nats-server")
}

// proc is a started process whose output goes to files in the test's
// folder, shown when the test fails.
type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	err  error
}

func start(t *testing.T, dir, name string, env []string, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{name: name, log: filepath.Join(dir, name+".log"), done: make(chan struct{})}
	f, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	p.cmd = exec.Command(bin, args...)
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = f, f
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		p.err = p.cmd.Wait()
		f.Close()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stop(syscall.SIGKILL)
		if t.Failed() {
			out, _ := os.ReadFile(p.log)
			t.Logf("--- %s:\n%s", name, tail(string(out), 3000))
		}
	})
	return p
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// stop signals the process and waits for it to end.
func (p *proc) stop(sig syscall.Signal) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(sig) // it may have just ended
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// wait waits for the process to end and returns its exit code.
func (p *proc) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		t.Fatalf("%s still running after %s", p.name, d)
	}
	if p.err == nil {
		return 0
	}
	if ee, ok := p.err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	t.Fatalf("%s: %v", p.name, p.err)
	return -1
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// natsServer starts nats-server with JetStream on port, storing under dir,
// and returns once it accepts connections.
func natsServer(t *testing.T, bin, dir string, port int, name string) *proc {
	t.Helper()
	p := start(t, dir, name, nil, bin, "-js", "-a", "127.0.0.1", "-p", fmt.Sprint(port), "-sd", filepath.Join(dir, "js"))
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		nc, err := nats.Connect(url, nats.Timeout(time.Second))
		if err == nil {
			nc.Close()
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("nats-server on %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sessionCounts reads how many sessions of the file's runs are stored,
// and how many distinct session keys they have.
func sessionCounts(t *testing.T, dbPath string) (rows, distinct int) {
	t.Helper()
	if _, err := os.Stat(dbPath); err != nil {
		return 0, 0
	}
	db, err := sql.Open("sqlite3", "file:"+dbPath+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.QueryRow(`SELECT count(*), count(DISTINCT run_id || '|' || persona_id || '|' || candidate_id || '|' || trial) FROM sessions`).Scan(&rows, &distinct)
	if err != nil && !strings.Contains(err.Error(), "no such table") {
		t.Fatal(err)
	}
	return rows, distinct
}

// waitSessions polls the file until it holds at least n sessions.
func waitSessions(t *testing.T, dbPath string, n int, runner *proc) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		if rows, _ := sessionCounts(t, dbPath); rows >= n {
			return
		}
		select {
		case <-runner.done:
			t.Fatalf("%s ended before %d sessions were stored", runner.name, n)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("fewer than %d sessions stored after 90s", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// The plan: 37 bundled personas × golden and slow × 3 trials; slow's
// sessions each take the turn timeout, so the run lasts long enough to
// kill things in the middle of it.
var slowPlan = []string{"--references", "golden,slow", "--trials", "3", "--turn-timeout", "300ms"}

const slowPlanSessions = 37 * 2 * 3

// TestDistributed_SurvivesKilledWorkerAndServerRestart runs a plan over
// a separate nats-server with two workers and one recorder, SIGKILLs a
// worker and restarts the server mid-run, and finds every planned session
// recorded exactly once.
func TestDistributed_SurvivesKilledWorkerAndServerRestart(t *testing.T) {
	arenaBin, natsBin := binaries(t)
	dir := t.TempDir()
	port := freePort(t)
	server := natsServer(t, natsBin, dir, port, "nats-server")
	env := []string{fmt.Sprintf("NATS_URL=nats://127.0.0.1:%d", port)}
	dbPath := filepath.Join(dir, "arena.db")
	start(t, dir, "recorder", env, arenaBin, "record", "--db", dbPath)
	worker1 := start(t, dir, "worker1", env, arenaBin, "worker", "--concurrency", "2", "--ack-wait", "3s")
	start(t, dir, "worker2", env, arenaBin, "worker", "--concurrency", "2", "--ack-wait", "3s")
	planner := start(t, dir, "planner", env, arenaBin, append([]string{"run", "--workers", "0", "--record=false",
		"--db", dbPath, "--format", "json"}, slowPlan...)...)

	waitSessions(t, dbPath, 30, planner)
	worker1.stop(syscall.SIGKILL)
	waitSessions(t, dbPath, 60, planner)
	server.stop(syscall.SIGTERM)
	if rows, _ := sessionCounts(t, dbPath); rows >= slowPlanSessions {
		t.Fatalf("the run finished (%d sessions) before the server restart; the test needs a longer plan", rows)
	}
	natsServer(t, natsBin, dir, port, "nats-server-restarted")

	if code := planner.wait(t, 3*time.Minute); code != 0 {
		t.Fatalf("planner exited %d", code)
	}
	rows, distinct := sessionCounts(t, dbPath)
	if rows != slowPlanSessions || distinct != slowPlanSessions {
		t.Fatalf("stored %d sessions (%d distinct), want each of the %d planned exactly once", rows, distinct, slowPlanSessions)
	}
	status := exec.Command(arenaBin, "status", "latest", "--db", dbPath, "--format", "csv")
	status.Env = append(os.Environ(), env...)
	out, err := status.Output()
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	want := fmt.Sprintf(",done,%d,0,0,%d,", slowPlanSessions, slowPlanSessions)
	if !strings.Contains(string(out), want) {
		t.Fatalf("status:\n%s\nwant a row with %q", out, want)
	}
}

// TestRun_ResumeAfterSIGKILL kills an embedded-mode run with SIGKILL and
// resumes it: the run completes with every session stored once.
func TestRun_ResumeAfterSIGKILL(t *testing.T) {
	arenaBin, _ := binaries(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "arena.db")
	args := append([]string{"run", "--db", dbPath, "--data-dir", filepath.Join(dir, ".arena"), "--concurrency", "4"}, slowPlan...)
	first := start(t, dir, "first", nil, arenaBin, args...)
	waitSessions(t, dbPath, 40, first)
	first.stop(syscall.SIGKILL)
	rows, _ := sessionCounts(t, dbPath)
	if rows >= slowPlanSessions {
		t.Fatalf("the run finished (%d sessions) before it was killed; the test needs a longer plan", rows)
	}
	resumed := start(t, dir, "resumed", nil, arenaBin, append(args, "--resume", "latest", "--format", "json")...)
	if code := resumed.wait(t, 3*time.Minute); code != 0 {
		t.Fatalf("resume exited %d", code)
	}
	rows, distinct := sessionCounts(t, dbPath)
	if rows != slowPlanSessions || distinct != slowPlanSessions {
		t.Fatalf("stored %d sessions (%d distinct), want each of the %d planned exactly once", rows, distinct, slowPlanSessions)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, arenaBin, "status", "latest", "--db", dbPath, "--format", "csv").Output()
	if err != nil || !strings.Contains(string(out), ",done,") {
		t.Fatalf("status after resume: %v\n%s", err, out)
	}
}
