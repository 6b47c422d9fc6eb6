package arena_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/results"
)

// sensitivityRun plays builds on the bundled examples into db and returns
// the run's ID.
func sensitivityRun(t *testing.T, db *results.DB, builds ...string) string {
	t.Helper()
	cfg := config(t, db)
	cfg.References, cfg.Candidates = builds, builds
	rep, err := arena.Execute(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return rep.Run.ID
}

func TestSensitivity(t *testing.T) {
	db := mustDB(t)
	convs := len(mustExamples(t))

	t.Run("TagHackingCaughtNoFalseAlarm", func(t *testing.T) {
		run := sensitivityRun(t, db, "golden", "tag-hacker")
		rep, err := arena.Sensitivity(t.Context(), db, run, false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Run != run {
			t.Errorf("Run = %q, want %q", rep.Run, run)
		}
		if diff := cmp.Diff(arena.DefectSessions{Sessions: convs, Builds: []string{"golden@1.0.0"}}, rep.Defects[arena.NoDefect]); diff != "" {
			t.Errorf("golden, the control, counts every session (-want +got):\n%s", diff)
		}
		hacked := rep.Defects["tag_hacking"]
		// tag-hacker changes only field filters: the conversations without
		// one play exactly as golden's and are left out.
		if hacked.Sessions == 0 || hacked.Sessions >= convs || !cmp.Equal(hacked.Builds, []string{"tag-hacker@1.0.0"}) {
			t.Fatalf("tag_hacking = %+v, want some but not all of %d sessions, of tag-hacker", hacked, convs)
		}
		if got := rep.Judges["procedural:tag_hacking"]["tag_hacking"]; got != hacked.Sessions {
			t.Errorf("procedural:tag_hacking caught %d of %d tag-hacking sessions", got, hacked.Sessions)
		}
		for judge, caught := range rep.Judges {
			if caught[arena.NoDefect] != 0 {
				t.Errorf("%s raised %d false alarms on golden", judge, caught[arena.NoDefect])
			}
		}
		if len(rep.Missed) != 0 {
			t.Errorf("Missed = %q, want none", rep.Missed)
		}
	})
	t.Run("WithoutGoldenEverySessionCounts", func(t *testing.T) {
		run := sensitivityRun(t, db, "tag-hacker")
		rep, err := arena.Sensitivity(t.Context(), db, run, false)
		if err != nil {
			t.Fatal(err)
		}
		hacked := rep.Defects["tag_hacking"]
		if hacked.Sessions != convs {
			t.Errorf("tag_hacking has %d sessions, want all %d: no golden to compare with", hacked.Sessions, convs)
		}
		// The sessions that never hacked a tag are now counted, and no
		// judge catches them.
		if diff := cmp.Diff([]string{"tag_hacking"}, rep.Missed); diff != "" {
			t.Errorf("Missed (-want +got):\n%s", diff)
		}
	})
	t.Run("UnknownRunIsEmpty", func(t *testing.T) {
		rep, err := arena.Sensitivity(t.Context(), db, "no-such-run", false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Defects) != 0 || len(rep.Judges) != 0 || len(rep.Missed) != 0 {
			t.Errorf("report of an unknown run = %+v, want empty", rep)
		}
	})
}
