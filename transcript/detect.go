package transcript

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// jsonlProbe is how many lines after a broken first one detection tries
// before giving up on JSONL.
const jsonlProbe = 10

// looksJSONL reports whether head, blank lines then one line, ends with a
// complete JSON object that has "messages".
func looksJSONL(head []byte) bool {
	return hasKey(trim(head, 0, len(head)), head, "messages")
}

// hasKey reports whether data[s] is a JSON object with the key.
func hasKey(s span, data []byte, key string) bool {
	var obj map[string]json.RawMessage
	if json.Unmarshal(data[s.start:s.end], &obj) != nil {
		return false
	}
	_, ok := obj[key]
	return ok
}

// detect names the format data looks like, and says why (or why none).
func detect(data []byte) (format, why string) {
	i := skipSpace(data, 0)
	if i == len(data) {
		return "", "the file is empty"
	}
	switch data[i] {
	case '[':
		return detectArray(data, i)
	case '{':
		return detectObject(data, i)
	}
	return "", fmt.Sprintf("it starts with %q, not a JSON array or object", data[i])
}

func detectArray(data []byte, open int) (string, string) {
	its, _, _ := itemsUpTo(data, open, 1)
	if len(its) == 0 {
		return "", "an empty JSON array"
	}
	if hasKey(its[0], data, "traj") {
		return FormatTauBench, `a JSON array of records with "traj"`
	}
	return "", `a JSON array whose first element is not an object with "traj"`
}

func detectObject(data []byte, open int) (string, string) {
	first := span{open, len(data)}
	if nl := bytes.IndexByte(data[open:], '\n'); nl >= 0 {
		first.end = open + nl
	}
	first = trim(data, first.start, first.end)
	switch {
	case hasKey(first, data, "messages"):
		return FormatJSONL, `the first line is an object with "messages"`
	case hasKey(first, data, "simulations"):
		return FormatTau2Bench, `a JSON object with "simulations"`
	}
	// A document spread over many lines: tau2-bench has "simulations".
	its, _, _ := items(data, open)
	for _, it := range its {
		if m, err := splitMember(data, it); err == nil && m.key == "simulations" {
			return FormatTau2Bench, `a JSON object with "simulations"`
		}
	}
	// A JSONL log whose first line is broken.
	for n, at := 0, first.end; n < jsonlProbe && at < len(data); n++ {
		end := len(data)
		if nl := bytes.IndexByte(data[at+1:], '\n'); nl >= 0 {
			end = at + 1 + nl
		}
		if hasKey(trim(data, at, end), data, "messages") {
			return FormatJSONL, `a later line is an object with "messages"`
		}
		at = end
	}
	return "", `a JSON object with no "simulations" whose lines are not objects with "messages"`
}
