package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/transcript"
)

// Handler answers one request. The server calls it for one request at a
// time, in arrival order.
type Handler func(r *Request) Reply

// Reply is what the server sends back for one request.
type Reply struct {
	// Content is the assistant's text; for an error status it is the
	// error message.
	Content   string
	ToolCalls []transcript.ToolCall
	// Usage zero means the server counts about one token per four
	// characters of the request and of the reply.
	Usage llm.Usage
	// Status 0 means 200. A status of 400 or more gets an OpenAI-style
	// error body unless Body is set.
	Status int
	// RetryAfter is sent as the Retry-After header when not empty: seconds
	// or an HTTP date.
	RetryAfter string
	// Body, when not empty, is sent as is instead of a JSON reply, for
	// malformed or unusual bodies.
	Body string
	// Delay holds the reply back; the wait ends early when the client gives
	// up on the request.
	Delay time.Duration
	// FinishReason defaults to "tool_calls" when there are tool calls and
	// "stop" otherwise.
	FinishReason string

	// fail, set by Sequence, fails the test instead of replying.
	fail string
}

// Text replies with assistant text.
func Text(s string) Reply { return Reply{Content: s} }

// JSON replies with v encoded as JSON text, as a structured-output reply
// would carry it. It panics if v cannot be encoded, which is a bug in the
// test.
func JSON(v any) Reply {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("llmtest.JSON: %v", err))
	}
	return Reply{Content: string(b)}
}

// Calls replies with tool calls. Calls without an ID get "call_<i>" (from
// 1, in order) and calls without a type get "function".
func Calls(calls ...transcript.ToolCall) Reply {
	out := make([]transcript.ToolCall, len(calls))
	for i, c := range calls {
		if c.ID == "" {
			c.ID = fmt.Sprintf("call_%d", i+1)
		}
		if c.Type == "" {
			c.Type = "function"
		}
		out[i] = c
	}
	return Reply{ToolCalls: out}
}

// Status replies with an HTTP error status and an OpenAI-style error body.
func Status(code int) Reply { return Reply{Status: code} }

// Malformed replies 200 with a body that is not valid JSON, as a broken
// proxy might.
func Malformed() Reply {
	return Reply{Body: `{"id":"chatcmpl-broken","object":"chat.completion","choices":[{"index":0,"message":`}
}

// WithRetryAfter returns r with a Retry-After header: seconds ("1") or an
// HTTP date.
func (r Reply) WithRetryAfter(s string) Reply { r.RetryAfter = s; return r }

// WithDelay returns r held back by d.
func (r Reply) WithDelay(d time.Duration) Reply { r.Delay = d; return r }

// WithUsage returns r reporting the given token counts.
func (r Reply) WithUsage(prompt, completion int) Reply {
	r.Usage = llm.Usage{PromptTokens: prompt, CompletionTokens: completion}
	return r
}

// Sequence answers the n-th request with the n-th reply. A request beyond
// the last reply fails the test and gets a 500.
func Sequence(replies ...Reply) Handler {
	var mu sync.Mutex
	next := 0
	return func(r *Request) Reply {
		mu.Lock()
		defer mu.Unlock()
		if next >= len(replies) {
			return Reply{
				Status: http.StatusInternalServerError,
				fail:   fmt.Sprintf("llmtest: request %d beyond the %d scripted replies", r.N, len(replies)),
			}
		}
		next++
		return replies[next-1]
	}
}
