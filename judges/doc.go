// Package judges owns the verdict on a session, in gated stages.
//
// Stage 1 (Procedural) is procedural and free: every recorded tool call
// against its JSON schema, IDs that exist, enum values, segment-query
// syntax and field use; detectors for the known reward hacks (opt-out, tag
// hacking, hallucinated IDs and facts, actions the reply claims but the
// sandbox never saw); and goal checks that compare the session's final
// store with the store the logged actions produce. A gate failure caps the
// session's score.
//
// Stage 2 (LLMJudge) asks an LLM judge about each criterion of a Rubric
// (YAML; DefaultRubric is embedded from rubric/default.yaml), one call per
// criterion and, for per-goal criteria, per goal. Each reply is a score on
// the criterion's scale, a rationale and the merchant turns it cites. The
// judge sees the sandbox's records of every call, not the build's account
// of them, and what stage 1 found.
//
// Pipeline runs the stages; it is what the arena calls. The session's raw
// score after stage 2 is the weighted mean of
//
//   - stage 1's goal score (the share of goal checks the final store and
//     the replies passed), weighing the rubric's stage1_weight, and
//   - each build criterion's score normalised to [0,1], weighing its
//     weight; a per-goal criterion counts once, as its mean over goals.
//
// Merchant criteria never count toward the build. The gated score is the
// raw score capped at Procedural.Cap when a stage-1 gate failed and 0 when
// the session errored or timed out, the same rule as stage 1. A session
// succeeds when stage 1 succeeded and every binary build criterion scored
// 1. Without an LLM the verdict is stage 1's.
//
// Simulator faults: when an LLM played the merchant (Evidence.Simulated),
// stage 1 also checks the merchant against its card (it ended before its
// goals were settled, invented store data, spoke as the assistant), and a
// merchant criterion scoring 0 in stage 2 adds a fault too. Faults never
// gate; they set Verdict.SimulatorFault so the arena can keep the session
// out of the build's scores.
//
// judges reads what the sandbox recorded, never what a build claims it did.
// It imports personas, sandbox, llm and transcript; it knows no SQLite and no
// NATS.
package judges
