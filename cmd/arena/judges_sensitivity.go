package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/candidates/mutants"
	"github.com/merchantarena/merchantarena/results"
)

const sensitivitySummary = `Play the reference mutant builds (each with one known defect: tag hacking,
opting out, invented IDs, wrong enums, crashes, timeouts) and golden (no
defect, the control) in-process, offline unless an LLM endpoint is set, and
report for each judge how many sessions of each defect kind it caught:

  procedural:<kind>  stage 1 found a finding of that kind in the session
  procedural:any     stage 1 found any gating finding
  arena:status       the session errored or timed out
  llm:<criterion>    the LLM judge scored the criterion below the top of its
                     scale (simulate path only)

Only sessions that show their defect count: a mutant session identical to
golden's for the same persona (the conversation never triggered the defect,
as tag-hacker only changes field filters) is left out. A judge that misses a
defect kind shows it here before a release relies on it; the golden column
counts false alarms. The run goes to --db (default: a
temporary file, deleted afterwards).`

const sensitivityExamples = `  arena judges sensitivity
  arena judges sensitivity --references golden,tag-hacker --format json
  arena judges sensitivity --db sensitivity.db --format md > sensitivity.md`

func (c *JudgesCommand) sensitivity(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("judges sensitivity", sensitivitySummary, sensitivityExamples)
	dbPath := fs.String("db", "", "results file for the run (default: a temporary one, deleted afterwards)")
	refs := fs.String("references", "all", "reference builds to play: all (golden and every mutant) or a list")
	format := fs.String("format", "table", "output format: table, json, md")
	p := &playFlags{}
	fs.StringVar(&p.logs, "logs", "", "conversation log the builds replay (default: the bundled examples)")
	fs.StringVar(&p.logFormat, "logs-format", "", "format of --logs: jsonl, tau-bench, tau2-bench (default: detect)")
	fs.IntVar(&p.trials, "trials", 1, "trials per persona and build")
	fs.IntVar(&p.concurrency, "concurrency", arena.DefaultConcurrency, "sessions played at once")
	fs.DurationVar(&p.turnTimeout, "turn-timeout", time.Second, "how long a build may take for one turn (the slow build always takes longer)")
	fs.IntVar(&p.maxTurns, "max-turns", 20, "merchant turns per session at most")
	fs.StringVar(&p.mode, "mode", "", "offline or simulate (default: simulate when an LLM endpoint is set, adding the LLM judges)")
	fs.StringVar(&p.rubric, "rubric", "", "YAML rubric of the LLM judges")
	fs.Float64Var(&p.temp, "merchant-temperature", 0.7, "temperature of the simulated merchant")
	fs.StringVar(&p.dataDir, "data-dir", "", "folder for the in-process NATS server's data (default: beside the results file)")
	p.llm = addLLMFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 || !slices.Contains(agreementFormats, *format) || p.trials < 1 || p.concurrency < 1 || p.maxTurns < 1 || p.turnTimeout <= 0 {
		return usageErrorf("judges sensitivity takes no arguments, --format table, json or md, and positive --trials, --concurrency, --max-turns and --turn-timeout").try("arena judges sensitivity --help")
	}
	builds, err := sensitivityBuilds(*refs)
	if err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	path, err := (&RunCommand{m: c.m}).llmPath(fs, p.llm, p.mode, p.rubric, p.temp, &p.turnTimeout)
	if err != nil {
		return err
	}
	convs, source, err := loadConversations(p.logs, p.logFormat, p.strict, logger)
	if err != nil {
		return err
	}
	file, cleanup, err := sensitivityFile(*dbPath)
	if err != nil {
		return err
	}
	defer cleanup()
	db, err := results.Open(ctx, file)
	if err != nil {
		return err
	}
	defer db.Close()
	dataDir := p.dataDir
	if dataDir == "" {
		dataDir = filepath.Join(filepath.Dir(file), "nats")
	}
	rep, err := arena.Execute(ctx, arena.Config{
		Bus: arena.BusConfig{DataDir: dataDir}, DB: db, Conversations: convs,
		References: builds, Candidates: builds, Trials: p.trials, Concurrency: p.concurrency,
		TurnTimeout: p.turnTimeout, MaxTurns: p.maxTurns,
		Settings: map[string]any{"sensitivity": true, "logs": source, "references": strings.Join(builds, ",")},
		Mode:     path.mode, LLM: path.llm, SimulatorModels: path.simulators, MerchantTemperature: p.temp, RubricYAML: path.rubric,
		Logger: logger,
	})
	if err != nil {
		return err
	}
	s, err := arena.Sensitivity(ctx, db, rep.Run.ID, path.llm != nil)
	if err != nil {
		return err
	}
	return printSensitivity(c.m.Stdout, *format, s)
}

// sensitivityBuilds resolves --references: golden and every mutant by
// default, never the LLM agents (they have no known defect).
func sensitivityBuilds(v string) ([]string, error) {
	if v == "all" || v == "" {
		return mutants.Names(), nil
	}
	names, err := referenceList(v)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base, _, _ := strings.Cut(n, "@")
		if !slices.Contains(mutants.Names(), base) {
			return nil, usageErrorf("--references %s: not a mutant build; use some of %s", n, strings.Join(mutants.Names(), ","))
		}
	}
	return names, nil
}

// sensitivityFile is the results file to use, and how to clean it up.
func sensitivityFile(path string) (string, func(), error) {
	if path != "" {
		return path, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "arena-sensitivity-")
	if err != nil {
		return "", nil, fmt.Errorf("sensitivity: %w", err)
	}
	return filepath.Join(dir, "arena.db"), func() { os.RemoveAll(dir) }, nil
}

// printSensitivity prints the report; the table puts the control last.
func printSensitivity(w writer, format string, rep arena.SensitivityReport) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	defects := make([]string, 0, len(rep.Defects))
	for d := range rep.Defects {
		defects = append(defects, d)
	}
	sort.Slice(defects, func(i, j int) bool { // the control last
		if (defects[i] == arena.NoDefect) != (defects[j] == arena.NoDefect) {
			return defects[j] == arena.NoDefect
		}
		return defects[i] < defects[j]
	})
	t := table{Header: []string{"judge"}}
	for _, d := range defects {
		label := d
		if d == arena.NoDefect {
			label = "none (golden: false alarms)"
		}
		t.Header = append(t.Header, fmt.Sprintf("%s (%d)", label, rep.Defects[d].Sessions))
	}
	judgeNames := make([]string, 0, len(rep.Judges))
	for j := range rep.Judges {
		judgeNames = append(judgeNames, j)
	}
	sort.Strings(judgeNames)
	for _, j := range judgeNames {
		row := []string{j}
		for _, d := range defects {
			row = append(row, fmt.Sprintf("%d/%d", rep.Judges[j][d], rep.Defects[d].Sessions))
		}
		t.Rows = append(t.Rows, row)
	}
	fmt.Fprintf(w, "Judge sensitivity, run %s: sessions caught per defect kind (caught/sessions)\n\n", rep.Run)
	if err := render(w, format, t); err != nil {
		return err
	}
	if len(rep.Missed) > 0 {
		fmt.Fprintf(w, "\nMissed: no judge caught every session of %s\n", strings.Join(rep.Missed, ", "))
	}
	return nil
}
