package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// RankingRow is one build's place in a stored ranking. Dimension is ""
// for the whole board, or "skill" / "criterion" with Group the skill or
// criterion. NaN numbers are stored as NULL and read back as NaN.
type RankingRow struct {
	Run                           string
	Dimension, Group              string
	Candidate, Version            string
	Baseline                      string
	Rank                          int
	Rating, RatingLo, RatingHi    float64
	Success, SuccessLo, SuccessHi float64
	Score, ScoreLo, ScoreHi       float64
	PassK                         []float64
	ComputedAt                    time.Time
}

// PutRanking replaces the stored ranking of run with rows, in one
// transaction. ComputedAt zero is db.Now().
func (db *DB) PutRanking(ctx context.Context, run string, rows []RankingRow) error {
	now := db.Now()
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM rankings WHERE run_id = ?`, run); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `
			INSERT INTO rankings (run_id, dimension, group_name, candidate, version, baseline, rank,
				rating, rating_lo, rating_hi, success, success_lo, success_hi, score, score_lo, score_hi,
				pass_k, computed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, r := range rows {
			at := r.ComputedAt
			if at.IsZero() {
				at = now
			}
			passK, err := json.Marshal(nanToNil(r.PassK))
			if err != nil {
				return fmt.Errorf("%s@%s: pass_k: %w", r.Candidate, r.Version, err)
			}
			if _, err := st.ExecContext(ctx, run, r.Dimension, r.Group, r.Candidate, r.Version, r.Baseline, r.Rank,
				nullNaN(r.Rating), nullNaN(r.RatingLo), nullNaN(r.RatingHi),
				nullNaN(r.Success), nullNaN(r.SuccessLo), nullNaN(r.SuccessHi),
				nullNaN(r.Score), nullNaN(r.ScoreLo), nullNaN(r.ScoreHi), string(passK), sqlTime(at)); err != nil {
				return fmt.Errorf("%s@%s: %w", r.Candidate, r.Version, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("put ranking of %q: %w", run, err)
	}
	return nil
}

// Ranking returns run's stored ranking, by dimension, group and rank.
func (db *DB) Ranking(ctx context.Context, run string) ([]RankingRow, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT dimension, group_name, candidate, version, baseline, rank, rating, rating_lo, rating_hi,
			success, success_lo, success_hi, score, score_lo, score_hi, pass_k, computed_at
		FROM rankings WHERE run_id = ?
		ORDER BY dimension, group_name, rank, candidate, version`, run)
	if err != nil {
		return nil, fmt.Errorf("ranking of %q: %w", run, err)
	}
	defer rows.Close()
	var out []RankingRow
	for rows.Next() {
		r := RankingRow{Run: run}
		var (
			f     [9]sql.NullFloat64
			passK sql.NullString
			at    sql.NullString
		)
		if err := rows.Scan(&r.Dimension, &r.Group, &r.Candidate, &r.Version, &r.Baseline, &r.Rank,
			&f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8], &passK, &at); err != nil {
			return nil, fmt.Errorf("ranking of %q: %w", run, err)
		}
		vals := make([]float64, len(f))
		for i, v := range f {
			vals[i] = math.NaN()
			if v.Valid {
				vals[i] = v.Float64
			}
		}
		r.Rating, r.RatingLo, r.RatingHi = vals[0], vals[1], vals[2]
		r.Success, r.SuccessLo, r.SuccessHi = vals[3], vals[4], vals[5]
		r.Score, r.ScoreLo, r.ScoreHi = vals[6], vals[7], vals[8]
		if passK.Valid {
			var ps []*float64
			if err := json.Unmarshal([]byte(passK.String), &ps); err != nil {
				return nil, fmt.Errorf("ranking of %q: pass_k: %w", run, err)
			}
			for _, p := range ps {
				if p == nil {
					r.PassK = append(r.PassK, math.NaN())
				} else {
					r.PassK = append(r.PassK, *p)
				}
			}
		}
		if r.ComputedAt, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("ranking of %q: %w", run, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func nullNaN(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

func nanToNil(fs []float64) []*float64 {
	out := make([]*float64, len(fs))
	for i := range fs {
		if !math.IsNaN(fs[i]) && !math.IsInf(fs[i], 0) {
			out[i] = &fs[i]
		}
	}
	return out
}

// PairRow is one row of the pairwise view.
type PairRow struct {
	Run                          string
	Candidate, Version           string
	Opponent, OpponentVersion    string
	Wins, Ties, Losses, Personas int
}

// Pairwise reads the pairwise view for a run.
func (db *DB) Pairwise(ctx context.Context, run string) ([]PairRow, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT run_id, candidate, version, opponent, opponent_version, wins, ties, losses, personas
		FROM pairwise WHERE run_id = ?
		ORDER BY candidate, version, opponent, opponent_version`, run)
	if err != nil {
		return nil, fmt.Errorf("pairwise of %q: %w", run, err)
	}
	defer rows.Close()
	var out []PairRow
	for rows.Next() {
		var p PairRow
		if err := rows.Scan(&p.Run, &p.Candidate, &p.Version, &p.Opponent, &p.OpponentVersion,
			&p.Wins, &p.Ties, &p.Losses, &p.Personas); err != nil {
			return nil, fmt.Errorf("pairwise of %q: %w", run, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
