package transcript_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/merchantarena/merchantarena/transcript"
)

func TestReadFile_JSONL(t *testing.T) {
	const path = "testdata/mixed.jsonl"
	l := mustRead(t, path, transcript.Options{})

	t.Run("OtherLinesLoad", func(t *testing.T) {
		want := []string{"c1", "mixed.jsonl:4", "c6", "c7", "c8", "mixed.jsonl:10"}
		if diff := cmp.Diff(want, ids(l)); diff != "" {
			t.Errorf("conversation IDs (-want +got):\n%s", diff)
		}
		var lines []int
		for _, c := range l.Conversations {
			lines = append(lines, c.Source.Line)
			if c.Source.File != path || c.Source.Format != transcript.FormatJSONL {
				t.Errorf("%s: source %+v; want file %s, format jsonl", c.ID, c.Source, path)
			}
		}
		if diff := cmp.Diff([]int{1, 4, 6, 7, 8, 10}, lines); diff != "" {
			t.Errorf("source lines (-want +got):\n%s", diff)
		}
	})

	t.Run("ProblemsNameFileAndLine", func(t *testing.T) {
		want := []problem{
			{Line: 3, Dropped: true, Kind: "syntax"},
			{Line: 5, Record: "c5", Dropped: true, Kind: "field"},
			{Line: 6, Record: "c6", Kind: "unknown-role"},
			{Line: 7, Record: "c7", Kind: "orphan"},
			{Line: 8, Record: "c8", Kind: "arguments"},
			{Line: 8, Record: "c8", Kind: "unanswered"},
		}
		if diff := cmp.Diff(want, problems(l)); diff != "" {
			t.Errorf("problems (-want +got):\n%s", diff)
		}
		for _, p := range l.Problems {
			prefix := path + ":" + strconv.Itoa(p.Line) + ": "
			if !strings.HasPrefix(p.Error(), prefix) {
				t.Errorf("error %q does not start with %q", p.Error(), prefix)
			}
		}
	})

	t.Run("ContentPartsAndObjectArgumentsNormalised", func(t *testing.T) {
		want := []transcript.Message{
			{Role: transcript.RoleUser, Content: "Find Ava\nand Bo."},
			{Role: transcript.RoleAssistant, ToolCalls: []transcript.ToolCall{
				{ID: "a", Type: "function", Function: transcript.FunctionCall{Name: "search_customers", Arguments: `{"query":"name = 'Ava'"}`}},
				{ID: "b", Type: "function", Function: transcript.FunctionCall{Name: "search_customers", Arguments: `{"query":"name = 'Bo'"}`}},
			}},
			{Role: transcript.RoleTool, ToolCallID: "b", Name: "search_customers", Content: `{"count":1}`},
			{Role: transcript.RoleTool, ToolCallID: "a", Name: "search_customers", Content: `{"count":2}`},
			{Role: transcript.RoleAssistant, Content: "Found both."},
		}
		if diff := cmp.Diff(want, l.Conversations[1].Messages); diff != "" {
			t.Errorf("messages (-want +got):\n%s", diff)
		}
	})

	t.Run("StringArgumentsCompacted", func(t *testing.T) {
		got := l.Conversations[0].Messages[2].ToolCalls[0].Function.Arguments
		if want := `{"query":"customer_city = 'Toronto'"}`; got != want {
			t.Errorf("arguments %s; want %s", got, want)
		}
	})

	t.Run("InvalidArgumentsKeptVerbatim", func(t *testing.T) {
		got := l.Conversations[4].Messages[1].ToolCalls[0].Function.Arguments
		if want := "{not json"; got != want {
			t.Errorf("arguments %q; want %q", got, want)
		}
	})

	t.Run("UnknownRoleKept", func(t *testing.T) {
		if got := l.Conversations[2].Messages[0].Role; got != "robot" {
			t.Errorf("role %q; want robot", got)
		}
	})

	t.Run("FineTuningLineMetadataAndTools", func(t *testing.T) {
		c := l.Conversations[5]
		if diff := cmp.Diff(map[string]any{"parallel_tool_calls": false}, c.Metadata); diff != "" {
			t.Errorf("metadata (-want +got):\n%s", diff)
		}
		if len(c.Tools) != 1 || c.Tools[0].Function.Name != "search_customers" || c.Tools[0].Type != "function" {
			t.Errorf("tools %+v; want the one search_customers function", c.Tools)
		}
	})
}

func TestReadFile_Strict(t *testing.T) {
	t.Run("FirstProblemIsFatal", func(t *testing.T) {
		l, err := transcript.ReadFile("testdata/mixed.jsonl", transcript.Options{Strict: true})
		var pe *transcript.ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("err = %v (log %v); want a *ParseError", err, l != nil)
		}
		if pe.File != "testdata/mixed.jsonl" || pe.Line != 3 || !pe.Dropped || !errors.Is(err, transcript.ErrSyntax) {
			t.Errorf("error %+v; want the syntax error of line 3", pe)
		}
	})
	t.Run("KeptProblemIsFatal", func(t *testing.T) {
		in := `{"id":"a","messages":[{"role":"user","content":"hi"}]}` + "\n" +
			`{"id":"b","messages":[{"role":"tool","tool_call_id":"x","content":"{}"}]}` + "\n"
		_, err := transcript.Read(strings.NewReader(in), "two.jsonl", transcript.Options{Strict: true})
		var pe *transcript.ParseError
		if !errors.As(err, &pe) || pe.Line != 2 || pe.Dropped || !errors.Is(err, transcript.ErrOrphanResult) {
			t.Errorf("err = %v; want the orphan result of line 2, not dropped", err)
		}
	})
	t.Run("CleanLogLoads", func(t *testing.T) {
		in := `{"id":"a","messages":[{"role":"user","content":"hi"}]}` + "\n"
		l, err := transcript.Read(strings.NewReader(in), "one.jsonl", transcript.Options{Strict: true})
		if err != nil || len(l.Conversations) != 1 {
			t.Errorf("Read = %v, %v; want one conversation", l, err)
		}
	})
}

func TestRead_JSONLRecords(t *testing.T) {
	tests := []struct {
		name, line string
		want       problem
	}{
		{"NotAnObject", `[1, 2]`, problem{Line: 1, Dropped: true, Kind: "field"}},
		{"NoMessages", `{"id": "x"}`, problem{Line: 1, Record: "x", Dropped: true, Kind: "field"}},
		{"MessagesNotArray", `{"id": "x", "messages": {}}`, problem{Line: 1, Record: "x", Dropped: true, Kind: "field"}},
		{"RoleMissing", `{"id": "x", "messages": [{"content": "hi"}]}`, problem{Line: 1, Record: "x", Dropped: true, Kind: "field"}},
		{"ContentNumber", `{"id": "x", "messages": [{"role": "user", "content": 5}]}`, problem{Line: 1, Record: "x", Dropped: true, Kind: "field"}},
		{"ImagePartLeftOut", `{"id": "x", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "u"}}]}]}`,
			problem{Line: 1, Record: "x", Kind: "content-part"}},
		{"ArgumentsArray", `{"id": "x", "messages": [{"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": "[1]"}}]}, {"role": "tool", "tool_call_id": "c", "content": ""}]}`,
			problem{Line: 1, Record: "x", Kind: "arguments"}},
		{"DuplicatePendingCallID", `{"id": "x", "messages": [{"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f"}}, {"id": "c", "function": {"name": "f"}}]}, {"role": "tool", "tool_call_id": "c"}, {"role": "tool", "tool_call_id": "c"}]}`,
			problem{Line: 1, Record: "x", Kind: "duplicate-call-id"}},
		{"ResultNamesOtherTool", `{"id": "x", "messages": [{"role": "assistant", "tool_calls": [{"id": "c", "function": {"name": "f"}}]}, {"role": "tool", "tool_call_id": "c", "name": "g"}]}`,
			problem{Line: 1, Record: "x", Kind: "tool-name"}},
		{"CallWithoutName", `{"id": "x", "messages": [{"role": "assistant", "tool_calls": [{"id": "c", "function": {"arguments": "{}"}}]}, {"role": "tool", "tool_call_id": "c"}]}`,
			problem{Line: 1, Record: "x", Kind: "field"}},
		{"BadTools", `{"id": "x", "messages": [], "tools": [{"type": "function", "function": {"description": "no name"}}]}`,
			problem{Line: 1, Record: "x", Dropped: true, Kind: "field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := transcript.Read(strings.NewReader(tt.line+"\n"), "one.jsonl", transcript.Options{Format: transcript.FormatJSONL})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]problem{tt.want}, problems(l)); diff != "" {
				t.Errorf("problems (-want +got):\n%s\n%v", diff, l.Problems)
			}
			if want := 1 - btoi(tt.want.Dropped); len(l.Conversations) != want {
				t.Errorf("%d conversations; want %d", len(l.Conversations), want)
			}
		})
	}
}

func TestRead_DuplicateIDs(t *testing.T) {
	in := strings.Repeat(`{"id":"same","messages":[]}`+"\n", 3)
	l, err := transcript.Read(strings.NewReader(in), "dup.jsonl", transcript.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"same", "same#2", "same#3"}, ids(l)); diff != "" {
		t.Errorf("IDs (-want +got):\n%s", diff)
	}
	want := []problem{{Line: 2, Record: "same#2", Kind: "duplicate-id"}, {Line: 3, Record: "same#3", Kind: "duplicate-id"}}
	if diff := cmp.Diff(want, problems(l)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestRead_LongLine(t *testing.T) {
	long := strings.Repeat("x", 1<<20) // far past bufio.Scanner's 64 KiB
	in := `{"id":"long","messages":[{"role":"user","content":"` + long + `"}]}` + "\n"
	l, err := transcript.Read(strings.NewReader(in), "long.jsonl", transcript.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Conversations) != 1 || len(l.Conversations[0].Messages[0].Content) != len(long) {
		t.Errorf("got %d conversations; want the one long message whole", len(l.Conversations))
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
