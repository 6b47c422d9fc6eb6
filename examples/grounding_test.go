package examples_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// derived lists numbers an assistant worked out rather than read (a count
// of rows it saw, a difference), per conversation. Everything else it says
// must be in a tool result, a tool argument or a merchant message before it.
var derived = map[string][]string{
	"morning-check-in":   {"3", "6"},
	"monthly-sales-2025": {"2025"}, // "last year", asked back before any report
}

// monthDay matches "June 27": the day is part of a date the results spell
// as 2026-06-27.
var monthDay = regexp.MustCompile(`\b(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}\b`)

// clock matches a time of day ("00:00 UTC"); replies quote the results'
// timestamps by day.
var clock = regexp.MustCompile(`\b\d{1,2}:\d{2}\b`)

// TestConversations_Grounded checks what the assistant says against what it
// had seen: every store ID it writes, in text or arguments, must come from
// an earlier successful tool result or the merchant (the judges' rule), and
// every number it states must appear in what came before, so that the text
// keeps matching the results when the fixture changes.
func TestConversations_Grounded(t *testing.T) {
	for _, c := range mustConversations(t) {
		var ids strings.Builder
		nums := map[string]bool{}
		for _, d := range derived[c.ID] {
			nums[d] = true
		}
		for _, m := range c.Messages {
			switch m.Role {
			case transcript.RoleUser:
				ids.WriteString(m.Content + "\n")
				addNumbers(nums, m.Content)
			case transcript.RoleSystem:
				addNumbers(nums, m.Content)
			case transcript.RoleTool:
				if !m.Error {
					ids.WriteString(m.Content + "\n")
				}
				addJSONNumbers(nums, m.Content)
			case transcript.RoleAssistant:
				known := ids.String()
				checkIDs(t, c.ID, m.Content, known)
				checkNumbers(t, c.ID, m.Content, nums)
				for _, tc := range m.ToolCalls {
					checkIDs(t, c.ID, tc.Function.Arguments, known)
					addJSONNumbers(nums, tc.Function.Arguments)
				}
			}
		}
	}
}

func checkIDs(t *testing.T, conv, text, known string) {
	t.Helper()
	for _, id := range sandbox.IDPattern.FindAllString(text, -1) {
		if !strings.Contains(known, id) {
			t.Errorf("%s: %s is used before any tool result or merchant message gave it", conv, id)
		}
	}
}

func checkNumbers(t *testing.T, conv, text string, known map[string]bool) {
	t.Helper()
	text = monthDay.ReplaceAllStringFunc(text, func(s string) string { return strings.Fields(s)[0] })
	text = sandbox.IDPattern.ReplaceAllString(text, "ID")
	text = clock.ReplaceAllString(text, "TIME")
	for _, loc := range transcript.NumberPattern.FindAllStringIndex(text, -1) {
		if partOfWord(text, loc[0], loc[1]) {
			continue // Q1, 24L, 2.5-Layer: names, not quantities
		}
		n, ok := transcript.NormalizeNumber(text[loc[0]:loc[1]])
		if ok && !known[n] {
			t.Errorf("%s: the assistant states %s, which nothing before it contains: %q", conv, n, clip(text, loc[0]))
		}
	}
}

// addNumbers adds every number written in text.
func addNumbers(set map[string]bool, text string) {
	for _, lit := range transcript.NumberPattern.FindAllString(text, -1) {
		if n, ok := transcript.NormalizeNumber(lit); ok {
			set[n] = true
		}
	}
}

// addJSONNumbers adds the numbers of a JSON document: its number values,
// the year of its dates and the numbers written inside its strings ("#2169",
// "700-fill"), but not the digits of store IDs or of clock times, which no
// reply quotes as quantities. Text that is not JSON (a refusal) is scanned
// as text.
func addJSONNumbers(set map[string]bool, text string) {
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		addNumbers(set, text)
		return
	}
	walk(v, func(x any) {
		switch x := x.(type) {
		case float64:
			set[strconv.FormatFloat(x, 'f', -1, 64)] = true
		case string:
			switch {
			case sandbox.IDPattern.MatchString(x) && len(sandbox.IDPattern.FindString(x)) == len(x):
			case isoDate.MatchString(x):
				set[x[:4]] = true
			default:
				addNumbers(set, x)
			}
		}
	})
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)

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

func partOfWord(text string, start, end int) bool {
	before, _ := utf8.DecodeLastRuneInString(text[:start])
	after, _ := utf8.DecodeRuneInString(text[end:])
	return unicode.IsLetter(before) || unicode.IsLetter(after)
}

func clip(s string, at int) string {
	lo, hi := max(0, at-30), min(len(s), at+30)
	return s[lo:hi]
}
