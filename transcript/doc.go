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
// transcript imports only the standard library.
package transcript
