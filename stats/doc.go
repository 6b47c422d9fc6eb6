// Package stats holds the statistics the arena ranks and gates with (and
// replay's pass^k), as plain functions over numbers, on the standard
// library only so that any package may import it: Wilson score intervals for success rates,
// the unbiased pass^k estimator, a persona (cluster) bootstrap for means
// and paired differences, Bradley–Terry strengths from a win matrix, the
// exact McNemar test, and the smallest difference a suite can detect.
//
// Everything is deterministic given its inputs and seed. Sources:
//   - Wilson interval: E. B. Wilson, "Probable inference, the law of
//     succession, and statistical inference", JASA 22 (1927); the form used
//     is Newcombe, Statistics in Medicine 17 (1998), method 3.
//   - pass^k: Yao et al., "τ-bench" (2024): the chance that all k trials
//     of a task succeed, estimated without bias by C(c,k)/C(n,k).
//   - Cluster bootstrap: Efron & Tibshirani, An Introduction to the
//     Bootstrap (1993), ch. 13 and 14 (percentile intervals); resampling
//     personas, not sessions, because sessions of one persona are not
//     independent.
//   - Bradley–Terry: Bradley & Terry, Biometrika 39 (1952); fitted by
//     Newton's method on the log-likelihood with an L2 (ridge) penalty on
//     the log-strengths, which keeps a build that won every comparison
//     finite. Ties count as half a win for each side.
//   - McNemar exact: the conditional binomial test on discordant pairs
//     (Fagerland, Lydersen & Laake, BMC Medical Research Methodology 13:91,
//     2013).
//
// stats imports only the standard library.
package stats
