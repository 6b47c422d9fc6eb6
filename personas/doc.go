// Package personas owns persona cards: who a logged merchant is, what they
// asked for and in which order, what they told the assistant, and what the
// logged assistant did and said for each goal. Cards are extracted from one
// conversation each, by an LLM extractor or, with no LLM, by the heuristic
// extractor in this package, and are content-addressed so that the same log
// always yields the same card ID.
//
// personas imports transcript and llm; it never imports the sandbox, so what
// counts as a "write" tool or a valid ID is the judges' business.
package personas
