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
	format := fs.String("format", "table", "output format: table, json, md")
	p := addPlayFlags(fs, "")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 || !slices.Contains(agreementFormats, *format) {
		return usageErrorf("judges sensitivity takes no arguments and --format table, json or md").try("arena judges sensitivity --help")
	}
	if !flagGiven(fs, "turn-timeout") {
		p.turnTimeout = time.Second // slow always outlasts it; the others answer in milliseconds
	}
	builds, err := sensitivityBuilds(p.refs)
	if err != nil {
		return err
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	file, cleanup, err := sensitivityFile(*dbPath)
	if err != nil {
		return err
	}
	defer cleanup()
	if !flagGiven(fs, "data-dir") {
		p.dataDir = filepath.Join(filepath.Dir(file), "nats")
	}
	cfg, err := p.config(c.m, fs, builds, builds, map[string]any{"sensitivity": true}, logger)
	if err != nil {
		return err
	}
	db, err := results.Open(ctx, file)
	if err != nil {
		return err
	}
	defer db.Close()
	cfg.DB = db
	rep, err := arena.Execute(ctx, *cfg)
	if err != nil {
		return err
	}
	s, err := arena.Sensitivity(ctx, db, rep.Run.ID, cfg.LLM != nil)
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
