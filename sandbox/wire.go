package sandbox

import "encoding/json"

// CallRequest is the body of a sandbox call over NATS: which session (by its
// token), which tool, and the JSON arguments. CallID is the assistant's
// tool_call id, kept so judges can link the recorded call to the transcript.
type CallRequest struct {
	Token     string          `json:"token"`
	CallID    string          `json:"call_id,omitempty"`
	Tool      string          `json:"tool"`
	Arguments json.RawMessage `json:"arguments"`
}

// Error codes a sandbox call answers with, in the micro error header.
const (
	CodeBadRequest   = "400" // malformed body or arguments that fail the schema
	CodeUnauthorized = "401" // unknown or closed session token
	CodeNotFound     = "404" // unknown tool, or an ID that does not exist
	CodeInvalid      = "422" // arguments well formed but refused (bad query, bad enum)
	CodeInternal     = "500"
)
