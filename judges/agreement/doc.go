// Package agreement owns the statistics that say whether an LLM judge can be
// trusted: inter-rater agreement between human labellers and judges on one
// criterion. Every function is pure: no I/O, no logging, no globals; the only
// randomness is the caller's *rand.Rand.
//
// The pieces, from the ground up:
//
//   - Scale and Table: a criterion's scale (nominal, ordinal, interval; the
//     full list of levels, used or not) and its labels as an items × raters
//     table with missing cells, built from Label values by NewTable.
//   - KrippendorffAlpha (nominal, ordinal, interval metrics, missing values
//     allowed) and FleissKappa for the whole table.
//   - Pair statistics between two raters: exact agreement, Cohen's kappa,
//     linear and quadratic weighted kappa over the full scale, Kendall's
//     tau-b, Spearman's rho and Pearson's r (ComparePair, and the primitives
//     CohenKappa, WeightedKappa, KendallTauB, Spearman, Pearson).
//   - The human ceiling (mean human–human kappa), each judge against it with
//     a paired item-bootstrap interval, alpha with the judge substituted for
//     each human, and the alternative annotator test of Calderon, Reichart
//     and Dror (2025), built on OneSidedTTest and BenjaminiYekutieli.
//   - Analyze, which computes all of it for one criterion into Report, a
//     JSON-ready struct where undefined values are null rather than NaN.
//
// It imports nothing from this module; judges and cmd/arena feed it labels.
// The numbers are checked against published values (Fleiss 1971,
// Krippendorff 2011, Cohen's kappa and R's sleep t-test among others); the
// tests name each source.
package agreement
