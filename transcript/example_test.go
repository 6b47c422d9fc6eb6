package transcript_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/merchantarena/merchantarena/transcript"
)

func ExampleRead() {
	log := `{"id":"t1","messages":[{"role":"user","content":"Which customers are in Toronto?"},` +
		`{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"search_customers","arguments":{"city":"Toronto"}}}]},` +
		`{"role":"tool","tool_call_id":"c1","content":"{\"count\":37}"},` +
		`{"role":"assistant","content":"37 customers."}]}
{"id":"t2","messages":[{"role":"user","content":"oops"}
`
	l, err := transcript.Read(strings.NewReader(log), "shop.jsonl", transcript.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := l.Conversations[0]
	fmt.Println(l.Format, c.ID, c.Source.Line, len(c.Messages))
	fmt.Println(c.Messages[1].ToolCalls[0].Function.Arguments, c.Messages[2].Name)
	for _, p := range l.Problems {
		fmt.Println(p.Dropped, p)
	}
	// Output:
	// jsonl t1 1 4
	// {"city":"Toronto"} search_customers
	// true shop.jsonl:2: column 56: invalid JSON: unexpected end of JSON input
}

func ExampleReadFile() {
	l, err := transcript.ReadFile("testdata/tau2-small.json", transcript.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range l.Conversations {
		fmt.Printf("%s line %d: %d messages, task %v\n", c.ID, c.Source.Line, len(c.Messages), c.Metadata["task_id"])
	}
	// Output:
	// sim-a line 29: 7 messages, task 7
	// sim-c line 58: 2 messages, task 8
}

func ExampleReadFile_strict() {
	_, err := transcript.ReadFile("testdata/mixed.jsonl", transcript.Options{Strict: true})
	var pe *transcript.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Line, pe.Dropped, errors.Is(err, transcript.ErrSyntax))
	}
	// Output:
	// 3 true true
}

func ExampleLog_Stats() {
	l, err := transcript.ReadFile("testdata/mixed.jsonl", transcript.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	s := l.Stats()
	fmt.Println(s.Conversations, s.MessagesByRole["user"], s.ToolCallsByName["search_customers"], s.ToolResults)
	fmt.Println(s.UnansweredCalls, s.OrphanResults, s.ProblemsDropped, s.ProblemsKept)
	// Output:
	// 6 6 4 4
	// 1 1 2 4
}

func ExampleFormats() {
	fmt.Println(transcript.Formats())
	// Output:
	// [jsonl tau-bench tau2-bench]
}
