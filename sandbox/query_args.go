package sandbox

import (
	"encoding/json"
	"maps"
	"slices"
)

// segmentQueryTools are the tools whose "query" argument is a segment query
// (search_products takes free text under the same name).
var segmentQueryTools = []string{"search_customers", "create_segment"}

// QueryArgument returns the segment query a call passes, if the tool takes
// one and the arguments hold a non-empty one.
func QueryArgument(tool string, args json.RawMessage) (string, bool) {
	if !slices.Contains(segmentQueryTools, tool) {
		return "", false
	}
	var a struct {
		Query *string `json:"query"`
	}
	if json.Unmarshal(args, &a) != nil || a.Query == nil || *a.Query == "" {
		return "", false
	}
	return *a.Query, true
}

// QueryEnums returns the enum fields of the query language and their
// values.
func QueryEnums() map[string][]string {
	out := Enums()
	maps.DeleteFunc(out, func(k string, _ []string) bool {
		f := lookupField(k)
		return f == nil || f.typ != TypeEnum
	})
	return out
}
