package judges

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// Simulator-fault rules. They blame the simulated merchant: their findings
// are of kind simulator_fault, never gate, and mark the verdict's
// SimulatorFault so the arena can keep the session out of the build's
// scores.
const (
	RuleSimEndedEarly      = "sim.ended_early"
	RuleSimInventedData    = "sim.invented_data"
	RuleSimPlayedAssistant = "sim.played_assistant"
	RuleSimLLMFidelity     = "sim.llm_fidelity"
)

// The merchant's goal statuses and stop reason, as the simulator reports
// them.
const (
	stopGoalsMet = "goals_met"
	goalPending  = "pending"
	goalFailed   = "failed"
)

var (
	emailRE = regexp.MustCompile(`(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b`)
	// merchantClaimRE matches a merchant message that reports work the way
	// an assistant does: opening with "I've created the…", "Done! The…" or
	// "The segment has been created",
	// or anywhere changing "your" things. A merchant in the arena cannot
	// touch the store, so such a report is the simulator speaking as the
	// assistant; "I have updated my address" is a merchant's own news and
	// does not match.
	merchantClaimRE = regexp.MustCompile(`(?i)(?:^\W*(?:i(?:'ve|’ve| have)\s+(?:just\s+|now\s+|successfully\s+|gone ahead and\s+)?` + claimVerbs +
		`\s+(?:the|a|an|this|that|these|those|it|them)\b|done\s*[!.:,-]+\s*(?:the|your|i)\b` +
		`|the\s+\w+(?:\s+\w+)?\s+(?:has|have)\s+been\s+` + claimVerbs + `\b)` +
		`|\bi(?:'ve|’ve| have)\s+(?:just\s+|now\s+|successfully\s+)?` + claimVerbs + `\s+your\b` +
		`|\byour\s+\w+(?:\s+\w+)?\s+(?:has|have)\s+been\s+` + claimVerbs + `\b)`)
	// offerRE matches an assistant's offer of help.
	offerRE = regexp.MustCompile(`(?i)\b(?:how (?:can|may) i (?:help|assist)|anything else i can (?:help|do|assist)|i(?:'d|’d| would) be (?:happy|glad) to (?:help|assist)|let me know if (?:you need|there(?:'s|’s| is)) anything else|what (?:can|else can) i (?:help you with|do for you)|i can help you (?:with|to)\b)`)
)

const claimVerbs = `(?:created|updated|added|applied|set up|saved|changed|removed|tagged|published|archived|scheduled|renamed|deleted)`

// detectSimFaults checks a simulated merchant against its card. It
// returns nothing for a logged (verbatim) merchant.
func detectSimFaults(ev *Evidence, goals []GoalResult) []Finding {
	if !ev.Simulated {
		return nil
	}
	fs := endedEarly(ev, goals)
	fs = append(fs, inventedData(ev)...)
	return append(fs, playedAssistant(ev)...)
}

// endedEarly flags a merchant that finished as if its goals were met while
// its own statuses said otherwise, or while a goal's change is missing
// from the store and the assistant had just asked it a question (the
// build was waiting for an answer, typically a confirmation, when the
// merchant walked away).
func endedEarly(ev *Evidence, goals []GoalResult) []Finding {
	if ev.StopReason != stopGoalsMet {
		return nil
	}
	turn := lastTurn(ev.Steps)
	fault := func(msg string) []Finding {
		return []Finding{{Rule: RuleSimEndedEarly, Kind: KindSimulatorFault, Turn: turn, Message: msg}}
	}
	for _, g := range ev.Card.Goals {
		if st := ev.MerchantGoals[g.ID]; st == goalPending || st == goalFailed {
			return fault(fmt.Sprintf("the merchant finished (goals_met) while its own status for goal %s was %s", g.ID, st))
		}
	}
	q := lastAssistantText(ev.Steps)
	if !strings.Contains(q, "?") {
		return nil
	}
	for _, r := range goals {
		if r.StateMet != nil && !*r.StateMet {
			return fault(fmt.Sprintf("the merchant finished (goals_met) while goal %s's change is not in the store and the assistant's last message asked it: %q",
				r.Goal, clip(q)))
		}
	}
	return nil
}

func lastTurn(steps []Step) int {
	if len(steps) == 0 {
		return 0
	}
	return steps[len(steps)-1].Turn
}

func lastAssistantText(steps []Step) string {
	for i := len(steps) - 1; i >= 0; i-- {
		if s := steps[i]; s.Role == transcript.RoleAssistant && strings.TrimSpace(s.Content) != "" {
			return s.Content
		}
	}
	return ""
}

// inventedData flags merchant messages that state store data (IDs,
// emails, store-like numbers) found neither in the card (opening, facts,
// script, requests, shop) nor in what the assistant said before. Each
// invented value is reported once, at its first message.
func inventedData(ev *Evidence) []Finding {
	card := cardText(ev.Card)
	var said strings.Builder
	seen := map[string]bool{}
	var fs []Finding
	for _, s := range ev.Steps {
		switch s.Role {
		case transcript.RoleAssistant:
			said.WriteString(s.Content)
			said.WriteByte('\n')
		case transcript.RoleUser:
			invented := inventedIn(s.Content, card+said.String(), seen)
			if len(invented) > 0 {
				fs = append(fs, Finding{Rule: RuleSimInventedData, Kind: KindSimulatorFault, Turn: s.Turn,
					Message: fmt.Sprintf("the merchant states %s, which neither its card nor the assistant gave", strings.Join(invented, ", "))})
			}
		}
	}
	return fs
}

// cardText is everything the merchant was given to say.
func cardText(c *personas.Card) string {
	parts := []string{c.Opening, c.Profile.Shop}
	parts = append(parts, c.Facts...)
	parts = append(parts, c.Script...)
	for _, g := range c.Goals {
		parts = append(parts, g.Request)
	}
	return strings.Join(parts, "\n")
}

// inventedIn returns the values of text that grounds does not hold, in
// order, skipping those in seen (and adding the rest to it).
func inventedIn(text, grounds string, seen map[string]bool) []string {
	lower := strings.ToLower(grounds)
	var out []string
	note := func(v string, ok bool) {
		if !ok && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	for _, id := range sandbox.IDPattern.FindAllString(text, -1) {
		note(id, strings.Contains(lower, strings.ToLower(id)))
	}
	for _, e := range emailRE.FindAllString(text, -1) {
		note(e, strings.Contains(lower, strings.ToLower(e)))
	}
	// Numbers inside IDs and emails were judged with them.
	rest := emailRE.ReplaceAllString(sandbox.IDPattern.ReplaceAllString(text, " "), " ")
	facts := transcript.IndexFacts(grounds)
	for _, n := range transcript.NumberPattern.FindAllString(rest, -1) {
		if storeLike(n) {
			note(n, facts.Contains(n))
		}
	}
	return out
}

// storeLike reports whether a number looks like store data rather than
// conversation: money ("$40"), a percentage, a decimal ("24.99"), or at
// least three digits ("150", a phone or order number) that is not a year.
// "2 segments" and "top 5" are how people talk.
func storeLike(n string) bool {
	if strings.ContainsAny(n, "$%.") {
		return true
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, n)
	if len(digits) < 3 {
		return false
	}
	if y, err := strconv.Atoi(digits); err == nil && len(digits) == 4 && n == digits && y >= 1900 && y < 2100 {
		return false
	}
	return true
}

// playedAssistant flags merchant messages that report work or offer help
// as the assistant would, or that repeat the assistant's last message.
func playedAssistant(ev *Evidence) []Finding {
	var fs []Finding
	last := ""
	for _, s := range ev.Steps {
		switch {
		case s.Role == transcript.RoleAssistant && strings.TrimSpace(s.Content) != "":
			last = s.Content
		case s.Role == transcript.RoleUser:
			if msg := actsAsAssistant(s.Content, last); msg != "" {
				fs = append(fs, Finding{Rule: RuleSimPlayedAssistant, Kind: KindSimulatorFault, Turn: s.Turn, Message: msg})
			}
		}
	}
	return fs
}

// actsAsAssistant says how a merchant message speaks as the assistant
// whose last message was last, or "".
func actsAsAssistant(text, last string) string {
	if f := fold(text); f != "" && f == fold(last) {
		return fmt.Sprintf("the merchant repeats the assistant's last message: %q", clipText(text, 120))
	}
	what := "reports a change as the assistant would"
	m := merchantClaimRE.FindString(text)
	if m == "" {
		m, what = offerRE.FindString(text), "offers help as the assistant would"
	}
	if m == "" {
		return ""
	}
	return fmt.Sprintf("the merchant %s (%q): %q", what, strings.TrimSpace(m), clipText(text, 120))
}

// fold reduces text to lowercase words, so an echo with other
// punctuation or spacing still matches.
func fold(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// markFaults sets the verdict's SimulatorFault and FaultReason from its
// findings: the first simulator fault in finding order.
func markFaults(v *Verdict) {
	v.SimulatorFault, v.FaultReason = false, ""
	for _, f := range v.Findings {
		if f.Kind == KindSimulatorFault {
			v.SimulatorFault, v.FaultReason = true, f.Message
			return
		}
	}
}
