package transcript_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/merchantarena/merchantarena/transcript"
)

func TestRead_DetectFormat(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"JSONL", `{"id":"a","messages":[]}` + "\n" + `{"id":"b","messages":[]}`, transcript.FormatJSONL},
		{"JSONLAfterBlankLinesAndBOM", "\xef\xbb\xbf\n  \n" + `{"messages":[]}`, transcript.FormatJSONL},
		{"JSONLBrokenFirstLine", `{"id":"a","messages":[` + "\n" + `{"id":"b","messages":[]}`, transcript.FormatJSONL},
		{"TauBench", "[\n  {\"task_id\": 1, \"traj\": []}\n]", transcript.FormatTauBench},
		{"Tau2", "{\n \"info\": {},\n \"simulations\": []\n}", transcript.FormatTau2Bench},
		{"Tau2OnOneLine", `{"info":{},"simulations":[]}`, transcript.FormatTau2Bench},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := transcript.Read(strings.NewReader(tt.in), "in", transcript.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if l.Format != tt.want {
				t.Errorf("format %q; want %q", l.Format, tt.want)
			}
		})
	}
}

func TestReadFile_DetectFormat(t *testing.T) {
	files := []struct{ path, want string }{
		{"testdata/mixed.jsonl", transcript.FormatJSONL},
		{"testdata/tau-bench-small.json", transcript.FormatTauBench},
		{"testdata/tau2-small.json", transcript.FormatTau2Bench},
		{"shared:tau2-bench/retail/sft-openai.jsonl", transcript.FormatJSONL},
		{"shared:tau-bench/airline/trajectories-gpt-4o.json", transcript.FormatTauBench},
		{"shared:tau2-bench/retail/results-gpt-4.1-40sims.json", transcript.FormatTau2Bench},
	}
	for _, f := range files {
		t.Run(f.path, func(t *testing.T) {
			path := f.path
			if rel, ok := strings.CutPrefix(path, "shared:"); ok {
				path = sharedData(t, rel)
			}
			if l := mustRead(t, path, transcript.Options{}); l.Format != f.want {
				t.Errorf("format %q; want %q", l.Format, f.want)
			}
		})
	}
}

func TestRead_ErrFormat(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name, in, format string
		wantText         []string
	}{
		{"UnknownName", "{}", "csv", []string{`"csv"`, "jsonl, tau-bench, tau2-bench"}},
		{"TauBenchReadAsTau2", read("testdata/tau-bench-small.json"), transcript.FormatTau2Bench,
			[]string{"as tau2-bench", "looks like tau-bench", "try --format tau-bench"}},
		{"Tau2ReadAsJSONL", read("testdata/tau2-small.json"), transcript.FormatJSONL,
			[]string{"as jsonl", "looks like tau2-bench", "try --format tau2-bench"}},
		{"JSONLReadAsTauBench", read("testdata/mixed.jsonl"), transcript.FormatTauBench,
			[]string{"as tau-bench", "looks like jsonl", "try --format jsonl"}},
		{"Undetectable", `"just a string"`, "", []string{"cannot detect", "jsonl, tau-bench, tau2-bench", "try --format"}},
		{"Empty", "", "", []string{"cannot detect", "empty", "try --format"}},
		{"ArrayOfOtherRecords", `[{"convo_id": 1}]`, "", []string{"cannot detect", `"traj"`, "try --format"}},
		{"ObjectWithoutSimulations", `{"info": {}}` + "\n", transcript.FormatTau2Bench, []string{"as tau2-bench", `no "simulations"`}},
		{"ObjectReadAsTauBench", `{"info": {}}`, transcript.FormatTauBench, []string{"as tau-bench", "want a JSON array"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := transcript.Read(strings.NewReader(tt.in), "log.json", transcript.Options{Format: tt.format})
			if !errors.Is(err, transcript.ErrFormat) {
				t.Fatalf("Read = %v, %v; want an ErrFormat error", l, err)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if !strings.Contains(err.Error(), "log.json") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestRead_ExplicitFormatTrusted(t *testing.T) {
	// The broken first line does not prove JSONL, but the caller said so:
	// it is one dropped record and the rest loads.
	in := `{"id":"a","messages":[` + "\n" + `{"id":"b","messages":[]}` + "\n"
	l, err := transcript.Read(strings.NewReader(in), "x.jsonl", transcript.Options{Format: transcript.FormatJSONL})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Conversations) != 1 || len(l.Problems) != 1 || !l.Problems[0].Dropped {
		t.Errorf("%d conversations, problems %v; want b loaded and line 1 dropped", len(l.Conversations), l.Problems)
	}
}
