// Package transcript owns the conversation model every other package speaks:
// messages in the OpenAI chat shape (roles, text, tool calls with id, name and
// arguments, tool results linked by tool_call_id), per-conversation metadata
// and the tool JSON schemas a log declares, plus the importers that read logs
// in the formats teams actually keep.
//
// Importers never lose a good conversation because of a bad one: every record
// that cannot be read becomes a *ParseError naming file and line, and the rest
// of the file still loads (unless strict mode is asked for).
//
// Read and ReadFile know three formats (Formats), and detect which one a
// file is in: "jsonl" (one conversation per line, OpenAI fine-tuning lines
// included), "tau-bench" (historical trajectories, a JSON array) and
// "tau2-bench" (simulation results, one JSON object). Whatever the format,
// tool-call arguments become compact JSON text, tool results get their
// tool's name from the call they answer, and Metadata holds only generic
// JSON values, so a conversation written as JSONL reads back equal.
//
// One rule decides what a problem costs. A record whose structure is wrong
// (not JSON, a field of the wrong JSON type, no messages, a message without
// a role) is dropped: ParseError.Dropped. A record whose structure is right
// but whose content is suspicious is loaded as written and the problem
// reported beside it: a role other than system, user, assistant and tool;
// arguments that are not a JSON object (kept verbatim); a content part that
// is not text; a call without a function name; a tool result that answers
// no earlier unanswered call; a call never answered; a call ID reused while
// an earlier call with it is still unanswered (reuse after the answer, as
// tau-bench logs do, is fine); a conversation ID written twice (the later
// one gets "#2").
//
// Log.Stats counts messages by role, tool calls by name and the links
// between calls and results, to check that an import lost nothing.
//
// transcript imports only the standard library.
package transcript
