package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Gate verdicts.
const (
	VerdictPass      = "pass"
	VerdictBlock     = "block"
	VerdictUndecided = "undecided"
)

// GateDecision is one decision of the pre-deploy gate, stored with what it
// was given so that it can be re-derived.
type GateDecision struct {
	ID        int64 // assigned by the file
	At        time.Time
	Runs      []string
	Baseline  string
	Candidate string
	Verdict   string // VerdictPass, VerdictBlock or VerdictUndecided
	Reasons   []string
	Report    json.RawMessage // the whole report
	Inputs    json.RawMessage // margins, alpha, resamples, seed
}

// PutGateDecision stores d and returns its ID. A zero At is db.Now().
func (db *DB) PutGateDecision(ctx context.Context, d GateDecision) (int64, error) {
	switch d.Verdict {
	case VerdictPass, VerdictBlock, VerdictUndecided:
	default:
		return 0, &InvalidError{Kind: "gate_decision", Field: "verdict", Err: fmt.Errorf("%q is not pass, block or undecided", d.Verdict)}
	}
	if err := checkJSON(d.Report); err != nil {
		return 0, &InvalidError{Kind: "gate_decision", Field: "report", Err: err}
	}
	if err := checkJSON(d.Inputs); err != nil {
		return 0, &InvalidError{Kind: "gate_decision", Field: "inputs", Err: err}
	}
	if d.At.IsZero() {
		d.At = db.Now()
	}
	runs, _ := json.Marshal(orEmpty(d.Runs))       // strings always marshal
	reasons, _ := json.Marshal(orEmpty(d.Reasons)) // strings always marshal
	var id int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `
			INSERT INTO gate_decisions (decided_at, runs, baseline, candidate, verdict, reasons, report, inputs)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			sqlTime(d.At), string(runs), d.Baseline, d.Candidate, d.Verdict, string(reasons),
			sqlJSON(d.Report), sqlJSON(d.Inputs)).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("put gate decision: %w", err)
	}
	return id, nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// GateDecisions returns the newest decisions first, at most limit (all
// when limit ≤ 0).
func (db *DB) GateDecisions(ctx context.Context, limit int) ([]GateDecision, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := db.r.QueryContext(ctx, `
		SELECT id, decided_at, runs, baseline, candidate, verdict, reasons, report, inputs
		FROM gate_decisions ORDER BY decided_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("gate decisions: %w", err)
	}
	defer rows.Close()
	var out []GateDecision
	for rows.Next() {
		var (
			d              GateDecision
			at             sql.NullString
			runs, reasons  string
			report, inputs sql.NullString
		)
		if err := rows.Scan(&d.ID, &at, &runs, &d.Baseline, &d.Candidate, &d.Verdict, &reasons, &report, &inputs); err != nil {
			return nil, fmt.Errorf("gate decisions: %w", err)
		}
		if d.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("gate decisions: %w", err)
		}
		if err := json.Unmarshal([]byte(runs), &d.Runs); err != nil {
			return nil, fmt.Errorf("gate decision %d: runs: %w", d.ID, err)
		}
		if err := json.Unmarshal([]byte(reasons), &d.Reasons); err != nil {
			return nil, fmt.Errorf("gate decision %d: reasons: %w", d.ID, err)
		}
		d.Report, d.Inputs = rawJSON(report), rawJSON(inputs)
		out = append(out, d)
	}
	return out, rows.Err()
}
