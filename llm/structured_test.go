package llm_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/transcript"
)

var scoreSchema = &llm.Schema{Name: "score", JSON: json.RawMessage(`{
	"type": "object",
	"properties": {"score": {"type": "integer", "minimum": 1, "maximum": 5}, "why": {"type": "string"}},
	"required": ["score", "why"],
	"additionalProperties": false
}`)}

type score struct {
	Score int    `json:"score"`
	Why   string `json:"why"`
}

const schemaQuote = "Your reply did not match the schema: "

func TestClient_CompleteJSON(t *testing.T) {
	t.Parallel()
	good := llmtest.JSON(score{Score: 4, Why: "polite"})
	tests := []struct {
		name    string
		replies []llmtest.Reply
		// wantQuote is a fragment of the error quoted in the second request.
		wantQuote string
	}{
		{name: "FirstTry", replies: []llmtest.Reply{good}},
		{name: "MalformedThenValid", replies: []llmtest.Reply{llmtest.Text(`{"score": 4,`), good}, wantQuote: "not valid JSON"},
		{name: "ViolationThenValid", replies: []llmtest.Reply{llmtest.Text(`{"score": 9, "why": "x"}`), good}, wantQuote: "/score"},
		{name: "FencedFirstTry", replies: []llmtest.Reply{llmtest.Text("```json\n{\"score\": 4, \"why\": \"polite\"}\n```")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := llmtest.NewServer(t, llmtest.Sequence(tt.replies...))
			c := llmtest.Client(t, srv, llm.Config{})
			var got score
			resp, err := c.CompleteJSON(t.Context(), llm.Request{Role: llm.RoleJudge, Messages: user("rate it"), Schema: scoreSchema}, &got)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(score{Score: 4, Why: "polite"}, got); diff != "" {
				t.Errorf("decoded (-want +got):\n%s", diff)
			}
			reqs := srv.Requests()
			if reqs[0].SchemaName != "score" || !reqs[0].Strict || !json.Valid(reqs[0].Schema) {
				t.Errorf("request response_format: name %q strict %v schema %s; want the strict score schema",
					reqs[0].SchemaName, reqs[0].Strict, reqs[0].Schema)
			}
			if len(reqs) != len(tt.replies) {
				t.Fatalf("server saw %d requests, want %d", len(reqs), len(tt.replies))
			}
			if tt.wantQuote == "" {
				return
			}
			second := reqs[1].Messages
			bad := second[len(second)-2]
			if bad.Role != transcript.RoleAssistant || bad.Content != tt.replies[0].Content {
				t.Errorf("second request repeats %+v, want the bad reply as an assistant message", bad)
			}
			q := reqs[1].Last().Content
			if !strings.HasPrefix(q, schemaQuote) || !strings.Contains(q, tt.wantQuote) || !strings.HasSuffix(q, "Reply again with JSON only.") {
				t.Errorf("correction %q: want the schema error quoted, mentioning %q", q, tt.wantQuote)
			}
			tot := c.Totals()[llm.RoleJudge]
			if tot.Calls != 2 {
				t.Errorf("Totals calls = %d, want 2: both attempts are accounted", tot.Calls)
			}
			if resp.Cost != tot.Cost || int64(resp.Usage.Total()) != tot.PromptTokens+tot.CompletionTokens {
				t.Errorf("response cost %v, tokens %d; want both attempts': %v, %d",
					resp.Cost, resp.Usage.Total(), tot.Cost, tot.PromptTokens+tot.CompletionTokens)
			}
		})
	}
}

func TestClient_CompleteJSON_errors(t *testing.T) {
	t.Parallel()
	t.Run("OutputErrorAfterTwoFailures", func(t *testing.T) {
		t.Parallel()
		long := `{"score": "` + strings.Repeat("very ", 2000) + `good"}`
		srv := llmtest.NewServer(t, llmtest.Sequence(llmtest.Text("not json at all"), llmtest.Text(long)))
		c := llmtest.Client(t, srv, llm.Config{})
		var got score
		_, err := c.CompleteJSON(t.Context(), llm.Request{Role: llm.RoleJudge, Messages: user("rate it"), Schema: scoreSchema}, &got)
		var oe *llm.OutputError
		if !errors.As(err, &oe) {
			t.Fatalf("error %v: want *OutputError", err)
		}
		if oe.Role != llm.RoleJudge || oe.Schema != "score" || oe.Err == nil {
			t.Errorf("OutputError %+v: want role judge, schema score and the cause", oe)
		}
		if len(oe.Content) >= len(long) || !strings.HasPrefix(long, strings.TrimSuffix(oe.Content, "…")) {
			t.Errorf("OutputError content is %d bytes, want the last reply clipped below %d", len(oe.Content), len(long))
		}
		if n := srv.Count(); n != 2 {
			t.Errorf("server saw %d requests, want 2", n)
		}
		if tot := c.Totals()[llm.RoleJudge]; tot.Calls != 2 || tot.Errors != 0 {
			t.Errorf("Totals %+v: want 2 calls, none failed at the API", tot)
		}
	})
	t.Run("ErrNoSchema", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, nil)
		c := llmtest.Client(t, srv, llm.Config{})
		var v map[string]any
		if _, err := c.CompleteJSON(t.Context(), llm.Request{Role: llm.RoleJudge, Messages: user("x")}, &v); err == nil {
			t.Fatal("CompleteJSON without a schema succeeded")
		}
		if n := srv.Count(); n != 0 {
			t.Errorf("server saw %d requests, want none", n)
		}
	})
	t.Run("ErrBadSchema", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, nil)
		c := llmtest.Client(t, srv, llm.Config{})
		bad := &llm.Schema{Name: "broken", JSON: json.RawMessage(`{"type": 12}`)}
		var v map[string]any
		_, err := c.CompleteJSON(t.Context(), llm.Request{Role: llm.RoleJudge, Messages: user("x"), Schema: bad}, &v)
		if err == nil || !strings.Contains(err.Error(), "broken") {
			t.Fatalf("error %v: want one naming the schema", err)
		}
	})
}
