package examples

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"

	"github.com/merchantarena/merchantarena/transcript"
)

//go:embed *.jsonl
var files embed.FS

// FS returns the bundled conversation files, one JSONL file per skill area,
// at the root of the file system.
func FS() fs.FS { return files }

// Files returns the names of the bundled JSONL files, sorted.
func Files() []string {
	names, err := fs.Glob(files, "*.jsonl")
	if err != nil {
		// The pattern is a constant and valid; Glob fails only on a bad one.
		panic(fmt.Sprintf("examples: glob: %v", err))
	}
	sort.Strings(names)
	return names
}

// Conversations reads every bundled file with transcript.Read and returns
// their conversations, file by file in Files order and in file order within
// each. The data is embedded and checked by this package's tests, so any
// problem the importer reports is an error here, naming file and line.
func Conversations() ([]transcript.Conversation, error) {
	var out []transcript.Conversation
	for _, name := range Files() {
		convs, err := read(name)
		if err != nil {
			return nil, err
		}
		out = append(out, convs...)
	}
	return out, nil
}

func read(name string) ([]transcript.Conversation, error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read example %s: %w", name, err)
	}
	defer f.Close() // embedded and read-only: closing cannot fail usefully
	log, err := transcript.Read(f, name, transcript.Options{Format: transcript.FormatJSONL})
	if err != nil {
		return nil, fmt.Errorf("read example %s: %w", name, err)
	}
	if len(log.Problems) > 0 {
		errs := make([]error, len(log.Problems))
		for i, p := range log.Problems {
			errs[i] = p
		}
		return nil, fmt.Errorf("read example %s: %w", name, errors.Join(errs...))
	}
	return log.Conversations, nil
}
