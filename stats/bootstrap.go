package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Bootstrap resamples clusters (personas) with replacement. The zero value
// uses 10,000 resamples, seed 1 and 95% confidence.
type Bootstrap struct {
	Resamples  int
	Seed       uint64
	Confidence float64
}

func (b Bootstrap) withDefaults() Bootstrap {
	if b.Resamples <= 0 {
		b.Resamples = 10000
	}
	if b.Seed == 0 {
		b.Seed = 1
	}
	if b.Confidence <= 0 || b.Confidence >= 1 {
		b.Confidence = 0.95
	}
	return b
}

// clusterSums reduces each cluster to its sum and count: a resample's mean
// is then Σ sums / Σ counts over the drawn clusters, with no copying.
func clusterSums(clusters [][]float64) (sums, counts []float64, mean float64) {
	var total, n float64
	for _, c := range clusters {
		if len(c) == 0 {
			continue
		}
		s := 0.0
		for _, v := range c {
			s += v
		}
		sums, counts = append(sums, s), append(counts, float64(len(c)))
		total, n = total+s, n+float64(len(c))
	}
	if n == 0 {
		return nil, nil, math.NaN()
	}
	return sums, counts, total / n
}

// means returns the resampled means, sorted.
func (b Bootstrap) means(sums, counts []float64) []float64 {
	return b.meansMany([][]float64{sums}, [][]float64{counts})[0]
}

// meansMany resamples several statistics over the same clusters at once:
// each resample draws its cluster indices once and adds them up for every
// statistic, so a gate with ten metrics pays for the draws once. Every set
// of sums must have one entry per cluster.
func (b Bootstrap) meansMany(sums, counts [][]float64) [][]float64 {
	b = b.withDefaults()
	rng := rand.New(rand.NewPCG(b.Seed, b.Seed^0x9e3779b97f4a7c15))
	k, stats := len(sums[0]), len(sums)
	// One row per cluster holding every statistic's sum and count side by
	// side: a draw then reads one short, contiguous row.
	width := 2 * stats
	flat := make([]float64, k*width)
	for m := range stats {
		for i := range k {
			flat[i*width+2*m] = sums[m][i]
			flat[i*width+2*m+1] = counts[m][i]
		}
	}
	out := make([][]float64, stats)
	for m := range out {
		out[m] = make([]float64, b.Resamples)
	}
	acc := make([]float64, width)
	uk := uint64(k)
	for r := range b.Resamples {
		clear(acc)
		for range k {
			// Lemire's multiply-shift: an index without IntN's division,
			// which dominates at millions of draws.
			i := int((uint64(rng.Uint32()) * uk) >> 32)
			row := flat[i*width : i*width+width]
			for j, v := range row {
				acc[j] += v
			}
		}
		for m := range out {
			out[m][r] = acc[2*m] / acc[2*m+1]
		}
	}
	for m := range out {
		slices.Sort(out[m])
	}
	return out
}

// quantile reads the q-quantile of sorted values (nearest rank).
func quantile(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

// MeanCI returns the mean over every value of every cluster and its
// percentile interval from resampling clusters. With no value: NaN and
// [NaN, NaN].
func (b Bootstrap) MeanCI(clusters [][]float64) (float64, Interval) {
	b = b.withDefaults()
	sums, counts, mean := clusterSums(clusters)
	if len(sums) == 0 {
		return math.NaN(), Interval{math.NaN(), math.NaN()}
	}
	ms := b.means(sums, counts)
	tail := (1 - b.Confidence) / 2
	return mean, Interval{quantile(ms, tail), quantile(ms, 1-tail)}
}

// LowerBound returns the mean of paired differences (one cluster per
// persona) and its one-sided lower confidence bound at level 1-alpha.
func (b Bootstrap) LowerBound(diffs [][]float64, alpha float64) (mean, lower float64) {
	sums, counts, mean := clusterSums(diffs)
	if len(sums) == 0 {
		return math.NaN(), math.NaN()
	}
	return mean, quantile(b.means(sums, counts), alpha)
}

// LowerBounds does LowerBound for several statistics of the same clusters
// in one pass: sets[m][p] holds statistic m's paired differences of
// persona p (an empty slice when that persona has none for m). The same
// resamples serve every statistic.
func (b Bootstrap) LowerBounds(sets [][][]float64, alpha float64) (means, lowers []float64) {
	sums := make([][]float64, len(sets))
	counts := make([][]float64, len(sets))
	means = make([]float64, len(sets))
	lowers = make([]float64, len(sets))
	for m, set := range sets {
		sums[m], counts[m] = make([]float64, len(set)), make([]float64, len(set))
		var total, n float64
		for p, vals := range set {
			for _, v := range vals {
				sums[m][p] += v
			}
			counts[m][p] = float64(len(vals))
			total, n = total+sums[m][p], n+counts[m][p]
		}
		means[m] = total / n
	}
	if len(sets) == 0 || len(sets[0]) == 0 {
		return means, lowers
	}
	for m, ms := range b.meansMany(sums, counts) {
		lowers[m] = quantile(ms, alpha)
		if math.IsNaN(means[m]) {
			lowers[m] = math.NaN()
		}
	}
	return means, lowers
}

// StdErr is the bootstrap standard error of the mean over clusters.
func (b Bootstrap) StdErr(clusters [][]float64) float64 {
	sums, counts, _ := clusterSums(clusters)
	if len(sums) < 2 {
		return math.NaN()
	}
	ms := b.means(sums, counts)
	var m, v float64
	for _, x := range ms {
		m += x
	}
	m /= float64(len(ms))
	for _, x := range ms {
		v += (x - m) * (x - m)
	}
	return math.Sqrt(v / float64(len(ms)-1))
}

// MinDetectable is the smallest true difference a one-sided test at level
// alpha detects with the given power, for an estimate with standard error
// se: (z_{1-alpha} + z_{power}) · se.
func MinDetectable(se, alpha, power float64) float64 {
	return (NormalQuantile(1-alpha) + NormalQuantile(power)) * se
}
