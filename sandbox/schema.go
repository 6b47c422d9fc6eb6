package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// schema is a JSON schema under construction. The builders below keep the
// tool declarations short and take enum lists from enums.go, so a schema
// and the code that reads its argument cannot disagree.
type schema = map[string]any

func object(required []string, props map[string]schema) schema {
	s := schema{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func str(desc string, minLen, maxLen int) schema {
	s := schema{"type": "string", "description": desc}
	if minLen > 0 {
		s["minLength"] = minLen
	}
	if maxLen > 0 {
		s["maxLength"] = maxLen
	}
	return s
}

func enumOf(desc string, values []string) schema {
	return schema{"type": "string", "description": desc, "enum": values}
}

func integer(desc string, minimum, maximum int) schema {
	s := schema{"type": "integer", "description": desc, "minimum": minimum}
	if maximum > 0 {
		s["maximum"] = maximum
	}
	return s
}

func number(desc string, minimum float64) schema {
	return schema{"type": "number", "description": desc, "minimum": minimum}
}

func idOf(prefix, desc string) schema {
	return schema{"type": "string", "description": desc, "pattern": "^" + prefix + "_[0-9]+$"}
}

func date(desc string) schema {
	return schema{"type": "string", "description": desc + " (YYYY-MM-DD)", "pattern": `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`}
}

func arrayOf(item schema, desc string, maxItems int) schema {
	return schema{"type": "array", "description": desc, "items": item, "maxItems": maxItems}
}

func limit(def, maximum int) schema {
	return integer(fmt.Sprintf("most results to return (default %d, max %d)", def, maximum), 1, maximum)
}

// compiled holds each tool's compiled schema. Compiling happens once, on
// first use; a schema that fails to compile is a bug in this package.
var compiled = sync.OnceValue(func() map[string]*jsonschema.Schema {
	c := jsonschema.NewCompiler()
	out := map[string]*jsonschema.Schema{}
	for _, t := range tools {
		url := "mem:///" + t.name + ".json"
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(t.rawSchema()))
		if err == nil {
			err = c.AddResource(url, doc)
		}
		if err != nil {
			panic(fmt.Sprintf("sandbox: schema of %s: %v", t.name, err))
		}
		out[t.name] = c.MustCompile(url)
	}
	return out
})

// ToolSchema returns the JSON schema of a tool's arguments.
func ToolSchema(name string) (json.RawMessage, bool) {
	t := lookupTool(name)
	if t == nil {
		return nil, false
	}
	return t.rawSchema(), true
}

// ValidateArgs checks args against the tool's schema. It returns a
// *ToolError: CodeNotFound for an unknown tool, CodeBadRequest naming
// every offending argument by its path (add_tags[0]) otherwise. Empty or
// null args count as {}.
func ValidateArgs(tool string, args json.RawMessage) error {
	t := lookupTool(tool)
	if t == nil {
		return unknownTool(tool)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(orEmptyObject(args)))
	if err != nil {
		return toolErrorf(CodeBadRequest, "%s: arguments are not valid JSON: %v", tool, err)
	}
	err = compiled()[tool].Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return toolErrorf(CodeBadRequest, "%s: %v", tool, err)
	}
	te := toolErrorf(CodeBadRequest, "%s: invalid arguments: %s", tool, strings.Join(describeValidation(t, ve), "; "))
	te.Enum = hasEnumError(ve)
	return te
}

func hasEnumError(ve *jsonschema.ValidationError) bool {
	for _, u := range ve.BasicOutput().Errors {
		if u.Error != nil {
			if _, ok := u.Error.Kind.(*kind.Enum); ok {
				return true
			}
		}
	}
	return false
}

// describeValidation turns the leaves of a validation error into one line
// per problem, sorted by argument path.
func describeValidation(t *tool, ve *jsonschema.ValidationError) []string {
	var lines []string
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == nil {
			continue
		}
		loc := pointerPath(u.InstanceLocation)
		lines = append(lines, describeKind(t, loc, u.Error)...)
	}
	sort.Strings(lines)
	return slices.Compact(lines)
}

func describeKind(t *tool, loc []string, e *jsonschema.OutputError) []string {
	switch k := e.Kind.(type) {
	case *kind.Group, *kind.Schema, *kind.AllOf:
		return nil
	case *kind.Required:
		var out []string
		for _, m := range k.Missing {
			out = append(out, argPath(append(loc, m))+": required")
		}
		return out
	case *kind.AdditionalProperties:
		var out []string
		for _, p := range k.Properties {
			out = append(out, fmt.Sprintf("%s: unknown argument; %s takes %s", argPath(append(loc, p)), t.name, t.argNames()))
		}
		return out
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = fmt.Sprint(w)
		}
		return []string{fmt.Sprintf("%s: %s is not one of %s (exact spelling)", argPath(loc), jsonText(k.Got), strings.Join(want, ", "))}
	case *kind.Pattern:
		return []string{fmt.Sprintf("%s: %s", argPath(loc), patternHint(k))}
	case *kind.Type:
		return []string{fmt.Sprintf("%s: got %s, want %s", argPath(loc), k.Got, strings.Join(k.Want, " or "))}
	case *kind.Minimum:
		return []string{fmt.Sprintf("%s: %s is below the minimum %s", argPath(loc), rat(k.Got), rat(k.Want))}
	case *kind.Maximum:
		return []string{fmt.Sprintf("%s: %s is above the maximum %s", argPath(loc), rat(k.Got), rat(k.Want))}
	case *kind.MultipleOf:
		return []string{fmt.Sprintf("%s: must be a multiple of %s", argPath(loc), rat(k.Want))}
	}
	return []string{argPath(loc) + ": " + e.String()}
}

// rat prints a schema number the way it was likely written: 250, 0.01.
func rat(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return strings.TrimRight(r.FloatString(8), "0")
}

var idPatternRE = regexp.MustCompile(`^\^([a-z]+)_\[0-9\]\+\$$`)

func patternHint(k *kind.Pattern) string {
	if m := idPatternRE.FindStringSubmatch(k.Want); m != nil {
		return fmt.Sprintf("%q is not an ID of the form %s_<digits>; look the ID up first", k.Got, m[1])
	}
	if strings.Contains(k.Want, "[0-9]{4}-") {
		return fmt.Sprintf("%q is not a date; write YYYY-MM-DD", k.Got)
	}
	return fmt.Sprintf("%q does not match %s", k.Got, k.Want)
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// pointerPath splits a JSON pointer ("/add_tags/0") into its tokens.
func pointerPath(ptr string) []string {
	if ptr == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, p := range parts {
		parts[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(p)
	}
	return parts
}

// argPath writes a path the way an agent would: add_tags[0], seo.title.
func argPath(loc []string) string {
	if len(loc) == 0 {
		return "arguments"
	}
	var b strings.Builder
	for i, p := range loc {
		if _, err := strconv.Atoi(p); err == nil && i > 0 {
			fmt.Fprintf(&b, "[%s]", p)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// toolEnums lists every enum argument of every tool as "tool.argument".
func toolEnums() map[string][]string {
	out := map[string][]string{}
	for _, t := range tools {
		for name, p := range t.params["properties"].(map[string]schema) {
			if e, ok := p["enum"].([]string); ok {
				out[t.name+"."+name] = slices.Clone(e)
			}
		}
	}
	return out
}

// orEmptyObject turns missing arguments (nothing, or null) into {}: a tool
// without arguments is often called that way.
func orEmptyObject(args json.RawMessage) json.RawMessage {
	if t := bytes.TrimSpace(args); len(t) == 0 || string(t) == "null" {
		return json.RawMessage("{}")
	}
	return args
}
