package mutants

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/merchantarena/merchantarena/candidates"
	"github.com/merchantarena/merchantarena/transcript"
)

// retell rewrites logged reply text to match what this session's tools
// actually returned: where a logged result said 37 and this session's said
// 4, the reply says 4. A mutant that changed its calls thus reports what it
// saw, as a real build would, instead of parroting the log. Only numbers and
// store IDs are retold: other strings (a city, a name) are as likely to
// come from the merchant's words as from the result.
type retell struct {
	numbers map[string]string // normalised logged number → actual literal
	strs    map[string]string // logged string → actual string
}

func newRetell() *retell {
	return &retell{numbers: map[string]string{}, strs: map[string]string{}}
}

// learn pairs the leaves of a logged and an actual result by JSON path.
func (r *retell) learn(logged, actual string) {
	if logged == actual { // the usual case: equal leaves pair nothing
		return
	}
	var a, b any
	if json.Unmarshal([]byte(logged), &a) != nil || json.Unmarshal([]byte(actual), &b) != nil {
		return
	}
	r.pair(a, b)
}

func (r *retell) pair(a, b any) {
	switch a := a.(type) {
	case map[string]any:
		if b, ok := b.(map[string]any); ok {
			for k, v := range a {
				r.pair(v, b[k])
			}
		}
	case []any:
		if b, ok := b.([]any); ok {
			for i := range min(len(a), len(b)) {
				r.pair(a[i], b[i])
			}
		}
	case float64:
		if b, ok := b.(float64); ok && a != b {
			r.numbers[strconv.FormatFloat(a, 'f', -1, 64)] = strconv.FormatFloat(b, 'f', -1, 64)
		}
	case string:
		if b, ok := b.(string); ok && a != b && isStoreID(a) && isStoreID(b) {
			r.strs[a] = b
		}
	}
}

// apply rewrites text with what was learned.
func (r *retell) apply(text string) string {
	if len(r.numbers) == 0 && len(r.strs) == 0 {
		return text
	}
	text = transcript.NumberPattern.ReplaceAllStringFunc(text, func(lit string) string {
		key, ok := transcript.NormalizeNumber(lit)
		if !ok {
			return lit
		}
		if to, ok := r.numbers[key]; ok {
			return restyle(lit, to)
		}
		return lit
	})
	olds := make([]string, 0, len(r.strs))
	for old := range r.strs {
		olds = append(olds, old)
	}
	// Longest first, so "Ava Chen" is replaced before "Ava".
	sort.Slice(olds, func(i, j int) bool {
		return len(olds[i]) > len(olds[j]) || len(olds[i]) == len(olds[j]) && olds[i] < olds[j]
	})
	for _, old := range olds {
		text = strings.ReplaceAll(text, old, r.strs[old])
	}
	return text
}

func isStoreID(s string) bool {
	return candidates.StoreID.FindString(s) == s
}

// restyle writes value the way lit was written: "$1,234.50" style stays.
func restyle(lit, value string) string {
	f, err := strconv.ParseFloat(value, 64)
	if err != nil {
		return value
	}
	prefix, suffix := "", ""
	if strings.HasPrefix(lit, "$") {
		prefix = "$"
	}
	if strings.HasSuffix(lit, "%") {
		suffix = "%"
	}
	decimals := -1
	if i := strings.LastIndex(lit, "."); i >= 0 {
		decimals = len(strings.TrimSuffix(lit[i+1:], "%"))
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if strings.Contains(lit, ",") {
		s = groupThousands(s)
	}
	return prefix + s + suffix
}

func groupThousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}
