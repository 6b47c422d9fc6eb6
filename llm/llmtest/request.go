package llmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/merchantarena/merchantarena/transcript"
)

// Request is one chat-completions request as the server received it.
type Request struct {
	// N is the arrival order, from 1.
	N int
	// At is when the request arrived.
	At          time.Time
	Model       string
	Messages    []transcript.Message
	Tools       []transcript.Tool
	Temperature *float64
	Seed        *int
	// MaxTokens is max_completion_tokens, or max_tokens when that is unset.
	MaxTokens int
	// SchemaName and Schema are the response_format json_schema, if any.
	SchemaName string
	Schema     json.RawMessage
	Strict     bool
	Header     http.Header
	// Body is the raw request body.
	Body json.RawMessage
}

// Last returns the last message of the request, or a zero Message.
func (r *Request) Last() transcript.Message {
	if len(r.Messages) == 0 {
		return transcript.Message{}
	}
	return r.Messages[len(r.Messages)-1]
}

// decodeRequest reads an OpenAI chat-completions body into a Request.
func decodeRequest(body []byte, h http.Header) (Request, error) {
	var w wireRequest
	if err := json.Unmarshal(body, &w); err != nil {
		return Request{}, fmt.Errorf("decode request body: %w", err)
	}
	if w.Stream {
		return Request{}, fmt.Errorf("decode request body: stream is not supported")
	}
	r := Request{
		Model:       w.Model,
		Temperature: w.Temperature,
		Seed:        w.Seed,
		MaxTokens:   w.MaxCompletionTokens,
		Header:      h.Clone(),
		Body:        append(json.RawMessage(nil), body...),
	}
	if r.MaxTokens == 0 {
		r.MaxTokens = w.MaxTokens
	}
	for i, m := range w.Messages {
		text, err := m.content()
		if err != nil {
			return Request{}, fmt.Errorf("decode request body: messages[%d]: %w", i, err)
		}
		r.Messages = append(r.Messages, transcript.Message{
			Role: transcript.Role(m.Role), Content: text, ToolCalls: m.ToolCalls,
			ToolCallID: m.ToolCallID, Name: m.Name,
		})
	}
	for _, t := range w.Tools {
		r.Tools = append(r.Tools, transcript.Tool{Type: t.Type, Function: t.Function})
	}
	if f := w.ResponseFormat; f != nil && f.JSONSchema != nil {
		r.SchemaName = f.JSONSchema.Name
		r.Schema = f.JSONSchema.Schema
		r.Strict = f.JSONSchema.Strict
	}
	return r, nil
}
