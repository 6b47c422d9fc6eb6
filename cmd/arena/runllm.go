package main

import (
	"bytes"
	"flag"
	"os"
	"slices"
	"time"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
)

// simulateTurnTimeout is the default turn timeout when LLM agents play: a
// turn with several model calls takes seconds, not milliseconds.
const simulateTurnTimeout = 60 * time.Second

// runPath is what --mode and the environment make of a run.
type runPath struct {
	mode       string
	llm        *llm.Config
	simulators []string
	rubric     string // YAML, checked
}

// llmPath picks the run's path: simulate when an endpoint is configured
// (or asked for), offline otherwise; it raises the turn timeout's default
// for LLM builds.
func (c *RunCommand) llmPath(fs *flagSet, lf *llmFlags, mode, rubricPath string, temp float64, turnTimeout *time.Duration) (runPath, error) {
	configured := llmConfigured(c.m.Getenv)
	switch mode {
	case "":
		mode = arena.ModeOffline
		if configured {
			mode = arena.ModeSimulate
		}
	case arena.ModeOffline, arena.ModeSimulate:
	default:
		return runPath{}, usageErrorf("--mode %q: use offline or simulate", mode).try("arena run --help")
	}
	if mode == arena.ModeOffline {
		return runPath{mode: mode}, nil
	}
	if !configured {
		return runPath{}, usageErrorf("--mode simulate needs an LLM endpoint").
			try("export OPENAI_BASE_URL=http://127.0.0.1:8000/v1 (any OpenAI-compatible server) or OPENAI_API_KEY=…")
	}
	if temp < 0 || temp > 2 {
		return runPath{}, usageErrorf("--merchant-temperature %g: use 0 to 2", temp)
	}
	cfg, err := lf.config(c.m.Getenv)
	if err != nil {
		return runPath{}, err
	}
	p := runPath{mode: mode, llm: &cfg, simulators: lf.simulatorModels()}
	if rubricPath != "" {
		if p.rubric, err = readRubric(rubricPath); err != nil {
			return runPath{}, err
		}
	}
	if !flagGiven(fs, "turn-timeout") {
		*turnTimeout = simulateTurnTimeout
	}
	return p, nil
}

// checkReferences refuses LLM agents on the offline path.
func (p runPath) checkReferences(names []string) error {
	if p.mode != arena.ModeOffline {
		return nil
	}
	for _, n := range names {
		if slices.Contains(arena.AgentNames(), n) {
			return usageErrorf("--references %s: the LLM agents need an LLM endpoint", n).
				try("export OPENAI_BASE_URL=… (or OPENAI_API_KEY), or drop " + n)
		}
	}
	return nil
}

// readRubric reads and checks a rubric; jobs carry its text to workers.
func readRubric(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", usageErrorf("--rubric: %v", err)
	}
	if _, err := judges.LoadRubric(bytes.NewReader(data), path); err != nil {
		return "", usageErrorf("--rubric: %v", err).try("start from judges/rubric/default.yaml")
	}
	return string(data), nil
}

// flagGiven reports whether the named flag was given on the command line.
func flagGiven(fs *flagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
