package personas

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/merchantarena/merchantarena/transcript"
)

// maxOutputs bounds the expected outputs per goal: a handful of facts is
// a test; every number in a report would be a transcription.
const maxOutputs = 8

// outputs returns the facts a reply passed on from tool results: numbers
// that equal a number in a result, and result strings (names, codes, IDs)
// quoted in the reply. Order follows the reply.
func outputs(reply string, results []string) []string {
	if reply == "" || len(results) == 0 {
		return []string{}
	}
	nums, strs := map[string]bool{}, map[string]bool{}
	for _, r := range results {
		collect(r, nums, strs)
	}
	type hit struct {
		at   int
		text string
	}
	var hits []hit
	seen := map[string]bool{}
	for _, loc := range transcript.NumberPattern.FindAllStringIndex(reply, -1) {
		lit := reply[loc[0]:loc[1]]
		key, ok := transcript.NormalizeNumber(lit)
		if !ok || !nums[key] || seen[key] || trivialNumber(key) {
			continue
		}
		seen[key] = true
		hits = append(hits, hit{loc[0], lit})
	}
	lower := strings.ToLower(reply)
	for s := range strs {
		at := strings.Index(lower, strings.ToLower(s))
		if at < 0 || seen[strings.ToLower(s)] {
			continue
		}
		seen[strings.ToLower(s)] = true
		hits = append(hits, hit{at, s})
	}
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].at != hits[j].at {
			return hits[i].at < hits[j].at
		}
		// At one place, the longer match ("Mason Rossi", not "Mason").
		if len(hits[i].text) != len(hits[j].text) {
			return len(hits[i].text) > len(hits[j].text)
		}
		return hits[i].text < hits[j].text
	})
	out := []string{}
	for _, h := range hits {
		if len(out) == maxOutputs {
			break
		}
		if !covered(out, h.text) {
			out = append(out, h.text)
		}
	}
	return out
}

// covered drops a hit already contained in an earlier one ("Ava" after
// "Ava Chen").
func covered(out []string, s string) bool {
	for _, o := range out {
		if strings.Contains(strings.ToLower(o), strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// collect walks a tool result, keeping its numbers (normalised) and its
// distinctive strings.
func collect(result string, nums, strs map[string]bool) {
	var v any
	if err := json.Unmarshal([]byte(result), &v); err != nil {
		if k, ok := transcript.NormalizeNumber(result); ok {
			nums[k] = true
		} else if distinctive(result) {
			strs[result] = true
		}
		return
	}
	walk(v, func(x any) {
		switch x := x.(type) {
		case float64:
			nums[strconv.FormatFloat(x, 'f', -1, 64)] = true
		case string:
			if k, ok := transcript.NormalizeNumber(x); ok {
				nums[k] = true
			} else if distinctive(x) {
				strs[x] = true
			}
		}
	})
}

func walk(v any, f func(any)) {
	switch v := v.(type) {
	case map[string]any:
		for _, x := range v {
			walk(x, f)
		}
	case []any:
		for _, x := range v {
			walk(x, f)
		}
	default:
		f(v)
	}
}

// distinctive keeps strings a reply would quote on purpose: short, not
// prose, and either capitalised or containing a digit.
func distinctive(s string) bool {
	if len(s) < 3 || len(s) > 60 || strings.Count(s, " ") > 5 {
		return false
	}
	if strings.ContainsAny(s, "\n<>{}") {
		return false
	}
	first := s[0]
	return (first >= 'A' && first <= 'Z') || strings.ContainsAny(s, "0123456789")
}

// trivialNumber drops 0 and 1, which appear in every result and every reply.
func trivialNumber(k string) bool { return k == "0" || k == "1" }
