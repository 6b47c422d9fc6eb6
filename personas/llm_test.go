package personas_test

import (
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/personas"
)

// reply is what a model would answer for testdata/toronto.json; tests
// change what they need.
type reply struct {
	Profile  map[string]any   `json:"profile"`
	Goals    []map[string]any `json:"goals"`
	Facts    []string         `json:"facts"`
	Unknowns []string         `json:"unknowns"`
	Opening  string           `json:"opening"`
}

func torontoReply() reply {
	return reply{
		Profile: map[string]any{
			"shop": "Maple and Pine", "industry": "outdoor apparel", "expertise": "novice",
			"tone": "brief and friendly", "patience": 6, "language": "en",
		},
		Goals: []map[string]any{
			goalReply(1, "Which customers are from Toronto?", "the reply states how many customers are in Toronto (37)", "customer_lookup"),
			goalReply(2, "Make a segment of the enabled ones.", "a segment named Toronto regulars exists for enabled Toronto customers", "customer_segmentation"),
		},
		Facts:    []string{"The segment should be called Toronto regulars.", "  "},
		Unknowns: []string{},
		Opening:  "Which of my customers are from Toronto?",
	}
}

func goalReply(turn int, request, test, skill string) map[string]any {
	return map[string]any{"turn": turn, "request": request, "success_test": test, "skill": skill}
}

// extractor returns an LLM extractor whose client talks to a scripted
// server answering replies in order.
func extractor(t *testing.T, cfg llm.Config, replies ...llmtest.Reply) (*personas.LLMExtractor, *llmtest.Server) {
	t.Helper()
	srv := llmtest.NewServer(t, llmtest.Sequence(replies...))
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler) // test models have no price; that warning is noise
	}
	return &personas.LLMExtractor{Client: llmtest.Client(t, srv, cfg)}, srv
}

func TestLLMExtractor_Extract(t *testing.T) {
	conv := mustLoad(t, "testdata/toronto.json")

	t.Run("OK", func(t *testing.T) {
		e, _ := extractor(t, llm.Config{}, llmtest.JSON(torontoReply()))
		card, err := e.Extract(t.Context(), conv)
		if err != nil {
			t.Fatal(err)
		}
		hash, _ := personas.SourceHash(conv)
		heur, _ := personas.Extract(conv)
		if card.Extractor != "llm/1:test-model" || card.Source.Hash != hash || card.Source.Conversation != "toronto-vip" ||
			len(card.ID) != 16 || card.ID == heur.ID {
			t.Errorf("identity: id %q extractor %q source %+v; want llm/1:test-model, the log's hash, an ID apart from the heuristic's %q",
				card.ID, card.Extractor, card.Source, heur.ID)
		}
		wantProfile := personas.Profile{
			Shop:     "Maple & Pine Outfitters", // the log's metadata wins over the model's reading
			Industry: "outdoor apparel", Expertise: "novice", Tone: "brief and friendly", Patience: 6, Language: "en",
		}
		if diff := cmp.Diff(wantProfile, card.Profile); diff != "" {
			t.Errorf("profile (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"The segment should be called Toronto regulars."}, card.Facts); diff != "" {
			t.Errorf("facts, blanks dropped (-want +got):\n%s", diff)
		}
		if card.Opening != "Which of my customers are from Toronto?" || len(card.Script) != 4 || card.Script[3] != "No, thanks!" {
			t.Errorf("opening %q, script %q; want the logged opening and all 4 merchant messages", card.Opening, card.Script)
		}
		if diff := cmp.Diff([]string{"customer_lookup", "customer_segmentation"}, card.Skills); diff != "" {
			t.Errorf("skills (-want +got):\n%s", diff)
		}
		g := card.Goals[1]
		if g.ID != "g2" || g.Turn != 2 || g.Skill != "customer_segmentation" || !strings.Contains(g.SuccessTest, "Toronto regulars") {
			t.Errorf("goal 2 = %+v; want the model's turn, skill and success test under ID g2", g)
		}
		if err := card.Validate(); err != nil {
			t.Errorf("card does not validate: %v", err)
		}
	})

	t.Run("LoggedOpeningWins", func(t *testing.T) {
		r := torontoReply()
		r.Opening = "which customers are in toronto"
		e, _ := extractor(t, llm.Config{}, llmtest.JSON(r))
		card, err := e.Extract(t.Context(), conv)
		if err != nil {
			t.Fatal(err)
		}
		if card.Opening != "Which of my customers are from Toronto?" {
			t.Errorf("opening = %q, want the logged first message", card.Opening)
		}
	})

	t.Run("ModelOverride", func(t *testing.T) {
		e, srv := extractor(t, llm.Config{}, llmtest.JSON(torontoReply()))
		e.Model = "big-model"
		card, err := e.Extract(t.Context(), conv)
		if err != nil {
			t.Fatal(err)
		}
		if got := srv.Requests()[0].Model; got != "big-model" || card.Extractor != "llm/1:big-model" {
			t.Errorf("request model %q, extractor %q; want big-model in both", got, card.Extractor)
		}
	})
}

// TestLLMExtractor_ExpectedActions checks that whatever turns the model
// picks, each goal's actions and outputs are the log's, cut at the next
// goal's turn.
func TestLLMExtractor_ExpectedActions(t *testing.T) {
	conv := mustLoad(t, "testdata/toronto.json")
	type goal struct {
		Tools   []string
		Args    []string
		Outputs []string
	}
	search := goal{[]string{"search_customers"}, []string{`{"query":"customer_city = 'Toronto'"}`}, []string{"37", "Ava Chen", "$1,234.50"}}
	segment := goal{[]string{"create_segment"},
		[]string{`{"name":"Toronto regulars","query":"customer_city = 'Toronto' AND customer_account_status = 'ENABLED'"}`},
		[]string{"Toronto regulars", "seg_4", "29"}}
	tests := []struct {
		name  string
		turns []int
		want  []goal
	}{
		{"TwoGoals", []int{1, 2}, []goal{search, segment}},
		{"SecondGoalAtTheAnswer", []int{1, 3}, []goal{
			{search.Tools, search.Args, []string{}}, segment}}, // g1's last reply is the question
		{"OneGoal", []int{1}, []goal{{
			[]string{"search_customers", "create_segment"}, append(search.Args, segment.Args...), segment.Outputs}}},
		{"GoalAtTheSignOff", []int{1, 4}, []goal{{
			[]string{"search_customers", "create_segment"}, append(search.Args, segment.Args...), segment.Outputs},
			{[]string{}, []string{}, []string{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := torontoReply()
			r.Goals = nil
			for _, turn := range tt.turns {
				r.Goals = append(r.Goals, goalReply(turn, "request", "test", "skill"))
			}
			e, _ := extractor(t, llm.Config{}, llmtest.JSON(r))
			card, err := e.Extract(t.Context(), conv)
			if err != nil {
				t.Fatal(err)
			}
			var got []goal
			for _, g := range card.Goals {
				gg := goal{Tools: []string{}, Args: []string{}, Outputs: g.ExpectedOutputs}
				for _, a := range g.ExpectedActions {
					gg.Tools = append(gg.Tools, a.Tool)
					gg.Args = append(gg.Args, string(a.Arguments))
				}
				got = append(got, gg)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("goals (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLLMExtractor_Extract_InvalidReply(t *testing.T) {
	conv := mustLoad(t, "testdata/toronto.json")
	tests := []struct {
		name      string
		edit      func(*reply)
		wantField string
	}{
		{"ErrTurnOutOfRange", func(r *reply) { r.Goals[1]["turn"] = 5 }, "goals[1].turn"},
		{"ErrTurnsNotIncreasing", func(r *reply) { r.Goals[1]["turn"] = 1 }, "goals[1].turn"},
		{"ErrBlankRequest", func(r *reply) { r.Goals[0]["request"] = " " }, "goals[0].request"},
		{"ErrBlankOpening", func(r *reply) { r.Opening = "" }, "opening"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := torontoReply()
			tt.edit(&r)
			e, _ := extractor(t, llm.Config{}, llmtest.JSON(r))
			_, err := e.Extract(t.Context(), conv)
			var fe *personas.FieldError
			if !errors.As(err, &fe) || fe.Field != tt.wantField || !errors.Is(err, personas.ErrInvalidReply) {
				t.Fatalf("err = %v, want a *FieldError on %s matching ErrInvalidReply", err, tt.wantField)
			}
			if !strings.Contains(err.Error(), "toronto-vip") || !strings.Contains(err.Error(), tt.wantField) {
				t.Errorf("error %q does not name the conversation and the field", err)
			}
		})
	}

	t.Run("ErrSchema", func(t *testing.T) {
		r := torontoReply()
		r.Profile["patience"] = 0 // below the schema's minimum, twice: the client gives up
		e, srv := extractor(t, llm.Config{}, llmtest.JSON(r), llmtest.JSON(r))
		_, err := e.Extract(t.Context(), conv)
		var oe *llm.OutputError
		if !errors.As(err, &oe) || srv.Count() != 2 {
			t.Fatalf("err = %v after %d requests, want an *llm.OutputError after 2", err, srv.Count())
		}
	})
}

func TestLLMExtractor_Extract_Request(t *testing.T) {
	conv := mustLoad(t, "testdata/toronto.json")
	e, srv := extractor(t, llm.Config{}, llmtest.JSON(torontoReply()))
	if _, err := e.Extract(t.Context(), conv); err != nil {
		t.Fatal(err)
	}
	req := srv.Requests()[0]
	// go-openai drops a 0 temperature, so the client sends the smallest
	// float32 above it: anything else would be the server's default.
	if req.Temperature == nil || *req.Temperature > 1e-6 {
		t.Errorf("temperature = %v, want 0 sent explicitly", req.Temperature)
	}
	if req.SchemaName != "persona_card" || !req.Strict {
		t.Errorf("response format %q strict=%v, want strict persona_card", req.SchemaName, req.Strict)
	}
	var schema struct {
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(req.Schema, &schema); err != nil {
		t.Fatalf("schema: %v", err)
	}
	if diff := cmp.Diff([]string{"profile", "goals", "facts", "unknowns", "opening"}, schema.Required); diff != "" {
		t.Errorf("schema required (-want +got):\n%s", diff)
	}
	if len(req.Messages) != 2 || req.Messages[0].Role != "system" {
		t.Fatalf("messages = %+v, want instructions then the log", req.Messages)
	}
	if !strings.Contains(req.Messages[0].Content, "customer_lookup, customer_segmentation") {
		t.Errorf("instructions do not list the log's skill tags:\n%s", req.Messages[0].Content)
	}
	log := req.Messages[1].Content
	for _, want := range []string{
		"4 merchant turns", "shop: Maple & Pine Outfitters", "[merchant turn 2]\nMake a segment of the enabled ones.",
		`-> search_customers({"query":"customer_city = 'Toronto'"})`, `[result of create_segment] {"segment"`,
		"[merchant turn 4]\nNo, thanks!",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log shown lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(log, "You are the store assistant.") {
		t.Errorf("the logged system prompt is shown to the extractor:\n%s", log)
	}
}

func TestLLMExtractor_Extract_ClipsToolResults(t *testing.T) {
	conv := mustLoad(t, "testdata/toronto.json")
	conv.Messages[3].Content = `{"customers":"` + strings.Repeat("x", 5000) + `"}`
	e, srv := extractor(t, llm.Config{}, llmtest.JSON(torontoReply()))
	if _, err := e.Extract(t.Context(), conv); err != nil {
		t.Fatal(err)
	}
	log := srv.Requests()[0].Messages[1].Content
	if strings.Contains(log, strings.Repeat("x", 1000)) || !strings.Contains(log, "more bytes)") {
		t.Errorf("a 5000-byte tool result is not clipped:\n%.600s", log)
	}
}

func TestLLMExtractor_Extract_Cache(t *testing.T) {
	conv := mustLoad(t, "testdata/toronto.json")
	cache := &llm.MemoryCache{}
	e, srv := extractor(t, llm.Config{Cache: cache}, llmtest.JSON(torontoReply()))
	first, err := e.Extract(t.Context(), conv)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.Extract(t.Context(), conv)
	if err != nil {
		t.Fatalf("second extraction: %v", err)
	}
	if srv.Count() != 1 || cache.Len() != 1 {
		t.Errorf("%d requests, %d cache entries; want the second extraction answered from the cache", srv.Count(), cache.Len())
	}
	if diff := cmp.Diff(first, second); diff != "" {
		t.Errorf("cached extraction differs (-first +second):\n%s", diff)
	}
}

func TestLLMExtractor_Extract_ErrNotConfigured(t *testing.T) {
	var e personas.LLMExtractor
	if _, err := e.Extract(t.Context(), mustLoad(t, "testdata/toronto.json")); !errors.Is(err, llm.ErrNotConfigured) {
		t.Fatalf("err = %v, want llm.ErrNotConfigured", err)
	}
}
