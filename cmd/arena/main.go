// Command arena decides whether an AI store assistant's next build is fit to
// ship: it plays merchants extracted from logged conversations against
// candidate builds over NATS, validates and scores every conversation, and
// keeps the verdicts in SQLite. Run "arena help" for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	stop := interrupts(cancel)
	code := NewMain().Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

// interrupts cancels the work on the first Ctrl-C (or SIGTERM): commands
// then finish or release what is in flight and print a summary. A second
// one exits at once; what was recorded stays, and --resume finishes it.
func interrupts(cancel context.CancelFunc) (stop func()) {
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
		case <-done:
			return
		}
		fmt.Fprintln(os.Stderr, "arena: stopping: finishing or releasing sessions in flight; press Ctrl-C again to quit at once")
		cancel()
		select {
		case <-sig:
			fmt.Fprintln(os.Stderr, "arena: quit; resume with: arena run --resume latest")
			os.Exit(130)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sig)
		close(done)
	}
}

// Main holds what every command shares: where output goes and how the
// environment is read. Tests build one with buffers and call Run.
type Main struct {
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// IsTerminal reports whether progress bars may be drawn on Stderr.
	IsTerminal bool
}

// NewMain returns a Main wired to the process.
func NewMain() *Main {
	return &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, IsTerminal: stderrIsTerminal()}
}

// Exit codes.
const (
	exitOK      = 0
	exitFailed  = 1 // gate blocked, check failed
	exitUsage   = 2 // usage or input error
	exitUnknown = 2 // run error: something we could not decide
)

// command is one subcommand.
type command interface {
	Run(ctx context.Context, args []string) error
}

// Run dispatches args to a subcommand and maps its error to an exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	cmd, rest, err := m.lookup(args)
	if err == nil {
		err = cmd.Run(ctx, rest)
	}
	return m.exitCode(err)
}

func (m *Main) lookup(args []string) (command, []string, error) {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, m.usage())
		return nil, nil, errSilentUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "run":
		return &RunCommand{m: m}, rest, nil
	case "leaderboard":
		return &LeaderboardCommand{m: m}, rest, nil
	case "gate":
		return &GateCommand{m: m}, rest, nil
	case "replay":
		return &ReplayCommand{m: m}, rest, nil
	case "worker":
		return &WorkerCommand{m: m}, rest, nil
	case "record":
		return &RecordCommand{m: m}, rest, nil
	case "status":
		return &StatusCommand{m: m}, rest, nil
	case "logs":
		return &LogsCommand{m: m}, rest, nil
	case "candidates":
		return &CandidatesCommand{m: m}, rest, nil
	case "personas":
		return &PersonasCommand{m: m}, rest, nil
	case "labels":
		return &LabelsCommand{m: m}, rest, nil
	case "judges":
		return &JudgesCommand{m: m}, rest, nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(m.Stdout, m.usage())
		return nil, nil, errHelp
	case "version", "--version":
		fmt.Fprintln(m.Stdout, "arena", version)
		return nil, nil, errHelp
	}
	return nil, nil, usageErrorf("unknown command %q", name).try("arena help")
}

func (m *Main) usage() string {
	return `arena decides whether an AI store assistant's next build is fit to ship.

Usage:
  arena <command> [flags]

Commands:
  run          play personas against candidate builds and rank them
  leaderboard  print the ranking stored in a results file
  gate         decide whether a candidate build may replace the baseline (exit 0 pass, 1 blocked, 2 undecided)
  replay       replay logged conversations against builds and diff them with what happened
  worker       play sessions from a shared NATS server's job queue (many machines)
  record       write a shared server's verdicts into one results file
  status       show a run's queued, running, done and failed sessions
  logs         read conversation logs (inspect)
  candidates   serve the reference builds, or list builds on the bus
  personas     extract persona cards from logs, or show a stored one
  labels       import or export human and judge labels (JSONL)
  judges       judge agreement with humans, calibration runs, mutant sensitivity
  version      print the version

Examples:
  arena run                          # bundled examples, reference builds, in-process NATS
  arena leaderboard --format md      # the last run, as a Markdown table
  arena logs inspect ../shared/data/tau2-bench/retail/results-gpt-4.1-40sims.json

Run "arena <command> --help" for a command's flags and examples.
`
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func (m *Main) exitCode(err error) int {
	var ue *usageError
	var ee *exitError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errSilentUsage):
		return exitUsage
	case errors.As(err, &ee):
		if ee.err != nil {
			fmt.Fprintf(m.Stderr, "arena: %v\n", ee.err)
		}
		return ee.code
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "arena: %s\n", ue.msg)
		if ue.hint != "" {
			fmt.Fprintf(m.Stderr, "Try: %s\n", ue.hint)
		}
		return exitUsage
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(m.Stderr, "arena: interrupted")
		return exitUnknown
	}
	fmt.Fprintf(m.Stderr, "arena: %v\n", err)
	return exitUnknown
}
