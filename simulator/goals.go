package simulator

import (
	"strings"

	"github.com/merchantarena/merchantarena/personas"
)

// normaliseGoals returns one status per card goal, in the card's order:
// the first valid status reported for its ID, else pending. Reported IDs
// the card does not have are dropped, so a model that invents or renames a
// goal cannot add one.
func normaliseGoals(card *personas.Card, reported []GoalStatus) []GoalStatus {
	byID := make(map[string]string, len(reported))
	for _, r := range reported {
		id := strings.TrimSpace(r.Goal)
		if _, seen := byID[id]; !seen && validStatus(r.Status) {
			byID[id] = r.Status
		}
	}
	out := make([]GoalStatus, 0, len(card.Goals))
	for _, g := range card.Goals {
		status, ok := byID[g.ID]
		if !ok {
			status = GoalPending
		}
		out = append(out, GoalStatus{Goal: g.ID, Status: status})
	}
	return out
}

func validStatus(s string) bool {
	return s == GoalPending || s == GoalDone || s == GoalFailed
}

// notDone lists, comma-separated, the goals that are not done.
func notDone(goals []GoalStatus) string {
	var ids []string
	for _, g := range goals {
		if g.Status != GoalDone {
			ids = append(ids, g.Goal)
		}
	}
	return strings.Join(ids, ", ")
}
