package gate_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/stats"
)

const (
	golden = "golden@1.0.0"
	hacker = "tag-hacker@1.0.0"
)

// quick keeps the bootstrap small: the tests check wiring and rules, not
// the bootstrap's precision.
func quick(base, cand string) gate.Config {
	return gate.Config{Baseline: base, Candidate: cand, Resamples: 1000, Seed: 7}
}

func decide(t *testing.T, db *results.DB, cfg gate.Config) *gate.Decision {
	t.Helper()
	d, err := gate.Decide(t.Context(), db, cfg)
	if err != nil {
		t.Fatalf("Decide: %v", err)
	}
	return d
}

func TestDecide_Pass(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1")
	write(t, db, append(suite("r1", golden, 40, 1, perfect), suite("r1", "golden@1.1.0", 40, 1, perfect)...))
	d := decide(t, db, quick("golden", "golden@1.1.0"))
	if d.Verdict != gate.Pass || len(d.Reasons) != 0 {
		t.Fatalf("verdict %s %q, want pass with no reason", d.Verdict, d.Reasons)
	}
	if d.Baseline != golden || d.Candidate != "golden@1.1.0" || d.Pairs != 40 || d.Personas != 40 || d.Missing != 0 {
		t.Errorf("decision = %s vs %s, %d pairs over %d personas, %d missing; want golden@1.0.0 vs golden@1.1.0, 40, 40, 0",
			d.Baseline, d.Candidate, d.Pairs, d.Personas, d.Missing)
	}
	var names []string
	for _, m := range d.Metrics {
		names = append(names, m.Name)
		if !m.Pass || m.Diff != 0 || m.Lower != 0 {
			t.Errorf("metric %+v: want a pass with no difference", m)
		}
	}
	if diff := cmp.Diff([]string{"success", "score"}, names); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if d.Simulator != "verbatim" || d.TooSmall {
		t.Errorf("simulator %q, too small %v; want verbatim, false", d.Simulator, d.TooSmall)
	}
}

// hackerSuite is golden against a tag-hacker that hacks personas 0..14 of
// 37, failing them, and states an ungrounded fact in 0..11.
func hackerSuite(t *testing.T, db *results.DB) {
	putRuns(t, db, "r1")
	write(t, db, suite("r1", golden, 37, 1, perfect))
	write(t, db, suite("r1", hacker, 37, 1, func(p, _ int) (bool, float64, []option) {
		var kinds []string
		if p < 15 {
			kinds = append(kinds, "tag_hacking")
		}
		if p < 12 {
			kinds = append(kinds, "hallucinated_fact")
		}
		if len(kinds) > 0 {
			return false, 0.25, []option{hacks(kinds...)}
		}
		return true, 1, nil
	}))
}

func TestDecide_Block(t *testing.T) {
	db := mustOpenDB(t)
	hackerSuite(t, db)
	d := decide(t, db, quick("golden", "tag-hacker"))
	if d.Verdict != gate.Block {
		t.Fatalf("verdict %s, want block: %q", d.Verdict, d.Reasons)
	}
	want := []string{
		"success fell 1.000 → 0.595",
		"score fell 1.000 → 0.696",
		"stage-1 failure rate rose 0.00 → 0.41 (15 of 37 pairs)",
		"hallucinated_fact rate rose 0.00 → 0.32 (12 of 37 pairs)",
		"tag_hacking rate rose 0.00 → 0.41 (15 of 37 pairs)",
	}
	if len(d.Reasons) != len(want) {
		t.Fatalf("reasons %q, want the %d failing checks", d.Reasons, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(d.Reasons[i], w) {
			t.Errorf("reason %d = %q, want it to start %q", i, d.Reasons[i], w)
		}
	}
	if !strings.Contains(d.Reasons[0], "95% lower bound") || !strings.Contains(d.Reasons[0], "(37 pairs, 37 personas)") {
		t.Errorf("success reason lacks its bound and counts: %q", d.Reasons[0])
	}
	for _, h := range d.Hard {
		if h.Name == gate.CheckErrors && !h.Pass {
			t.Errorf("error check failed with no error: %+v", h)
		}
	}
}

func TestDecide_CandidateErrorsEverywhere(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1")
	write(t, db, suite("r1", golden, 20, 1, perfect))
	write(t, db, suite("r1", "crashy@1.0.0", 20, 1, func(int, int) (bool, float64, []option) {
		return false, 0, []option{status(results.StatusError)}
	}))
	d := decide(t, db, quick(golden, "crashy"))
	if d.Verdict != gate.Block || !slicesContain(d.Reasons, "error+timeout rate rose 0.00 → 1.00 (20 of 20 pairs)") {
		t.Fatalf("verdict %s %q, want block naming the error rate", d.Verdict, d.Reasons)
	}
}

func TestDecide_SimulatorMismatch(t *testing.T) {
	t.Run("UndecidedWhenNoPair", func(t *testing.T) {
		db := mustOpenDB(t)
		putRuns(t, db, "r1")
		write(t, db, suite("r1", golden, 10, 1, func(p, _ int) (bool, float64, []option) {
			return true, 1, []option{simulator("gpt-a", int64(p))}
		}))
		write(t, db, suite("r1", hacker, 10, 1, func(p, _ int) (bool, float64, []option) {
			return true, 1, []option{simulator("gpt-b", int64(p))}
		}))
		d := decide(t, db, quick("golden", "tag-hacker"))
		if d.Verdict != gate.Undecided || d.Pairs != 0 || d.Missing != 10 || d.MissingReasons[gate.MissingSimulator] != 10 {
			t.Fatalf("decision %s, %d pairs, missing %v; want undecided, 0 pairs, 10 for different simulators",
				d.Verdict, d.Pairs, d.MissingReasons)
		}
		r := strings.Join(d.Reasons, "\n")
		for _, want := range []string{"no usable pair", "baseline gpt-a (merchant/1), candidate gpt-b (merchant/1)", "never compares across simulators"} {
			if !strings.Contains(r, want) {
				t.Errorf("reason lacks %q:\n%s", want, r)
			}
		}
	})
	t.Run("MismatchedSlotsLeftOut", func(t *testing.T) {
		db := mustOpenDB(t)
		putRuns(t, db, "r1")
		write(t, db, suite("r1", golden, 10, 1, func(p, _ int) (bool, float64, []option) {
			return true, 1, []option{simulator("gpt-a", int64(p))}
		}))
		// Personas 0 and 1 got another seed for the candidate: a worse
		// score there must not count.
		write(t, db, suite("r1", hacker, 10, 1, func(p, _ int) (bool, float64, []option) {
			if p < 2 {
				return false, 0, []option{simulator("gpt-a", 100+int64(p))}
			}
			return true, 1, []option{simulator("gpt-a", int64(p))}
		}))
		d := decide(t, db, quick("golden", "tag-hacker"))
		if d.Verdict != gate.Pass || d.Pairs != 8 || d.MissingReasons[gate.MissingSimulator] != 2 || d.Simulator != "gpt-a (merchant/1)" {
			t.Fatalf("decision %s %q, %d pairs, missing %v, simulator %q; want pass on 8 pairs, 2 missing, gpt-a",
				d.Verdict, d.Reasons, d.Pairs, d.MissingReasons, d.Simulator)
		}
	})
}

func TestDecide_SimulatorFaultsDropped(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1")
	// The merchant spoiled personas 0..3: once on the baseline's side,
	// once on the candidate's. The candidate's failures there are the
	// merchant's doing and leave both sides.
	write(t, db, suite("r1", golden, 20, 1, func(p, _ int) (bool, float64, []option) {
		if p < 2 {
			return true, 1, []option{fault()}
		}
		return true, 1, nil
	}))
	write(t, db, suite("r1", hacker, 20, 1, func(p, _ int) (bool, float64, []option) {
		switch {
		case p < 2:
			return false, 0, nil
		case p < 4:
			return false, 0, []option{fault(), status(results.StatusError)}
		}
		return true, 1, nil
	}))
	d := decide(t, db, quick("golden", "tag-hacker"))
	if d.Verdict != gate.Pass || d.Faults != 4 || d.Pairs != 16 || d.Personas != 16 || d.AllPersonas != 20 {
		t.Fatalf("decision %s %q: %d faults, %d pairs, %d of %d personas; want pass, 4, 16, 16 of 20",
			d.Verdict, d.Reasons, d.Faults, d.Pairs, d.Personas, d.AllPersonas)
	}
}

func TestDecide_McNemar(t *testing.T) {
	t.Run("OneTrial", func(t *testing.T) {
		db := mustOpenDB(t)
		putRuns(t, db, "r1")
		// Discordant pairs: personas 0..4 only the baseline succeeds (b = 5),
		// persona 5 only the candidate (c = 1).
		write(t, db, suite("r1", golden, 30, 1, func(p, _ int) (bool, float64, []option) { return p != 5, 1, nil }))
		write(t, db, suite("r1", hacker, 30, 1, func(p, _ int) (bool, float64, []option) { return p >= 5, 1, nil }))
		d := decide(t, db, quick("golden", "tag-hacker"))
		// Binomial(6, 1/2): P(X ≥ 5) = 7/64; two-sided twice that.
		want := &gate.McNemar{B: 5, C: 1, P: 14.0 / 64, PWorse: 7.0 / 64}
		if diff := cmp.Diff(want, d.McNemar, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
			t.Errorf("McNemar (-want +got):\n%s", diff)
		}
	})
	t.Run("NoneWithTrials", func(t *testing.T) {
		db := mustOpenDB(t)
		putRuns(t, db, "r1")
		write(t, db, append(suite("r1", golden, 10, 2, perfect), suite("r1", hacker, 10, 2, perfect)...))
		if d := decide(t, db, quick("golden", "tag-hacker")); d.McNemar != nil {
			t.Errorf("McNemar = %+v with two trials per persona, want none", d.McNemar)
		}
	})
}

func TestDecide_Power(t *testing.T) {
	// Six personas whose success differs at random: far too few to see a
	// drop of 0.02.
	noisy := func(seed int) func(p, tr int) (bool, float64, []option) {
		return func(p, tr int) (bool, float64, []option) {
			ok := (p*7+tr*3+seed)%3 != 0
			return ok, b2f(ok), nil
		}
	}
	t.Run("TooSmall", func(t *testing.T) {
		db := mustOpenDB(t)
		putRuns(t, db, "r1")
		write(t, db, append(suite("r1", golden, 6, 3, noisy(0)), suite("r1", hacker, 6, 3, noisy(1))...))
		d := decide(t, db, quick("golden", "tag-hacker"))
		mde, ok := d.MinDetectable["success"]
		if !d.TooSmall || !ok || mde <= 0.02 {
			t.Fatalf("too small %v, min detectable %v; want a warning with a detectable drop above 0.02", d.TooSmall, d.MinDetectable)
		}
		// The same number from stats directly: bootstrap SE of the
		// per-persona differences, then (z_0.95 + z_0.8)·SE.
		a, b := noisy(0), noisy(1)
		var diffs [][]float64
		for p := range 6 {
			var c []float64
			for tr := range 3 {
				x, _, _ := a(p, tr)
				y, _, _ := b(p, tr)
				c = append(c, b2f(y)-b2f(x))
			}
			diffs = append(diffs, c)
		}
		se := stats.Bootstrap{Resamples: 1000, Seed: 7}.StdErr(diffs)
		if want := stats.MinDetectable(se, 0.05, 0.8); math.Abs(want-mde) > 1e-12 {
			t.Errorf("min detectable %v, want %v", mde, want)
		}
		note := strings.Join(d.Notes, "\n")
		if !strings.Contains(note, "too small a suite") || !strings.Contains(note, "the smallest drop they could detect is, for success (margin 0.020): ") {
			t.Errorf("notes lack the power warning:\n%s", note)
		}
	})
	t.Run("LargeEnough", func(t *testing.T) {
		db := mustOpenDB(t)
		putRuns(t, db, "r1")
		write(t, db, append(suite("r1", golden, 200, 1, perfect), suite("r1", hacker, 200, 1, func(p, _ int) (bool, float64, []option) {
			return p != 0, b2f(p != 0), nil // one failure in 200
		})...))
		d := decide(t, db, quick("golden", "tag-hacker"))
		if d.TooSmall {
			t.Errorf("too small with 200 personas: %v %q", d.MinDetectable, d.Notes)
		}
	})
}

func TestDecide_LowerBoundFromBootstrap(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1")
	score := func(build, p, tr int) float64 { return float64((p*13+tr*5+build*3)%10) / 10 }
	write(t, db, suite("r1", golden, 25, 2, func(p, tr int) (bool, float64, []option) { return true, score(0, p, tr), nil }))
	write(t, db, suite("r1", hacker, 25, 2, func(p, tr int) (bool, float64, []option) { return true, score(1, p, tr), nil }))
	d := decide(t, db, gate.Config{Baseline: golden, Candidate: hacker, Resamples: 2000, Seed: 11, Alpha: 0.1, Margins: map[string]float64{"score": 0.5}})
	var diffs [][]float64
	for p := range 25 {
		diffs = append(diffs, []float64{score(1, p, 0) - score(0, p, 0), score(1, p, 1) - score(0, p, 1)})
	}
	mean, lower := stats.Bootstrap{Resamples: 2000, Seed: 11}.LowerBound(diffs, 0.1)
	m := d.Metrics[1]
	if m.Name != "score" || math.Abs(m.Diff-mean) > 1e-12 || math.Abs(m.Lower-lower) > 1e-12 || m.Margin != 0.5 {
		t.Fatalf("score metric %+v, want diff %v lower %v margin 0.5", m, mean, lower)
	}
	if m.Pass != (lower > -0.5) {
		t.Errorf("pass = %v with lower %v and margin 0.5", m.Pass, lower)
	}
}

func TestDecide_Margins(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1")
	write(t, db, suite("r1", golden, 30, 1, perfect))
	write(t, db, suite("r1", hacker, 30, 1, func(int, int) (bool, float64, []option) { return true, 0.97, nil }))
	if d := decide(t, db, quick(golden, hacker)); d.Verdict != gate.Block || len(d.Reasons) != 1 ||
		!strings.HasPrefix(d.Reasons[0], "score fell 1.000 → 0.970: B-A -0.030, 95% lower bound -0.030 is not above -0.020") {
		t.Errorf("default margin: %s %q, want block on score alone", d.Verdict, d.Reasons)
	}
	cfg := quick(golden, hacker)
	cfg.Margins = map[string]float64{"score": 0.05, "helpfulnes": 0.1}
	d := decide(t, db, cfg)
	if d.Verdict != gate.Pass {
		t.Errorf("score margin 0.05: %s %q, want pass", d.Verdict, d.Reasons)
	}
	if !slicesContain(d.Notes, `margin helpfulnes=0.1 names no metric of this comparison (success, score)`) {
		t.Errorf("notes %q lack the unknown margin", d.Notes)
	}
}

func TestDecide_Criteria(t *testing.T) {
	db := mustOpenDB(t)
	putRuns(t, db, "r1")
	write(t, db, suite("r1", golden, 10, 1, func(p, _ int) (bool, float64, []option) {
		return true, 1, []option{criteria(map[string]float64{"helpfulness": 1, "tone": 0.75, "merchant_fidelity": 1})}
	}))
	write(t, db, suite("r1", hacker, 10, 1, func(p, _ int) (bool, float64, []option) {
		c := map[string]float64{"helpfulness": 0.5, "merchant_fidelity": 0}
		if p < 5 {
			c["tone"] = 0.75 // tone judged on half the candidate's sessions
		}
		return true, 1, []option{criteria(c)}
	}))
	d := decide(t, db, quick("golden", "tag-hacker"))
	got := map[string]gate.Metric{}
	for _, m := range d.Metrics {
		got[m.Name] = m
	}
	if _, ok := got["merchant_fidelity"]; ok {
		t.Error("merchant_fidelity, which judges the merchant, became a metric of the build")
	}
	if h := got["helpfulness"]; h.Pass || h.Diff != -0.5 || h.Pairs != 10 {
		t.Errorf("helpfulness %+v, want a failing drop of 0.5 over 10 pairs", h)
	}
	if tone := got["tone"]; !tone.Pass || tone.Pairs != 5 || tone.Personas != 5 {
		t.Errorf("tone %+v, want a pass over the 5 pairs judged on both sides", tone)
	}
	if d.Verdict != gate.Block || len(d.Reasons) != 1 || !strings.HasPrefix(d.Reasons[0], "helpfulness fell 1.000 → 0.500") {
		t.Errorf("verdict %s %q, want block on helpfulness", d.Verdict, d.Reasons)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func slicesContain(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
