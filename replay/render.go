package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/merchantarena/merchantarena/judges"
)

// Row marks in the side-by-side views.
const (
	markSame    = "="
	markChanged = "~"
	markMissing = "-"
	markExtra   = "+"
	markDiffers = "!"
)

// sideRow is one row of a side-by-side transcript: a turn number or a
// mark, the original's cell and the build's; or, when note is set, a line
// across both columns.
type sideRow struct {
	turn        int
	mark        string
	left, right string
	note        string
}

// sideRows lays out one trial turn by turn: the merchant's message, the
// calls paired as matchCalls paired them, the findings, the replies, and
// the turn's divergences.
func sideRows(d *Diff) []sideRow {
	var rows []sideRow
	for _, t := range d.Turns {
		rows = append(rows, merchantRow(t))
		for _, c := range t.Calls {
			rows = append(rows, callRow(c))
		}
		rows = append(rows, findingRows(t.OriginalFindings, t.Findings)...)
		if t.Reply != "" || t.PlayedReply != "" {
			mark := ""
			if (t.Reply == "") != (t.PlayedReply == "") {
				mark = markDiffers
			}
			rows = append(rows, sideRow{mark: mark, left: prefixed("assistant: ", t.Reply), right: prefixed("assistant: ", t.PlayedReply)})
		}
		for _, dv := range t.Divergences {
			rows = append(rows, sideRow{note: "» " + dv.Message})
		}
	}
	for _, dv := range d.Divergences {
		if dv.Turn == 0 {
			rows = append(rows, sideRow{note: "» " + dv.Message})
		}
	}
	return rows
}

func merchantRow(t TurnDiff) sideRow {
	r := sideRow{turn: t.Turn}
	if t.InOriginal {
		r.left = "merchant: " + t.Merchant
	}
	switch {
	case !t.InPlayed:
		r.right = "(no such turn)"
	case t.PlayedMerchant != "" || !t.InOriginal:
		r.right = "merchant: " + t.PlayedMerchant
	default:
		r.right = "merchant: (same)"
	}
	if !t.InOriginal {
		r.left = "(no such turn)"
	}
	return r
}

func callRow(c CallRow) sideRow {
	switch {
	case c.Played == nil:
		return sideRow{mark: markMissing, left: c.Original.String()}
	case c.Original == nil:
		return sideRow{mark: markExtra, right: c.Played.String()}
	case len(c.Changes) > 0:
		return sideRow{mark: markChanged, left: c.Original.String(), right: c.Played.String()}
	}
	return sideRow{mark: markSame, left: c.Original.String(), right: c.Played.String()}
}

func findingRows(original, played []judges.Finding) []sideRow {
	var rows []sideRow
	for i := range max(len(original), len(played)) {
		r := sideRow{mark: markDiffers}
		if i < len(original) {
			r.left = findingText(original[i])
		}
		if i < len(played) {
			r.right = findingText(played[i])
		}
		rows = append(rows, r)
	}
	return rows
}

func findingText(f judges.Finding) string {
	s := "finding " + f.Kind
	if f.Tool != "" {
		s += " (" + f.Tool + ")"
	}
	if f.Gate {
		s += " [gate]"
	}
	return s + ": " + f.Message
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

// summaryLines says what a build's trials add up to, one fact a line.
func summaryLines(b *Build) []string {
	s := &b.Summary
	lines := []string{fmt.Sprintf("%d trial(s), %d identical to the original", s.Trials, s.Identical)}
	if s.SuccessRate != nil {
		line := fmt.Sprintf("success %d/%d (%.0f%%)", s.Successes, s.Judged, 100**s.SuccessRate)
		for _, p := range s.PassK {
			line += fmt.Sprintf(", pass^%d %.2f", p.K, p.P)
		}
		lines = append(lines, line)
	}
	if f := s.MostCommonFirst(); f != nil {
		lines = append(lines, fmt.Sprintf("most common first divergence: %s (%d/%d trials)", firstText(f.Turn, f.Kind), f.Trials, s.Trials))
	}
	return lines
}

func firstText(turn int, kind string) string {
	if turn == 0 {
		return kind
	}
	return fmt.Sprintf("turn %d %s", turn, kind)
}

// WriteJSON writes the report as indented JSON; its shape is the exported
// fields' json tags and is stable.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write replay json: %w", err)
	}
	return nil
}

// errWriter remembers the first write error, so renderers can write line
// after line and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

func (e *errWriter) line(s string) {
	e.printf("%s\n", strings.TrimRight(s, " "))
}
