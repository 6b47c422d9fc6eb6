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
func ContainsFact(text, fact string) bool {
	want, ok := NormalizeNumber(fact)
	if !ok {
		return containsFold(text, fact)
	}
	found := false
	Numbers(text, func(lit string) bool {
		n, ok := NormalizeNumber(lit)
		found = ok && n == want
		return !found
	})
	return found
}

// containsFold is strings.Contains under case folding, without lowering
// a copy of the text when both are plain ASCII.
func containsFold(text, sub string) bool {
	if !isASCII(text) || !isASCII(sub) {
		return strings.Contains(strings.ToLower(text), strings.ToLower(sub))
	}
	for i := 0; i+len(sub) <= len(text); i++ {
		if strings.EqualFold(text[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// Numbers calls yield with each number literal in text, left to right,
// exactly as NumberPattern.FindAllString would find them, until yield
// returns false. It is a scanner, not a regexp, because the judges ask it
// about every reply for every fact.
func Numbers(text string, yield func(lit string) bool) {
	for i := 0; i < len(text); {
		end := numberAt(text, i)
		if end < 0 {
			i++
			continue
		}
		if !yield(text[i:end]) {
			return
		}
		i = end
	}
}

// numberAt returns the end of the number literal starting at i, or -1.
func numberAt(s string, i int) int {
	digit := func(j int) bool { return j < len(s) && s[j] >= '0' && s[j] <= '9' }
	j := i
	if j < len(s) && s[j] == '-' {
		j++
	}
	if j < len(s) && s[j] == '$' {
		j++
	}
	if !digit(j) {
		return -1
	}
	j++
	end := j
	for k := j; k < len(s) && (digit(k) || s[k] == ','); k++ {
		if digit(k) {
			end = k + 1
		}
	}
	if end < len(s) && s[end] == '.' && digit(end+1) {
		end += 2
		for digit(end) {
			end++
		}
	}
	if end < len(s) && s[end] == '%' {
		end++
	}
	return end
}

// Facts indexes a text once for many ContainsFact questions.
type Facts struct {
	lower   string
	numbers map[string]bool
}

// IndexFacts indexes text: its numbers by value, its words case-folded.
func IndexFacts(text string) *Facts {
	f := &Facts{lower: strings.ToLower(text), numbers: map[string]bool{}}
	Numbers(text, func(lit string) bool {
		if n, ok := NormalizeNumber(lit); ok {
			f.numbers[n] = true
		}
		return true
	})
	return f
}

// Contains reports whether the indexed text states fact.
func (f *Facts) Contains(fact string) bool {
	if want, ok := NormalizeNumber(fact); ok {
		return f.numbers[want]
	}
	return strings.Contains(f.lower, strings.ToLower(fact))
}
