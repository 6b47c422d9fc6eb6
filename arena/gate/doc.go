// Package gate owns the pre-deploy gate: the answer to "may build B (the
// candidate) replace build A (the baseline)?", decided from paired sessions
// of a results file and stored with everything it was given.
//
// # Pairs
//
// Sessions come from the given runs (default: the latest run in which both
// builds played). A baseline session and a candidate session pair when they
// share persona and trial and were played by the same merchant simulator
// (model, prompt version and seed): scores move with the simulator, so the
// gate never compares across simulators and counts such sessions as
// missing, with the reason. When several runs are given and a build played
// the same persona and trial in more than one, its sessions pair in the
// order the runs were given (the first with the first). A pair in which
// either session is a simulator fault leaves the analysis on both sides.
//
// # Metrics: non-inferiority with a margin
//
// For success (0/1), the gated score and every judge criterion present on
// both sides of a pair (already on [0,1]; the merchant_fidelity criterion
// judges the merchant, not the build, and is left out), the gate computes
// the mean paired difference B−A and its one-sided (1−α) lower bound from
// a persona (cluster) bootstrap: personas, not sessions, are resampled,
// because the sessions of one persona are not independent. A metric is
// non-inferior when the lower bound is above −margin (default 0.02, per
// metric overridable).
//
// # Hard gates: no margin
//
// Over the same pairs, the share of sessions with a stage-1 gate failure,
// the share with each reward-hack or validation kind that gated (any kind
// present on either side), and the share that errored or timed out must
// not be higher for the candidate than for the baseline. One more session
// is one too many: these are the failures a release must not add.
//
// # Verdicts
//
// The gate is undecided (it cannot answer; exit 2 on the command line)
// when, in this order:
//
//   - the given runs hold no session of the baseline, or none of the
//     candidate;
//   - no usable pair remains (no shared persona and trial, different
//     simulators, or simulator faults everywhere);
//   - more than half of the personas either build played have no usable
//     pair (the comparison would rest on a minority of the suite);
//   - the baseline errored or timed out in more than half of the pairs:
//     the reference is itself broken, so being no worse than it means
//     nothing. (A candidate that errors everywhere is not undecided: its
//     error rate rose, and the gate blocks it.)
//
// Otherwise it blocks when any metric or hard gate fails, listing every
// failing one with its numbers, and passes when none does.
//
// With one trial per persona the gate also reports the exact McNemar test
// on success (b: baseline-only successes, c: candidate-only); it informs,
// the decision rule stays non-inferiority. When the bootstrap standard
// error says the suite cannot detect a drop as small as a metric's margin
// at the configured power (stats.MinDetectable > margin), the decision
// says so and gives the smallest drop it could detect.
//
// Every decision, undecided ones included, is stored with
// results.DB.PutGateDecision: the report and the inputs (runs resolved,
// margins, α, resamples, seed), so Decide(ctx, db, d.Inputs) re-derives it.
//
// # Calibrated judges
//
// RequireCalibrated refuses a decision that rests on an LLM judge whose
// newest calibration (judges/calibrate) did not pass, or was made with
// another model, prompt version or rubric version than the judge that
// scored the compared runs.
//
// gate imports results, stats and judges/calibrate; playing the
// sessions is the arena package's job, wired in by cmd/arena.
package gate
