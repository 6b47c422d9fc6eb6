package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

// PersonasCommand extracts persona cards from conversation logs and shows
// stored ones.
type PersonasCommand struct {
	m *Main
}

const personasUsage = `Usage: arena personas <extract|show> [flags]

Persona cards say who a logged merchant is, what they asked for in which
order, what they told the assistant, and what the logged assistant did for
each goal. "extract" builds them from conversation logs; "show" prints one
stored card.

Examples:
  arena personas extract --logs logs/march.jsonl              # cards.jsonl + arena.db
  arena personas extract --extractor heuristic --out - > cards.jsonl
  arena personas show 3f9a2c4d1e0b7a65

Run "arena personas extract --help" or "arena personas show --help" for flags.
`

const extractSummary = `Extract one persona card per conversation of a log. The LLM extractor runs
when OPENAI_BASE_URL or OPENAI_API_KEY is set, the heuristic one otherwise
(--extractor picks); stderr says which ran. Either way each goal's expected
actions and outputs are copied from the log, and cards are content-addressed:
the same conversation and extractor always give the same card ID.

Cards are written as JSONL to --out ("-" for stdout, "" for no file) and
stored in the results file (--db, "" for none), whose LLM cache answers a
repeated LLM extraction without a call. A summary table goes to stdout unless the
cards do. A conversation that cannot be extracted is reported with its file
and line and the others go on; the exit status is then 1.`

const extractExamples = `  arena personas extract                                  # the bundled examples
  arena personas extract --logs logs/march.jsonl --out march.jsonl
  arena personas extract --logs ../shared/data/tau2-bench/retail/results-gpt-4.1-40sims.json --extractor heuristic
  OPENAI_API_KEY=... arena personas extract --logs logs/march.jsonl --extractor-model gpt-4.1 --max-cost 2
  arena personas extract --logs logs/march.jsonl --out - --db "" | jq .goals`

const showSummary = `Print one persona card stored in a results file, by the ID "personas extract"
listed for it, or any prefix of it that names one card.`

const showExamples = `  arena personas show 3f9a2c4d1e0b7a65
  arena personas show 3f9a --format json > card.json
  arena personas show 3f9a2c4d1e0b7a65 --db ci/results.db`

// Run dispatches the personas subcommands.
func (c *PersonasCommand) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageErrorf("personas: want a subcommand: extract or show").try("arena personas --help")
	}
	switch args[0] {
	case "extract":
		return c.extract(ctx, args[1:])
	case "show":
		return c.show(ctx, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(c.m.Stdout, personasUsage)
		return errHelp
	}
	return usageErrorf("personas: unknown subcommand %q: want extract or show", args[0]).try("arena personas --help")
}

// extractFlags are the flags of personas extract.
type extractFlags struct {
	logs, logsFormat  string
	strict            bool
	out, db           string
	extractor, format string
	concurrency       int
	llm               *llmFlags
}

func (c *PersonasCommand) extract(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("personas extract", extractSummary, extractExamples)
	f := extractFlags{}
	fs.StringVar(&f.logs, "logs", "", "conversation log (default: the bundled examples)")
	fs.StringVar(&f.logsFormat, "logs-format", "", "format of --logs: jsonl, tau-bench, tau2-bench (default: detect)")
	fs.BoolVar(&f.strict, "strict", false, "fail on any bad record in --logs instead of skipping it")
	fs.StringVar(&f.out, "out", "cards.jsonl", `card file (JSONL); "-" for stdout, "" for none`)
	fs.StringVar(&f.db, "db", "arena.db", `results file (SQLite) to store the cards in; "" for none`)
	fs.StringVar(&f.extractor, "extractor", "", "heuristic or llm (default: llm when OPENAI_BASE_URL or OPENAI_API_KEY is set)")
	fs.StringVar(&f.format, "format", "table", "summary format: table, json, md, csv")
	fs.IntVar(&f.concurrency, "concurrency", 4, "conversations extracted at once")
	f.llm = addLLMFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 {
		return usageErrorf("personas extract takes no arguments, got %q", fs.positional).try("arena personas extract --logs FILE")
	}
	if err := checkFormat(f.format); err != nil {
		return err
	}
	if f.concurrency < 1 {
		return usageErrorf("--concurrency must be positive").try("arena personas extract --help")
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	return c.runExtract(ctx, f, logger)
}

func (c *PersonasCommand) runExtract(ctx context.Context, f extractFlags, logger *slog.Logger) error {
	which, why, err := c.chooseExtractor(f.extractor)
	if err != nil {
		return err
	}
	var cfg llm.Config
	if which == "llm" {
		if cfg, err = f.llm.config(c.m.Getenv); err != nil {
			return err
		}
		cfg.Logger = logger
	}
	convs, source, err := loadConversations(f.logs, f.logsFormat, f.strict, logger)
	if err != nil {
		return err
	}
	var db *results.DB
	if f.db != "" {
		if db, err = results.Open(ctx, f.db); err != nil {
			return fmt.Errorf("%w\nTry: check that %s is an arena results file, or pass another --db", err, f.db)
		}
		defer db.Close()
	}
	ex, err := newExtractor(which, cfg, db)
	if err != nil {
		return err
	}
	logger.Info("persona extractor", "extractor", ex.name, "why", why)
	bar := c.m.newProgress("personas")
	cards, failures := extractAll(ctx, ex, convs, f.concurrency, bar.update)
	bar.finish()
	if err := ctx.Err(); err != nil {
		return err
	}
	c.reportFailures(failures)
	if len(cards) == 0 {
		return usageErrorf("no persona card could be extracted from %s", source).try("arena logs inspect " + f.logs)
	}
	if err := c.save(ctx, f, db, cards); err != nil {
		return err
	}
	logger.Info("personas extracted", "extractor", ex.name, "cards", len(cards), "failed", len(failures),
		"logs", source, "out", f.out, "db", f.db)
	if f.out != "-" {
		if err := render(c.m.Stdout, f.format, summaryTable(cards)); err != nil {
			return err
		}
	}
	if len(failures) > 0 {
		return &exitError{code: exitFailed, err: fmt.Errorf("%d of %d %s not extracted (listed above)",
			len(failures), len(convs), plural(len(convs), "conversation"))}
	}
	return nil
}

// extractor is the chosen extractor: its card name and its function.
type extractor struct {
	name    string
	extract func(context.Context, transcript.Conversation) (personas.Card, error)
}

// chooseExtractor applies --extractor, before anything is read or opened,
// and says why.
func (c *PersonasCommand) chooseExtractor(flag string) (which, why string, err error) {
	configured := llmConfigured(c.m.Getenv)
	switch {
	case flag == "" && configured:
		return "llm", "LLM endpoint configured", nil
	case flag == "":
		return "heuristic", "no LLM configured (set OPENAI_BASE_URL or OPENAI_API_KEY for the LLM extractor)", nil
	case flag == "llm" && !configured:
		return "", "", usageErrorf("--extractor llm: no LLM endpoint configured").
			try("set OPENAI_BASE_URL (and OPENAI_API_KEY), or --extractor heuristic")
	case flag != "llm" && flag != "heuristic":
		return "", "", usageErrorf("--extractor %q: use heuristic or llm", flag).try("arena personas extract --help")
	}
	return flag, "--extractor " + flag, nil
}

// newExtractor builds the extractor; the LLM one caches its calls in db.
func newExtractor(which string, cfg llm.Config, db *results.DB) (extractor, error) {
	if which == "heuristic" {
		return extractor{name: personas.HeuristicVersion, extract: func(_ context.Context, conv transcript.Conversation) (personas.Card, error) {
			return personas.Extract(conv)
		}}, nil
	}
	if db != nil {
		cfg.Cache = db.LLMCache()
	}
	client, err := llm.New(cfg)
	if err != nil {
		return extractor{}, usageErrorf("llm: %v", err).try("check OPENAI_BASE_URL and OPENAI_API_KEY")
	}
	le := &personas.LLMExtractor{Client: client}
	return extractor{name: le.Extractor(), extract: le.Extract}, nil
}

// failure is a conversation that gave no card; skipped when none was
// tried because the LLM budget was spent.
type failure struct {
	conv    transcript.Conversation
	err     error
	skipped bool
}

// extractAll extracts every conversation, n at a time, keeping their
// order. A failure is kept and the rest go on, except that a spent LLM
// budget stops the calls not yet made.
func extractAll(ctx context.Context, ex extractor, convs []transcript.Conversation, n int,
	progress func(done, total int, _ *arena.Outcome)) ([]personas.Card, []failure) {
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	cards := make([]personas.Card, len(convs))
	fails := make([]*failure, len(convs))
	var done atomic.Int64
	var g errgroup.Group
	g.SetLimit(n)
	for i, conv := range convs {
		g.Go(func() error {
			defer func() { progress(int(done.Add(1)), len(convs), nil) }()
			if ctx.Err() != nil {
				fails[i] = &failure{conv, context.Cause(ctx), true}
				return nil
			}
			card, err := ex.extract(ctx, conv)
			if errors.Is(err, llm.ErrBudget) {
				stop(err)
			}
			cards[i] = card
			if err != nil {
				fails[i] = &failure{conv, err, false}
			}
			return nil
		})
	}
	_ = g.Wait() // every goroutine returns nil; failures are kept per conversation
	var out []personas.Card
	var failures []failure
	for i := range convs {
		if fails[i] != nil {
			failures = append(failures, *fails[i])
		} else {
			out = append(out, cards[i])
		}
	}
	return out, failures
}

// reportFailures prints one line per failed conversation, and one for
// all those the spent budget left untried.
func (c *PersonasCommand) reportFailures(failures []failure) {
	untried := 0
	var cause error
	for _, fl := range failures {
		if fl.skipped {
			untried, cause = untried+1, fl.err
			continue
		}
		fmt.Fprintf(c.m.Stderr, "%s: %v\n", where(fl.conv), fl.err)
	}
	if untried > 0 {
		fmt.Fprintf(c.m.Stderr, "%d %s not tried: %v\nTry: raise --max-cost or --max-tokens\n", untried, plural(untried, "conversation"), cause)
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// where locates a conversation for an error line: file:line when known.
func where(c transcript.Conversation) string {
	if s := fileLine(c.Source.File, c.Source.Line); s != "" {
		return s
	}
	return "conversation " + c.ID
}

func fileLine(file string, line int) string {
	if file != "" && line > 0 {
		return file + ":" + strconv.Itoa(line)
	}
	return file
}

// save writes the card file and stores the cards in the results file.
func (c *PersonasCommand) save(ctx context.Context, f extractFlags, db *results.DB, cards []personas.Card) error {
	if err := writeCards(f.out, c.m, cards); err != nil {
		return err
	}
	if db == nil {
		return nil
	}
	recs := make([]results.Persona, len(cards))
	for i := range cards {
		recs[i] = arena.PersonaRecord(&cards[i])
	}
	if err := db.PutPersonas(ctx, recs); err != nil {
		return fmt.Errorf("store personas in %s: %w", f.db, err)
	}
	return nil
}

// writeCards writes the JSONL card file through a temporary file renamed
// into place, so a failed write never leaves half a library.
func writeCards(path string, m *Main, cards []personas.Card) error {
	switch path {
	case "":
		return nil
	case "-":
		return personas.WriteJSONL(m.Stdout, cards)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return usageErrorf("--out %s: %v", path, err).try("--out FILE in a folder you can write, or --out -")
	}
	defer os.Remove(tmp.Name()) // gone after the rename; removes the leftover on failure
	if err := personas.WriteJSONL(tmp, cards); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// cardRow is one line of the extract summary.
type cardRow struct {
	ID           string   `json:"id"`
	Conversation string   `json:"conversation"`
	Source       string   `json:"source"`
	Extractor    string   `json:"extractor"`
	Goals        int      `json:"goals"`
	Facts        int      `json:"facts"`
	Skills       []string `json:"skills"`
}

func summaryTable(cards []personas.Card) table {
	t := table{Header: []string{"id", "conversation", "goals", "facts", "skills"}}
	rows := make([]cardRow, len(cards))
	for i, c := range cards {
		rows[i] = cardRow{ID: c.ID, Conversation: c.Source.Conversation, Source: fileLine(c.Source.File, c.Source.Line), Extractor: c.Extractor,
			Goals: len(c.Goals), Facts: len(c.Facts), Skills: c.Skills}
		t.Rows = append(t.Rows, []string{c.ID, c.Source.Conversation, strconv.Itoa(len(c.Goals)),
			strconv.Itoa(len(c.Facts)), strings.Join(c.Skills, ",")})
	}
	t.Value = rows
	return t
}

func (c *PersonasCommand) show(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("personas show", showSummary, showExamples)
	dbPath := fs.String("db", "arena.db", "results file (SQLite)")
	format := fs.String("format", "table", "output format: table, json")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) != 1 || strings.TrimSpace(fs.positional[0]) == "" {
		return usageErrorf("personas show: want one card ID, got %q", fs.positional).try("arena personas show ID")
	}
	if *format != "table" && *format != "json" {
		return usageErrorf("--format %q: use table or json", *format).try("arena personas show --help")
	}
	db, err := openExisting(ctx, *dbPath, "arena personas extract (stores cards in arena.db), or --db FILE")
	if err != nil {
		return err
	}
	defer db.Close()
	card, err := storedCard(ctx, db, fs.positional[0])
	if err != nil {
		return err
	}
	if *format == "json" {
		return render(c.m.Stdout, "json", table{Value: card})
	}
	return render(c.m.Stdout, "table", cardTable(card))
}

// personaLister is the listing of stored persona IDs that prefix lookup
// needs.
//
// storedCard reads the card with this ID, or with the one ID this prefix
// starts.
func storedCard(ctx context.Context, db *results.DB, id string) (personas.Card, error) {
	p, err := db.Persona(ctx, id)
	if errors.Is(err, results.ErrPersonaNotFound) {
		var full string
		if full, err = resolvePrefix(ctx, db, id); err != nil {
			return personas.Card{}, err
		}
		p, err = db.Persona(ctx, full)
	}
	if err != nil {
		return personas.Card{}, err
	}
	if len(p.Card) == 0 || string(p.Card) == "null" {
		return personas.Card{}, fmt.Errorf("persona %s: %s holds its ID but not its card", p.ID, db.Path())
	}
	var card personas.Card
	if err := json.Unmarshal(p.Card, &card); err != nil {
		return personas.Card{}, fmt.Errorf("persona %s: stored card: %w", p.ID, err)
	}
	return card, nil
}

func resolvePrefix(ctx context.Context, db *results.DB, prefix string) (string, error) {
	ids, err := db.PersonaIDs(ctx)
	if err != nil {
		return "", err
	}
	return matchPrefix(ids, prefix, db.Path())
}

// matchPrefix returns the one ID that starts with prefix.
func matchPrefix(ids []string, prefix, file string) (string, error) {
	var hits []string
	for _, id := range ids {
		if strings.HasPrefix(id, prefix) {
			hits = append(hits, id)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		return "", usageErrorf("no persona %q in %s", prefix, file).try(listIDsHint(file))
	}
	shown := hits
	if len(shown) > 5 {
		shown = append(shown[:5:5], "…")
	}
	return "", usageErrorf("ID prefix %q matches %d personas in %s: %s", prefix, len(hits), file, strings.Join(shown, ", ")).
		try("give more of the ID")
}

func listIDsHint(file string) string {
	return fmt.Sprintf("sqlite3 %s 'select id, source_conversation from personas'", file)
}

// cardTable shows a card as field/value rows, one goal after another.
func cardTable(c personas.Card) table {
	t := table{Header: []string{"field", "value"}, Value: c}
	add := func(k, v string) {
		if v = strings.Join(strings.Fields(v), " "); v != "" {
			t.Rows = append(t.Rows, []string{k, v})
		}
	}
	add("id", c.ID)
	add("extractor", c.Extractor)
	add("conversation", c.Source.Conversation)
	add("source", fileLine(c.Source.File, c.Source.Line))
	p := c.Profile
	for _, kv := range [][2]string{{"shop", p.Shop}, {"industry", p.Industry}, {"expertise", p.Expertise},
		{"tone", p.Tone}, {"language", p.Language}, {"patience", strconv.Itoa(p.Patience)}} {
		if kv[1] != "0" {
			add(kv[0], kv[1])
		}
	}
	add("opening", c.Opening)
	for _, g := range c.Goals {
		addGoal(add, g)
	}
	for _, f := range c.Facts {
		add("fact", f)
	}
	for _, u := range c.Unknowns {
		add("unknown", u)
	}
	add("skills", strings.Join(c.Skills, ", "))
	add("script", fmt.Sprintf("%d merchant messages", len(c.Script)))
	return t
}

func addGoal(add func(k, v string), g personas.Goal) {
	add(fmt.Sprintf("%s (turn %d)", g.ID, g.Turn), g.Request)
	add("  skill", g.Skill)
	add("  success test", g.SuccessTest)
	for _, a := range g.ExpectedActions {
		add("  action", a.Tool+" "+clip(string(a.Arguments), 160))
	}
	add("  outputs", strings.Join(g.ExpectedOutputs, ", "))
}

// clip shortens s to n bytes for a table cell.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
