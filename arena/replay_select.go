package arena

import (
	"encoding/json"
	"fmt"
	pathpkg "path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/merchantarena/merchantarena/transcript"
)

// Where is one conversation filter, key=value. The value may be a glob
// (pathpkg.Match: *, ?, [...]). Keys:
//
//	id       the conversation ID
//	skill    a skill in Metadata["skills"]; "segment" matches
//	         customer_segmentation: a skill matches when it contains the
//	         value, or the value without a final "s"
//	file     the base name of the file the conversation came from
//	other    Metadata[key] as text (numbers as written: reward=1)
type Where struct {
	Key, Value string
}

// ParseWhere reads "key=value".
func ParseWhere(s string) (Where, error) {
	k, v, ok := strings.Cut(s, "=")
	k, v = strings.TrimSpace(k), strings.TrimSpace(v)
	if !ok || k == "" || v == "" {
		return Where{}, fmt.Errorf("filter %q: want key=value, such as skill=segments or reward=0", s)
	}
	if _, err := pathpkg.Match(v, ""); err != nil {
		return Where{}, fmt.Errorf("filter %q: value %q is not a valid pattern: %w", s, v, err)
	}
	return Where{Key: k, Value: v}, nil
}

func (w Where) String() string { return w.Key + "=" + w.Value }

// Match reports whether c passes the filter.
func (w Where) Match(c *transcript.Conversation) bool {
	for _, v := range whereValues(c, w.Key) {
		if ok, _ := pathpkg.Match(w.Value, v); ok {
			return true
		}
		if w.Key == "skill" && strings.Contains(v, strings.TrimSuffix(w.Value, "s")) {
			return true
		}
	}
	return false
}

// whereValues are the values a filter key takes on a conversation.
func whereValues(c *transcript.Conversation, key string) []string {
	switch key {
	case "id":
		return []string{c.ID}
	case "skill":
		return c.Skills()
	case "file":
		if c.Source.File == "" {
			return nil
		}
		return []string{filepath.Base(c.Source.File)}
	}
	v, ok := c.Metadata[key]
	if !ok {
		return nil
	}
	return []string{metaText(v)}
}

func metaText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	b, _ := json.Marshal(v) // metadata is decoded JSON and encodes again
	return string(b)
}

// SelectConversations picks conversations: those named by ids (in that
// order; all when ids is empty), kept when they pass every filter. An ID
// the logs lack, or filters nothing passes, is an error naming what the
// logs hold.
func SelectConversations(convs []transcript.Conversation, ids []string, where []Where) ([]transcript.Conversation, error) {
	picked := convs
	if len(ids) > 0 {
		byID := make(map[string]int, len(convs))
		for i, c := range convs {
			if _, dup := byID[c.ID]; !dup {
				byID[c.ID] = i
			}
		}
		picked = nil
		for _, id := range ids {
			i, ok := byID[id]
			if !ok {
				return nil, fmt.Errorf("no conversation %q in the logs; they hold %s", id, sample(convs, func(c *transcript.Conversation) []string { return []string{c.ID} }))
			}
			if !slices.ContainsFunc(picked, func(c transcript.Conversation) bool { return c.ID == id }) {
				picked = append(picked, convs[i])
			}
		}
	}
	var out []transcript.Conversation
	for _, c := range picked {
		if slices.IndexFunc(where, func(w Where) bool { return !w.Match(&c) }) < 0 {
			out = append(out, c)
		}
	}
	if len(out) == 0 && len(where) > 0 {
		w := where[0]
		return nil, fmt.Errorf("no conversation passes %s; %s values in the logs: %s", joinWhere(where), w.Key,
			sample(picked, func(c *transcript.Conversation) []string { return whereValues(c, w.Key) }))
	}
	return out, nil
}

func joinWhere(ws []Where) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, " and ")
}

// sample lists up to ten distinct values of convs, and how many more.
func sample(convs []transcript.Conversation, values func(*transcript.Conversation) []string) string {
	var seen []string
	for i := range convs {
		for _, v := range values(&convs[i]) {
			if !slices.Contains(seen, v) {
				seen = append(seen, v)
			}
		}
	}
	if len(seen) == 0 {
		return "none"
	}
	const show = 10
	if len(seen) <= show {
		return strings.Join(seen, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(seen[:show], ", "), len(seen)-show)
}
