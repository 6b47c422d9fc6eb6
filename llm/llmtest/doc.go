// Package llmtest serves a scripted OpenAI chat-completions API over
// httptest, for tests of anything that calls a language model through
// package llm. It does for the OpenAI API what httptest does for HTTP: a
// real server on 127.0.0.1, real JSON, real status codes and headers, so
// go-openai and the llm.Client run unmodified against it.
//
// A test gives NewServer a Handler that sees each decoded request and
// returns a Reply: text, JSON, tool calls, an error status with an
// OpenAI-style error body, a Retry-After header, a raw (possibly malformed)
// body, or a delay. The server records every request with its arrival time,
// so tests assert on what the client sent and when.
//
// Handler calls are serialized: the server calls the handler for one
// request at a time, in arrival order (Request.N), so a handler may keep
// state without locking. Delays are served outside that lock, so slow
// replies overlap. Requests and Count are safe to call at any time.
package llmtest
