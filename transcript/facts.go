package transcript

import (
	"regexp"
	"strconv"
	"strings"
)

// NumberPattern matches a number as people write it in a reply: "37",
// "$1,234.50", "15%", "-3".
var NumberPattern = regexp.MustCompile(`-?\$?\d[\d,]*(?:\.\d+)?%?`)

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
func ContainsFact(text, fact string) bool {
	if want, ok := NormalizeNumber(fact); ok {
		for _, lit := range NumberPattern.FindAllString(text, -1) {
			if got, ok := NormalizeNumber(lit); ok && got == want {
				return true
			}
		}
		return false
	}
	return strings.Contains(strings.ToLower(text), strings.ToLower(fact))
}
