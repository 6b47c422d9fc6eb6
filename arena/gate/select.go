package gate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/merchantarena/merchantarena/results"
)

// selection is what the gate reads: the runs, the two builds resolved to
// name@version, and each build's sessions in the order of the runs.
type selection struct {
	runs []string
	// noRuns, when set, says why no run could be read.
	noRuns              string
	baseline, candidate string
	a, b                []*results.SessionFact
}

// selectSessions loads the builds' sessions from cfg.Runs, or from the
// latest run in which both played (with none, noRuns says so).
func selectSessions(ctx context.Context, db *results.DB, cfg Config) (selection, error) {
	if len(cfg.Runs) > 0 {
		for _, id := range cfg.Runs {
			if _, err := db.Run(ctx, id); errors.Is(err, results.ErrRunNotFound) {
				return selection{}, configErr("runs", "no run %q in %s", id, db.Path())
			} else if err != nil {
				return selection{}, fmt.Errorf("gate: %w", err)
			}
		}
		return load(ctx, db, cfg, cfg.Runs)
	}
	runs, err := db.Runs(ctx)
	if err != nil {
		return selection{}, fmt.Errorf("gate: %w", err)
	}
	if len(runs) == 0 {
		return selection{noRuns: "the results file holds no run; play one first (arena gate --runs)"}, nil
	}
	seen := [2]int{}
	for _, r := range runs {
		facts, err := readFacts(ctx, db, cfg, []string{r.ID})
		if err != nil {
			return selection{}, err
		}
		a, b := plays(facts, cfg.Baseline, cfg.Candidate), plays(facts, cfg.Candidate, cfg.Baseline)
		if a && b {
			return split(facts, cfg, []string{r.ID})
		}
		seen[0], seen[1] = seen[0]+b2i(a), seen[1]+b2i(b)
	}
	return selection{noRuns: fmt.Sprintf("no run holds sessions of both builds: the baseline %s played in %d of %d run(s), the candidate %s in %d",
		cfg.Baseline, seen[0], len(runs), cfg.Candidate, seen[1])}, nil
}

// plays reports whether spec (other than the other side's build) played
// in facts.
func plays(facts []results.SessionFact, spec, other string) bool {
	name, _, versioned := strings.Cut(spec, "@")
	for i := range facts {
		f := &facts[i]
		if (versioned && f.Build() == spec) || (!versioned && f.Candidate == name && f.Build() != other) {
			return true
		}
	}
	return false
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func readFacts(ctx context.Context, db *results.DB, cfg Config, runs []string) ([]results.SessionFact, error) {
	facts, err := db.SessionFacts(ctx, results.FactFilter{
		Runs: runs, Candidates: []string{cfg.Baseline, cfg.Candidate}, Findings: true, Criteria: true,
	})
	if err != nil {
		return nil, fmt.Errorf("gate: %w", err)
	}
	return facts, nil
}

// load reads both builds' sessions of runs.
func load(ctx context.Context, db *results.DB, cfg Config, runs []string) (selection, error) {
	facts, err := readFacts(ctx, db, cfg, runs)
	if err != nil {
		return selection{}, err
	}
	return split(facts, cfg, runs)
}

// split resolves bare build names and parts facts into the two builds'
// sessions, in the runs' order.
func split(facts []results.SessionFact, cfg Config, runs []string) (selection, error) {
	sel := selection{runs: runs}
	var err error
	if sel.baseline, err = resolve("baseline", cfg.Baseline, cfg.Candidate, facts, runs); err != nil {
		return sel, err
	}
	if sel.candidate, err = resolve("candidate", cfg.Candidate, cfg.Baseline, facts, runs); err != nil {
		return sel, err
	}
	if sel.baseline == sel.candidate {
		return sel, configErr("candidate", "%s and %s are the same build in run(s) %s; name a version: %s@…",
			cfg.Baseline, cfg.Candidate, strings.Join(runs, ", "), cfg.Candidate)
	}
	// SessionFacts sorts by run ID; pairing needs the runs' given order:
	// one bucket per run, filled in one pass, with no session copied.
	order := make(map[string]int, len(runs))
	for i, r := range runs {
		order[r] = i
	}
	as, bs := make([][]*results.SessionFact, len(runs)), make([][]*results.SessionFact, len(runs))
	for i := range facts {
		f := &facts[i]
		switch f.Build() {
		case sel.baseline:
			as[order[f.Run]] = append(as[order[f.Run]], f)
		case sel.candidate:
			bs[order[f.Run]] = append(bs[order[f.Run]], f)
		}
	}
	sel.a, sel.b = slices.Concat(as...), slices.Concat(bs...)
	return sel, nil
}

// resolve turns a build spec into name@version. A bare name is the one
// version of it in the runs, leaving out the other side's build; with no
// session it stays as given, and with several versions it is ambiguous.
func resolve(field, spec, other string, facts []results.SessionFact, runs []string) (string, error) {
	name, _, versioned := strings.Cut(spec, "@")
	if versioned {
		return spec, nil
	}
	var versions []string
	for _, f := range facts {
		if f.Candidate == name && f.Build() != other && !slices.Contains(versions, f.Version) {
			versions = append(versions, f.Version)
		}
	}
	switch len(versions) {
	case 0:
		return spec, nil
	case 1:
		return name + "@" + versions[0], nil
	}
	sort.Strings(versions)
	return "", configErr(field, "run(s) %s hold %s in versions %s; name one, such as %s@%s",
		strings.Join(runs, ", "), name, strings.Join(versions, ", "), name, versions[0])
}
