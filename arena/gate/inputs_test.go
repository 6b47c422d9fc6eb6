package gate_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
)

func TestDecide_Undecided(t *testing.T) {
	tests := []struct {
		name     string
		runs     []string
		sessions func() []results.Session
		want     string
	}{
		{"CandidateAbsent", []string{"r1"}, func() []results.Session { return suite("r1", golden, 5, 1, perfect) },
			"the candidate tag-hacker has no session in run(s) r1"},
		{"NoRunWithBoth", nil, func() []results.Session { return suite("r1", golden, 5, 1, perfect) },
			"no run holds sessions of both builds: the baseline golden played in 1 of 1 run(s), the candidate tag-hacker in 0"},
		{"MostPersonasUnpaired", nil, func() []results.Session {
			return append(suite("r1", golden, 10, 1, perfect), suite("r1", hacker, 4, 1, perfect)...)
		}, "pairs missing for 6 of 10 personas (more than half): 6 only the baseline played, 4 usable"},
		{"BaselineBroken", nil, func() []results.Session {
			return append(suite("r1", golden, 10, 1, func(p, _ int) (bool, float64, []option) {
				if p < 6 {
					return false, 0, []option{status(results.StatusTimeout)}
				}
				return true, 1, nil
			}), suite("r1", hacker, 10, 1, perfect)...)
		}, "the baseline errored or timed out in 6 of 10 pairs (more than half)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := mustOpenDB(t)
			putRuns(t, db, "r1")
			write(t, db, tt.sessions())
			cfg := quick("golden", "tag-hacker")
			cfg.Runs = tt.runs
			d := decide(t, db, cfg)
			if d.Verdict != gate.Undecided || len(d.Reasons) != 1 || !strings.HasPrefix(d.Reasons[0], tt.want) {
				t.Fatalf("decision %s %q, want undecided: %q", d.Verdict, d.Reasons, tt.want)
			}
		})
	}
	t.Run("EmptyFile", func(t *testing.T) {
		db := mustOpenDB(t)
		d := decide(t, db, quick("golden", "tag-hacker"))
		if d.Verdict != gate.Undecided || !strings.Contains(d.Reasons[0], "holds no run") {
			t.Fatalf("decision %s %q, want undecided on an empty file", d.Verdict, d.Reasons)
		}
	})
}

func TestDecide_Stored(t *testing.T) {
	db := mustOpenDB(t)
	hackerSuite(t, db)
	d := decide(t, db, gate.Config{Baseline: "golden", Candidate: "tag-hacker", Resamples: 500, Seed: 42})
	stored, err := db.GateDecisions(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 || stored[0].ID != d.ID || stored[0].Verdict != results.VerdictBlock ||
		stored[0].Baseline != golden || stored[0].Candidate != hacker {
		t.Fatalf("stored %+v, want decision %d: block, golden@1.0.0 vs tag-hacker@1.0.0", stored, d.ID)
	}
	if diff := cmp.Diff(d.Reasons, stored[0].Reasons); diff != "" {
		t.Errorf("stored reasons (-want +got):\n%s", diff)
	}
	var inputs gate.Config
	if err := json.Unmarshal(stored[0].Inputs, &inputs); err != nil {
		t.Fatal(err)
	}
	want := gate.Config{Runs: []string{"r1"}, Baseline: "golden", Candidate: "tag-hacker", Margin: 0.02, Alpha: 0.05,
		Resamples: 500, Seed: 42, Power: 0.8}
	if diff := cmp.Diff(want, inputs); diff != "" {
		t.Errorf("stored inputs (-want +got):\n%s", diff)
	}
	var report gate.Decision
	if err := json.Unmarshal(stored[0].Report, &report); err != nil {
		t.Fatal(err)
	}
	again := decide(t, db, inputs) // the stored inputs re-derive the decision
	again.ID, d.ID = 0, 0
	if diff := cmp.Diff(d, again); diff != "" {
		t.Errorf("re-derived decision (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(d, &report); diff != "" {
		t.Errorf("stored report (-want +got):\n%s", diff)
	}
}

func TestDecide_Runs(t *testing.T) {
	t.Run("LatestWithBoth", func(t *testing.T) {
		db := mustOpenDB(t)
		putRuns(t, db, "old", "both", "newest")
		write(t, db, suite("old", golden, 5, 1, perfect))
		write(t, db, suite("old", hacker, 5, 1, func(int, int) (bool, float64, []option) { return false, 0, nil }))
		write(t, db, append(suite("both", golden, 5, 1, perfect), suite("both", hacker, 5, 1, perfect)...))
		write(t, db, suite("newest", golden, 5, 1, perfect))
		d := decide(t, db, quick("golden", "tag-hacker"))
		if diff := cmp.Diff([]string{"both"}, d.Runs); diff != "" || d.Verdict != gate.Pass {
			t.Errorf("verdict %s; runs (-want +got):\n%s", d.Verdict, diff)
		}
	})
	t.Run("SkipsRunsWithoutBoth", func(t *testing.T) {
		// The newer run holds two versions of golden and no tag-hacker: it
		// is passed over, not read as an ambiguous golden.
		db := mustOpenDB(t)
		putRuns(t, db, "hack", "versions")
		write(t, db, append(suite("hack", golden, 5, 1, perfect), suite("hack", hacker, 5, 1, perfect)...))
		write(t, db, append(suite("versions", golden, 5, 1, perfect), suite("versions", "golden@1.1.0", 5, 1, perfect)...))
		d := decide(t, db, quick("golden", "tag-hacker"))
		if diff := cmp.Diff([]string{"hack"}, d.Runs); diff != "" || d.Verdict != gate.Pass {
			t.Errorf("verdict %s %q; runs (-want +got):\n%s", d.Verdict, d.Reasons, diff)
		}
	})
	t.Run("AcrossRuns", func(t *testing.T) {
		// Production played last night, the candidate today: the slots
		// pair across the two runs.
		db := mustOpenDB(t)
		putRuns(t, db, "nightly", "today")
		write(t, db, suite("nightly", golden, 8, 1, perfect))
		write(t, db, suite("today", hacker, 8, 1, perfect))
		cfg := quick("golden", "tag-hacker")
		cfg.Runs = []string{"nightly", "today"}
		if d := decide(t, db, cfg); d.Verdict != gate.Pass || d.Pairs != 8 {
			t.Errorf("decision %s, %d pairs; want pass on 8", d.Verdict, d.Pairs)
		}
	})
	t.Run("ErrUnknownRun", func(t *testing.T) {
		db := mustOpenDB(t)
		cfg := quick("golden", "tag-hacker")
		cfg.Runs = []string{"nope"}
		_, err := gate.Decide(t.Context(), db, cfg)
		var ce *gate.ConfigError
		if !errors.As(err, &ce) || ce.Field != "runs" || !strings.Contains(err.Error(), `no run "nope"`) {
			t.Fatalf("err = %v, want a ConfigError on runs", err)
		}
	})
}

func TestDecide_Versions(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1")
	write(t, db, append(suite("r1", golden, 5, 1, perfect), suite("r1", "golden@1.1.0", 5, 1, perfect)...))
	write(t, db, suite("r1", "golden@2.0.0", 5, 1, perfect))
	d := decide(t, db, quick("golden@1.0.0", "golden@1.1.0"))
	if d.Baseline != golden || d.Candidate != "golden@1.1.0" || d.Verdict != gate.Pass {
		t.Errorf("decision %s vs %s: %s", d.Baseline, d.Candidate, d.Verdict)
	}
	_, err := gate.Decide(t.Context(), db, quick("golden", "golden@1.1.0"))
	var ce *gate.ConfigError
	if !errors.As(err, &ce) || ce.Field != "baseline" || !strings.Contains(err.Error(), "versions 1.0.0, 2.0.0") {
		t.Fatalf("err = %v, want the ambiguous baseline named with its versions", err)
	}
}

func TestConfig_Errors(t *testing.T) {
	db := mustOpenDB(t)
	tests := []struct {
		name  string
		cfg   gate.Config
		field string
	}{
		{"NoBaseline", gate.Config{Candidate: "b"}, "baseline"},
		{"NoCandidate", gate.Config{Baseline: "a"}, "candidate"},
		{"SameBuild", gate.Config{Baseline: "a", Candidate: "a"}, "candidate"},
		{"NegativeMargin", gate.Config{Baseline: "a", Candidate: "b", Margin: -0.1}, "margin"},
		{"AlphaTooLarge", gate.Config{Baseline: "a", Candidate: "b", Alpha: 0.7}, "alpha"},
		{"FewResamples", gate.Config{Baseline: "a", Candidate: "b", Resamples: 10}, "resamples"},
		{"BadPower", gate.Config{Baseline: "a", Candidate: "b", Power: 1}, "power"},
		{"BadMetricMargin", gate.Config{Baseline: "a", Candidate: "b", Margins: map[string]float64{"score": math.NaN()}}, "margins"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gate.Decide(t.Context(), db, tt.cfg)
			var ce *gate.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field {
				t.Fatalf("err = %v, want a ConfigError on %s", err, tt.field)
			}
		})
	}
	if stored, err := db.GateDecisions(t.Context(), 0); err != nil || len(stored) != 0 {
		t.Errorf("bad configs stored %d decisions (%v), want none", len(stored), err)
	}
}
