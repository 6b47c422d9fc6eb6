package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"

	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/transcript"
)

// LogsCommand reads conversation logs.
type LogsCommand struct {
	m *Main
}

const logsSummary = `Read conversation logs. "inspect" prints what a log holds: conversations,
messages by role, merchant turns, tool calls by name, tool results, links
between calls and results, and every problem with its file and line. A bad
record is reported and skipped; the rest of the file still loads (--strict
makes it fatal). Formats: jsonl (one conversation per line: id, messages,
tools, metadata; OpenAI fine-tuning lines too), tau-bench trajectories,
tau2-bench simulation results; detected unless --logs-format says.`

const logsExamples = `  arena logs inspect ../shared/data/tau2-bench/retail/results-gpt-4.1-40sims.json
  arena logs inspect --format json ../shared/data/tau-bench/airline/trajectories-gpt-4o.json
  arena logs inspect --strict --logs-format jsonl logs/*.jsonl`

// Run dispatches the logs subcommands.
func (c *LogsCommand) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "inspect" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fs := c.m.newFlagSet("logs inspect", logsSummary, logsExamples)
			fs.printUsage(c.m.Stdout)
			return errHelp
		}
		return usageErrorf("logs: want a subcommand: inspect").try("arena logs inspect FILE")
	}
	return c.inspect(ctx, args[1:])
}

func (c *LogsCommand) inspect(_ context.Context, args []string) error {
	fs := c.m.newFlagSet("logs inspect", logsSummary, logsExamples)
	format := fs.String("format", "table", "output format: table, json, md, csv")
	logFormat := fs.String("logs-format", "", "log format: jsonl, tau-bench, tau2-bench (default: detect)")
	strict := fs.Bool("strict", false, "fail on the first bad record")
	if err := fs.parse(args); err != nil {
		return err
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	if len(fs.positional) == 0 {
		return usageErrorf("logs inspect: name at least one log file").try("arena logs inspect FILE")
	}
	var reports []inspection
	for _, path := range fs.positional {
		log, err := transcript.ReadFile(path, transcript.Options{Format: *logFormat, Strict: *strict})
		if err != nil {
			return inputError(err)
		}
		reports = append(reports, inspection{File: path, Format: log.Format, Stats: log.Stats(), Problems: problemTexts(log)})
	}
	if *format == "json" {
		return render(c.m.Stdout, "json", table{Value: reports})
	}
	for i, r := range reports {
		if i > 0 {
			fmt.Fprintln(c.m.Stdout)
		}
		if err := render(c.m.Stdout, *format, r.table()); err != nil {
			return err
		}
		for _, p := range r.Problems {
			fmt.Fprintln(c.m.Stderr, p)
		}
	}
	return nil
}

// inputError makes a read failure a usage error (exit 2) with a hint.
func inputError(err error) error {
	var pe *transcript.ParseError
	if errors.As(err, &pe) {
		return usageErrorf("%v", err).try("fix the record, or drop --strict to skip bad records")
	}
	return usageErrorf("%v", err).try("--logs-format jsonl|tau-bench|tau2-bench if detection guessed wrong")
}

type inspection struct {
	File     string           `json:"file"`
	Format   string           `json:"format"`
	Stats    transcript.Stats `json:"stats"`
	Problems []string         `json:"problems"`
}

func problemTexts(l *transcript.Log) []string {
	out := make([]string, 0, len(l.Problems))
	for _, p := range l.Problems {
		out = append(out, p.Error())
	}
	return out
}

func (r inspection) table() table {
	s := r.Stats
	t := table{Header: []string{"what", "count"}}
	add := func(k string, v int) { t.Rows = append(t.Rows, []string{k, strconv.Itoa(v)}) }
	t.Rows = append(t.Rows, []string{"file", r.File}, []string{"format", r.Format})
	add("conversations", s.Conversations)
	add("messages", s.Messages)
	for _, role := range sortedKeys(s.MessagesByRole) {
		add("  "+role, s.MessagesByRole[role])
	}
	add("merchant turns", s.MerchantTurns)
	add("tool calls", s.ToolCalls)
	for _, name := range sortedKeys(s.ToolCallsByName) {
		add("  "+name, s.ToolCallsByName[name])
	}
	add("tool results", s.ToolResults)
	add("tool errors", s.ToolErrors)
	add("parallel-call messages", s.ParallelCallMessages)
	add("unanswered calls", s.UnansweredCalls)
	add("orphan results", s.OrphanResults)
	add("problems (record dropped)", s.ProblemsDropped)
	add("problems (record kept)", s.ProblemsKept)
	return t
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// loadConversations reads --logs, or the bundled examples when it is
// empty. Problems are logged one by one; only --strict makes them fatal.
func loadConversations(path, format string, strict bool, logger *slog.Logger) ([]transcript.Conversation, string, error) {
	if path == "" {
		convs, err := examples.Conversations()
		if err != nil {
			return nil, "", fmt.Errorf("bundled examples: %w", err)
		}
		return convs, "examples (bundled)", nil
	}
	log, err := transcript.ReadFile(path, transcript.Options{Format: format, Strict: strict})
	if err != nil {
		return nil, "", inputError(err)
	}
	for _, p := range log.Problems {
		logger.Warn("log problem", "problem", p.Error())
	}
	if len(log.Conversations) == 0 {
		return nil, "", usageErrorf("%s: no conversation could be read", path).try("arena logs inspect " + path)
	}
	return log.Conversations, path, nil
}
