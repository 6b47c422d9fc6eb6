package transcript_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/merchantarena/merchantarena/transcript"
)

func addSeeds(f *testing.F, files ...string) {
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// fuzzRead reads data as format; it fails on anything but a clean result
// or a format mismatch, and checks every conversation's Source.
func fuzzRead(t *testing.T, data []byte, format string) *transcript.Log {
	const name = "fuzz.log"
	l, err := transcript.Read(bytes.NewReader(data), name, transcript.Options{Format: format})
	if errors.Is(err, transcript.ErrFormat) {
		return nil
	}
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	last := 1 // records of one-line documents share a line
	for _, c := range l.Conversations {
		s := c.Source
		if s.File != name || s.Format != format || s.Line < last || s.Line > lines {
			t.Fatalf("%s: source %+v; want file %s, format %s, a line in [%d, %d]", c.ID, s, name, format, last, lines)
		}
		last = s.Line
	}
	for _, p := range l.Problems {
		if p.File != name || p.Line < 0 || p.Line > lines || p.Err == nil {
			t.Fatalf("problem %+v; want file %s and a line in [0, %d]", p, name, lines)
		}
	}
	return l
}

func dropped(l *transcript.Log) int {
	n := 0
	for _, p := range l.Problems {
		if p.Dropped {
			n++
		}
	}
	return n
}

func FuzzReadJSONL(f *testing.F) {
	addSeeds(f, "testdata/mixed.jsonl")
	f.Add([]byte("\xef\xbb\xbf{\"messages\":[]}\r\n\r\n{\"id\":1,\"messages\":[{\"role\":\"tool\"}]}"))
	f.Add([]byte(`{"messages":[{"role":"assistant","tool_calls":[{"id":"a","function":{"name":"f","arguments":"{\"x\":"}}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := fuzzRead(t, data, transcript.FormatJSONL)
		if l == nil {
			return
		}
		// Every non-blank line is one conversation or one dropped record.
		lines := 0
		for _, line := range bytes.Split(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), []byte("\n")) {
			if len(bytes.Trim(line, " \t\r")) > 0 {
				lines++
			}
		}
		if got := len(l.Conversations) + dropped(l); got != lines {
			t.Fatalf("%d conversations + %d dropped = %d; want %d non-blank lines", len(l.Conversations), dropped(l), got, lines)
		}
	})
}

func FuzzReadTauBench(f *testing.F) {
	addSeeds(f, "testdata/tau-bench-small.json")
	f.Add([]byte(`[{"task_id":1,"trial":0,"traj":[{"role":"user","content":"hi"}]},{"task_id":1,"trial":0,"traj":[]}]`))
	f.Add([]byte("[\n{\"traj\":[{\"role\":\"tool\",\"tool_call_id\":\"x\"}]},\n,{\"traj\":5}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := fuzzRead(t, data, transcript.FormatTauBench)
		var elems []json.RawMessage
		if l == nil || json.Unmarshal(data, &elems) != nil {
			return
		}
		// In a valid array every element is loaded or dropped.
		if got := len(l.Conversations) + dropped(l); got != len(elems) {
			t.Fatalf("%d conversations + %d dropped; want %d elements", len(l.Conversations), dropped(l), len(elems))
		}
	})
}

func FuzzReadTau2(f *testing.F) {
	addSeeds(f, "testdata/tau2-small.json")
	f.Add([]byte(`{"tasks":[{"id":"1"}],"simulations":[{"id":"s","task_id":"1","messages":[{"role":"tool","id":"c"}]},{"id":"s","messages":[]}]}`))
	f.Add([]byte(`{"simulations":[{"id":"a","messages":[]}],"Simulations":[]}`))
	f.Add([]byte("{\"info\":{\"environment_info\":{\"tool_defs\":[{\"name\":\"f\"}]}},\n\"simulations\":[{\"messages\":[]},]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l := fuzzRead(t, data, transcript.FormatTau2Bench)
		// A map, not a struct: encoding/json matches struct fields without
		// regard to case, the importer (rightly) does not.
		var doc map[string]json.RawMessage
		var sims []json.RawMessage
		if l == nil || json.Unmarshal(data, &doc) != nil || json.Unmarshal(doc["simulations"], &sims) != nil {
			return
		}
		if got := len(l.Conversations) + dropped(l); got != len(sims) {
			t.Fatalf("%d conversations + %d dropped; want %d simulations", len(l.Conversations), dropped(l), len(sims))
		}
	})
}
