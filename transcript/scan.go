package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// The importers of one-document formats (a JSON array, a JSON object) cut
// the document into records themselves instead of handing it whole to
// encoding/json: a decoder stops at the first syntax error, and one broken
// trajectory must not hide the two hundred after it. The scanner below only
// tracks strings and nesting; each record is then validated on its own.

// span is the half-open byte range [start, end) of one JSON value.
type span struct{ start, end int }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(data []byte, i int) int {
	for i < len(data) && isSpace(data[i]) {
		i++
	}
	return i
}

// trim shrinks [start, end) to exclude JSON whitespace on both sides.
func trim(data []byte, start, end int) span {
	for start < end && isSpace(data[start]) {
		start++
	}
	for end > start && isSpace(data[end-1]) {
		end--
	}
	return span{start, end}
}

// items splits the array or object whose bracket is at data[open] into its
// comma-separated items, trimmed. An empty item marks a stray comma. end is
// the offset just past the closing bracket; closed is false when the input
// ends first. Brackets are matched by depth only, so `{]` does not derail
// the split: the item holding it fails validation on its own.
func items(data []byte, open int) (out []span, end int, closed bool) {
	return itemsUpTo(data, open, -1)
}

// itemsUpTo is items that stops after max items (max < 0: all); end and
// closed then describe the stop.
func itemsUpTo(data []byte, open, max int) (out []span, end int, closed bool) {
	depth, start, commas := 0, open+1, 0
	for i := open + 1; i < len(data); i++ {
		if len(out) == max {
			return out, i, false
		}
		switch data[i] {
		case '"':
			i = stringEnd(data, i+1)
		case '{', '[':
			depth++
		case ',':
			if depth == 0 {
				out = append(out, trim(data, start, i))
				start, commas = i+1, commas+1
			}
		case '}', ']':
			if depth > 0 {
				depth--
				continue
			}
			if last := trim(data, start, i); last.end > last.start || commas > 0 {
				out = append(out, last)
			}
			return out, i + 1, true
		}
	}
	if last := trim(data, start, len(data)); last.end > last.start {
		out = append(out, last)
	}
	return out, len(data), false
}

// stringEnd returns the offset of the quote that closes the string whose
// content starts at i, or len(data). Strings hold most of a log's bytes, so
// it jumps from quote to quote instead of stepping through every byte.
func stringEnd(data []byte, i int) int {
	for {
		j := bytes.IndexByte(data[i:], '"')
		if j < 0 {
			return len(data)
		}
		j += i
		backslashes := 0
		for k := j - 1; k >= i && data[k] == '\\'; k-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return j
		}
		i = j + 1
	}
}

// member is one "key": value pair of an object; at is where the key starts.
type member struct {
	key   string
	at    int
	value span
}

// splitMember reads the key and value span of one object item.
func splitMember(data []byte, it span) (member, error) {
	if it.start >= it.end || data[it.start] != '"' {
		return member{}, fmt.Errorf("%w: want a quoted key", ErrSyntax)
	}
	i := it.start + 1
	for ; i < it.end && data[i] != '"'; i++ {
		if data[i] == '\\' {
			i++
		}
	}
	if i >= it.end {
		return member{}, fmt.Errorf("%w: unterminated key", ErrSyntax)
	}
	var key string
	if err := json.Unmarshal(data[it.start:i+1], &key); err != nil {
		return member{}, fmt.Errorf("%w: key: %v", ErrSyntax, err)
	}
	j := skipSpace(data, i+1)
	if j >= it.end || data[j] != ':' {
		return member{}, fmt.Errorf("%w: want ':' after key %q", ErrSyntax, key)
	}
	return member{key: key, at: it.start, value: trim(data, j+1, it.end)}, nil
}

// members returns the members of the valid JSON object at s, by key.
func members(data []byte, s span) map[string]span {
	out := map[string]span{}
	if s.start >= s.end || data[s.start] != '{' {
		return out
	}
	its, _, _ := items(data, s.start)
	for _, it := range its {
		if m, err := splitMember(data, it); err == nil {
			out[m.key] = m.value
		}
	}
	return out
}

// elements returns the items of the valid JSON array at s; nil when s is
// not an array.
func elements(data []byte, s span) []span {
	if s.start >= s.end || data[s.start] != '[' {
		return nil
	}
	its, _, _ := items(data, s.start)
	return its
}

// value returns the bytes of s; nil for the zero span of a missing member.
func value(data []byte, s span) []byte { return data[s.start:s.end] }

// lineIndex maps byte offsets to 1-based line numbers.
type lineIndex []int // offsets of every '\n'

func newLineIndex(data []byte) lineIndex {
	var nl lineIndex
	for i, c := range data {
		if c == '\n' {
			nl = append(nl, i)
		}
	}
	return nl
}

// line returns the line holding byte off.
func (x lineIndex) line(off int) int {
	return sort.SearchInts(x, off) + 1
}
