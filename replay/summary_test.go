package replay_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/replay"
)

// fiveTrials: two identical successes, two with the tag changed (one a
// success), one that never tags (a failure).
func fiveTrials() (replay.Play, []replay.Play) {
	orig := replay.Play{Conversation: shop(`["vip"]`), Success: boolp(true)}
	noTag := shop(`["vip"]`)
	noTag.Messages = append(noTag.Messages[:6:6], noTag.Messages[8:]...) // drop the update call and its result
	plays := []replay.Play{
		{Conversation: shop(`["vip"]`), Success: boolp(true)},
		{Conversation: shop(`["VIP"]`), Success: boolp(false)},
		{Conversation: shop(`["vip"]`), Success: boolp(true)},
		{Conversation: noTag, Success: boolp(false)},
		{Conversation: shop(`["VIP"]`), Success: boolp(true)},
	}
	return orig, plays
}

func TestSummarize(t *testing.T) {
	orig, plays := fiveTrials()
	r := replay.NewReport(orig, "verbatim")
	s := r.Add("tag-hacker@1.0.0", plays).Summary
	rate := 0.6
	want := replay.Summary{
		Trials: 5, Identical: 2, Judged: 5, Successes: 3, SuccessRate: &rate,
		PassK: []replay.PassAtK{{K: 1, P: 0.6}, {K: 2, P: 0.3}, {K: 3, P: 0.1}, {K: 4, P: 0}, {K: 5, P: 0}},
		Kinds: []replay.KindCount{
			{Kind: "argument:update_customer.add_tags", Trials: 2, Rate: 0.4, Occurrences: 2},
			{Kind: "missing_call:update_customer", Trials: 1, Rate: 0.2, Occurrences: 1},
		},
		First: []replay.FirstCount{
			{Turn: 2, Kind: "argument:update_customer.add_tags", Trials: 2, Rate: 0.4},
			{Turn: 2, Kind: "missing_call:update_customer", Trials: 1, Rate: 0.2},
		},
	}
	if diff := cmp.Diff(want, s, cmpopts.EquateApprox(0, 1e-12)); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if f := s.MostCommonFirst(); f == nil || f.Kind != "argument:update_customer.add_tags" {
		t.Errorf("most common first divergence %+v", f)
	}
	t.Run("NoVerdictsNoRates", func(t *testing.T) {
		s := replay.Summarize([]replay.Diff{replay.Compare(orig, replay.Play{Conversation: shop(`["vip"]`)})})
		if s.SuccessRate != nil || s.PassK != nil || s.Identical != 1 {
			t.Errorf("summary %+v; want no success rate or pass^k without verdicts", s)
		}
	})
}

func report(t *testing.T) *replay.Report {
	t.Helper()
	orig, plays := fiveTrials()
	plays[1].Findings = []judges.Finding{{Rule: "hack.tag", Kind: judges.KindTagHacking, Gate: true, Turn: 2,
		Tool: "update_customer", Message: "tags | stand in for a field"}}
	r := replay.NewReport(orig, "verbatim")
	r.Add("golden@1.0.0", plays[:1])
	r.Add("tag-hacker@1.0.0", plays[1:])
	return r
}

func TestWriteText(t *testing.T) {
	r := report(t)
	for _, width := range []int{60, 120} {
		var b bytes.Buffer
		if err := replay.WriteText(&b, r, replay.TextOptions{Width: width, AllTrials: true}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for i, l := range strings.Split(out, "\n") {
			if n := utf8.RuneCountInString(l); n > width {
				t.Errorf("width %d: line %d has %d characters: %q", width, i+1, n, l)
			}
		}
		if width < 120 {
			continue
		}
		for _, want := range []string{
			"replay of shop-1 (verbatim)",
			"build tag-hacker@1.0.0",
			`» turn 2: call update_customer: arguments.add_tags[0]: want "vip" got`,
			"finding tag_hacking (update_customer) [gate]",
			"most common first divergence: turn 2 argument:update_customer.add_tags (2/4 trials)",
			"success 2/4 (50%), pass^1 0.50, pass^2 0.17",
		} {
			if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
				t.Errorf("width %d: output lacks %q:\n%s", width, want, out)
			}
		}
	}
}

func TestWriteMarkdown(t *testing.T) {
	var b bytes.Buffer
	if err := replay.WriteMarkdown(&b, report(t)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"## Build `tag-hacker@1.0.0`",
		"| `argument:update_customer.add_tags` | 2/4 | 50% | 2 |",
		"|  | ~ | `update_customer({\"add_tags\":[\"vip\"],\"customer_id\":\"cus_1002\"})` | `update_customer({\"add_tags\":[\"VIP\"],\"customer_id\":\"cus_1002\"})` |",
		`tags \| stand in for a field`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	for i, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "|") && strings.Count(strings.ReplaceAll(l, `\|`, ""), "|") != 5 && !strings.HasPrefix(l, "| divergence") && !strings.HasPrefix(l, "| `") && !strings.HasPrefix(l, "|---:|---") {
			t.Errorf("line %d is not a four-column row: %q", i+1, l)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	r := report(t)
	var b bytes.Buffer
	if err := replay.WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	var back replay.Report
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	// The first divergence points into Divergences; compare it by value.
	opts := cmp.Options{cmpopts.IgnoreUnexported(replay.Report{}, replay.Call{}), cmpopts.EquateEmpty()}
	if diff := cmp.Diff(r, &back, opts); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	if !strings.Contains(b.String(), `"kind": "argument:update_customer.add_tags"`) {
		t.Errorf("JSON lacks the divergence kind:\n%s", b.String())
	}
}
