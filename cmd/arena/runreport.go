package main

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/llm"
)

func printRunReport(m *Main, format string, rep *arena.Report, trials int, took time.Duration) error {
	if format == "json" {
		return render(m.Stdout, format, table{Value: rep})
	}
	if format == "table" || format == "md" {
		fmt.Fprintf(m.Stdout, "%s\n\n", runHeadline(rep, trials, took))
	}
	if rep.Board == nil {
		fmt.Fprintln(m.Stderr, "no session was played: nothing to rank")
	} else if err := renderBoard(m.Stdout, format, rep.Board); err != nil {
		return err
	}
	if len(rep.Usage) > 0 && (format == "table" || format == "md") {
		fmt.Fprintln(m.Stdout)
		return render(m.Stdout, format, usageTable(rep.Usage))
	}
	return nil
}

func runHeadline(rep *arena.Report, trials int, took time.Duration) string {
	s := rep.Summary
	head := fmt.Sprintf("Run %s: %s path (%s)\n"+
		"%d personas x %d builds x %d session(s) each = %d sessions: %d played",
		rep.Run.ID, rep.Mode, describePath(rep), rep.Personas, len(rep.Targets), s.Planned/max(1, rep.Personas*len(rep.Targets)), s.Planned, s.Played)
	if s.Skipped > 0 {
		head += fmt.Sprintf(", %d already done", s.Skipped)
	}
	if s.SimulatorFaults > 0 {
		head += fmt.Sprintf(", %d spoiled by the merchant (left out of the scores)", s.SimulatorFaults)
	}
	if s.Stopped != "" {
		head += fmt.Sprintf(", %d not played (%s)", s.Cancelled, s.Stopped)
	}
	return head + fmt.Sprintf(" in %s; results in %s", took.Round(time.Millisecond), rep.DBPath)
}

// describePath says in words what played which part of the run.
func describePath(rep *arena.Report) string {
	if rep.Mode == arena.ModeOffline {
		return "heuristic personas, verbatim merchants, procedural judges, no LLM"
	}
	p := rep.Path
	return fmt.Sprintf("personas %s; merchant %s; judges %s; agents %s", p["personas"], p["merchant"], p["judges"], p["agents"])
}

// usageTable lays out a run's LLM use by role.
func usageTable(u map[llm.Role]llm.Totals) table {
	t := table{Header: []string{"role", "calls", "cache hits", "retries", "errors", "prompt tokens", "completion tokens", "cost"}, Value: u}
	roles := make([]string, 0, len(u))
	for r := range u {
		roles = append(roles, string(r))
	}
	sort.Strings(roles)
	for _, r := range roles {
		x := u[llm.Role(r)]
		t.Rows = append(t.Rows, []string{r, strconv.Itoa(x.Calls), strconv.Itoa(x.CacheHits), strconv.Itoa(x.Retries),
			strconv.Itoa(x.Errors), strconv.FormatInt(x.PromptTokens, 10), strconv.FormatInt(x.CompletionTokens, 10), fmt.Sprintf("$%.4f", x.Cost)})
	}
	return t
}
