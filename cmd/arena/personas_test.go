package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/personas"
)

// compactJSON compares JSON arguments by content: "show --format json"
// indents them.
var compactJSON = cmp.Transformer("compact", func(r json.RawMessage) string {
	var b bytes.Buffer
	if err := json.Compact(&b, r); err != nil {
		return "invalid JSON: " + string(r)
	}
	return b.String()
})

func readCards(t *testing.T, path string) []personas.Card {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cards, err := personas.ReadJSONL(f, path)
	if err != nil {
		t.Fatalf("the card file does not read back: %v", err)
	}
	return cards
}

func TestPersonasCommand_Help(t *testing.T) {
	for _, args := range [][]string{{"personas", "--help"}, {"personas", "extract", "--help"}, {"personas", "show", "-h"}} {
		r := run(t, t.Context(), nil, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Examples:") || !strings.Contains(r.stdout, "arena personas") {
			t.Errorf("%v: exit %d, want usage with examples on stdout:\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	if r := run(t, t.Context(), nil, "help"); !strings.Contains(r.stdout, "personas") {
		t.Errorf("arena help does not list personas:\n%s", r.stdout)
	}
}

func TestPersonasCommand_UsageErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db") // never created: every case fails first
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"NoSubcommand", []string{"personas"}, "want a subcommand"},
		{"UnknownSubcommand", []string{"personas", "list"}, `unknown subcommand "list"`},
		{"ExtractArgument", []string{"personas", "extract", "--db", db, "logs.jsonl"}, "takes no arguments"},
		{"BadExtractor", []string{"personas", "extract", "--db", db, "--extractor", "magic"}, `--extractor "magic"`},
		{"LLMWithoutEndpoint", []string{"personas", "extract", "--db", db, "--extractor", "llm"}, "no LLM endpoint configured"},
		{"BadFormat", []string{"personas", "extract", "--db", db, "--format", "xml"}, "--format"},
		{"BadConcurrency", []string{"personas", "extract", "--db", db, "--concurrency", "0"}, "--concurrency"},
		{"MissingLog", []string{"personas", "extract", "--db", db, "--logs", filepath.Join(dir, "nope.jsonl")}, "nope.jsonl"},
		{"ShowNoID", []string{"personas", "show"}, "want one card ID"},
		{"ShowNoDB", []string{"personas", "show", "abc", "--db", filepath.Join(dir, "none.db")}, "Try: arena personas extract"},
		{"ShowBadFormat", []string{"personas", "show", "abc", "--format", "csv"}, "use table or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, t.Context(), nil, tt.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("exit %d, stderr:\n%s\nwant exit 2 and %q", r.code, r.stderr, tt.want)
			}
			if _, err := os.Stat(db); err == nil {
				t.Fatalf("a usage error created the results file")
			}
		})
	}
}

func TestPersonasCommand_ExtractHeuristic(t *testing.T) {
	dir := t.TempDir()
	out, db := filepath.Join(dir, "cards.jsonl"), filepath.Join(dir, "arena.db")
	r := run(t, t.Context(), nil, "personas", "extract", "--out", out, "--db", db)
	if r.code != 0 {
		t.Fatalf("extract: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "heuristic/2") || !strings.Contains(r.stderr, "no LLM configured") {
		t.Errorf("stderr does not say the heuristic ran and why:\n%s", r.stderr)
	}
	convs, err := examples.Conversations()
	if err != nil {
		t.Fatal(err)
	}
	cards := readCards(t, out)
	if len(cards) != len(convs) || cards[0].Source.Conversation != convs[0].ID {
		t.Fatalf("%d cards, want one per bundled conversation (%d), in order", len(cards), len(convs))
	}
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != len(convs)+1 ||
		!strings.HasPrefix(lines[0], "id") || !strings.Contains(lines[1], cards[0].ID) {
		t.Errorf("summary table: want a header and one row per card:\n%s", r.stdout)
	}

	t.Run("ShowJSON", func(t *testing.T) {
		s := run(t, t.Context(), nil, "personas", "show", cards[3].ID, "--db", db, "--format", "json")
		var got personas.Card
		if s.code != 0 || json.Unmarshal([]byte(s.stdout), &got) != nil {
			t.Fatalf("show: exit %d\n%s%s", s.code, s.stdout, s.stderr)
		}
		if diff := cmp.Diff(cards[3], got, compactJSON); diff != "" {
			t.Errorf("stored card differs from the file's (-file +stored):\n%s", diff)
		}
	})
	t.Run("ShowTable", func(t *testing.T) {
		s := run(t, t.Context(), nil, "personas", "show", cards[0].ID, "--db", db)
		for _, want := range []string{cards[0].Source.Conversation, "g1 (turn 1)", "action", cards[0].Goals[0].ExpectedActions[0].Tool} {
			if s.code != 0 || !strings.Contains(s.stdout, want) {
				t.Errorf("show: exit %d, output lacks %q:\n%s", s.code, want, s.stdout)
			}
		}
	})
	t.Run("ShowByPrefix", func(t *testing.T) {
		s := run(t, t.Context(), nil, "personas", "show", cards[2].ID[:10], "--db", db, "--format", "json")
		var got personas.Card
		if s.code != 0 || json.Unmarshal([]byte(s.stdout), &got) != nil || got.ID != cards[2].ID {
			t.Fatalf("show by prefix: exit %d, got %q\n%s", s.code, got.ID, s.stderr)
		}
	})
	t.Run("ShowUnknown", func(t *testing.T) {
		s := run(t, t.Context(), nil, "personas", "show", "zzzz", "--db", db)
		if s.code != 2 || !strings.Contains(s.stderr, `no persona "zzzz"`) || !strings.Contains(s.stderr, "Try: sqlite3") {
			t.Errorf("show unknown: exit %d\n%s", s.code, s.stderr)
		}
	})
}

func TestPersonasCommand_ExtractToStdout(t *testing.T) {
	r := run(t, t.Context(), nil, "personas", "extract", "--out", "-", "--db", "", "--format", "csv")
	if r.code != 0 {
		t.Fatalf("extract: exit %d\n%s", r.code, r.stderr)
	}
	cards, err := personas.ReadJSONL(strings.NewReader(r.stdout), "stdout")
	if err != nil || len(cards) == 0 {
		t.Fatalf("stdout is not a card library (%v):\n%.500s", err, r.stdout)
	}
	if strings.Contains(r.stdout, "id,conversation") {
		t.Errorf("the summary table was mixed into the cards on stdout")
	}
}

// torontoLog writes a JSONL log of the personas package's Toronto
// conversation under each ID; the scripted model answers "bad-turns" badly.
func torontoLog(t *testing.T, ids ...string) string {
	t.Helper()
	raw, err := os.ReadFile("../../personas/testdata/toronto.json")
	if err != nil {
		t.Fatal(err)
	}
	var conv map[string]any
	if err := json.Unmarshal(raw, &conv); err != nil {
		t.Fatal(err)
	}
	var lines []byte
	for _, id := range ids {
		conv["id"] = id
		b, _ := json.Marshal(conv)
		lines = append(append(lines, b...), '\n')
	}
	path := filepath.Join(t.TempDir(), "log.jsonl")
	if err := os.WriteFile(path, lines, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// extractorModel answers like a model would for the Toronto log, with a
// goal turn out of range for the conversation "bad-turns".
func extractorModel(r *llmtest.Request) llmtest.Reply {
	second := 2
	if strings.HasPrefix(r.Last().Content, "Conversation bad-turns,") {
		second = 9
	}
	goal := func(turn int, request string) map[string]any {
		return map[string]any{"turn": turn, "request": request, "success_test": "the reply states it", "skill": "customer_lookup"}
	}
	return llmtest.JSON(map[string]any{
		"profile": map[string]any{"shop": "", "industry": "apparel", "expertise": "novice", "tone": "brief",
			"patience": 5, "language": "en"},
		"goals":    []any{goal(1, "Toronto customers"), goal(second, "Segment of the enabled ones")},
		"facts":    []string{"The segment is called Toronto regulars."},
		"unknowns": []string{},
		"opening":  "Which of my customers are from Toronto?",
	})
}

func TestPersonasCommand_ExtractLLM(t *testing.T) {
	srv := llmtest.NewServer(t, extractorModel)
	env := map[string]string{"OPENAI_BASE_URL": srv.URL, "OPENAI_API_KEY": "test-key"}
	log := torontoLog(t, "toronto-vip", "bad-turns")
	dir := t.TempDir()
	out, db := filepath.Join(dir, "cards.jsonl"), filepath.Join(dir, "arena.db")

	r := run(t, t.Context(), env, "personas", "extract", "--logs", log, "--out", out, "--db", db, "--format", "json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (one conversation failed, the other extracted)\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"llm/1:gpt-4.1-mini", "LLM endpoint configured", log + ":2:", "bad-turns", "goals[1].turn", "1 of 2 conversations"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	cards := readCards(t, out)
	if len(cards) != 1 || cards[0].Extractor != "llm/1:gpt-4.1-mini" || cards[0].Source.File != log || cards[0].Source.Line != 1 {
		t.Fatalf("cards = %+v, want the Toronto card from %s:1 by llm/1:gpt-4.1-mini", cards, log)
	}
	var tools []string
	for _, g := range cards[0].Goals {
		for _, a := range g.ExpectedActions {
			tools = append(tools, g.ID+":"+a.Tool)
		}
	}
	if diff := cmp.Diff([]string{"g1:search_customers", "g2:create_segment"}, tools); diff != "" {
		t.Errorf("expected actions, copied from the log (-want +got):\n%s", diff)
	}
	var summary []cardRow
	if err := json.Unmarshal([]byte(r.stdout), &summary); err != nil || len(summary) != 1 || summary[0].Goals != 2 {
		t.Errorf("json summary = %s (%v), want one card with 2 goals", r.stdout, err)
	}
	if got := srv.Requests()[0].Model; got != "gpt-4.1-mini" {
		t.Errorf("request model %q, want --model's default", got)
	}

	s := run(t, t.Context(), nil, "personas", "show", cards[0].ID, "--db", db, "--format", "json")
	if s.code != 0 || !strings.Contains(s.stdout, `"extractor": "llm/1:gpt-4.1-mini"`) {
		t.Errorf("show: exit %d, the LLM card is not stored:\n%s%s", s.code, s.stdout, s.stderr)
	}

	t.Run("CachedInTheResultsFile", func(t *testing.T) {
		before := srv.Count()
		r := run(t, t.Context(), env, "personas", "extract", "--logs", log, "--out", "", "--db", db)
		if r.code != 1 || srv.Count() != before {
			t.Errorf("exit %d after %d model calls; want the same outcome from the results file's cache, no call\n%s",
				r.code, srv.Count()-before, r.stderr)
		}
	})
	t.Run("HeuristicWhenAsked", func(t *testing.T) {
		before := srv.Count()
		r := run(t, t.Context(), env, "personas", "extract", "--logs", log, "--out", "", "--db", "", "--extractor", "heuristic")
		if r.code != 0 || srv.Count() != before || !strings.Contains(r.stderr, "heuristic/2") {
			t.Errorf("exit %d, %d model calls; want the heuristic and no call\n%s", r.code, srv.Count()-before, r.stderr)
		}
	})
}

func TestPersonasCommand_ExtractBudget(t *testing.T) {
	srv := llmtest.NewServer(t, extractorModel)
	env := map[string]string{"OPENAI_BASE_URL": srv.URL}
	log := torontoLog(t, "a", "b", "c", "d")
	r := run(t, t.Context(), env, "personas", "extract", "--logs", log, "--out", "", "--db", "",
		"--max-tokens", "1", "--concurrency", "1", "--format", "csv")
	if r.code != 1 || srv.Count() != 1 {
		t.Fatalf("exit %d after %d calls, want 1 after one call (the budget is spent by it)\n%s", r.code, srv.Count(), r.stderr)
	}
	for _, want := range []string{log + ":2: extract b:", "budget", "2 conversations not tried", "Try: raise --max-cost or --max-tokens", "3 of 4 conversations"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 2 || !strings.Contains(lines[1], ",a,") {
		t.Errorf("summary: want the one card of conversation a:\n%s", r.stdout)
	}
}

func TestMatchPrefix(t *testing.T) {
	ids := []string{"3f9a2c4d1e0b7a65", "3f9b000000000000", "a1b2c3d4e5f60718"}
	tests := []struct {
		name, prefix, want, wantErr string
	}{
		{"Unique", "3f9a", "3f9a2c4d1e0b7a65", ""},
		{"WholeID", "a1b2c3d4e5f60718", "a1b2c3d4e5f60718", ""},
		{"ErrAmbiguous", "3f9", "", `ID prefix "3f9" matches 2 personas`},
		{"ErrNone", "ffff", "", `no persona "ffff"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := matchPrefix(ids, tt.prefix, "arena.db")
			if got != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("matchPrefix(%q) = %q, %v; want %q, error %q", tt.prefix, got, err, tt.want, tt.wantErr)
			}
		})
	}
}
