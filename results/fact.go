package results

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// SessionFact is one session as ranking and the gate see it: its outcome,
// who played the merchant, what it cost, and its findings by kind.
type SessionFact struct {
	ID                 int64
	Run, Persona       string
	Candidate, Version string
	Trial              int
	Status             string
	Success            bool
	Gated              float64 // 0 when the session has no gated score
	Turns              int
	LatencyP50         time.Duration
	LatencyP95         time.Duration
	PromptTokens       int
	CompletionTokens   int
	// Cost is what the LLM calls of the session's build (role agent)
	// cost, from the call log.
	Cost           float64
	SimulatorModel string
	// SimulatorPrompt and Seed, with SimulatorModel, say who played the
	// merchant: sessions are paired only when all three match.
	SimulatorPrompt string
	Seed            *int64
	SimulatorFault  bool
	StartedAt       time.Time
	Skills          []string // the persona's skills
	// GateFailures counts findings that fail the stage-1 gate; Kinds
	// counts them by kind (nil when there is none). Filled only when
	// FactFilter.Findings is set.
	GateFailures int
	Kinds        map[string]int
	// Criteria maps a criterion to its gated score: each LLM judge's
	// criterion (a per-goal criterion "c/g1" is averaged into "c") and the
	// procedural "goals". Filled only when FactFilter.Criteria is set.
	Criteria map[string]float64
}

// Build is "name@version".
func (f *SessionFact) Build() string { return f.Candidate + "@" + f.Version }

// FactFilter narrows SessionFacts. Empty fields do not filter.
type FactFilter struct {
	Runs []string
	// Candidates are "name" (every version) or "name@version".
	Candidates []string
	Skill      string
	Since      time.Time
	// Findings asks for SessionFact.GateFailures and Kinds; Criteria for
	// SessionFact.Criteria. Each costs a pass over its table.
	Findings bool
	Criteria bool
}

// SessionFacts returns the sessions that match f, cancelled ones left out
// and simulator faults included (flagged), by run, persona, build (in the
// order the file first saw the builds) and trial: the order of the
// sessions' unique index, so SQLite streams them without sorting. It reads each table once, with the aggregation done by SQLite.
func (db *DB) SessionFacts(ctx context.Context, f FactFilter) ([]SessionFact, error) {
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("session facts: %w", err)
	}
	defer tx.Rollback() // read-only: nothing to keep
	facts, err := readFacts(ctx, tx, f)
	if err != nil || len(facts) == 0 {
		return facts, err
	}
	if err := readCosts(ctx, tx, facts); err != nil {
		return nil, err
	}
	return facts, nil
}

// factWhere is the filter on sessions s joined with candidates c. Only
// fixed SQL text is assembled; every value is an argument.
func factWhere(f FactFilter) (string, []any) {
	conds := []string{"s.status <> 'cancelled'"}
	var args []any
	if len(f.Runs) > 0 {
		conds = append(conds, "s.run_id IN ("+placeholders(len(f.Runs))+")")
		for _, r := range f.Runs {
			args = append(args, r)
		}
	}
	if len(f.Candidates) > 0 {
		var or []string
		for _, c := range f.Candidates {
			name, version, ok := strings.Cut(c, "@")
			if ok {
				or = append(or, "(c.name = ? AND c.version = ?)")
				args = append(args, name, version)
			} else {
				or = append(or, "c.name = ?")
				args = append(args, name)
			}
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	if !f.Since.IsZero() {
		conds = append(conds, "s.started_at >= ?")
		args = append(args, sqlTime(f.Since))
	}
	return strings.Join(conds, " AND "), args
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func readFacts(ctx context.Context, tx *sql.Tx, f FactFilter) ([]SessionFact, error) {
	where, args := factWhere(f)
	builds, err := buildNames(ctx, tx)
	if err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT s.id, s.run_id, s.persona_id, s.candidate_id, s.trial, s.status, s.success,
			coalesce(s.gated_score, 0), s.turns, s.latency_p50_ms, s.latency_p95_ms,
			s.prompt_tokens, s.completion_tokens, coalesce(s.simulator_model, ''),
			coalesce(s.simulator_prompt, ''), s.seed, s.simulator_fault, s.started_at,
			CASE WHEN ? THEN s.gate_kinds ELSE '' END, CASE WHEN ? THEN s.criteria ELSE '' END
		FROM sessions s
		JOIN candidates c ON c.id = s.candidate_id
		WHERE `+where+`
		ORDER BY s.run_id, s.persona_id, s.candidate_id, s.trial`, append([]any{f.Findings, f.Criteria}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("session facts: %w", err)
	}
	defer rows.Close()
	sc := newFactScanner(builds)
	var out []SessionFact
	for rows.Next() {
		fact, err := sc.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("session facts: %w", err)
		}
		out = append(out, fact)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("session facts: %w", err)
	}
	skills, err := personaSkills(ctx, tx)
	if err != nil {
		return nil, err
	}
	kept := out[:0]
	for _, fact := range out {
		fact.Skills = skills[fact.Persona]
		if f.Skill == "" || contains(fact.Skills, f.Skill) {
			kept = append(kept, fact)
		}
	}
	return kept, nil
}

// buildNames maps candidate IDs to name and version.
func buildNames(ctx context.Context, tx *sql.Tx) (map[int64][2]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, name, version FROM candidates`)
	if err != nil {
		return nil, fmt.Errorf("session facts: candidates: %w", err)
	}
	defer rows.Close()
	out := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var name, version string
		if err := rows.Scan(&id, &name, &version); err != nil {
			return nil, fmt.Errorf("session facts: candidates: %w", err)
		}
		out[id] = [2]string{name, version}
	}
	return out, rows.Err()
}

// factScanner reads fact rows, sharing the strings that repeat on every
// row (run, persona, status, merchant) instead of allocating them anew:
// a 100,000-session board reads ten distinct strings, not a million.
type factScanner struct {
	builds map[int64][2]string
	seen   map[string]string
	names  map[string]string // criterion and kind names
	raw    [8]sql.RawBytes
}

func newFactScanner(builds map[int64][2]string) *factScanner {
	return &factScanner{builds: builds, seen: map[string]string{}, names: map[string]string{}}
}

func (sc *factScanner) intern(b []byte) string {
	if s, ok := sc.seen[string(b)]; ok {
		return s
	}
	s := string(b)
	sc.seen[s] = s
	return s
}

func (sc *factScanner) scan(rows *sql.Rows) (SessionFact, error) {
	var (
		f        SessionFact
		cand     int64
		p50, p95 sql.NullFloat64
		seed     sql.NullInt64
		r        = &sc.raw
	)
	var kinds, criteria string
	err := rows.Scan(&f.ID, &r[0], &r[1], &cand, &f.Trial, &r[2], &f.Success, &f.Gated, &f.Turns,
		&p50, &p95, &f.PromptTokens, &f.CompletionTokens, &r[3], &r[4], &seed, &f.SimulatorFault, &r[5],
		&kinds, &criteria)
	if err != nil {
		return f, err
	}
	if f.Criteria, err = unpack(criteria, sc.names); err != nil {
		return f, fmt.Errorf("session %d criteria: %w", f.ID, err)
	}
	k, err := unpack(kinds, sc.names)
	if err != nil {
		return f, fmt.Errorf("session %d findings: %w", f.ID, err)
	}
	if k != nil {
		f.Kinds = map[string]int{}
		for name, n := range k {
			f.Kinds[name] = int(n)
			f.GateFailures += int(n)
		}
	}
	f.Run, f.Persona, f.Status = sc.intern(r[0]), sc.intern(r[1]), sc.intern(r[2])
	f.SimulatorModel, f.SimulatorPrompt = sc.intern(r[3]), sc.intern(r[4])
	b := sc.builds[cand]
	f.Candidate, f.Version = b[0], b[1]
	f.LatencyP50, f.LatencyP95, f.Seed = millis(p50), millis(p95), intPtr(seed)
	if r[5] != nil {
		f.StartedAt, err = parseTime(sql.NullString{String: string(r[5]), Valid: true})
	}
	return f, err
}

// personaSkills reads every persona's skills, once.
func personaSkills(ctx context.Context, tx *sql.Tx) (map[string][]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(skills, '[]') FROM personas`)
	if err != nil {
		return nil, fmt.Errorf("session facts: personas: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, fmt.Errorf("session facts: personas: %w", err)
		}
		var sk []string
		if err := json.Unmarshal([]byte(raw), &sk); err != nil {
			return nil, fmt.Errorf("session facts: persona %s skills: %w", id, err)
		}
		out[id] = sk
	}
	return out, rows.Err()
}

func scanFact(rows *sql.Rows) (SessionFact, error) {
	var (
		f        SessionFact
		p50, p95 sql.NullFloat64
		seed     sql.NullInt64
		started  sql.NullString
	)
	err := rows.Scan(&f.ID, &f.Run, &f.Persona, &f.Candidate, &f.Version, &f.Trial, &f.Status,
		&f.Success, &f.Gated, &f.Turns, &p50, &p95, &f.PromptTokens, &f.CompletionTokens,
		&f.SimulatorModel, &f.SimulatorPrompt, &seed, &f.SimulatorFault, &started)
	if err != nil {
		return f, err
	}
	f.LatencyP50, f.LatencyP95, f.Seed = millis(p50), millis(p95), intPtr(seed)
	f.StartedAt, err = parseTime(started)
	return f, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// readCosts adds the build's LLM cost to each session, matching the call
// log's session names (run/persona/build@version/trial).
func readCosts(ctx context.Context, tx *sql.Tx, facts []SessionFact) error {
	runs := map[string]bool{}
	for _, x := range facts {
		runs[x.Run] = true
	}
	cost := map[string]float64{}
	for run := range runs {
		rows, err := tx.QueryContext(ctx, `
			SELECT session, sum(cost) FROM llm_calls
			WHERE run_id = ? AND role = 'agent' AND session IS NOT NULL
			GROUP BY session`, run)
		if err != nil {
			return fmt.Errorf("session facts: costs: %w", err)
		}
		for rows.Next() {
			var s string
			var c float64
			if err := rows.Scan(&s, &c); err != nil {
				rows.Close()
				return fmt.Errorf("session facts: costs: %w", err)
			}
			cost[s] = c
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("session facts: costs: %w", err)
		}
	}
	if len(cost) == 0 {
		return nil
	}
	for i := range facts {
		x := &facts[i]
		key := SessionKey{Run: x.Run, Persona: x.Persona, Candidate: x.Candidate, Version: x.Version, Trial: x.Trial}
		x.Cost = cost[key.String()]
	}
	return nil
}
