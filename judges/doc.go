// Package judges owns the verdict on a session. Stage 1 is procedural and
// free: every recorded tool call against its JSON schema, IDs that exist,
// enum values, segment-query syntax and field use; detectors for the known
// reward hacks (opt-out, tag hacking, hallucinated IDs and facts, actions the
// reply claims but the sandbox never saw); and goal checks that compare the
// session's final store with the store the logged actions produce. A gate
// failure caps the session's score. Later stages (LLM judges per criterion)
// add scores; the gated score combines them.
//
// judges reads what the sandbox recorded, never what a build claims it did.
// It imports personas, sandbox, llm and transcript; it knows no SQLite and no
// NATS.
package judges
