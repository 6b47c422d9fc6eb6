// Package personas owns persona cards: who a logged merchant is, what they
// asked for and in which order, what they told the assistant, and what the
// logged assistant did and said for each goal. Cards are extracted from one
// conversation each, by the LLM extractor (LLMExtractor) or, with no LLM, by
// the heuristic extractor (Extract), and are content-addressed so that the
// same log and extractor always yield the same card ID. Both extractors cut
// the log into goals the same way, so expected actions and outputs are
// always copied from the log, never written by a model. A card library is a
// JSONL file (WriteJSONL, ReadJSONL); every card that is built or read is
// checked against the card's schema (Card.Validate).
//
// personas imports transcript and llm; it never imports the sandbox, so what
// counts as a "write" tool or a valid ID is the judges' business.
package personas
