package ranking

import (
	"encoding/json"
	"math"
	"time"

	"github.com/merchantarena/merchantarena/stats"
)

// Options choose the sessions and the statistics.
type Options struct {
	// Runs to rank; none means the latest run.
	Runs []string
	// Candidates narrows the builds: "name" or "name@version".
	Candidates []string
	Skill      string
	Since      time.Time
	// By adds groups: "skill" or "criterion".
	By string
	// Baseline anchors the ratings ("name@version" or a unique name);
	// default: the build with most sessions, then by name.
	Baseline string
	// Resamples of the persona bootstrap (default 1000); Seed (default 1).
	Resamples int
	Seed      uint64
	// Lambda is the Bradley–Terry penalty (default stats.DefaultLambda).
	Lambda float64
}

// Whole reports whether the options rank runs as a whole (every build,
// session and persona, the default anchor): only such a board is a run's
// ranking, fit to store in its place.
func (o Options) Whole() bool {
	return len(o.Candidates) == 0 && o.Skill == "" && o.Since.IsZero() && o.Baseline == ""
}

// Board is a ranking.
type Board struct {
	Runs      []string `json:"runs"`
	Baseline  string   `json:"baseline"`
	By        string   `json:"by,omitempty"`
	Resamples int      `json:"resamples"`
	Seed      uint64   `json:"seed"`
	Builds    []Build  `json:"builds"`
	Pairwise  []Pair   `json:"pairwise"`
	Groups    []Group  `json:"groups,omitempty"`
}

// Build is one build's line.
type Build struct {
	Name            string         `json:"name"`
	Version         string         `json:"version"`
	Rank            int            `json:"rank"`
	Sessions        int            `json:"sessions"`
	Personas        int            `json:"personas"`
	Errors          int            `json:"errors"`
	Timeouts        int            `json:"timeouts"`
	SimulatorFaults int            `json:"simulator_faults"`
	Success         float64        `json:"success"`
	SuccessCI       stats.Interval `json:"success_ci"`
	Score           float64        `json:"score"`
	ScoreCI         stats.Interval `json:"score_ci"`
	// PassK[k-1] is pass^k.
	PassK            []float64      `json:"pass_k"`
	Violations       map[string]int `json:"violations"`
	MeanTurns        float64        `json:"mean_turns"`
	LatencyP50       time.Duration  `json:"latency_p50"`
	LatencyP95       time.Duration  `json:"latency_p95"`
	PromptTokens     int64          `json:"prompt_tokens"`
	CompletionTokens int64          `json:"completion_tokens"`
	Cost             float64        `json:"cost"`
	Rating           float64        `json:"rating"`
	RatingCI         stats.Interval `json:"rating_ci"`
}

// ID is "name@version".
func (b *Build) ID() string { return b.Name + "@" + b.Version }

// Pair is how build A fared against build B, persona by persona.
type Pair struct {
	A      string `json:"a"`
	B      string `json:"b"`
	Wins   int    `json:"wins"`
	Ties   int    `json:"ties"`
	Losses int    `json:"losses"`
}

// Group is the board of one skill or criterion. Its builds carry success,
// score and rank (by score); ratings are the whole board's business.
type Group struct {
	By     string  `json:"by"`
	Name   string  `json:"name"`
	Builds []Build `json:"builds"`
}

// MarshalJSON writes numbers that could not be estimated (NaN) as null.
func (b Build) MarshalJSON() ([]byte, error) {
	type plain Build
	passK := make([]*float64, len(b.PassK))
	for i := range b.PassK {
		passK[i] = finite(b.PassK[i])
	}
	return json.Marshal(struct {
		plain
		Success   *float64   `json:"success"`
		Score     *float64   `json:"score"`
		Rating    *float64   `json:"rating"`
		MeanTurns *float64   `json:"mean_turns"`
		PassK     []*float64 `json:"pass_k"`
	}{plain(b), finite(b.Success), finite(b.Score), finite(b.Rating), finite(b.MeanTurns), passK})
}

func finite(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}
