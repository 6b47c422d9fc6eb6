package calibrate

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Label kinds: who gave a label.
const (
	KindHuman = "human"
	KindJudge = "judge"
)

// maxLine bounds one line of a label file.
const maxLine = 1 << 20

// Label is one line of a label file: one rater's label for one item (a
// conversation or session ID) on one criterion. Value is text; a number in
// the file is written in its shortest form ("4", "0.5"), so 4 and 4.0 are
// one level.
type Label struct {
	Item      string `json:"item"`
	Criterion string `json:"criterion"`
	Rater     string `json:"rater"`
	Kind      string `json:"kind"`
	Value     string `json:"label"`
	// Line is the label's line in its file, from 1; 0 when not read from
	// a file.
	Line int `json:"-"`
}

// LineError is a bad line of a label file.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }

func (e *LineError) Unwrap() error { return e.Err }

// ErrBadLabel matches every problem with a label line's content.
var ErrBadLabel = errors.New("bad label")

// ReadLabels reads a label file. Blank lines are skipped. A line that is
// not a valid label is reported as a *LineError and the others are kept;
// the error is non-nil only when the file itself cannot be read.
func ReadLabels(r io.Reader, file string) ([]Label, []*LineError, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxLine)
	var (
		out  []Label
		bad  []*LineError
		line int
	)
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		l, err := parseLabel(text)
		if err != nil {
			bad = append(bad, &LineError{File: file, Line: line, Err: err})
			continue
		}
		l.Line = line
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return out, bad, fmt.Errorf("read labels %s: line %d: %w", file, line+1, err)
	}
	return out, bad, nil
}

// rawLabel is a line as written: the label may be a number or a string.
type rawLabel struct {
	Item      *string         `json:"item"`
	Criterion *string         `json:"criterion"`
	Rater     *string         `json:"rater"`
	Kind      *string         `json:"kind"`
	Label     json.RawMessage `json:"label"`
}

func parseLabel(text []byte) (Label, error) {
	var raw rawLabel
	if err := json.Unmarshal(text, &raw); err != nil {
		return Label{}, fmt.Errorf("%w: not a JSON object: %v", ErrBadLabel, err)
	}
	l := Label{}
	for _, f := range []struct {
		name string
		src  *string
		dst  *string
	}{{"item", raw.Item, &l.Item}, {"criterion", raw.Criterion, &l.Criterion}, {"rater", raw.Rater, &l.Rater}, {"kind", raw.Kind, &l.Kind}} {
		if f.src == nil || strings.TrimSpace(*f.src) == "" {
			return Label{}, fmt.Errorf("%w: field %q is missing or empty", ErrBadLabel, f.name)
		}
		*f.dst = strings.TrimSpace(*f.src)
	}
	if l.Kind != KindHuman && l.Kind != KindJudge {
		return Label{}, fmt.Errorf("%w: field \"kind\": %q is not %q or %q", ErrBadLabel, l.Kind, KindHuman, KindJudge)
	}
	v, err := labelValue(raw.Label)
	if err != nil {
		return Label{}, fmt.Errorf("%w: field \"label\": %v", ErrBadLabel, err)
	}
	l.Value = v
	return l, nil
}

// labelValue reads a label: a number (written in its shortest form) or a
// non-empty string.
func labelValue(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", errors.New("missing")
	}
	switch raw[0] {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", err
		}
		if s = strings.TrimSpace(s); s == "" {
			return "", errors.New("empty")
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return "", fmt.Errorf("%s is not a number", raw)
		}
		return FormatNumber(f), nil
	}
	return "", fmt.Errorf("%s: want a number or a string", raw)
}

// FormatNumber writes a label number in its shortest form.
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// line is a label as written, fields in the documented order.
type line struct {
	Item      string `json:"item"`
	Criterion string `json:"criterion"`
	Rater     string `json:"rater"`
	Kind      string `json:"kind"`
	Label     any    `json:"label"`
}

// WriteLabels writes labels as JSONL, the format ReadLabels reads. A value
// that reads as a number is written as a JSON number.
func WriteLabels(w io.Writer, labels []Label) error {
	bw := bufio.NewWriter(w)
	for _, l := range labels {
		var value any = l.Value
		if f, err := strconv.ParseFloat(l.Value, 64); err == nil && FormatNumber(f) == l.Value {
			value = json.Number(l.Value)
		}
		b, err := json.Marshal(line{l.Item, l.Criterion, l.Rater, l.Kind, value})
		if err != nil {
			return fmt.Errorf("write label %s/%s/%s: %w", l.Item, l.Criterion, l.Rater, err)
		}
		bw.Write(b)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
