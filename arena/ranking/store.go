package ranking

import (
	"context"

	"github.com/merchantarena/merchantarena/results"
)

// Store keeps a board of one run in the results file, replacing what was
// stored for that run.
func Store(ctx context.Context, db *results.DB, run string, b *Board) error {
	var rows []results.RankingRow
	add := func(dim, group string, builds []Build) {
		for _, x := range builds {
			rows = append(rows, results.RankingRow{Dimension: dim, Group: group, Candidate: x.Name, Version: x.Version,
				Baseline: b.Baseline, Rank: x.Rank, Rating: x.Rating, RatingLo: x.RatingCI.Lo, RatingHi: x.RatingCI.Hi,
				Success: x.Success, SuccessLo: x.SuccessCI.Lo, SuccessHi: x.SuccessCI.Hi,
				Score: x.Score, ScoreLo: x.ScoreCI.Lo, ScoreHi: x.ScoreCI.Hi, PassK: x.PassK})
		}
	}
	add("", "", b.Builds)
	for _, g := range b.Groups {
		add(g.By, g.Name, g.Builds)
	}
	return db.PutRanking(ctx, run, rows)
}
