package transcript

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The formats Read understands.
const (
	FormatJSONL     = "jsonl"
	FormatTauBench  = "tau-bench"
	FormatTau2Bench = "tau2-bench"
)

// Formats returns the names Options.Format accepts, besides "" (detect).
func Formats() []string { return []string{FormatJSONL, FormatTauBench, FormatTau2Bench} }

// Options says how to read a log.
type Options struct {
	// Format is one of Formats(), or "" to detect it from the content.
	Format string
	// Strict makes the first problem, even one in a record that could still
	// be loaded, the error Read returns.
	Strict bool
}

// Log is what Read found in one file: the conversations it loaded, in file
// order, and every problem, in file order.
type Log struct {
	File          string
	Format        string
	Conversations []Conversation
	Problems      []*ParseError
}

// ReadFile reads the log at path; see Read.
func ReadFile(path string, opts Options) (*Log, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read log: %w", err)
	}
	defer f.Close() // read-only: a close error cannot lose data
	return Read(f, path, opts)
}

// Read reads a log from r; name is the file name used in errors and in
// every Conversation's Source. Records that cannot be loaded become
// Problems (Dropped) and the rest still load; problems inside loaded
// records are Problems too (not Dropped). Read returns an error only when r
// fails, when the format is unknown, cannot be detected, or does not match
// the content, or, with opts.Strict, for the first problem (a *ParseError).
//
// JSONL is read line by line as it streams; the one-document formats are
// read into memory whole.
func Read(r io.Reader, name string, opts Options) (*Log, error) {
	if name == "" {
		name = "<input>"
	}
	if opts.Format != "" && !slices.Contains(Formats(), opts.Format) {
		return nil, fmt.Errorf("read %s: %w %q: want one of %s", name, ErrFormat, opts.Format, strings.Join(Formats(), ", "))
	}
	br := bufio.NewReaderSize(r, 64<<10)
	skipBOM(br)
	head, err := readHead(br)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	l := &loader{log: &Log{File: name}, strict: opts.Strict, ids: map[string]bool{}, next: map[string]int{}}
	if (opts.Format == "" || opts.Format == FormatJSONL) && looksJSONL(head) {
		// The first line already proves JSONL: stream the rest.
		return l.finish(FormatJSONL, l.readJSONL(io.MultiReader(bytes.NewReader(head), br)))
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	data := append(head, rest...)
	format, err := chooseFormat(data, name, opts.Format)
	if err != nil {
		return nil, err
	}
	switch format {
	case FormatJSONL:
		err = l.readJSONL(bytes.NewReader(data))
	case FormatTauBench:
		err = l.readTauBench(data)
	default:
		err = l.readTau2(data)
	}
	return l.finish(format, err)
}

// chooseFormat checks an explicit format against what the content looks
// like, or detects one.
func chooseFormat(data []byte, name, want string) (string, error) {
	got, why := detect(data)
	switch {
	case want == "" && got == "":
		return "", fmt.Errorf("read %s: %w: cannot detect it (%s); known formats: %s; try --format <name>",
			name, ErrFormat, why, strings.Join(Formats(), ", "))
	case want == "":
		return got, nil
	case got != "" && got != want:
		return "", fmt.Errorf("read %s as %s: %w: the content looks like %s (%s); try --format %s, or no --format to detect it",
			name, want, ErrFormat, got, why, got)
	}
	return want, nil
}

// skipBOM drops a UTF-8 byte order mark, which some exporters write.
func skipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && string(b) == "\xef\xbb\xbf" {
		br.Discard(3) // cannot fail: the bytes are buffered
	}
}

// readHead reads up to and including the first line that is not blank.
func readHead(br *bufio.Reader) ([]byte, error) {
	var head []byte
	for {
		line, err := br.ReadBytes('\n')
		head = append(head, line...)
		switch {
		case err != nil && err != io.EOF:
			return nil, err
		case err == io.EOF || !isBlank(line):
			return head, nil
		}
	}
}

// isBlank reports whether b holds only JSON whitespace.
func isBlank(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

// loader accumulates one Log.
type loader struct {
	log    *Log
	strict bool
	ids    map[string]bool
	next   map[string]int
	stop   *ParseError // the first problem, in strict mode
	lines  lineIndex   // of one-document formats; nil for JSONL
}

// record is one decoded conversation before it joins the log.
type record struct {
	conv     Conversation
	explicit bool // the ID was written in the log, not derived
	field    string
	msgAt    []int // byte offset of each message; nil for JSONL
	kept     []fieldProblem
}

// at returns the line of byte off, or line when off is unknown.
func (l *loader) at(off, line int) int {
	if l.lines == nil || off < 0 {
		return line
	}
	return l.lines.line(off)
}

// commit links r's tool calls and results, adds r to the log and reports
// its kept problems, earliest line first. It reports whether to stop.
func (l *loader) commit(r *record) bool {
	issues := link(r.conv.Messages, true)
	line := r.conv.Source.Line
	if l.add(r.conv, r.explicit) {
		return true
	}
	id := l.log.Conversations[len(l.log.Conversations)-1].ID
	var probs []*ParseError
	for _, k := range r.kept {
		probs = append(probs, &ParseError{Line: l.at(k.off, line), Record: id, Err: k.err})
	}
	for _, is := range issues {
		off := -1
		if is.msg < len(r.msgAt) {
			off = r.msgAt[is.msg]
		}
		path := fmt.Sprintf("%s[%d]", r.field, is.msg)
		if is.call >= 0 {
			path += fmt.Sprintf(".tool_calls[%d]", is.call)
		}
		probs = append(probs, &ParseError{Line: l.at(off, line), Record: id, Err: fmt.Errorf("%s: %w", path, is.err)})
	}
	slices.SortStableFunc(probs, func(a, b *ParseError) int { return a.Line - b.Line })
	for _, p := range probs {
		if l.problem(p) {
			return true
		}
	}
	return false
}

// drop reports a record that could not be loaded.
func (l *loader) drop(line int, id string, err error) bool {
	return l.problem(&ParseError{Line: line, Record: id, Dropped: true, Err: err})
}

// problem records p; it reports whether reading must stop (strict mode).
func (l *loader) problem(p *ParseError) bool {
	p.File = l.log.File
	l.log.Problems = append(l.log.Problems, p)
	if l.strict && l.stop == nil {
		l.stop = p
	}
	return l.stop != nil
}

// add appends c, renaming it when its ID is taken. explicit says the ID was
// written in the log (a clash is then a problem) rather than derived.
func (l *loader) add(c Conversation, explicit bool) bool {
	id := c.ID
	// next remembers the last suffix tried per ID, so that many clashes on
	// one ID stay linear.
	for l.ids[c.ID] {
		l.next[id]++
		c.ID = fmt.Sprintf("%s#%d", id, l.next[id]+1)
	}
	l.ids[c.ID] = true
	c.Source.File = l.log.File
	l.log.Conversations = append(l.log.Conversations, c)
	if c.ID != id && explicit {
		return l.problem(&ParseError{Line: c.Source.Line, Record: c.ID,
			Err: fmt.Errorf("%w %q: renamed %q", ErrDuplicateID, id, c.ID)})
	}
	return false
}

// finish returns the log, or the first problem in strict mode.
func (l *loader) finish(format string, err error) (*Log, error) {
	if err != nil {
		return nil, err
	}
	if l.stop != nil {
		return nil, l.stop
	}
	l.log.Format = format
	return l.log, nil
}

// fallbackID names a conversation whose log gives it no ID.
func fallbackID(file string, line int) string {
	return fmt.Sprintf("%s:%d", filepath.Base(file), line)
}
