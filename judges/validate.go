package judges

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/merchantarena/merchantarena/sandbox"
)

// Validation rules.
const (
	RuleToolKnown   = "tool.known"
	RuleArgsSchema  = "args.schema"
	RuleArgsEnum    = "args.enum"
	RuleArgsID      = "args.id_exists"
	RuleQuerySyntax = "query.syntax"
	RuleQueryField  = "query.field"
	RuleQueryEnum   = "query.enum"
	RuleRecorded    = "tool.recorded"
)

// validateCalls checks every recorded call against its schema, the store's
// IDs and the query language. A failed call that a later successful call of
// the same tool repaired is reported but does not fail the gate: an agent
// that reads an error and corrects itself is doing its job.
func validateCalls(ev *Evidence) ([]CallCheck, []Finding) {
	var checks []CallCheck
	var findings []Finding
	for i, c := range ev.Calls {
		fs := validateCall(ev, c)
		check := CallCheck{Seq: c.Seq, Valid: len(fs) == 0}
		if len(fs) > 0 {
			check.Problem = fs[0].Message
		}
		checks = append(checks, check)
		repaired := repairedLater(ev.Calls[i+1:], c.Tool)
		for _, f := range fs {
			f.Turn, f.CallID, f.Tool = c.Turn, c.CallID, c.Tool
			if repaired {
				f.Gate = false
				f.Message += " (repaired by a later call)"
			}
			findings = append(findings, f)
		}
	}
	return checks, findings
}

func repairedLater(rest []sandbox.CallRecord, tool string) bool {
	for _, c := range rest {
		if c.Tool == tool && c.Error == "" {
			return true
		}
	}
	return false
}

func validateCall(ev *Evidence, c sandbox.CallRecord) []Finding {
	if _, native := sandbox.ToolSchema(c.Tool); !native && ev.Recording != nil {
		return validateRecorded(ev.Recording, c)
	}
	if _, ok := sandbox.ToolSchema(c.Tool); !ok {
		return []Finding{{Rule: RuleToolKnown, Kind: KindUnknownTool, Gate: true,
			Message: fmt.Sprintf("tool %q does not exist", c.Tool)}}
	}
	if err := sandbox.ValidateArgs(c.Tool, c.Arguments); err != nil {
		kind, rule := KindInvalidArgs, RuleArgsSchema
		var te *sandbox.ToolError
		if errors.As(err, &te) && te.Enum {
			kind, rule = KindWrongEnum, RuleArgsEnum
		}
		return []Finding{{Rule: rule, Kind: kind, Gate: true, Message: err.Error()}}
	}
	var fs []Finding
	if q, ok := sandbox.QueryArgument(c.Tool, c.Arguments); ok {
		fs = append(fs, validateQuery(q)...)
	}
	for _, id := range argIDs(c.Arguments) {
		if !ev.Initial.Exists(id) && !ev.Final.Exists(id) {
			fs = append(fs, Finding{Rule: RuleArgsID, Kind: KindUnknownID, Gate: true,
				Message: fmt.Sprintf("%s does not exist in the store", id)})
		}
	}
	return fs
}

// validateRecorded checks a call to a tool the sandbox lacks against the
// schema the log declared for it (or only that its arguments are an
// object), and counts a call the log has no recording for. Store IDs are
// not checked: a foreign tool's IDs are not the store's.
func validateRecorded(rec *sandbox.Recording, c sandbox.CallRecord) []Finding {
	if err := rec.ValidateArgs(c.Tool, c.Arguments); err != nil {
		var te *sandbox.ToolError
		if errors.As(err, &te) && te.Code == sandbox.CodeNotFound {
			return []Finding{{Rule: RuleToolKnown, Kind: KindUnknownTool, Gate: true, Message: err.Error()}}
		}
		return []Finding{{Rule: RuleArgsSchema, Kind: KindInvalidArgs, Gate: true, Message: err.Error()}}
	}
	if c.Code == sandbox.CodeNoRecording {
		return []Finding{{Rule: RuleRecorded, Kind: KindNoRecording, Message: c.Error}}
	}
	return nil
}

func validateQuery(q string) []Finding {
	_, err := sandbox.ParseQuery(q)
	if err == nil {
		return nil
	}
	var qe *sandbox.QueryError
	rule, kind := RuleQuerySyntax, KindQuerySyntax
	if errors.As(err, &qe) {
		switch qe.Kind {
		case sandbox.QueryErrEnum:
			rule, kind = RuleQueryEnum, KindWrongEnum
		case sandbox.QueryErrField, sandbox.QueryErrType:
			rule, kind = RuleQueryField, KindQueryField
		}
	}
	return []Finding{{Rule: rule, Kind: kind, Gate: true, Message: fmt.Sprintf("query %q: %v", q, err)}}
}

// argIDs returns every store ID a call's arguments mention, sorted.
func argIDs(args json.RawMessage) []string {
	seen := map[string]bool{}
	for _, id := range sandbox.IDPattern.FindAllString(string(args), -1) {
		seen[id] = true
	}
	out := make([]string, 0, len(seen))
	for id := range seen {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
