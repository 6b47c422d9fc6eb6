package examples_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/examples"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/sandbox"
	"github.com/merchantarena/merchantarena/transcript"
)

// The skills the bundled data must cover, each in at least one goal.
var requiredSkills = []string{"customer_lookup", "customer_segmentation", "product_seo", "product_edits",
	"orders", "discounts", "sales_questions"}

func TestConversations_Coverage(t *testing.T) {
	convs := mustConversations(t)
	if len(convs) < 22 {
		t.Errorf("%d conversations; want at least 22", len(convs))
	}
	skills := map[string]int{}
	for _, c := range convs {
		for _, s := range c.Skills() {
			skills[s]++
		}
		for _, key := range []string{"shop", "tone", "expertise", "role"} {
			if c.Text(key) == "" {
				t.Errorf("%s: metadata %q missing", c.ID, key)
			}
		}
		if len(c.Skills()) == 0 {
			t.Errorf("%s: no skills", c.ID)
		}
	}
	for _, s := range requiredSkills {
		if skills[s] == 0 {
			t.Errorf("no conversation covers skill %s", s)
		}
	}
	if len(skills) < 7 {
		t.Errorf("%d skills; want at least 7", len(skills))
	}
}

func TestConversations_Tools(t *testing.T) {
	want := sandbox.Tools()
	wantJSON, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range mustConversations(t) {
		// Comparing the encodings first keeps the test fast; cmp explains
		// a difference.
		if got, err := json.Marshal(c.Tools); err == nil && bytes.Equal(got, wantJSON) {
			continue
		}
		t.Errorf("%s: tools differ from sandbox.Tools() (-want +got):\n%s", c.ID, cmp.Diff(want, c.Tools))
	}
}

// TestConversations_Replay replays every logged call on a fresh fixture
// and compares what the sandbox answers with what the log says it answered.
func TestConversations_Replay(t *testing.T) {
	for _, c := range mustConversations(t) {
		calls, _ := replay(c)
		logged := results(c)
		if len(calls) == 0 {
			t.Errorf("%s: no tool calls", c.ID)
		}
		for _, rec := range calls {
			m, ok := logged[rec.CallID]
			switch {
			case !ok:
				t.Errorf("%s: call %s (%s) has no logged result", c.ID, rec.CallID, rec.Tool)
			case m.Error != (rec.Error != ""):
				t.Errorf("%s: call %s (%s): logged error %v, replay error %q", c.ID, rec.CallID, rec.Tool, m.Error, rec.Error)
			case m.Error && m.Content != rec.Error:
				t.Errorf("%s: call %s (%s): error (-logged +replay):\n%s", c.ID, rec.CallID, rec.Tool, cmp.Diff(m.Content, rec.Error))
			case !m.Error && !jsonEqual([]byte(m.Content), rec.Result):
				t.Errorf("%s: call %s (%s): result differs from the sandbox's:\n%s", c.ID, rec.CallID, rec.Tool, cmp.Diff(m.Content, string(rec.Result)))
			}
		}
	}
}

// TestConversations_Personas checks that the heuristic extractor reads the
// data as written: one goal per skill entry, clarifying answers as facts,
// and for every goal that used tools something a judge can check.
func TestConversations_Personas(t *testing.T) {
	multi, withFacts := 0, 0
	for _, c := range mustConversations(t) {
		card, err := personas.Extract(c)
		if err != nil {
			t.Fatal(err)
		}
		skills := orderedSkills(c)
		if len(skills) > 1 && len(card.Goals) != len(skills) {
			t.Errorf("%s: %d goals %v; metadata lists %d skills", c.ID, len(card.Goals), requests(card), len(skills))
		}
		if len(card.Goals) >= 2 {
			multi++
		}
		if len(card.Facts) > 0 {
			withFacts++
		}
		for _, g := range card.Goals {
			if g.Skill == "" {
				t.Errorf("%s: goal %s has no skill", c.ID, g.ID)
			}
			if len(g.ExpectedActions) > 0 && len(g.ExpectedOutputs) == 0 && !hasWrite(g) {
				t.Errorf("%s: goal %s (%q) uses tools but has neither expected outputs nor a write", c.ID, g.ID, g.Request)
			}
		}
	}
	if multi < 8 {
		t.Errorf("%d cards with two or more goals; want at least 8", multi)
	}
	if withFacts < 6 {
		t.Errorf("%d cards with facts (answered clarifying questions); want at least 6", withFacts)
	}
}

func orderedSkills(c transcript.Conversation) []string {
	var out []string
	if list, ok := c.Metadata["skills"].([]any); ok {
		for _, s := range list {
			out = append(out, fmt.Sprint(s))
		}
	}
	return out
}

func requests(card personas.Card) []string {
	var out []string
	for _, g := range card.Goals {
		out = append(out, g.Request)
	}
	return out
}

func hasWrite(g personas.Goal) bool {
	return slices.ContainsFunc(g.ExpectedActions, func(a personas.Action) bool { return sandbox.IsWrite(a.Tool) })
}

// TestConversations_Variety checks the mix the data promises: parallel
// calls, read-only and writing conversations, refused calls, sign-offs,
// and no two conversations of the same shape.
func TestConversations_Variety(t *testing.T) {
	shapes := map[string]string{}
	var parallel, readOnly, writes, refusals, signOffs int
	for _, c := range mustConversations(t) {
		sh := shape(c)
		if other, ok := shapes[sh]; ok {
			t.Errorf("%s has the same shape as %s: %s", c.ID, other, sh)
		}
		shapes[sh] = c.ID
		var wrote, par bool
		for _, m := range c.Messages {
			par = par || len(m.ToolCalls) > 1
			wrote = wrote || slices.ContainsFunc(m.ToolCalls, func(tc transcript.ToolCall) bool { return sandbox.IsWrite(tc.Function.Name) })
			if m.Error {
				refusals++
			}
		}
		if par {
			parallel++
		}
		if wrote {
			writes++
		} else {
			readOnly++
		}
		if signsOff(c) {
			signOffs++
		}
	}
	for name, got := range map[string]int{"parallel": parallel, "read-only": readOnly, "writing": writes, "refused-call": refusals, "sign-off": signOffs} {
		if got < 2 {
			t.Errorf("%d %s conversations; want at least 2", got, name)
		}
	}
}

// shape is the sequence of roles and tool names of a conversation; a
// merchant message that answers the assistant's question counts apart from
// one that asks for something.
func shape(c transcript.Conversation) string {
	var parts []string
	asked := false
	for _, m := range c.Messages {
		switch {
		case m.Role == transcript.RoleTool || m.Role == transcript.RoleSystem:
		case len(m.ToolCalls) > 0:
			var names []string
			for _, tc := range m.ToolCalls {
				names = append(names, tc.Function.Name)
			}
			parts = append(parts, "call("+strings.Join(names, ",")+")")
		case m.Role == transcript.RoleUser && asked:
			parts = append(parts, "answer")
		default:
			parts = append(parts, string(m.Role))
		}
		if m.Role == transcript.RoleAssistant && m.Content != "" {
			asked = strings.HasSuffix(strings.TrimSpace(m.Content), "?")
		}
	}
	return strings.Join(parts, " ")
}

var signOffRE = regexp.MustCompile(`(?i)\b(thanks|thank you|that's all|perfect)\b`)

func signsOff(c transcript.Conversation) bool {
	var last string
	for _, m := range c.Messages {
		if m.Role == transcript.RoleUser {
			last = m.Content
		}
	}
	return len(last) < 40 && signOffRE.MatchString(last)
}

func TestFiles(t *testing.T) {
	names := examples.Files()
	if len(names) == 0 || !slices.IsSorted(names) {
		t.Fatalf("Files() = %v; want sorted, non-empty", names)
	}
	seen := 0
	for _, c := range mustConversations(t) {
		if !slices.Contains(names, c.Source.File) || c.Source.Line < 1 {
			t.Errorf("%s: source %+v is not a line of a bundled file", c.ID, c.Source)
		}
		if c.Source.Line == 1 {
			seen++
		}
	}
	if seen != len(names) {
		t.Errorf("%d files start with a conversation; want all %d", seen, len(names))
	}
}
