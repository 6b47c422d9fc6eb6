package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/charmbracelet/log"
	"golang.org/x/term"

	"github.com/merchantarena/merchantarena/results"
)

// flagSet wraps flag.FlagSet with the usage text every command prints:
// what it does, examples, then its flags.
type flagSet struct {
	*flag.FlagSet
	m        *Main
	summary  string
	examples string

	logLevel  string
	logFormat string
	// positional holds the arguments that are not flags, wherever they
	// stood: "inspect FILE --format json" works like "inspect --format json FILE".
	positional []string
}

func (m *Main) newFlagSet(name, summary, examples string) *flagSet {
	fs := &flagSet{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), m: m, summary: summary, examples: examples}
	fs.SetOutput(m.Stderr)
	fs.Usage = func() { fs.printUsage(m.Stderr) }
	fs.StringVar(&fs.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.StringVar(&fs.logFormat, "log-format", "text", "log format on stderr: text, json, logfmt")
	return fs
}

func (fs *flagSet) printUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: arena %s\n\n%s\n", fs.Name(), strings.TrimSpace(fs.summary))
	if fs.examples != "" {
		fmt.Fprintf(w, "\nExamples:\n%s\n", strings.TrimRight(fs.examples, "\n"))
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(fs.m.Stderr)
}

// parse parses args; -h gives errHelp (exit 0), a bad flag a usage error
// (exit 2) whose hint is the command's --help.
func (fs *flagSet) parse(args []string) error {
	// The flag package prints usage itself on -h and on a bad flag; this
	// prints it once, to stdout for -h, and a short error otherwise.
	usage := fs.Usage
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.parseInterspersed(args)
	fs.SetOutput(fs.m.Stderr)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.printUsage(fs.m.Stdout)
		return errHelp
	case err != nil:
		return usageErrorf("%s: %v", fs.Name(), err).try("arena " + fs.Name() + " --help")
	}
	return nil
}

func (fs *flagSet) parseInterspersed(args []string) error {
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		switch {
		case len(rest) == 0:
			return nil
		case rest[0] == "--":
			fs.positional = append(fs.positional, rest[1:]...)
			return nil
		}
		fs.positional = append(fs.positional, rest[0])
		args = rest[1:]
	}
}

// logger builds the charmbracelet logger on stderr; only cmd/arena does.
func (fs *flagSet) logger() (*slog.Logger, error) {
	lvl, err := log.ParseLevel(fs.logLevel)
	if err != nil {
		return nil, usageErrorf("--log-level %q: use debug, info, warn or error", fs.logLevel)
	}
	formats := map[string]log.Formatter{"text": log.TextFormatter, "json": log.JSONFormatter, "logfmt": log.LogfmtFormatter}
	f, ok := formats[fs.logFormat]
	if !ok {
		return nil, usageErrorf("--log-format %q: use text, json or logfmt", fs.logFormat)
	}
	l := log.NewWithOptions(fs.m.Stderr, log.Options{Level: lvl, Formatter: f, ReportTimestamp: true, TimeFormat: "15:04:05"})
	return slog.New(l), nil
}

func stderrIsTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

// openExisting opens a results file that must already exist; hint says
// how to get one.
func openExisting(ctx context.Context, path, hint string) (*results.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, usageErrorf("results file %s: %v", path, err).try(hint)
	}
	db, err := results.Open(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("%w\nTry: check that %s is an arena results file, or pass another --db", err, path)
	}
	return db, nil
}
