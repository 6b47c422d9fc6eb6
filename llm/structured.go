package llm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/merchantarena/merchantarena/transcript"
)

// outputClip bounds the reply kept in an OutputError and the validation
// error quoted back to the model.
const outputClip = 2000

// CompleteJSON is Complete for structured output. req.Schema is required:
// it is sent as a strict json_schema response format, and the reply's
// content is validated against it and decoded into v. A reply that is not
// JSON or does not match is sent back once, followed by a user message
// quoting the error; if the second reply fails too, the error is an
// *OutputError. The returned Response is the reply that matched, with the
// usage, cost, retries and latency of both attempts when there were two;
// both are counted in Totals and OnCall as separate calls.
func (c *Client) CompleteJSON(ctx context.Context, req Request, v any) (*Response, error) {
	if req.Schema == nil {
		return nil, fmt.Errorf("llm %s complete json: request has no schema", req.Role)
	}
	sch, err := c.compile(req.Schema)
	if err != nil {
		return nil, fmt.Errorf("llm %s complete json: %w", req.Role, err)
	}
	first, err := c.Complete(ctx, req)
	if err != nil {
		return nil, err
	}
	bad := decodeChecked(sch, first.Message.Content, v)
	if bad == nil {
		return first, nil
	}
	c.log.Debug("llm: reply does not match schema; asking again", "role", req.Role, "schema", req.Schema.Name)
	req.Messages = correction(req.Messages, first.Message.Content, bad)
	second, err := c.Complete(ctx, req)
	if err != nil {
		return nil, err
	}
	if bad := decodeChecked(sch, second.Message.Content, v); bad != nil {
		return nil, &OutputError{
			Role: req.Role, Schema: req.Schema.Name, Err: bad, Content: clip(second.Message.Content, outputClip),
		}
	}
	second.Usage.PromptTokens += first.Usage.PromptTokens
	second.Usage.CompletionTokens += first.Usage.CompletionTokens
	second.Cost += first.Cost
	second.Retries += first.Retries
	second.Latency += first.Latency
	second.Cached = second.Cached && first.Cached
	return second, nil
}

// correction appends the bad reply and a user message quoting what was
// wrong, leaving msgs untouched.
func correction(msgs []transcript.Message, reply string, bad error) []transcript.Message {
	if reply == "" {
		reply = "(empty reply)"
	}
	return append(slices.Clip(msgs),
		transcript.Message{Role: transcript.RoleAssistant, Content: reply},
		transcript.Message{Role: transcript.RoleUser, Content: fmt.Sprintf(
			"Your reply did not match the schema: %s. Reply again with JSON only.", clip(bad.Error(), outputClip))},
	)
}

// decodeChecked validates content against sch and decodes it into v. A
// Markdown code fence around the JSON, as some local models add, is
// dropped first.
func decodeChecked(sch *jsonschema.Schema, content string, v any) error {
	content = unfence(content)
	if strings.TrimSpace(content) == "" {
		return errors.New("the reply is empty")
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(content))
	if err != nil {
		return fmt.Errorf("the reply is not valid JSON: %v", err)
	}
	if err := sch.Validate(inst); err != nil {
		return errors.New(violations(err))
	}
	if err := json.Unmarshal([]byte(content), v); err != nil {
		return fmt.Errorf("the reply does not decode: %v", err)
	}
	return nil
}

// violations renders a validation error on one line, without the
// schema's internal URL: "at '/score': maximum: got 9, want 5; at …".
func violations(err error) string {
	lines := strings.Split(err.Error(), "\n")
	if len(lines) > 1 {
		lines = lines[1:] // "jsonschema validation failed with 'mem:///….json#'"
	}
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(strings.TrimSpace(l), "- ")
	}
	return strings.Join(lines, "; ")
}

// unfence strips a ```json … ``` fence around content, if there is one.
func unfence(content string) string {
	s := strings.TrimSpace(content)
	if !strings.HasPrefix(s, "```") || !strings.HasSuffix(s, "```") || len(s) < 6 {
		return content
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "```"), "```")
	if i := strings.IndexByte(s, '\n'); i >= 0 && !strings.ContainsAny(s[:i], "{[\"") {
		s = s[i+1:] // the fence's language tag
	}
	return s
}

// compile returns the compiled schema, compiling each distinct schema once.
func (c *Client) compile(s *Schema) (*jsonschema.Schema, error) {
	sum := sha256.Sum256(s.JSON)
	if sch, ok := c.schemas.Load(sum); ok {
		return sch.(*jsonschema.Schema), nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(s.JSON))
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", s.Name, err)
	}
	url := fmt.Sprintf("mem:///%x.json", sum[:8])
	comp := jsonschema.NewCompiler()
	if err := comp.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("schema %s: %w", s.Name, err)
	}
	sch, err := comp.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema %s: %w", s.Name, err)
	}
	c.schemas.Store(sum, sch)
	return sch, nil
}
