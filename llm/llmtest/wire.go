package llmtest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/merchantarena/merchantarena/transcript"
)

// wireRequest is the part of an OpenAI chat-completions request body the
// server decodes.
type wireRequest struct {
	Model               string        `json:"model"`
	Messages            []wireMessage `json:"messages"`
	Tools               []wireTool    `json:"tools"`
	Temperature         *float64      `json:"temperature"`
	Seed                *int          `json:"seed"`
	MaxTokens           int           `json:"max_tokens"`
	MaxCompletionTokens int           `json:"max_completion_tokens"`
	ResponseFormat      *wireFormat   `json:"response_format"`
	Stream              bool          `json:"stream"`
}

type wireMessage struct {
	Role       string                `json:"role"`
	Content    json.RawMessage       `json:"content,omitempty"`
	ToolCalls  []transcript.ToolCall `json:"tool_calls,omitempty"`
	ToolCallID string                `json:"tool_call_id,omitempty"`
	Name       string                `json:"name,omitempty"`
}

type wireTool struct {
	Type     string              `json:"type"`
	Function transcript.Function `json:"function"`
}

type wireFormat struct {
	Type       string `json:"type"`
	JSONSchema *struct {
		Name   string          `json:"name"`
		Schema json.RawMessage `json:"schema"`
		Strict bool            `json:"strict"`
	} `json:"json_schema"`
}

// content reads a message's content: a string, null, or an array of parts
// whose text parts are joined.
func (m wireMessage) content() (string, error) {
	if len(m.Content) == 0 || string(m.Content) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(m.Content, &s); err == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(m.Content, &parts); err != nil {
		return "", fmt.Errorf("content: want a string or an array of parts: %w", err)
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Text)
	}
	return b.String(), nil
}

// wireResponse is an OpenAI chat-completions response body.
type wireResponse struct {
	ID      string       `json:"id"`
	Object  string       `json:"object"`
	Created int64        `json:"created"`
	Model   string       `json:"model"`
	Choices []wireChoice `json:"choices"`
	Usage   wireUsage    `json:"usage"`
}

type wireChoice struct {
	Index        int              `json:"index"`
	Message      wireReplyMessage `json:"message"`
	FinishReason string           `json:"finish_reason"`
}

type wireReplyMessage struct {
	Role      string                `json:"role"`
	Content   *string               `json:"content"`
	ToolCalls []transcript.ToolCall `json:"tool_calls,omitempty"`
}

type wireUsage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// wireError is an OpenAI error body.
type wireError struct {
	Error struct {
		Message string  `json:"message"`
		Type    string  `json:"type"`
		Param   *string `json:"param"`
		Code    string  `json:"code"`
	} `json:"error"`
}
