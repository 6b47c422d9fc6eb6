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

// sensitivityReport is the JSON of "judges sensitivity".
type sensitivityReport struct {
	Run string `json:"run"`
	// Defects maps a defect kind ("none" for golden) to its sessions and
	// builds.
	Defects map[string]defectSessions `json:"defects"`
	// Judges maps a judge to the sessions it caught, by defect kind.
	Judges map[string]map[string]int `json:"judges"`
	// Missed lists the defect kinds no judge caught in every session.
	Missed []string `json:"missed"`
}

type defectSessions struct {
	Sessions int      `json:"sessions"`
	Builds   []string `json:"builds"`
}

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
	s, err := measureSensitivity(ctx, db, rep.Run.ID, path.llm != nil)
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

// measureSensitivity counts, per defect kind, the run's sessions and those
// each judge caught.
func measureSensitivity(ctx context.Context, db *results.DB, run string, withLLM bool) (sensitivityReport, error) {
	defects, err := buildDefects(ctx, db)
	if err != nil {
		return sensitivityReport{}, err
	}
	sessions, err := db.SessionScores(ctx, run)
	if err != nil {
		return sensitivityReport{}, err
	}
	findings, err := db.Violations(ctx, run)
	if err != nil {
		return sensitivityReport{}, err
	}
	expressed, err := defectExpressed(ctx, db, sessions, defects)
	if err != nil {
		return sensitivityReport{}, err
	}
	kinds := map[int64]map[string]bool{}
	gated := map[int64]bool{}
	for _, f := range findings {
		if kinds[f.SessionID] == nil {
			kinds[f.SessionID] = map[string]bool{}
		}
		kinds[f.SessionID][f.Kind] = true
		gated[f.SessionID] = gated[f.SessionID] || f.Gate
	}
	rep := sensitivityReport{Run: run, Defects: map[string]defectSessions{}, Judges: map[string]map[string]int{}}
	catch := func(judge, defect string) {
		if rep.Judges[judge] == nil {
			rep.Judges[judge] = map[string]int{}
		}
		rep.Judges[judge][defect]++
	}
	for _, s := range sessions {
		if s.Status == results.StatusCancelled {
			continue
		}
		build := s.Key.Candidate + "@" + s.Key.Version
		defect := defects[build]
		if !expressed[s.SessionID] {
			continue
		}
		d := rep.Defects[defect]
		d.Sessions++
		if !slices.Contains(d.Builds, build) {
			d.Builds = append(d.Builds, build)
		}
		rep.Defects[defect] = d
		for k := range kinds[s.SessionID] {
			catch("procedural:"+k, defect)
		}
		if gated[s.SessionID] {
			catch("procedural:any", defect)
		}
		if s.Status == results.StatusError || s.Status == results.StatusTimeout {
			catch("arena:status", defect)
		}
		if withLLM {
			if err := catchLLM(ctx, db, s.SessionID, defect, catch); err != nil {
				return rep, err
			}
		}
	}
	rep.Missed = missed(rep)
	return rep, nil
}

// defectExpressed says which sessions show their build's defect. A
// mutant replays the log with one defect that some conversations never
// trigger (tag-hacker changes only field filters): a mutant session whose
// messages and tool calls are exactly golden's for the same persona and
// trial showed no defect, and no judge should catch it. Without golden in
// the run every session counts; golden's own sessions always count, as the
// control.
func defectExpressed(ctx context.Context, db *results.DB, sessions []results.SessionScore, defects map[string]string) (map[int64]bool, error) {
	prints := map[int64]string{}
	golden := map[string]string{}
	for _, s := range sessions {
		if s.Status == results.StatusCancelled {
			continue
		}
		full, err := db.Session(ctx, s.SessionID)
		if err != nil {
			return nil, err
		}
		prints[s.SessionID] = fingerprint(full)
		if defects[s.Key.Candidate+"@"+s.Key.Version] == "none" {
			golden[fmt.Sprintf("%s/%d", s.Key.Persona, s.Key.Trial)] = prints[s.SessionID]
		}
	}
	out := map[int64]bool{}
	for _, s := range sessions {
		g, ok := golden[fmt.Sprintf("%s/%d", s.Key.Persona, s.Key.Trial)]
		out[s.SessionID] = defects[s.Key.Candidate+"@"+s.Key.Version] == "none" || !ok || s.Status != results.StatusOK || prints[s.SessionID] != g
	}
	return out, nil
}

// fingerprint is what a build did in a session: its messages and the
// calls the sandbox recorded.
func fingerprint(s results.Session) string {
	b, _ := json.Marshal(struct { // plain strings and structs always marshal
		M []results.Message
		C []string
	}{s.Messages, callTexts(s.ToolCalls)})
	return string(b)
}

func callTexts(calls []results.ToolCall) []string {
	out := make([]string, len(calls))
	for i, c := range calls {
		out[i] = c.Tool + " " + c.Arguments + " " + c.Result + " " + c.Error
	}
	return out
}

// buildDefects maps each build to the defect its metadata announces
// ("none" for golden and builds without one). The results file keeps no
// micro metadata for reference builds, so the mutants' own declarations
// are read, by build name.
func buildDefects(ctx context.Context, db *results.DB) (map[string]string, error) {
	cs, err := db.Candidates(ctx)
	if err != nil {
		return nil, err
	}
	declared := map[string]string{}
	for _, b := range mutants.Builds(mutants.NewLibrary(nil)) {
		declared[b.Name] = b.Metadata[mutants.MetaDefect]
	}
	out := map[string]string{}
	for _, c := range cs {
		var meta map[string]string
		_ = json.Unmarshal(c.Metadata, &meta) // metadata that is not a string map names no defect
		d := meta[mutants.MetaDefect]
		if d == "" {
			d = declared[c.Name]
		}
		if d == "" {
			d = "none"
		}
		out[c.Name+"@"+c.Version] = d
	}
	return out, nil
}

// catchLLM counts the LLM criteria a session scored below the top.
func catchLLM(ctx context.Context, db *results.DB, id int64, defect string, catch func(judge, defect string)) error {
	s, err := db.Session(ctx, id)
	if err != nil {
		return err
	}
	low := map[string]bool{}
	for _, sc := range s.Scores {
		if sc.Judge == "llm" && sc.Score < 1 {
			name, _, _ := strings.Cut(sc.Criterion, "/")
			low[name] = true
		}
	}
	for name := range low {
		catch("llm:"+name, defect)
	}
	return nil
}

// missed lists the defect kinds (golden's "none" aside) that no judge
// caught in every session.
func missed(rep sensitivityReport) []string {
	out := []string{}
	for defect, d := range rep.Defects {
		if defect == "none" {
			continue
		}
		best := 0
		for _, caught := range rep.Judges {
			best = max(best, caught[defect])
		}
		if best < d.Sessions {
			out = append(out, defect)
		}
	}
	sort.Strings(out)
	return out
}

func printSensitivity(w writer, format string, rep sensitivityReport) error {
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
		if (defects[i] == "none") != (defects[j] == "none") {
			return defects[j] == "none"
		}
		return defects[i] < defects[j]
	})
	t := table{Header: []string{"judge"}}
	for _, d := range defects {
		label := d
		if d == "none" {
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
