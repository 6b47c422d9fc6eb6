package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/replay"
)

// fullTablesUpTo is how many conversations get side-by-side tables in the
// table and Markdown formats without --full; beyond it each build gets its
// summary only.
const fullTablesUpTo = 10

// replayConversation is one conversation's part of the JSON output.
type replayConversation struct {
	ID       string          `json:"id"`
	Recorded []string        `json:"recorded_tools,omitempty"`
	Original originalVerdict `json:"original"`
	Label    *bool           `json:"label,omitempty"`
	Reward   *float64        `json:"reward,omitempty"`
	Report   *replay.Report  `json:"report"`
}

// originalVerdict is the arena's verdict on the logged conversation.
type originalVerdict struct {
	Success  *bool            `json:"success,omitempty"`
	Findings []judges.Finding `json:"findings"`
	Error    string           `json:"error,omitempty"`
}

// replayOutput is the JSON output: the replay as stored, one report per
// conversation.
type replayOutput struct {
	Run           string                `json:"run"`
	Mode          string                `json:"mode"`
	Prefix        int                   `json:"prefix,omitempty"`
	Trials        int                   `json:"trials"`
	Builds        []string              `json:"builds"`
	Path          map[string]string     `json:"path"`
	Conversations []replayConversation  `json:"conversations"`
	Agreement     *arena.LabelAgreement `json:"agreement,omitempty"`
	Skipped       []string              `json:"skipped,omitempty"`
}

// reports turns a replay into one replay.Report per conversation: the
// original against every build's trials.
func reports(res *arena.ReplayResult) []replayConversation {
	mode := res.Mode
	if res.Prefix > 0 {
		mode = fmt.Sprintf("%s after %d logged turn(s)", mode, res.Prefix)
	}
	out := make([]replayConversation, 0, len(res.Conversations))
	for _, c := range res.Conversations {
		r := replay.NewReport(playOf(c.Original), mode)
		for _, b := range c.Builds {
			plays := make([]replay.Play, len(b.Trials))
			for i, t := range b.Trials {
				plays[i] = playOf(t)
			}
			r.Add(b.Build, plays)
		}
		ov := originalVerdict{Findings: []judges.Finding{}, Error: c.Original.Error}
		if v := c.Original.Verdict; v != nil {
			ov.Success, ov.Findings = &v.Success, v.Findings
		}
		out = append(out, replayConversation{ID: c.ID, Recorded: c.Recorded, Original: ov, Label: c.Label, Reward: c.Reward, Report: r})
	}
	return out
}

func playOf(p arena.ReplayPlay) replay.Play {
	pl := replay.Play{Conversation: p.Conversation, Changes: p.Changes, StoreKnown: p.StoreKnown}
	if p.Verdict != nil {
		pl = pl.WithVerdict(*p.Verdict)
	}
	return pl
}

// writeReplay prints a replay in the asked format.
func writeReplay(w io.Writer, f *replayFlags, res *arena.ReplayResult) error {
	convs := reports(res)
	switch f.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(replayOutput{Run: res.Run.ID, Mode: res.Mode, Prefix: res.Prefix, Trials: res.Trials,
			Builds: res.Builds, Path: res.Path, Conversations: convs, Agreement: res.Agreement, Skipped: res.Skipped})
	case "md":
		return writeReplayMarkdown(w, f, res, convs)
	}
	return writeReplayText(w, f, res, convs)
}

func writeReplayText(w io.Writer, f *replayFlags, res *arena.ReplayResult, convs []replayConversation) error {
	full := f.full || len(convs) <= fullTablesUpTo
	ew := &lineWriter{w: w}
	ew.printf("replay %s: %d conversation(s) × %s, %d trial(s) each; %s\n", res.Run.ID, len(convs),
		strings.Join(res.Builds, ", "), res.Trials, describeReplayPath(res))
	for _, c := range convs {
		ew.printf("\n")
		if full {
			if err := replay.WriteText(w, c.Report, replay.TextOptions{Width: f.width}); err != nil {
				return err
			}
		} else {
			ew.printf("%s\n", c.ID)
			for _, b := range c.Report.Builds {
				ew.printf("  %s: %s\n", b.Name, buildLine(&b))
			}
		}
		ew.printf("%s\n", originalLine(&c))
	}
	if !full {
		ew.printf("\n(side-by-side tables left out for %d conversations; pass --full, or --format json)\n", len(convs))
	}
	writeAgreementText(ew, res.Agreement)
	for _, s := range res.Skipped {
		ew.printf("skipped %s\n", s)
	}
	return ew.err
}

// buildLine says what a build's trials add up to, in one line.
func buildLine(b *replay.Build) string {
	s := &b.Summary
	line := fmt.Sprintf("%d/%d identical", s.Identical, s.Trials)
	if s.SuccessRate != nil {
		line += fmt.Sprintf(", success %d/%d", s.Successes, s.Judged)
	}
	if f := s.MostCommonFirst(); f != nil {
		line += fmt.Sprintf(", first divergence turn %d %s", f.Turn, f.Kind)
	}
	return line
}

// originalLine gives the arena's verdict on the logged conversation and
// the log's own label.
func originalLine(c *replayConversation) string {
	s := "original: arena verdict "
	switch {
	case c.Original.Success == nil:
		s += "none (" + c.Original.Error + ")"
	case *c.Original.Success:
		s += "success"
	default:
		s += "failure"
	}
	if n := len(c.Original.Findings); n > 0 {
		kinds := map[string]int{}
		var order []string
		for _, f := range c.Original.Findings {
			if kinds[f.Kind] == 0 {
				order = append(order, f.Kind)
			}
			kinds[f.Kind]++
		}
		parts := make([]string, len(order))
		for i, k := range order {
			parts[i] = fmt.Sprintf("%s ×%d", k, kinds[k])
		}
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	if c.Label != nil {
		s += fmt.Sprintf("; log's own label: reward %g (%s)", *c.Reward, map[bool]string{true: "success", false: "failure"}[*c.Label])
	}
	if len(c.Recorded) > 0 {
		s += fmt.Sprintf("; %d tool(s) answered from the log", len(c.Recorded))
	}
	return s
}

func describeReplayPath(res *arena.ReplayResult) string {
	if res.Path["merchant"] == "verbatim" {
		return "verbatim merchant, procedural judges (no LLM)"
	}
	return "merchant " + res.Path["merchant"] + ", judges " + res.Path["judges"]
}

func writeAgreementText(ew *lineWriter, a *arena.LabelAgreement) {
	if a == nil {
		return
	}
	ew.printf("\nagreement of the arena's verdict on the originals with the logs' own label (%s of 1 = success), %d conversation(s):\n", a.Label, a.N)
	ew.printf("                 label success  label failure\n")
	ew.printf("  arena success  %13d  %13d\n", a.BothPass, a.ArenaPass)
	ew.printf("  arena failure  %13d  %13d\n", a.LabelPass, a.BothFail)
	ew.printf("  accuracy %.3f, Cohen's kappa %s\n", a.Accuracy, kappaText(a.CohenKappa))
}

func kappaText(k *float64) string {
	if k == nil {
		return "undefined (one side gave one verdict only)"
	}
	return fmt.Sprintf("%.3f", *k)
}

func writeReplayMarkdown(w io.Writer, f *replayFlags, res *arena.ReplayResult, convs []replayConversation) error {
	full := f.full || len(convs) <= fullTablesUpTo
	ew := &lineWriter{w: w}
	ew.printf("Replay `%s`: %s, %d trial(s); %s.\n", res.Run.ID, strings.Join(res.Builds, ", "), res.Trials, describeReplayPath(res))
	for _, c := range convs {
		ew.printf("\n")
		if full {
			if err := replay.WriteMarkdown(w, c.Report); err != nil {
				return err
			}
			ew.printf("\n")
		} else {
			ew.printf("# `%s`\n\n", c.ID)
			for _, b := range c.Report.Builds {
				ew.printf("- `%s`: %s\n", b.Name, buildLine(&b))
			}
		}
		ew.printf("%s\n", originalLine(&c))
	}
	if a := res.Agreement; a != nil {
		ew.printf("\n## Agreement with the logs' own label (%s of 1 = success), %d conversation(s)\n\n", a.Label, a.N)
		ew.printf("| | label success | label failure |\n|---|---:|---:|\n")
		ew.printf("| arena success | %d | %d |\n| arena failure | %d | %d |\n\n", a.BothPass, a.ArenaPass, a.LabelPass, a.BothFail)
		ew.printf("Accuracy %.3f, Cohen's kappa %s.\n", a.Accuracy, kappaText(a.CohenKappa))
	}
	return ew.err
}

// lineWriter remembers the first write error.
type lineWriter struct {
	w   io.Writer
	err error
}

func (l *lineWriter) printf(format string, args ...any) {
	if l.err == nil {
		_, l.err = fmt.Fprintf(l.w, format, args...)
	}
}
