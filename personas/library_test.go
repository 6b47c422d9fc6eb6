package personas_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/personas"
)

func torontoCard(t *testing.T) personas.Card {
	t.Helper()
	card, err := personas.Extract(mustLoad(t, "testdata/toronto.json"))
	if err != nil {
		t.Fatal(err)
	}
	return card
}

func TestWriteJSONL_RoundTrip(t *testing.T) {
	a := torontoCard(t)
	b := a
	b.ID, b.Source.Conversation = "other", "other-conv"
	var buf bytes.Buffer
	if err := personas.WriteJSONL(&buf, []personas.Card{a, b}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 || strings.Contains(buf.String(), `\u0026`) {
		t.Fatalf("want 2 lines with & unescaped, got %d:\n%s", n, buf.String())
	}
	got, err := personas.ReadJSONL(&buf, "cards.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]personas.Card{a, b}, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestWriteJSONL_ErrInvalidCard(t *testing.T) {
	good, bad := torontoCard(t), torontoCard(t)
	bad.Goals[1].ID = "g1"
	var buf bytes.Buffer
	err := personas.WriteJSONL(&buf, []personas.Card{good, bad})
	if !errors.Is(err, personas.ErrInvalidCard) || !strings.Contains(err.Error(), "cards[1]") || buf.Len() != 0 {
		t.Fatalf("err = %v, %d bytes written; want ErrInvalidCard naming cards[1] and nothing written", err, buf.Len())
	}
}

func TestReadJSONL_BadLines(t *testing.T) {
	card := torontoCard(t)
	line := func(edit func(m map[string]any)) string {
		b, _ := json.Marshal(card)
		var m map[string]any
		json.Unmarshal(b, &m)
		if edit != nil {
			edit(m)
		}
		b, _ = json.Marshal(m)
		return string(b)
	}
	other := func(m map[string]any) { m["id"] = "other" }
	input := strings.Join([]string{
		line(nil),     // 1 ok
		"",            // 2 blank: skipped silently
		`{"id": "x",`, // 3 bad JSON
		line(func(m map[string]any) { m["colour"] = "red" }),  // 4 unknown field
		line(func(m map[string]any) { m["goals"] = []any{} }), // 5 no goal
		line(nil),           // 6 same ID as line 1
		line(other),         // 7 ok
		line(other) + " {}", // 8 text after the card
	}, "\n")
	cards, err := personas.ReadJSONL(strings.NewReader(input), "cards.jsonl")
	var ids []string
	for _, c := range cards {
		ids = append(ids, c.ID)
	}
	if diff := cmp.Diff([]string{card.ID, "other"}, ids); diff != "" {
		t.Errorf("cards kept (-want +got):\n%s", diff)
	}
	want := []string{
		"cards.jsonl:3: not a card",
		`cards.jsonl:4: not a card: json: unknown field "colour"`,
		"cards.jsonl:5: card " + card.ID + ": goals: required",
		"cards.jsonl:6: card " + card.ID + ": repeats the card of line 1",
		"cards.jsonl:8: not a card: byte",
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("errors:\n%v\nwant %d, one per bad line", err, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("error %d = %q, want it to start %q", i, lines[i], w)
		}
	}
	var le *personas.LineError
	if !errors.As(err, &le) || le.File != "cards.jsonl" || le.Line != 3 {
		t.Errorf("first error = %#v, want a *LineError at cards.jsonl:3", le)
	}
}

func TestCard_Validate(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(c *personas.Card)
		wantField string // "" for valid
	}{
		{"OK", func(c *personas.Card) {}, ""},
		{"OKUnknownPatience", func(c *personas.Card) { c.Profile.Patience = 0 }, ""},
		{"ErrNoID", func(c *personas.Card) { c.ID = "" }, "id"},
		{"ErrNoExtractor", func(c *personas.Card) { c.Extractor = " " }, "extractor"},
		{"ErrNoSource", func(c *personas.Card) { c.Source.Conversation = "" }, "source.conversation"},
		{"ErrNoOpening", func(c *personas.Card) { c.Opening = "" }, "opening"},
		{"ErrNoScript", func(c *personas.Card) { c.Script = nil }, "script"},
		{"ErrNoGoals", func(c *personas.Card) { c.Goals = nil }, "goals"},
		{"ErrPatience", func(c *personas.Card) { c.Profile.Patience = 11 }, "profile.patience"},
		{"ErrBlankFact", func(c *personas.Card) { c.Facts = append(c.Facts, "") }, "facts[1]"},
		{"ErrBlankSkill", func(c *personas.Card) { c.Skills[0] = " " }, "skills[0]"},
		{"ErrGoalID", func(c *personas.Card) { c.Goals[0].ID = "" }, "goals[0].id"},
		{"ErrDuplicateGoalID", func(c *personas.Card) { c.Goals[1].ID = "g1" }, "goals[1].id"},
		{"ErrTurnZero", func(c *personas.Card) { c.Goals[0].Turn = 0 }, "goals[0].turn"},
		{"ErrTurnPastScript", func(c *personas.Card) { c.Goals[1].Turn = 5 }, "goals[1].turn"},
		{"ErrTurnsNotIncreasing", func(c *personas.Card) { c.Goals[1].Turn = 1 }, "goals[1].turn"},
		{"ErrBlankRequest", func(c *personas.Card) { c.Goals[1].Request = "" }, "goals[1].request"},
		{"ErrActionTool", func(c *personas.Card) { c.Goals[0].ExpectedActions[0].Tool = "" }, "goals[0].expected_actions[0].tool"},
		{"ErrActionArguments", func(c *personas.Card) { c.Goals[0].ExpectedActions[0].Arguments = json.RawMessage("{") }, "goals[0].expected_actions[0].arguments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := torontoCard(t)
			tt.edit(&c)
			err := c.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var fe *personas.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.wantField || !errors.Is(err, personas.ErrInvalidCard) {
				t.Fatalf("Validate() = %v, want a *FieldError on %s matching ErrInvalidCard", err, tt.wantField)
			}
		})
	}
}
