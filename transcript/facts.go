package transcript

import (
	"regexp"
	"strconv"
	"strings"
)

// NumberPattern matches a number as people write it in a reply: "37",
// "$1,234.50", "15%", "-3".
var NumberPattern = regexp.MustCompile(`-?\$?\d(?:[\d,]*\d)?(?:\.\d+)?%?`)

// NormalizeNumber turns "$1,234.50", "15%" or "1234.5" into one canonical
// decimal text ("1234.5", "15"), so a reply and a JSON tool result can be
// compared. It reports false for text that is not a number.
func NormalizeNumber(s string) (string, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.TrimSuffix(strings.TrimPrefix(s, "$"), "%")
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	if neg {
		f = -f
	}
	return strconv.FormatFloat(f, 'f', -1, 64), true
}

// ContainsFact reports whether text states fact: numbers compare by value
// ("$1,234.50" states "1234.5"), other facts as case-insensitive text.
func ContainsFact(text, fact string) bool { return IndexFacts(text).Contains(fact) }

// Facts indexes a text once for many ContainsFact questions.
type Facts struct {
	lower   string
	numbers map[string]bool
}

// IndexFacts indexes text: its numbers by value, its words case-folded.
func IndexFacts(text string) *Facts {
	f := &Facts{lower: strings.ToLower(text), numbers: map[string]bool{}}
	for _, lit := range NumberPattern.FindAllString(text, -1) {
		if n, ok := NormalizeNumber(lit); ok {
			f.numbers[n] = true
		}
	}
	return f
}

// Contains reports whether the indexed text states fact.
func (f *Facts) Contains(fact string) bool {
	if want, ok := NormalizeNumber(fact); ok {
		return f.numbers[want]
	}
	return strings.Contains(f.lower, strings.ToLower(fact))
}
