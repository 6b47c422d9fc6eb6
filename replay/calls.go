package replay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// Call is one tool call of a conversation, with its arguments normalised
// (sandbox.NormalizeArgs; the trimmed text as written when they are not
// JSON) and the result the conversation got for it.
type Call struct {
	ID        string `json:"id,omitempty"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
	Result    string `json:"result,omitempty"`
	Error     bool   `json:"error,omitempty"`

	args     any    // decoded arguments; nil when they are not JSON
	json     bool   // the arguments are JSON
	known    string // the conversation's text before this call's result
	knownEnd int
}

// String writes the call as name(arguments).
func (c Call) String() string { return c.Name + "(" + c.Arguments + ")" }

func newCall(tc transcript.ToolCall) Call {
	c := Call{ID: tc.ID, Name: tc.Function.Name}
	raw := []byte(tc.Function.Arguments)
	v, err := sandbox.DecodeArgs(raw)
	if err != nil {
		c.Arguments = string(bytes.TrimSpace(raw))
		return c
	}
	c.args, c.json = v, true
	c.Arguments, _ = sandbox.NormalizeArgs(raw) // decoded above, so it normalises
	return c
}

// ArgChange is one argument leaf that differs between the original call
// and the build's: Path as in arguments.tags[1], Want and Got as JSON
// values, empty when the leaf is absent on that side.
type ArgChange struct {
	Path string `json:"path"`
	Want string `json:"want,omitempty"`
	Got  string `json:"got,omitempty"`
}

// diffArgs returns the argument leaves that differ, in cmp's traversal
// order (map keys sorted), found with a cmp.Reporter so that paths and
// values are ours and stable, unlike cmp.Diff's text.
func diffArgs(want, got Call) []ArgChange {
	if !want.json || !got.json {
		if want.Arguments == got.Arguments {
			return nil
		}
		return []ArgChange{{Path: "arguments", Want: want.Arguments, Got: got.Arguments}}
	}
	var r leafReporter
	cmp.Equal(want.args, got.args, cmp.Reporter(&r))
	return r.changes
}

// leafReporter collects the unequal leaves of a cmp comparison.
type leafReporter struct {
	path    cmp.Path
	changes []ArgChange
}

func (r *leafReporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }

func (r *leafReporter) PopStep() { r.path = r.path[:len(r.path)-1] }

func (r *leafReporter) Report(rs cmp.Result) {
	if rs.Equal() {
		return
	}
	vx, vy := r.path.Last().Values()
	r.changes = append(r.changes, ArgChange{Path: argPath(r.path), Want: jsonText(vx), Got: jsonText(vy)})
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// argPath writes a cmp path as arguments.key[i]; a key that is not an
// identifier is written ["like this"]. An element only the build's list
// has is indexed in the build's list.
func argPath(p cmp.Path) string {
	var b strings.Builder
	b.WriteString("arguments")
	for _, ps := range p {
		switch s := ps.(type) {
		case cmp.MapIndex:
			if k := fmt.Sprint(s.Key().Interface()); identifier.MatchString(k) {
				b.WriteString("." + k)
			} else {
				fmt.Fprintf(&b, "[%q]", k)
			}
		case cmp.SliceIndex:
			i, j := s.SplitKeys()
			if i < 0 {
				i = j
			}
			fmt.Fprintf(&b, "[%d]", i)
		}
	}
	return b.String()
}

// jsonText writes a leaf as JSON; "" for an absent one.
func jsonText(v reflect.Value) string {
	if !v.IsValid() {
		return ""
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v.Interface()); err != nil {
		return fmt.Sprint(v.Interface()) // decoded JSON always encodes; keep something readable
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var listIndex = regexp.MustCompile(`\[[0-9]+\]`)

// argKind is the stable kind of an argument change: the tool and the path
// without list indexes, so tags[1] and tags[2] count as one kind.
func argKind(tool, path string) string {
	rest := strings.TrimPrefix(listIndex.ReplaceAllString(path, ""), "arguments")
	return "argument:" + tool + rest
}

// CallRow pairs a call of the original with the build's call it was
// matched to. Original is nil for an extra call, Played for a missing one.
type CallRow struct {
	Original *Call       `json:"original,omitempty"`
	Played   *Call       `json:"played,omitempty"`
	Changes  []ArgChange `json:"changes,omitempty"`
}

// matchCalls pairs the calls of one turn (see the package doc): equal
// calls first, then calls of the same tool with the fewest differing
// leaves. Rows follow the original's order; extra calls come last, in the
// build's order. pos[i] is the index in got of want[i]'s match, or -1.
func matchCalls(want, got []Call) (rows []CallRow, pos []int) {
	pos = make([]int, len(want))
	used := make([]bool, len(got))
	for i := range want {
		pos[i] = -1
		for j := range got {
			if !used[j] && got[j].Name == want[i].Name && got[j].Arguments == want[i].Arguments {
				pos[i], used[j] = j, true
				break
			}
		}
	}
	changes := make([][]ArgChange, len(want))
	for i := range want {
		if pos[i] >= 0 {
			continue
		}
		best := -1
		for j := range got {
			if used[j] || got[j].Name != want[i].Name {
				continue
			}
			if d := diffArgs(want[i], got[j]); best < 0 || len(d) < len(changes[i]) {
				best, changes[i] = j, d
			}
		}
		if best >= 0 {
			pos[i], used[best] = best, true
		}
	}
	for i := range want {
		row := CallRow{Original: &want[i], Changes: changes[i]}
		if pos[i] >= 0 {
			row.Played = &got[pos[i]]
		}
		rows = append(rows, row)
	}
	for j := range got {
		if !used[j] {
			rows = append(rows, CallRow{Played: &got[j]})
		}
	}
	return rows, pos
}

// dependsOn reports whether c's arguments use a value that the original
// could only have learnt from earlier's result: it appears in that result
// and nowhere in the conversation before it.
func dependsOn(c, earlier Call) bool {
	if earlier.Result == "" {
		return false
	}
	for _, tok := range tokens(c.args, nil) {
		if strings.Contains(earlier.Result, tok) && !strings.Contains(earlier.known, tok) {
			return true
		}
	}
	return false
}

// tokens lists the values of v that can identify something: strings of
// three characters or more, and numbers of four digits or more.
func tokens(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		if len(v) >= 3 {
			out = append(out, v)
		}
	case json.Number:
		if len(v) >= 4 {
			out = append(out, string(v))
		}
	case map[string]any:
		for _, e := range v {
			out = tokens(e, out)
		}
	case []any:
		for _, e := range v {
			out = tokens(e, out)
		}
	}
	return out
}
