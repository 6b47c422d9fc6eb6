package simulator

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/merchantarena/merchantarena/transcript"
)

// Simulator faults the simulate mode notices in its own model's message.
// The message is still sent (the session goes on as played), and Note
// carries one of these so the judges can blame the simulator, not the
// build.
const (
	FaultEcho  = "simulator fault: repeats the assistant's last message"
	FaultClaim = "simulator fault: speaks as the assistant claiming an action"
)

// claimStartRE matches a message that opens the way an assistant reports
// work it did ("I've created…", "I have updated…", "Done! The segment…").
// Only the opening is checked: a merchant may well say "I have updated my
// address" later in a sentence, but rarely opens with an assistant's report.
var claimStartRE = regexp.MustCompile(`(?i)^\W*(?:` +
	`i(?:'ve|’ve| have)\s+(?:just\s+|now\s+|successfully\s+)?(?:created|updated|added|applied|set up|saved|changed|removed|tagged|published|archived|scheduled|renamed|sent|deleted)\b` +
	`|done\s*[!.:,-]+\s*(?:the|your|i)\b` +
	`|(?:the|your)\s+\w+(?:\s+\w+)?\s+(?:has|have)\s+been\s+(?:created|updated|added|applied|saved|changed|removed|tagged|published|archived|scheduled|renamed|deleted)\b)`)

// guard returns the fault of a merchant message, or "".
func guard(message string, visible []transcript.Message) string {
	if last := lastAssistant(visible); last != "" && fold(last) == fold(message) {
		return FaultEcho
	}
	if claimStartRE.MatchString(message) {
		return FaultClaim
	}
	return ""
}

func lastAssistant(visible []transcript.Message) string {
	for i := len(visible) - 1; i >= 0; i-- {
		if visible[i].Role == transcript.RoleAssistant {
			return visible[i].Content
		}
	}
	return ""
}

// fold reduces text to lowercase letters and digits separated by single
// spaces, so that an echo with other punctuation or spacing still matches.
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

func joinNote(note, more string) string {
	if note == "" {
		return more
	}
	return note + "; " + more
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }
