package replay

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// TextOptions shape WriteText's table.
type TextOptions struct {
	// Width is the line width in characters. Default 120; at least 40.
	Width int
	// MaxCellLines cuts a cell after this many lines, ending it with "…".
	// Default 8; negative for no limit.
	MaxCellLines int
	// AllTrials shows every trial side by side; by default only the first
	// is, and the others get one line each.
	AllTrials bool
}

func (o TextOptions) withDefaults() TextOptions {
	if o.Width == 0 {
		o.Width = 120
	}
	o.Width = max(o.Width, 40)
	if o.MaxCellLines == 0 {
		o.MaxCellLines = 8
	}
	return o
}

// WriteText writes the report as plain text: per build, its summary, then
// a side-by-side table (original | candidate) of each shown trial, turn by
// turn, with tool calls as name(arguments), the findings inline and the
// divergences under each turn. Column marks: = same call, ~ changed
// arguments, - missing, + extra, ! differs (findings, a reply on one side
// only). Long text wraps at o.Width.
func WriteText(w io.Writer, r *Report, o TextOptions) error {
	o = o.withDefaults()
	ew := &errWriter{w: w}
	head := "replay of " + r.Conversation
	if r.Mode != "" {
		head += " (" + r.Mode + ")"
	}
	wrapped(ew, head, o.Width, "")
	for i := range r.Builds {
		writeTextBuild(ew, &r.Builds[i], o)
	}
	if ew.err != nil {
		return fmt.Errorf("write replay text: %w", ew.err)
	}
	return nil
}

func writeTextBuild(ew *errWriter, b *Build, o TextOptions) {
	ew.line("")
	ew.line(rule("build "+b.Name+" ", "=", o.Width))
	for _, l := range summaryLines(b) {
		wrapped(ew, l, o.Width, "    ")
	}
	for _, k := range b.Summary.Kinds {
		wrapped(ew, fmt.Sprintf("  %s: %d/%d trials (%.0f%%), %d in all", k.Kind, k.Trials, b.Summary.Trials, 100*k.Rate, k.Occurrences), o.Width, "    ")
	}
	for i := range b.Trials {
		d := &b.Trials[i]
		if i > 0 && !o.AllTrials {
			wrapped(ew, fmt.Sprintf("trial %d: %s", i+1, trialLine(d)), o.Width, "    ")
			continue
		}
		ew.line("")
		ew.line(rule(fmt.Sprintf("trial %d of %d ", i+1, len(b.Trials)), "-", o.Width))
		wrapped(ew, trialLine(d), o.Width, "    ")
		writeTable(ew, sideRows(d), o)
	}
}

// wrapped writes s wrapped at width, keeping its leading spaces, and
// indents the lines after the first.
func wrapped(ew *errWriter, s string, width int, indent string) {
	body := strings.TrimLeft(s, " ")
	lead := s[:len(s)-len(body)]
	for i, l := range wrap(body, width-len(lead)-len(indent), -1) {
		if i == 0 {
			ew.line(lead + l)
			continue
		}
		ew.line(lead + indent + l)
	}
}

func trialLine(d *Diff) string {
	s := fmt.Sprintf("%d divergence(s)", len(d.Divergences))
	if d.First != nil {
		s += "; first: " + d.First.Message
	}
	if d.Success != nil {
		s += "; verdict " + map[bool]string{true: "success", false: "failure"}[*d.Success]
	}
	return s
}

// writeTable writes rows in two columns of equal width after a 4-character
// gutter holding the turn number or the mark.
func writeTable(ew *errWriter, rows []sideRow, o TextOptions) {
	col := (o.Width - 4 - 3) / 2
	ew.line(fmt.Sprintf("%4s%s | %s", "", pad("original", col), "candidate"))
	ew.line(strings.Repeat("-", 4+col+1) + "+" + strings.Repeat("-", col+1))
	for _, r := range rows {
		if r.note != "" {
			for _, l := range wrap(r.note, o.Width-4, o.MaxCellLines) {
				ew.line("    " + l)
			}
			continue
		}
		gutter := fmt.Sprintf("%3s ", r.mark)
		if r.turn > 0 {
			gutter = fmt.Sprintf("%3d ", r.turn)
		}
		left, right := wrap(r.left, col, o.MaxCellLines), wrap(r.right, col, o.MaxCellLines)
		for i := range max(len(left), len(right), 1) {
			ew.line(gutter + pad(cell(left, i), col) + " | " + cell(right, i))
			gutter = "    "
		}
	}
}

func cell(lines []string, i int) string {
	if i < len(lines) {
		return lines[i]
	}
	return ""
}

func rule(title, fill string, width int) string {
	n := width - utf8.RuneCountInString(title)
	if n < 3 {
		n = 3
	}
	return title + strings.Repeat(fill, n)
}

func pad(s string, width int) string {
	if n := width - utf8.RuneCountInString(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// wrap breaks s into lines of at most width characters, at spaces where it
// can and inside a word when a word is longer than a line. Line breaks in s
// are kept. After maxLines lines (when positive) the rest is cut and the
// last line ends with "…".
func wrap(s string, width, maxLines int) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, wrapLine(para, width)...)
	}
	if maxLines > 0 && len(out) > maxLines {
		out = out[:maxLines]
		last := []rune(out[maxLines-1])
		if len(last) >= width {
			last = last[:width-1]
		}
		out[maxLines-1] = string(last) + "…"
	}
	return out
}

func wrapLine(s string, width int) []string {
	var out []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		if len(cur) > 0 && len(cur)+1+len(w) > width {
			out, cur = append(out, string(cur)), nil
		}
		if len(cur) > 0 {
			cur = append(cur, ' ')
		}
		cur = append(cur, w...)
		for len(cur) > width {
			out, cur = append(out, string(cur[:width])), cur[width:]
		}
	}
	if len(cur) > 0 || len(out) == 0 {
		out = append(out, string(cur))
	}
	return out
}
