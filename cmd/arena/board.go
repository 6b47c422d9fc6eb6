package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/merchantarena/merchantarena/arena/ranking"
	"github.com/merchantarena/merchantarena/stats"
)

// renderBoard prints a ranking: the builds, then (table and md) the
// pairwise wins/ties/losses and any groups. csv is one table, groups as
// rows with their dimension and name; json the whole board.
func renderBoard(w io.Writer, format string, b *ranking.Board) error {
	if format == "json" {
		return render(w, format, table{Value: b})
	}
	if format == "csv" {
		return render(w, format, boardCSV(b))
	}
	if err := render(w, format, buildsTable(b.Builds, true)); err != nil {
		return err
	}
	if len(b.Builds) > 1 {
		fmt.Fprintf(w, "\nPairwise, per persona (row vs column: wins-ties-losses):\n\n")
		if err := render(w, format, pairTable(b)); err != nil {
			return err
		}
	}
	for _, g := range b.Groups {
		fmt.Fprintf(w, "\nBy %s: %s\n\n", g.By, g.Name)
		if err := render(w, format, buildsTable(g.Builds, false)); err != nil {
			return err
		}
	}
	return nil
}

func buildsHeader(b []ranking.Build, ratings bool) []string {
	h := []string{"rank", "build", "version", "sessions", "success [95% CI]", "score [95% CI]"}
	for k := range maxPassK(b) {
		h = append(h, fmt.Sprintf("pass^%d", k+1))
	}
	if ratings {
		h = append(h, "rating [95% CI]")
	}
	return append(h, "errors", "timeouts", "sim faults", "turns", "p50", "p95", "tokens", "cost", "violations")
}

func maxPassK(b []ranking.Build) int {
	n := 0
	for _, x := range b {
		n = max(n, len(x.PassK))
	}
	return n
}

func buildsTable(b []ranking.Build, ratings bool) table {
	t := table{Header: buildsHeader(b, ratings), Value: b}
	k := maxPassK(b)
	for _, x := range b {
		row := []string{strconv.Itoa(x.Rank), x.Name, x.Version, strconv.Itoa(x.Sessions),
			withCI(pct(x.Success), x.SuccessCI, pct), withCI(num(x.Score), x.ScoreCI, num)}
		for i := range k {
			v := math.NaN()
			if i < len(x.PassK) {
				v = x.PassK[i]
			}
			row = append(row, num(v))
		}
		if ratings {
			row = append(row, withCI(rating(x.Rating), x.RatingCI, rating))
		}
		row = append(row, strconv.Itoa(x.Errors), strconv.Itoa(x.Timeouts), strconv.Itoa(x.SimulatorFaults),
			fmt.Sprintf("%.1f", x.MeanTurns), ms(x.LatencyP50), ms(x.LatencyP95),
			strconv.FormatInt(x.PromptTokens+x.CompletionTokens, 10), fmt.Sprintf("$%.2f", x.Cost), kindList(x.Violations))
		t.Rows = append(t.Rows, row)
	}
	return t
}

func pairTable(b *ranking.Board) table {
	ids := make([]string, len(b.Builds))
	for i := range b.Builds {
		ids[i] = b.Builds[i].ID()
	}
	cell := map[[2]string]string{}
	for _, p := range b.Pairwise {
		cell[[2]string{p.A, p.B}] = fmt.Sprintf("%d-%d-%d", p.Wins, p.Ties, p.Losses)
	}
	t := table{Header: append([]string{"build"}, ids...), Value: b.Pairwise}
	for _, a := range ids {
		row := []string{a}
		for _, o := range ids {
			c := cell[[2]string{a, o}]
			if c == "" {
				c = "-"
			}
			row = append(row, c)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// boardCSV is one machine-readable table: the board's builds, then each
// group's, with plain numbers.
func boardCSV(b *ranking.Board) table {
	t := table{Header: []string{"by", "group", "rank", "build", "version", "sessions", "success", "success_lo", "success_hi",
		"score", "score_lo", "score_hi", "rating", "rating_lo", "rating_hi", "pass_k", "errors", "timeouts",
		"simulator_faults", "violations", "mean_turns", "latency_p50_ms", "latency_p95_ms", "tokens", "cost"}}
	add := func(by, group string, builds []ranking.Build) {
		for _, x := range builds {
			var pk []string
			for _, v := range x.PassK {
				pk = append(pk, plain(v))
			}
			t.Rows = append(t.Rows, []string{by, group, strconv.Itoa(x.Rank), x.Name, x.Version, strconv.Itoa(x.Sessions),
				plain(x.Success), plain(x.SuccessCI.Lo), plain(x.SuccessCI.Hi), plain(x.Score), plain(x.ScoreCI.Lo), plain(x.ScoreCI.Hi),
				plain(x.Rating), plain(x.RatingCI.Lo), plain(x.RatingCI.Hi), strings.Join(pk, " "),
				strconv.Itoa(x.Errors), strconv.Itoa(x.Timeouts), strconv.Itoa(x.SimulatorFaults), kindList(x.Violations),
				plain(x.MeanTurns), strconv.FormatInt(x.LatencyP50.Milliseconds(), 10), strconv.FormatInt(x.LatencyP95.Milliseconds(), 10),
				strconv.FormatInt(x.PromptTokens+x.CompletionTokens, 10), plain(x.Cost)})
		}
	}
	add("", "", b.Builds)
	for _, g := range b.Groups {
		add(g.By, g.Name, g.Builds)
	}
	return t
}

func withCI(v string, ci stats.Interval, f func(float64) string) string {
	if math.IsNaN(ci.Lo) || math.IsNaN(ci.Hi) {
		return v
	}
	return fmt.Sprintf("%s [%s-%s]", v, f(ci.Lo), f(ci.Hi))
}

func num(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return fmt.Sprintf("%.3f", f)
}

func plain(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

func rating(f float64) string {
	if math.IsNaN(f) {
		return "-"
	}
	return fmt.Sprintf("%.0f", f)
}

func kindList(k map[string]int) string {
	if len(k) == 0 {
		return "-"
	}
	names := make([]string, 0, len(k))
	for n := range k {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if k[names[i]] != k[names[j]] {
			return k[names[i]] > k[names[j]]
		}
		return names[i] < names[j]
	})
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = fmt.Sprintf("%s:%d", n, k[n])
	}
	return strings.Join(parts, " ")
}
