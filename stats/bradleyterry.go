package stats

import (
	"errors"
	"fmt"
	"math"
)

// DefaultLambda is the L2 penalty on log-strengths: small enough to leave
// ordinary win matrices alone, large enough to keep an unbeaten build at a
// finite strength.
const DefaultLambda = 0.01

// BradleyTerry fits log-strengths β by maximum penalised likelihood: build
// i beats j with probability 1/(1+exp(βj-βi)). wins[i][j] counts i's wins
// over j (a tie adds 0.5 to both cells). The penalty lambda/2 · Σβ² makes
// the fit unique and finite. β is shifted so that β[anchor] = 0.
func BradleyTerry(wins [][]float64, lambda float64, anchor int) ([]float64, error) {
	n := len(wins)
	switch {
	case n == 0:
		return nil, errors.New("bradley-terry: empty win matrix")
	case anchor < 0 || anchor >= n:
		return nil, fmt.Errorf("bradley-terry: anchor %d out of range 0..%d", anchor, n-1)
	case lambda <= 0:
		return nil, errors.New("bradley-terry: lambda must be positive")
	}
	for i, row := range wins {
		if len(row) != n {
			return nil, fmt.Errorf("bradley-terry: row %d has %d cells, want %d", i, len(row), n)
		}
	}
	beta := make([]float64, n)
	for range 100 {
		g, h := gradHess(wins, beta, lambda)
		step, err := solve(h, g)
		if err != nil {
			return nil, err
		}
		delta := 0.0
		for i := range beta {
			beta[i] -= step[i]
			delta = math.Max(delta, math.Abs(step[i]))
		}
		if delta < 1e-10 {
			break
		}
	}
	shift := beta[anchor]
	for i := range beta {
		beta[i] -= shift
	}
	return beta, nil
}

// gradHess returns the gradient and Hessian of the penalised
// log-likelihood at beta.
func gradHess(wins [][]float64, beta []float64, lambda float64) ([]float64, [][]float64) {
	n := len(beta)
	g := make([]float64, n)
	h := make([][]float64, n)
	for i := range h {
		h[i] = make([]float64, n)
		g[i] = -lambda * beta[i]
		h[i][i] = -lambda
	}
	for i := range n {
		for j := range n {
			games := wins[i][j] + wins[j][i]
			if i == j || games == 0 {
				continue
			}
			p := 1 / (1 + math.Exp(beta[j]-beta[i]))
			g[i] += wins[i][j] - games*p
			w := games * p * (1 - p)
			h[i][i] -= w
			h[i][j] += w
		}
	}
	return g, h
}

// solve returns x with a·x = b by Gaussian elimination with partial
// pivoting; a is small (one row per build).
func solve(a [][]float64, b []float64) ([]float64, error) {
	n := len(b)
	m := make([][]float64, n)
	for i := range a {
		m[i] = append(append([]float64(nil), a[i]...), b[i])
	}
	for col := range n {
		p := col
		for r := col + 1; r < n; r++ {
			if math.Abs(m[r][col]) > math.Abs(m[p][col]) {
				p = r
			}
		}
		if math.Abs(m[p][col]) < 1e-300 {
			return nil, errors.New("bradley-terry: singular system")
		}
		m[col], m[p] = m[p], m[col]
		for r := col + 1; r < n; r++ {
			f := m[r][col] / m[col][col]
			for c := col; c <= n; c++ {
				m[r][c] -= f * m[col][c]
			}
		}
	}
	x := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := m[i][n]
		for c := i + 1; c < n; c++ {
			s -= m[i][c] * x[c]
		}
		x[i] = s / m[i][i]
	}
	return x, nil
}

// Rating puts a log-strength on the arena's rating scale, 400·β + 1000:
// the anchor build rates 1000, and 400 points are a factor e in the odds of
// winning (β is a natural log; Elo's scale would use log10).
func Rating(beta float64) float64 { return 400*beta + 1000 }
