package replay

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the report as Markdown: per build, its summary and
// a table of divergence kinds, then each trial as a side-by-side table
// (turn, mark, original, candidate) followed by its divergences. Tool
// calls are code spans; the marks are WriteText's.
func WriteMarkdown(w io.Writer, r *Report) error {
	ew := &errWriter{w: w}
	head := "# Replay of `" + r.Conversation + "`"
	if r.Mode != "" {
		head += " (" + r.Mode + ")"
	}
	ew.line(head)
	for i := range r.Builds {
		writeMarkdownBuild(ew, &r.Builds[i])
	}
	if ew.err != nil {
		return fmt.Errorf("write replay markdown: %w", ew.err)
	}
	return nil
}

func writeMarkdownBuild(ew *errWriter, b *Build) {
	ew.line("")
	ew.line("## Build `" + b.Name + "`")
	ew.line("")
	for _, l := range summaryLines(b) {
		ew.line("- " + mdText(l))
	}
	if len(b.Summary.Kinds) > 0 {
		ew.line("")
		ew.line("| divergence | trials | rate | occurrences |")
		ew.line("|---|---:|---:|---:|")
		for _, k := range b.Summary.Kinds {
			ew.line(fmt.Sprintf("| `%s` | %d/%d | %.0f%% | %d |", k.Kind, k.Trials, b.Summary.Trials, 100*k.Rate, k.Occurrences))
		}
	}
	for i := range b.Trials {
		d := &b.Trials[i]
		ew.line("")
		ew.line(fmt.Sprintf("### Trial %d of %d", i+1, len(b.Trials)))
		ew.line("")
		ew.line(mdText(trialLine(d)))
		ew.line("")
		writeMarkdownTable(ew, sideRows(d))
	}
}

func writeMarkdownTable(ew *errWriter, rows []sideRow) {
	ew.line("| turn | | original | candidate |")
	ew.line("|---:|:---:|---|---|")
	var notes []string
	for _, r := range rows {
		if r.note != "" {
			notes = append(notes, r.note)
			continue
		}
		turn := ""
		if r.turn > 0 {
			turn = fmt.Sprint(r.turn)
		}
		left, right := mdText(r.left), mdText(r.right)
		if r.mark != "" && r.mark != markDiffers {
			left, right = mdCode(r.left), mdCode(r.right)
		}
		ew.line(fmt.Sprintf("| %s | %s | %s | %s |", turn, mdText(r.mark), left, right))
	}
	if len(notes) > 0 {
		ew.line("")
		for _, n := range notes {
			ew.line("- " + mdText(strings.TrimPrefix(n, "» ")))
		}
	}
}

// mdText makes text safe inside a table cell: pipes escaped, line breaks
// as <br>, and characters Markdown would read as emphasis or HTML escaped.
func mdText(s string) string {
	return strings.NewReplacer(
		"|", `\|`, "\r\n", "<br>", "\n", "<br>", "*", `\*`, "_", `\_`,
		"<", "&lt;", ">", "&gt;", "`", "\\`",
	).Replace(s)
}

// mdCode writes a call as a code span. Inside one nothing is emphasis, but
// a pipe still ends the cell, and a backtick would end the span.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("|", `\|`, "\n", " ", "`", "'").Replace(s)
	return "`" + s + "`"
}
