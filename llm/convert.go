package llm

import (
	"encoding/json"
	"errors"
	"math"
	"strings"

	openai "github.com/sashabaranov/go-openai"

	"github.com/merchantarena/merchantarena/transcript"
)

// emptyParameters is sent for a tool declared without parameters; OpenAI
// rejects null.
var emptyParameters = json.RawMessage(`{"type":"object","properties":{}}`)

// chatRequest builds the go-openai request for req on model.
func chatRequest(model string, req *Request) openai.ChatCompletionRequest {
	out := openai.ChatCompletionRequest{
		Model:    model,
		Messages: chatMessages(req.Messages),
		Tools:    chatTools(req.Tools),
		Seed:     req.Seed,
	}
	reasoning := reasoningModel(model)
	if req.Temperature != nil && !reasoning {
		out.Temperature = float32(*req.Temperature)
		if out.Temperature == 0 {
			// go-openai omits a zero temperature and the server default
			// (1.0 on OpenAI) would apply; the smallest positive float32 is
			// zero for every sampler.
			out.Temperature = math.SmallestNonzeroFloat32
		}
	}
	if reasoning {
		out.MaxCompletionTokens = req.MaxTokens
	} else {
		out.MaxTokens = req.MaxTokens
	}
	if s := req.Schema; s != nil {
		out.ResponseFormat = &openai.ChatCompletionResponseFormat{
			Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
				Name: s.Name, Description: s.Description, Schema: s.JSON, Strict: true,
			},
		}
	}
	return out
}

// reasoningModel reports OpenAI reasoning models, which take
// max_completion_tokens instead of max_tokens and refuse a temperature
// (go-openai checks both before sending).
func reasoningModel(model string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if model == p || strings.HasPrefix(model, p+"-") {
			return true
		}
	}
	return false
}

func chatMessages(msgs []transcript.Message) []openai.ChatCompletionMessage {
	out := make([]openai.ChatCompletionMessage, len(msgs))
	for i, m := range msgs {
		cm := openai.ChatCompletionMessage{
			Role: string(m.Role), Content: m.Content, ToolCallID: m.ToolCallID, Name: m.Name,
		}
		if m.Role == transcript.RoleTool {
			cm.Name = "" // the API takes the call ID, not the name, on a tool result
		}
		for _, c := range m.ToolCalls {
			cm.ToolCalls = append(cm.ToolCalls, openai.ToolCall{
				ID: c.ID, Type: toolType(c.Type),
				Function: openai.FunctionCall{Name: c.Function.Name, Arguments: c.Function.Arguments},
			})
		}
		out[i] = cm
	}
	return out
}

func chatTools(tools []transcript.Tool) []openai.Tool {
	if len(tools) == 0 {
		return nil
	}
	out := make([]openai.Tool, len(tools))
	for i, t := range tools {
		params := t.Function.Parameters
		if len(params) == 0 {
			params = emptyParameters
		}
		out[i] = openai.Tool{Type: toolType(t.Type), Function: &openai.FunctionDefinition{
			Name: t.Function.Name, Description: t.Function.Description,
			Strict: t.Function.Strict, Parameters: params,
		}}
	}
	return out
}

func toolType(t string) openai.ToolType {
	if t == "" {
		return openai.ToolTypeFunction
	}
	return openai.ToolType(t)
}

// errNoChoices is a 200 reply without an answer.
var errNoChoices = errors.New("reply has no choices")

// fromChat reads the first choice of a go-openai response.
func fromChat(r *openai.ChatCompletionResponse) (*Response, error) {
	if len(r.Choices) == 0 {
		return nil, errNoChoices
	}
	ch := r.Choices[0]
	msg := transcript.Message{Role: transcript.RoleAssistant, Content: ch.Message.Content}
	for _, c := range ch.Message.ToolCalls {
		typ := string(c.Type)
		if typ == "" {
			typ = "function"
		}
		msg.ToolCalls = append(msg.ToolCalls, transcript.ToolCall{
			ID: c.ID, Type: typ,
			Function: transcript.FunctionCall{Name: c.Function.Name, Arguments: c.Function.Arguments},
		})
	}
	return &Response{
		Message:      msg,
		Model:        r.Model,
		FinishReason: string(ch.FinishReason),
		Usage:        Usage{PromptTokens: r.Usage.PromptTokens, CompletionTokens: r.Usage.CompletionTokens},
	}, nil
}
