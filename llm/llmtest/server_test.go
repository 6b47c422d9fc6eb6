package llmtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/transcript"
)

// post sends a raw chat-completions body, as any OpenAI client would.
func post(t *testing.T, ctx context.Context, srv *llmtest.Server, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/chat/completions", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func TestServer_decode(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t, nil)
	body := `{"model":"m","messages":[
		{"role":"system","content":[{"type":"text","text":"be "},{"type":"text","text":"brief"}]},
		{"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
		{"role":"tool","tool_call_id":"c1","content":"42"}],
		"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
		"temperature":0.25,"seed":3,"max_completion_tokens":99,
		"response_format":{"type":"json_schema","json_schema":{"name":"out","strict":true,"schema":{"type":"object"}}}}`
	resp, _ := post(t, t.Context(), srv, body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	got := srv.Requests()[0]
	temp, seed := 0.25, 3
	want := llmtest.Request{
		N: 1, Model: "m", Temperature: &temp, Seed: &seed, MaxTokens: 99,
		Messages: []transcript.Message{
			{Role: transcript.RoleSystem, Content: "be brief"},
			{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{{ID: "c1", Type: "function", Function: transcript.FunctionCall{Name: "f", Arguments: "{}"}}}},
			{Role: transcript.RoleTool, ToolCallID: "c1", Content: "42"},
		},
		Tools:      []transcript.Tool{{Type: "function", Function: transcript.Function{Name: "f", Parameters: json.RawMessage(`{"type":"object"}`)}}},
		SchemaName: "out", Schema: json.RawMessage(`{"type":"object"}`), Strict: true,
	}
	ignore := cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".At", ".Header", ".Body":
			return true
		}
		return false
	}, cmp.Ignore())
	if diff := cmp.Diff(want, got, ignore); diff != "" {
		t.Errorf("decoded request (-want +got):\n%s", diff)
	}
	if got.Header.Get("Authorization") != "Bearer k" || !json.Valid(got.Body) {
		t.Errorf("header %v, body %s: want the request's own", got.Header, got.Body)
	}
}

func TestServer_reply(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t, llmtest.Sequence(
		llmtest.Text("hello"),
		llmtest.Status(429).WithRetryAfter("2"),
		llmtest.Malformed(),
	))
	const body = `{"model":"m","messages":[{"role":"user","content":"abcdefgh"}]}`

	resp, b := post(t, t.Context(), srv, body)
	var ok struct {
		Object  string
		Model   string
		Choices []struct {
			Message struct {
				Role, Content string
			}
			FinishReason string `json:"finish_reason"`
		}
		Usage struct {
			Prompt int `json:"prompt_tokens"`
			Total  int `json:"total_tokens"`
		}
	}
	if err := json.Unmarshal(b, &ok); err != nil || resp.StatusCode != 200 {
		t.Fatalf("status %d, body %s: %v", resp.StatusCode, b, err)
	}
	if ok.Object != "chat.completion" || ok.Model != "m" || len(ok.Choices) != 1 ||
		ok.Choices[0].Message.Content != "hello" || ok.Choices[0].FinishReason != "stop" ||
		ok.Usage.Prompt != 2 || ok.Usage.Total != 3 {
		t.Errorf("reply %s: want hello, stop, 2 prompt tokens (8 chars / 4) and 1 completion", b)
	}

	resp, b = post(t, t.Context(), srv, body)
	var e struct {
		Error struct{ Message, Code string }
	}
	if err := json.Unmarshal(b, &e); err != nil || resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" || e.Error.Code == "" {
		t.Errorf("status %d, Retry-After %q, body %s: want 429, 2 and an OpenAI error", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}

	resp, b = post(t, t.Context(), srv, body)
	if resp.StatusCode != 200 || json.Valid(b) {
		t.Errorf("status %d, body %s: want 200 and broken JSON", resp.StatusCode, b)
	}
}

func TestServer_delay(t *testing.T) {
	t.Parallel()
	done := make(chan struct{})
	srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("late").WithDelay(time.Minute) })
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	go func() {
		defer close(done)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/chat/completions",
			bytes.NewReader([]byte(`{"model":"m","messages":[]}`)))
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			t.Error("a reply delayed by a minute arrived within 50 ms")
		}
	}()
	<-done
	start := time.Now()
	srv.Close() // waits for the handler; a delay that ignored the client would hold it a minute
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Close took %v: the delayed handler did not notice the client leave", took)
	}
}

func TestSequence(t *testing.T) {
	h := llmtest.Sequence(llmtest.Text("a"), llmtest.Text("b"))
	var got []string
	for n := 1; n <= 2; n++ {
		got = append(got, h(&llmtest.Request{N: n}).Content)
	}
	if diff := cmp.Diff([]string{"a", "b"}, got); diff != "" {
		t.Errorf("replies (-want +got):\n%s", diff)
	}
	if r := h(&llmtest.Request{N: 3}); r.Status != http.StatusInternalServerError {
		t.Errorf("reply beyond the script: status %d, want 500", r.Status)
	}
}

func TestClient(t *testing.T) {
	t.Parallel()
	srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("hi").WithUsage(1e6, 1e6) })
	c := llmtest.Client(t, srv, llm.Config{})
	resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: []transcript.Message{{Role: transcript.RoleUser, Content: "hello"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := llmtest.TestModelPrice.PromptPerMillion + llmtest.TestModelPrice.CompletionPerMillion
	if resp.Model != llmtest.TestModel || resp.Cost != want {
		t.Errorf("model %q cost %v: want %s at %v", resp.Model, resp.Cost, llmtest.TestModel, want)
	}
}
