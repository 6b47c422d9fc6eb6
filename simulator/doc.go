// Package simulator owns the merchant side of a session: given a persona
// card and the visible dialogue, it writes the merchant's next message,
// tracks where each of the card's goals stands, and decides when the
// session stops. Two modes satisfy Merchant:
//
//   - Verbatim replays the logged merchant turns in order, whatever the
//     assistant says (open loop, no LLM).
//   - LLM lets a language model play the card (closed loop): the card's
//     opening verbatim, then one structured-output call per turn under the
//     prompt in prompt.go, versioned by PromptVersion. Its turns are never
//     cached, so trials of a card differ by seed.
//
// simulator imports personas, llm and transcript; it knows no SQLite and no
// NATS. A merchant is stateless between calls: everything it needs is in the
// card and the dialogue, so a resumed session continues where it stopped.
package simulator
