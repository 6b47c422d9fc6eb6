// Package simulator owns the merchant side of a session: given a persona
// card and the visible dialogue, it writes the merchant's next message and
// decides when the session stops. Modes: verbatim (the logged merchant
// turns in order, no LLM) and, later, simulate (an LLM plays the card).
//
// simulator imports personas, llm and transcript; it knows no SQLite and no
// NATS. A merchant is stateless between calls: everything it needs is in the
// card and the dialogue, so a resumed session continues where it stopped.
package simulator
