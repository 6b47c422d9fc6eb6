package labels

import (
	"embed"
	"io/fs"
)

// Example is the name of the bundled labelled example in FS.
const Example = "experts.jsonl"

//go:embed *.jsonl
var files embed.FS

// FS returns the bundled label files, at the root of the file system.
func FS() fs.FS { return files }
