package calibrate_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/transcript"
)

func TestReadLabels(t *testing.T) {
	in := `{"item":"a","criterion":"tone","rater":"ann","kind":"human","label":4.0}

{"item":"a","criterion":"tone","rater":"bob","kind":"robot","label":4}
{"item":"b","criterion":"tone","rater":"ann","kind":"human","label":"warm"}
{"item":"c","criterion":"tone","rater":"ann","kind":"human","label":true}
`
	got, bad, err := calibrate.ReadLabels(strings.NewReader(in), "l.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	want := []calibrate.Label{
		{Item: "a", Criterion: "tone", Rater: "ann", Kind: "human", Value: "4", Line: 1},
		{Item: "b", Criterion: "tone", Rater: "ann", Kind: "human", Value: "warm", Line: 4},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if len(bad) != 2 || bad[0].Line != 3 || bad[1].Line != 5 || !errors.Is(bad[0], calibrate.ErrBadLabel) ||
		!strings.HasPrefix(bad[1].Error(), "l.jsonl:5: bad label: field \"label\"") {
		t.Fatalf("bad = %v, want lines 3 and 5", bad)
	}
	var out bytes.Buffer
	if err := calibrate.WriteLabels(&out, got); err != nil {
		t.Fatal(err)
	}
	back, bad, _ := calibrate.ReadLabels(&out, "again")
	for i := range back {
		back[i].Line = want[i].Line
	}
	if diff := cmp.Diff(want, back); diff != "" || len(bad) > 0 {
		t.Errorf("round trip (-want +got):\n%s%v", diff, bad)
	}
}

func TestScaleOf(t *testing.T) {
	rub := judges.DefaultRubric()
	for id, want := range map[string]string{"helpfulness": "ordinal:1,2,3,4,5", "hallucination": "nominal:0,1"} {
		c, ok := calibrate.Criterion(rub, id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		if got := calibrate.ScaleOf(c).String(); got != want {
			t.Errorf("ScaleOf(%s) = %s, want %s", id, got, want)
		}
	}
	if got := calibrate.ScaleOf(judges.Criterion{Scale: judges.Scale{Min: 0, Max: 0.5}}); got.Kind != agreement.Interval {
		t.Errorf("a fractional range is %v, want interval", got)
	}
}

func TestCheck(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v1 := calibrate.Identity{Judge: "llm:m", Model: "m", PromptVersion: "judge/1", RubricVersion: "rubric/1"}
	v2 := v1
	v2.PromptVersion = "judge/2"
	records := []calibrate.Record{
		{Identity: v1, Criterion: "tone", Passed: true, At: t0},
		{Identity: v1, Criterion: "helpfulness", Passed: true, At: t0},
		{Identity: v1, Criterion: "helpfulness", Passed: false, At: t0.Add(time.Hour)},
	}
	tests := []struct {
		name     string
		id       calibrate.Identity
		crit     string
		wantErr  string
		wantFail bool
	}{
		{"Calibrated", v1, "tone", "", false},
		{"NewestFailed", v1, "helpfulness", "failed its last calibration", true},
		{"PromptChanged", v2, "tone", "its prompt version changed (judge/1 → judge/2)", false},
		{"Never", v1, "hallucination", "was never calibrated", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := calibrate.Check(tt.id, tt.crit, records)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Check = %v, want nil", err)
				}
				return
			}
			var ue *calibrate.UncalibratedError
			if !errors.As(err, &ue) || !errors.Is(err, calibrate.ErrUncalibrated) || ue.Failed != tt.wantFail || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("Check = %v, want an UncalibratedError saying %q", err, tt.wantErr)
			}
		})
	}
}

func TestConversationEvidence(t *testing.T) {
	// The fixture shop's own logs: evidence whose replayed calls are clean.
	c := exampleConversation(t)
	ev, v, err := calibrate.ConversationEvidence(c)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Card == nil || len(ev.Steps) == 0 || len(ev.Calls) == 0 || len(v.Findings) != 0 {
		t.Fatalf("evidence: card %v, %d steps, %d calls, findings %v", ev.Card != nil, len(ev.Steps), len(ev.Calls), v.Findings)
	}
	// Every logged call replays on the fixture with the result the log
	// recorded: the bundled logs were generated on that shop.
	var logged []string
	for _, m := range c.Messages {
		if m.Role == transcript.RoleTool {
			logged = append(logged, m.Content)
		}
	}
	if len(logged) != len(ev.Calls) {
		t.Fatalf("%d calls replayed, the log holds %d results", len(ev.Calls), len(logged))
	}
	for i, call := range ev.Calls {
		if call.Code != "" || string(call.Result) != logged[i] {
			t.Errorf("call %d (%s): result %s, code %q; the log says %s", call.Seq, call.Tool, call.Result, call.Code, logged[i])
		}
	}
}
