package stats

import "math"

// McNemarExact is the two-sided exact McNemar test on paired successes: b
// pairs where only the baseline succeeded, c where only the candidate did.
// Under no difference the discordant pairs split Binomial(b+c, 1/2).
func McNemarExact(b, c int) float64 {
	n := b + c
	if n == 0 {
		return 1
	}
	return math.Min(1, 2*binomCDF(min(b, c), n))
}

// McNemarOneSided is the exact one-sided p-value that the candidate is
// worse: the chance of b or more baseline-only successes among b+c
// discordant pairs if both were equally good.
func McNemarOneSided(b, c int) float64 {
	n := b + c
	if n == 0 {
		return 1
	}
	return 1 - binomCDF(b-1, n)
}

// binomCDF is P(X ≤ k) for X ~ Binomial(n, 1/2).
func binomCDF(k, n int) float64 {
	if k < 0 {
		return 0
	}
	if k >= n {
		return 1
	}
	sum := 0.0
	for i := 0; i <= k; i++ {
		lc, _ := math.Lgamma(float64(n + 1))
		li, _ := math.Lgamma(float64(i + 1))
		lr, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(lc - li - lr - float64(n)*math.Ln2)
	}
	return math.Min(1, sum)
}
