package judges

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LoadRubric reads a rubric from YAML; name is the file name its errors
// give. Every problem is a *RubricError naming the file, the line and the
// field: a YAML syntax error, an unknown or repeated field, a value of the
// wrong type, and a rubric that does not validate (no version, no
// criteria, a criterion without ID or prompt, a scale whose max does not
// exceed its min, a negative weight, a duplicate ID, a subject other than
// build or merchant, a weight on a merchant criterion).
//
// Defaults: stage1_weight 1; a criterion's subject "build" and weight 1
// (0 for merchant criteria). A scale is "binary" or {min: 1, max: 5}.
func LoadRubric(r io.Reader, name string) (*Rubric, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read rubric %s: %w", name, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 {
		return nil, &RubricError{File: name, Err: errors.New("the file is empty; a rubric needs a version and criteria")}
	}
	d := &rubricDecoder{file: name, lines: &rubricLines{top: map[string]int{}}}
	rub, err := d.rubric(doc.Content[0])
	if err != nil {
		return nil, err
	}
	if err := rub.validate(name, d.lines); err != nil {
		return nil, err
	}
	return rub, nil
}

var yamlLineRE = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError turns a yaml.v3 error ("yaml: line 3: mapping values are not
// allowed in this context") into a RubricError with its line.
func yamlError(file string, err error) error {
	line, msg := yamlMessage(err)
	return &RubricError{File: file, Line: line, Err: errors.New(msg)}
}

// yamlMessage splits a yaml.v3 error into its line and message; a type
// error reports its first problem.
func yamlMessage(err error) (int, string) {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	m := yamlLineRE.FindStringSubmatch(msg)
	if m == nil {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	n, _ := strconv.Atoi(m[1]) // the pattern admits digits only
	return n, m[2]
}

// rubricLines remembers where each field was, so that validation errors
// found after decoding still name a line.
type rubricLines struct {
	top      map[string]int
	criteria []int
	fields   []map[string]int
}

// field is the line of a top-level field, or of the document when the
// field is missing. A nil receiver (a rubric built in code) knows no line.
func (l *rubricLines) field(name string) int {
	if l == nil {
		return 0
	}
	if n, ok := l.top[name]; ok {
		return n
	}
	return l.top[""]
}

func (l *rubricLines) criterion(i int) int {
	if l == nil || i >= len(l.criteria) {
		return 0
	}
	return l.criteria[i]
}

func (l *rubricLines) criterionField(i int, field string, fallback int) int {
	if l == nil || i >= len(l.fields) {
		return fallback
	}
	if n, ok := l.fields[i][field]; ok {
		return n
	}
	return fallback
}

type rubricDecoder struct {
	file  string
	lines *rubricLines
}

func (d *rubricDecoder) fail(n *yaml.Node, field, format string, args ...any) error {
	return &RubricError{File: d.file, Line: n.Line, Field: field, Err: fmt.Errorf(format, args...)}
}

func (d *rubricDecoder) rubric(root *yaml.Node) (*Rubric, error) {
	r := &Rubric{Stage1Weight: 1}
	d.lines.top[""] = root.Line
	err := d.mapping(root, "", []string{"version", "stage1_weight", "criteria"}, func(key, path string, v *yaml.Node) error {
		d.lines.top[key] = v.Line
		switch key {
		case "version":
			return d.scalar(v, path, &r.Version)
		case "stage1_weight":
			return d.scalar(v, path, &r.Stage1Weight)
		}
		return d.criteria(v, path, r)
	})
	return r, err
}

func (d *rubricDecoder) criteria(n *yaml.Node, path string, r *Rubric) error {
	if n.Kind != yaml.SequenceNode {
		return d.fail(n, path, "want a list of criteria, got %s", kindName(n))
	}
	for i, item := range n.Content {
		c, err := d.criterion(item, fmt.Sprintf("%s[%d]", path, i))
		if err != nil {
			return err
		}
		r.Criteria = append(r.Criteria, c)
	}
	return nil
}

var criterionFields = []string{"id", "description", "prompt", "scale", "weight", "per_goal", "subject"}

func (d *rubricDecoder) criterion(n *yaml.Node, path string) (Criterion, error) {
	c := Criterion{Subject: SubjectBuild}
	lines := map[string]int{}
	d.lines.criteria = append(d.lines.criteria, n.Line)
	d.lines.fields = append(d.lines.fields, lines)
	weighted := false
	err := d.mapping(n, path, criterionFields, func(key, fpath string, v *yaml.Node) error {
		lines[key] = v.Line
		switch key {
		case "id":
			return d.scalar(v, fpath, &c.ID)
		case "description":
			return d.scalar(v, fpath, &c.Description)
		case "prompt":
			return d.scalar(v, fpath, &c.Prompt)
		case "scale":
			return d.scale(v, fpath, &c.Scale)
		case "weight":
			weighted = true
			return d.scalar(v, fpath, &c.Weight)
		case "per_goal":
			return d.scalar(v, fpath, &c.PerGoal)
		}
		return d.scalar(v, fpath, &c.Subject)
	})
	if err != nil {
		return c, err
	}
	if _, ok := lines["scale"]; !ok {
		return c, d.fail(n, path+".scale", "missing; want binary or {min: 1, max: 5}")
	}
	if !weighted && c.Subject == SubjectBuild {
		c.Weight = 1
	}
	return c, nil
}

// scale reads "binary" or a {min, max} mapping.
func (d *rubricDecoder) scale(n *yaml.Node, path string, s *Scale) error {
	if n.Kind == yaml.ScalarNode {
		if n.Value != "binary" {
			return d.fail(n, path, "%q: want binary or {min: 1, max: 5}", n.Value)
		}
		*s = BinaryScale
		return nil
	}
	var seen [2]bool
	err := d.mapping(n, path, []string{"min", "max"}, func(key, fpath string, v *yaml.Node) error {
		if key == "min" {
			seen[0] = true
			return d.scalar(v, fpath, &s.Min)
		}
		seen[1] = true
		return d.scalar(v, fpath, &s.Max)
	})
	if err == nil && (!seen[0] || !seen[1]) {
		err = d.fail(n, path, "a range needs both min and max")
	}
	return err
}

// mapping calls fn for each key of a mapping node, refusing keys not in
// known and keys given twice.
func (d *rubricDecoder) mapping(n *yaml.Node, path string, known []string, fn func(key, path string, v *yaml.Node) error) error {
	if n.Kind != yaml.MappingNode {
		return d.fail(n, path, "want a mapping, got %s", kindName(n))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		fpath := k.Value
		if path != "" {
			fpath = path + "." + k.Value
		}
		switch {
		case !slices.Contains(known, k.Value):
			return d.fail(k, fpath, "unknown field (want one of %s)", strings.Join(known, ", "))
		case seen[k.Value]:
			return d.fail(k, fpath, "given twice")
		}
		seen[k.Value] = true
		if err := fn(k.Value, fpath, v); err != nil {
			return err
		}
	}
	return nil
}

// scalar decodes a single value; an empty value is an error rather than a
// silent zero.
func (d *rubricDecoder) scalar(n *yaml.Node, path string, dst any) error {
	if n.Kind != yaml.ScalarNode {
		return d.fail(n, path, "want a single value, got %s", kindName(n))
	}
	if n.Tag == "!!null" {
		return d.fail(n, path, "empty value")
	}
	if err := n.Decode(dst); err != nil {
		_, msg := yamlMessage(err)
		return d.fail(n, path, "%s", msg)
	}
	return nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", n.Value)
}
