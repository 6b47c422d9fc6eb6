// Package refagent owns the reference LLM agent: a real tool-using loop
// over the session's sandbox, served as two builds that differ only in where
// the guidance lives.
//
//	monolith  every instruction in the system prompt: how to use each tool,
//	          the segment query language with its fields and enum values, and
//	          the rules on IDs, writes, numbers and honesty
//	jit       a short system prompt; the guidance for a tool is attached to
//	          that tool's result when the tool is used, chosen by a small rules
//	          table (guidance.go) from the tool's name, whether the call was
//	          refused, and the request's page context and flags
//
// Both builds use the same model, the same tools (the sandbox's own
// schemas, fetched per turn) and the same loop: ask the model, run the tool
// calls it makes through the SDK, feed the results back, and stop at the
// first reply without tool calls or after DefaultMaxSteps model calls
// (WithMaxSteps changes it). Replies are never cached, so trials stay
// independent.
//
// jit appends its guidance to the tool message's content, after the result
// left intact: "<result JSON>\n\nGuidance: <notes>". A note in the tool
// message, rather than a system or user message after the results, keeps
// the chat shape every OpenAI-compatible server accepts (tool messages
// directly after the call), puts the note beside the data it is about, and
// makes the returned transcript show exactly what the model read. Judges
// read results from the sandbox's record, not from these messages. A note
// already shown in the conversation is not repeated, except after a refused
// call, where repeating the fix is the point. Both builds show the model a
// refused call's result (Error set) with "Error: " in front, since the chat
// shape has no error flag; the returned messages keep the flag instead.
//
// Like an outside build, the package imports only the candidates SDK, llm
// and transcript: the query language is described here in words, and the
// tests check it against the sandbox so the two cannot drift apart.
package refagent
