package results

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// The sessions row keeps its gate findings by kind and its criterion
// scores packed as "name=value;…" (see migration 3), so that ranking and
// the gate read them with the session instead of joining every finding
// and score.

// packKinds counts a session's gate findings by kind.
func packKinds(fs []Finding) string {
	n := map[string]float64{}
	for _, f := range fs {
		if f.Gate {
			n[f.Kind]++
		}
	}
	return pack(n, func(v float64) string { return strconv.Itoa(int(v)) })
}

// packCriteria averages a session's criterion scores: the LLM judges'
// gated scores (a per-goal criterion "c/g1" into "c") and the procedural
// "goals".
func packCriteria(ss []Score) string {
	sum, cnt := map[string]float64{}, map[string]float64{}
	for _, s := range ss {
		if s.Judge != "llm" && (s.Judge != "procedural" || s.Criterion != "goals") {
			continue
		}
		name, _, _ := strings.Cut(s.Criterion, "/")
		sum[name] += s.Gated
		cnt[name]++
	}
	for k := range sum {
		sum[k] /= cnt[k]
	}
	return pack(sum, func(v float64) string { return strconv.FormatFloat(v, 'g', 17, 64) })
}

func pack(m map[string]float64, format func(float64) string) string {
	names := make([]string, 0, len(m))
	for k := range m {
		if !strings.ContainsAny(k, "=;") {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + format(m[k])
	}
	return strings.Join(parts, ";")
}

// unpack reads a packed column; shared interns the names.
func unpack(packed string, shared map[string]string) (map[string]float64, error) {
	if packed == "" {
		return nil, nil
	}
	out := map[string]float64{}
	for _, kv := range strings.Split(packed, ";") {
		k, v, _ := strings.Cut(kv, "=")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("packed %q: %w", kv, err)
		}
		name, ok := shared[k]
		if !ok {
			name = k
			shared[k] = k
		}
		out[name] = x
	}
	return out, nil
}
