package transcript_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/transcript"
)

func TestNormalizeNumber(t *testing.T) {
	for in, want := range map[string]string{"$1,234.50": "1234.5", "15%": "15", "-3": "-3", "29": "29", "-$5.00": "-5"} {
		got, ok := transcript.NormalizeNumber(in)
		if !ok || got != want {
			t.Errorf("NormalizeNumber(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"abc", "", "$", "Inf"} {
		if got, ok := transcript.NormalizeNumber(in); ok {
			t.Errorf("NormalizeNumber(%q) = %q; want not a number", in, got)
		}
	}
}

func TestContainsFact(t *testing.T) {
	tests := []struct {
		text, fact string
		want       bool
	}{
		{"The total is $1,234.50 today.", "1234.5", true},
		{"The total is $1,234.50 today.", "$1,234.50", true},
		{"You have 37 customers.", "37", true},
		{"You have 370 customers.", "37", false},
		{"Top spender: AVA CHEN", "Ava Chen", true},
		{"Top spender: Ava", "Ava Chen", false},
	}
	for _, tt := range tests {
		if got := transcript.ContainsFact(tt.text, tt.fact); got != tt.want {
			t.Errorf("ContainsFact(%q, %q) = %v, want %v", tt.text, tt.fact, got, tt.want)
		}
	}
}

// FuzzNumbers checks the scanner against the regexp it replaces.
func FuzzNumbers(f *testing.F) {
	for _, s := range []string{"$1,234.50 and 15% of -3", "1,,2,3.", "-$-5", "12.x 7.25%", "a1b22c333", "4,000,", "ünï 3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var got []string
		transcript.Numbers(text, func(lit string) bool { got = append(got, lit); return true })
		want := transcript.NumberPattern.FindAllString(text, -1)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("Numbers(%q) (-regexp +scanner):\n%s", text, diff)
		}
		for _, fact := range []string{"1234.5", "15", "Toronto", "-3"} {
			if got, want := transcript.ContainsFact(text, fact), transcript.IndexFacts(text).Contains(fact); got != want {
				t.Fatalf("ContainsFact(%q, %q) = %v, the index says %v", text, fact, got, want)
			}
		}
	})
}

func TestRawJSON(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		`{"a":1}`:            `{"a":1}`,
		`[1, 2]`:             `[1, 2]`,
		"customer not found": `"customer not found"`,
		`{"a":`:              `"{\"a\":"`,
	} {
		if got := string(transcript.RawJSON(in)); got != want {
			t.Errorf("RawJSON(%q) = %s, want %s", in, got, want)
		}
	}
	if transcript.RawJSON("") != nil {
		t.Error(`RawJSON("") is not nil: empty arguments must mean none`)
	}
}
