// Package ranking answers the analyst's question, "who leads, on what, by
// how much?", with the uncertainty a small suite deserves. From a results
// file it computes, per build: success rate with a Wilson interval, mean
// gated score with a persona-bootstrap interval, pass^k, violations by
// kind, turns, latency, tokens and cost; per pair of builds the
// per-persona wins, ties and losses; Bradley–Terry ratings anchored to a
// baseline with bootstrap intervals; ranks that builds share when their
// rating intervals overlap; and the same by skill or by criterion.
//
// Sessions spoiled by the merchant (simulator faults) are counted apart
// and never scored. Errored and timed-out sessions score 0. Everything is
// deterministic for a given seed.
//
// ranking imports results and stats.
package ranking
