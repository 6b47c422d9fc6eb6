package transcript_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/transcript"
)

// The tests below read the public sample logs and compare what the importer
// loaded with an independent count made here by decoding the same bytes
// generically (map[string]any), so that no message, tool call or tool
// result can go missing unnoticed.

// rawCount is the independent count of one file.
type rawCount struct {
	stats transcript.Stats
	// fingerprints[i][j] describes message j of conversation i.
	fingerprints [][]string
}

// rawShape says where a format keeps what the count needs.
type rawShape struct {
	conversations func(t *testing.T, data []byte) [][]any // messages of each conversation
	callName      func(tc map[string]any) string
	resultCallID  func(m map[string]any) string
}

func TestReadFile_SharedData(t *testing.T) {
	openAI := func(tc map[string]any) string { return str(tc["function"].(map[string]any)["name"]) }
	tests := []struct {
		name, rel     string
		conversations int
		shape         rawShape
	}{
		{"Tau2Results", "tau2-bench/retail/results-gpt-4.1-40sims.json", 40, rawShape{
			conversations: func(t *testing.T, data []byte) [][]any {
				var doc map[string]any
				decode(t, data, &doc)
				return messagesOf(doc["simulations"].([]any), "messages")
			},
			callName:     func(tc map[string]any) string { return str(tc["name"]) },
			resultCallID: func(m map[string]any) string { return str(m["id"]) },
		}},
		{"TauBenchTrajectories", "tau-bench/airline/trajectories-gpt-4o.json", 200, rawShape{
			conversations: func(t *testing.T, data []byte) [][]any {
				var doc []any
				decode(t, data, &doc)
				return messagesOf(doc, "traj")
			},
			callName:     openAI,
			resultCallID: func(m map[string]any) string { return str(m["tool_call_id"]) },
		}},
		{"OpenAIFineTuning", "tau2-bench/retail/sft-openai.jsonl", 34, rawShape{
			conversations: func(t *testing.T, data []byte) [][]any {
				var recs []any
				for _, line := range bytes.Split(data, []byte("\n")) {
					if len(bytes.TrimSpace(line)) > 0 {
						var rec any
						decode(t, line, &rec)
						recs = append(recs, rec)
					}
				}
				return messagesOf(recs, "messages")
			},
			callName:     openAI,
			resultCallID: func(m map[string]any) string { return str(m["tool_call_id"]) },
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := sharedData(t, tt.rel)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := count(tt.shape.conversations(t, data), tt.shape)
			l := mustRead(t, path, transcript.Options{Strict: true})
			if len(l.Conversations) != tt.conversations {
				t.Errorf("%d conversations; want %d", len(l.Conversations), tt.conversations)
			}
			if diff := cmp.Diff(want.stats, l.Stats()); diff != "" {
				t.Errorf("stats against the independent count (-want +got):\n%s", diff)
			}
			got := fingerprints(l)
			for i := range min(len(got), len(want.fingerprints)) {
				if diff := cmp.Diff(want.fingerprints[i], got[i]); diff != "" {
					t.Errorf("conversation %d (%s) messages (-want +got):\n%s", i, l.Conversations[i].ID, diff)
				}
			}
			checkLinks(t, l)
			checkSources(t, l, path)
		})
	}
}

// count tallies messages, calls and results of raw conversations.
func count(convs [][]any, shape rawShape) rawCount {
	s := transcript.Stats{MessagesByRole: map[string]int{}, ToolCallsByName: map[string]int{}}
	var fps [][]string
	for _, msgs := range convs {
		s.Conversations++
		open := map[string]bool{}
		var fp []string
		for _, raw := range msgs {
			m := raw.(map[string]any)
			role := str(m["role"])
			s.Messages++
			s.MessagesByRole[role]++
			calls, _ := m["tool_calls"].([]any)
			if len(calls) > 1 {
				s.ParallelCallMessages++
			}
			line := role
			for _, c := range calls {
				tc := c.(map[string]any)
				s.ToolCalls++
				s.ToolCallsByName[shape.callName(tc)]++
				open[str(tc["id"])] = true
				line += " call " + str(tc["id"]) + " " + shape.callName(tc)
			}
			switch role {
			case "user":
				s.MerchantTurns++
			case "assistant":
				s.AssistantMessages++
			case "tool":
				s.ToolResults++
				if m["error"] == true {
					s.ToolErrors++
				}
				id := shape.resultCallID(m)
				if !open[id] {
					s.OrphanResults++
				}
				delete(open, id)
				line += " result " + id
			}
			fp = append(fp, line)
		}
		s.UnansweredCalls += len(open)
		fps = append(fps, fp)
	}
	return rawCount{stats: s, fingerprints: fps}
}

// fingerprints describes the loaded messages the way count describes raw ones.
func fingerprints(l *transcript.Log) [][]string {
	var out [][]string
	for _, c := range l.Conversations {
		var fp []string
		for _, m := range c.Messages {
			line := string(m.Role)
			for _, tc := range m.ToolCalls {
				line += " call " + tc.ID + " " + tc.Function.Name
			}
			if m.Role == transcript.RoleTool {
				line += " result " + m.ToolCallID
			}
			fp = append(fp, line)
		}
		out = append(out, fp)
	}
	return out
}

// checkLinks fails unless every tool result answers an earlier call of the
// same tool and every call is answered.
func checkLinks(t *testing.T, l *transcript.Log) {
	t.Helper()
	for _, c := range l.Conversations {
		open := map[string]string{}
		for i, m := range c.Messages {
			for _, tc := range m.ToolCalls {
				open[tc.ID] = tc.Function.Name
			}
			if m.Role != transcript.RoleTool {
				continue
			}
			name, ok := open[m.ToolCallID]
			if !ok || name != m.Name || m.Name == "" {
				t.Errorf("%s message %d: result for %q named %q answers no open call of that tool", c.ID, i, m.ToolCallID, m.Name)
			}
			delete(open, m.ToolCallID)
		}
		if len(open) > 0 {
			t.Errorf("%s: calls never answered: %v", c.ID, open)
		}
	}
}

func checkSources(t *testing.T, l *transcript.Log, path string) {
	t.Helper()
	last := 0
	for _, c := range l.Conversations {
		if c.Source.File != path || c.Source.Format != l.Format || c.Source.Line <= last {
			t.Errorf("%s: source %+v; want file %s, format %s, a line after %d", c.ID, c.Source, path, l.Format, last)
		}
		last = c.Source.Line
	}
}

func messagesOf(recs []any, key string) [][]any {
	var out [][]any
	for _, r := range recs {
		msgs, _ := r.(map[string]any)[key].([]any)
		out = append(out, msgs)
	}
	return out
}

func decode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("independent decode: %v", err)
	}
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
