package results

import (
	"context"
	"fmt"
)

// ViolationRow is one finding with where it happened, as the violations
// view lists it.
type ViolationRow struct {
	RunID     string
	Candidate string
	Version   string
	Persona   string
	SessionID int64
	Trial     int
	Turn      int
	CallID    string
	Tool      string
	Rule      string
	Kind      string
	Gate      bool
	Message   string
}

// Violations returns every finding of a run, read from the violations view,
// by candidate, session and turn.
func (db *DB) Violations(ctx context.Context, runID string) ([]ViolationRow, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT run_id, candidate, version, persona_id, session_id, trial, turn, call_id, tool,
			rule, kind, gate, message
		FROM violations WHERE run_id = ?
		ORDER BY candidate, version, session_id, turn, finding_id`, runID)
	if err != nil {
		return nil, fmt.Errorf("violations of %q: %w", runID, err)
	}
	defer rows.Close()
	var vs []ViolationRow
	for rows.Next() {
		var v ViolationRow
		if err := rows.Scan(&v.RunID, &v.Candidate, &v.Version, &v.Persona, &v.SessionID, &v.Trial,
			&v.Turn, &v.CallID, &v.Tool, &v.Rule, &v.Kind, &v.Gate, &v.Message); err != nil {
			return nil, fmt.Errorf("violations of %q: %w", runID, err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("violations of %q: %w", runID, err)
	}
	return vs, nil
}

// ViolationKinds counts a run's findings by build ("name@version") and
// kind, read from the violations view.
func (db *DB) ViolationKinds(ctx context.Context, runID string) (map[string]map[string]int, error) {
	rows, err := db.r.QueryContext(ctx, `
		SELECT candidate, version, kind, count(*)
		FROM violations WHERE run_id = ?
		GROUP BY candidate, version, kind`, runID)
	if err != nil {
		return nil, fmt.Errorf("violation kinds of %q: %w", runID, err)
	}
	defer rows.Close()
	out := map[string]map[string]int{}
	for rows.Next() {
		var name, version, kind string
		var n int
		if err := rows.Scan(&name, &version, &kind, &n); err != nil {
			return nil, fmt.Errorf("violation kinds of %q: %w", runID, err)
		}
		build := name + "@" + version
		if out[build] == nil {
			out[build] = map[string]int{}
		}
		out[build][kind] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("violation kinds of %q: %w", runID, err)
	}
	return out, nil
}
