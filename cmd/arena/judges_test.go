package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/arena/gate"
	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/llm/llmtest"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/transcript"
)

const exampleLabels = "../../examples/labels/experts.jsonl"

func TestJudges_Agreement(t *testing.T) {
	r := run(t, t.Context(), nil, "judges", "agreement", "--labels", exampleLabels, "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var got struct {
		Criteria map[string]map[string]json.RawMessage `json:"criteria"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	for _, c := range []string{"helpfulness", "hallucination"} {
		rep := got.Criteria[c]
		var alpha map[string]*float64
		var pairs []map[string]any
		var judgesRep map[string]map[string]json.RawMessage
		var ceiling map[string]any
		if json.Unmarshal(rep["krippendorff_alpha"], &alpha) != nil || json.Unmarshal(rep["pairs"], &pairs) != nil ||
			json.Unmarshal(rep["judges"], &judgesRep) != nil || json.Unmarshal(rep["ceiling"], &ceiling) != nil || rep["fleiss_kappa"] == nil {
			t.Fatalf("criteria.%s lacks a key of the issue: %s", c, r.stdout)
		}
		for _, k := range []string{"nominal", "ordinal", "interval"} {
			if alpha[k] == nil {
				t.Errorf("criteria.%s.krippendorff_alpha.%s is null", c, k)
			}
		}
		if len(pairs) != 6 {
			t.Errorf("criteria.%s.pairs has %d pairs, want 6 (4 raters)", c, len(pairs))
		}
		for _, k := range []string{"a", "b", "exact_agreement", "cohen_kappa", "linear_kappa", "quadratic_kappa", "kendall_tau_b", "spearman", "pearson"} {
			if _, ok := pairs[0][k]; !ok {
				t.Errorf("criteria.%s.pairs[0] lacks %q", c, k)
			}
		}
		var alt struct{ Passed bool }
		if json.Unmarshal(judgesRep["llm:gpt-4.1-mini"]["alt_test"], &alt) != nil || !alt.Passed || ceiling["mean_kappa"] == nil {
			t.Errorf("criteria.%s: judge %v, ceiling %v; want the example judge to pass and a ceiling", c, judgesRep, ceiling)
		}
	}
	table := run(t, t.Context(), nil, "judges", "agreement", "--labels", exampleLabels, "--criterion", "helpfulness")
	for _, want := range []string{"Criterion helpfulness (ordinal:1,2,3,4,5): 37 items", "Human ceiling", "alt_winning_rate", "pass"} {
		if table.code != 0 || !strings.Contains(table.stdout, want) {
			t.Errorf("table lacks %q (exit %d):\n%s%s", want, table.code, table.stdout, table.stderr)
		}
	}
	if strings.Contains(table.stdout, "hallucination") {
		t.Errorf("--criterion helpfulness printed another criterion:\n%s", table.stdout)
	}
}

var criterionRE = regexp.MustCompile(`Criterion: (\S+)`)

// fakeJudge answers each judgement with the example file's judge label for
// the conversation the request shows, found by its first merchant message.
func fakeJudge(t *testing.T) *llmtest.Server {
	t.Helper()
	f, err := os.Open(exampleLabels)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	labels, _, err := calibrate.ReadLabels(f, exampleLabels)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, l := range labels {
		if l.Kind == calibrate.KindJudge {
			want[l.Item+"/"+l.Criterion] = l.Value
		}
	}
	convs, err := examples.Conversations()
	if err != nil {
		t.Fatal(err)
	}
	return llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
		crit := criterionRE.FindStringSubmatch(r.Messages[0].Content)
		item := ""
		for _, c := range convs {
			if first := firstMerchant(c); first != "" && strings.Contains(r.Messages[1].Content, first) && len(first) > len(item) {
				item = c.ID
			}
		}
		v, ok := want[item+"/"+crit[1]]
		if crit == nil || !ok {
			t.Errorf("request %d: no label for item %q", r.N, item)
			return llmtest.Status(400)
		}
		return llmtest.JSON(map[string]any{"score": json.Number(v), "rationale": "as labelled", "cited_turns": []int{}})
	})
}

func firstMerchant(c transcript.Conversation) string {
	for _, m := range c.Messages {
		if m.Role == transcript.RoleUser {
			return m.Content
		}
	}
	return ""
}

// judgedRun records a run whose LLM judge (test-model, prompt prompt)
// scored helpfulness and hallucination for two builds that play alike.
func judgedRun(t *testing.T, path, id, prompt string, start time.Time) {
	t.Helper()
	db, err := results.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := fmt.Sprintf(`{"path":{"judges":"procedural/1+rubric/1+%s:%s"}}`, prompt, llmtest.TestModel)
	if err := db.PutRun(t.Context(), results.Run{ID: id, StartedAt: start, Mode: "simulate", Config: json.RawMessage(cfg)}); err != nil {
		t.Fatal(err)
	}
	var ss []results.Session
	for p := range 12 {
		for _, build := range []string{"golden", "golden@1.1.0"} {
			name, version, _ := strings.Cut(build, "@")
			if version == "" {
				version = "1.0.0"
			}
			score := 0.8
			ss = append(ss, results.Session{
				Key:    results.SessionKey{Run: id, Persona: fmt.Sprintf("p%02d", p), Candidate: name, Version: version},
				Status: results.StatusOK, Success: true, RawScore: &score, GatedScore: &score, Turns: 2, StartedAt: start,
				Scores: []results.Score{
					{Judge: "llm", Criterion: "helpfulness", Score: 0.75, Gated: 0.75, Version: "rubric/1+" + prompt},
					{Judge: "llm", Criterion: "hallucination", Score: 1, Gated: 1, Version: "rubric/1+" + prompt},
				},
			})
		}
	}
	if err := db.WriteSessions(t.Context(), ss); err != nil {
		t.Fatal(err)
	}
}

func TestJudges_CalibrateThenGate(t *testing.T) {
	srv := fakeJudge(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	env := map[string]string{"OPENAI_BASE_URL": srv.URL}
	judgedRun(t, db, "run-a", "judge/1", time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	gateArgs := []string{"gate", "--db", db, "--baseline", "golden@1.0.0", "--candidate", "golden@1.1.0", "--require-calibrated", "--resamples", "200"}

	before := run(t, t.Context(), env, append(gateArgs, "--run", "run-a")...)
	if before.code != 2 || !strings.Contains(before.stderr, "criterion hallucination: judge llm:test-model (model test-model, prompt judge/1, rubric rubric/1) was never calibrated") {
		t.Fatalf("gate before calibration: exit %d, want 2 naming the judge\n%s", before.code, before.stderr)
	}
	if v := lastVerdict(t, db); v != gate.Undecided {
		t.Fatalf("the refused decision is stored as %q, want %q", v, gate.Undecided)
	}

	cal := run(t, t.Context(), env, "judges", "calibrate", "--labels", exampleLabels, "--db", db, "--model", llmtest.TestModel)
	if cal.code != 0 {
		t.Fatalf("calibrate: exit %d\n%s%s", cal.code, cal.stdout, cal.stderr)
	}
	if got := srv.Count(); got != 2*37 {
		t.Errorf("%d judge requests, want one per item and criterion (74)", got)
	}
	for _, want := range []string{"helpfulness", "hallucination", "passed", "llm:test-model (model test-model, prompt judge/1, rubric rubric/1)"} {
		if !strings.Contains(cal.stdout, want) {
			t.Errorf("calibrate output lacks %q:\n%s", want, cal.stdout)
		}
	}
	exp := run(t, t.Context(), nil, "labels", "export", "--db", db, "--kind", "judge")
	if n := strings.Count(exp.stdout, `"rater":"llm:test-model"`); n != 74 {
		t.Errorf("%d stored labels of the calibrated judge, want 74", n)
	}

	ok := run(t, t.Context(), env, append(gateArgs, "--run", "run-a")...)
	if ok.code != 0 || lastVerdict(t, db) != gate.Pass {
		t.Fatalf("gate after calibration: exit %d, want 0 and a stored pass\n%s%s", ok.code, ok.stdout, ok.stderr)
	}

	// The judge's prompt changes: the next run is scored by judge/2, which
	// no calibration vouches for.
	judgedRun(t, db, "run-b", "judge/2", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	changed := run(t, t.Context(), env, append(gateArgs, "--run", "run-b")...)
	if changed.code != 2 || !strings.Contains(changed.stderr, "judge llm:test-model is uncalibrated: its prompt version changed (judge/1 → judge/2)") {
		t.Fatalf("gate after the prompt changed: exit %d, want 2 naming the change\n%s", changed.code, changed.stderr)
	}

	// Calibrating the new prompt vouches for it again.
	env[promptVersionEnv] = "judge/2"
	if r := run(t, t.Context(), env, "judges", "calibrate", "--db", db, "--model", llmtest.TestModel); r.code != 0 {
		t.Fatalf("calibrate judge/2: exit %d\n%s", r.code, r.stderr)
	}
	if r := run(t, t.Context(), env, append(gateArgs, "--run", "run-b")...); r.code != 0 {
		t.Fatalf("gate after calibrating judge/2: exit %d\n%s", r.code, r.stderr)
	}
}

func TestJudges_Sensitivity(t *testing.T) {
	dir := t.TempDir()
	r := run(t, t.Context(), nil, "judges", "sensitivity", "--references", "golden,tag-hacker", "--db", filepath.Join(dir, "s.db"),
		"--data-dir", filepath.Join(dir, "nats"), "--format", "json")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var rep arena.SensitivityReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	hacked := rep.Defects["tag_hacking"].Sessions
	if hacked == 0 || rep.Defects["none"].Sessions == 0 {
		t.Fatalf("defects = %+v, want tag-hacking sessions and golden's", rep.Defects)
	}
	if got := rep.Judges["procedural:tag_hacking"]["tag_hacking"]; got != hacked {
		t.Errorf("procedural:tag_hacking caught %d of %d tag-hacking sessions", got, hacked)
	}
	if got := rep.Judges["procedural:any"]["none"]; got != 0 {
		t.Errorf("procedural judges flagged %d golden sessions", got)
	}
}

// lastVerdict is the verdict of the newest decision stored in the file.
func lastVerdict(t *testing.T, path string) string {
	t.Helper()
	db, err := results.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ds, err := db.GateDecisions(t.Context(), 1)
	if err != nil || len(ds) != 1 {
		t.Fatalf("stored decisions %+v (%v)", ds, err)
	}
	return ds[0].Verdict
}
