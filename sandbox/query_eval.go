package sandbox

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// node is one part of a parsed query.
type node interface {
	match(c *Customer) bool
	write(b *strings.Builder)
	comparisons(yield func(*cmpNode))
}

type orNode struct{ kids []node }
type andNode struct{ kids []node }
type notNode struct{ kid node }

type cmpNode struct {
	field *field
	op    string
	val   value
}

// String returns the canonical form: keywords in upper case, single-quoted
// strings and enum literals, bare numbers, dates and booleans, and only the
// parentheses the precedence needs. It parses back to itself.
func (q *Query) String() string {
	var b strings.Builder
	q.root.write(&b)
	return b.String()
}

// MarshalText writes the canonical form, so a Query is JSON as a string.
func (q *Query) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// Match reports whether customer c is in the segment the query describes.
func (q *Query) Match(c *Customer) bool { return q.root.match(c) }

// Fields returns the fields the query reads, sorted, each once.
func (q *Query) Fields() []string {
	var out []string
	q.root.comparisons(func(c *cmpNode) { out = append(out, c.field.name) })
	slices.Sort(out)
	return slices.Compact(out)
}

func (n *orNode) match(c *Customer) bool {
	return slices.ContainsFunc(n.kids, func(k node) bool { return k.match(c) })
}

func (n *andNode) match(c *Customer) bool {
	return !slices.ContainsFunc(n.kids, func(k node) bool { return !k.match(c) })
}

func (n *notNode) match(c *Customer) bool { return !n.kid.match(c) }

func (n *orNode) write(b *strings.Builder) { writeList(b, n.kids, " OR ") }

func (n *andNode) write(b *strings.Builder) { writeList(b, n.kids, " AND ") }

func (n *notNode) write(b *strings.Builder) {
	b.WriteString("NOT ")
	writeKid(b, n.kid, false)
}

func writeList(b *strings.Builder, kids []node, sep string) {
	for i, k := range kids {
		if i > 0 {
			b.WriteString(sep)
		}
		writeKid(b, k, sep == " OR ")
	}
}

// writeKid parenthesises a list inside a tighter construct: an OR inside an
// AND, any list after NOT. Inside an OR nothing needs them: the parser
// flattens lists of one kind, and AND binds tighter.
func writeKid(b *strings.Builder, k node, inOr bool) {
	_, isOr := k.(*orNode)
	_, isAnd := k.(*andNode)
	if inOr || !isOr && !isAnd {
		k.write(b)
		return
	}
	b.WriteByte('(')
	k.write(b)
	b.WriteByte(')')
}

func (n *orNode) comparisons(yield func(*cmpNode)) {
	for _, k := range n.kids {
		k.comparisons(yield)
	}
}

func (n *andNode) comparisons(yield func(*cmpNode)) {
	for _, k := range n.kids {
		k.comparisons(yield)
	}
}

func (n *notNode) comparisons(yield func(*cmpNode)) { n.kid.comparisons(yield) }

func (n *cmpNode) comparisons(yield func(*cmpNode)) { yield(n) }

func (n *cmpNode) write(b *strings.Builder) {
	b.WriteString(n.field.name)
	b.WriteByte(' ')
	b.WriteString(n.op)
	b.WriteByte(' ')
	switch n.field.typ {
	case TypeEnum, TypeString, TypeList:
		b.WriteString(quote(n.val.s))
	case TypeNumber, TypeInteger:
		b.WriteString(strconv.FormatFloat(n.val.n, 'f', -1, 64))
	case TypeDate:
		b.WriteString(n.val.d.Format(time.DateOnly))
	case TypeBool:
		b.WriteString(strconv.FormatBool(n.val.b))
	}
}

func (n *cmpNode) match(c *Customer) bool {
	f, v := n.field, n.val
	switch f.typ {
	case TypeEnum:
		return n.apply(cmpBool(f.text(c) == v.s))
	case TypeString:
		s := f.text(c)
		if n.op == opContains || n.op == opNotContains {
			return n.apply(cmpBool(strings.Contains(strings.ToLower(s), v.lower)))
		}
		return n.apply(cmpBool(strings.EqualFold(s, v.s)))
	case TypeList:
		has := slices.ContainsFunc(f.list(c), func(t string) bool { return strings.EqualFold(t, v.s) })
		return n.apply(cmpBool(has))
	case TypeNumber, TypeInteger:
		x := f.num(c)
		return n.apply(cmpOrder(x > v.n, x < v.n))
	case TypeDate:
		t := f.date(c)
		if t == nil {
			return n.op == opNe // a missing date equals nothing and orders against nothing
		}
		day := t.UTC().Truncate(24 * time.Hour)
		return n.apply(cmpOrder(day.After(v.d), day.Before(v.d)))
	}
	return n.apply(cmpBool(f.boolean(c) == v.b))
}

// cmpBool and cmpOrder turn a test into -1/0/1, where 0 means equal or
// found; apply then reads the operator.
func cmpBool(eq bool) int {
	if eq {
		return 0
	}
	return 1
}

func cmpOrder(gt, lt bool) int {
	switch {
	case gt:
		return 1
	case lt:
		return -1
	}
	return 0
}

func (n *cmpNode) apply(c int) bool {
	switch n.op {
	case opEq, opContains:
		return c == 0
	case opNe, opNotContains:
		return c != 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	}
	return c <= 0 // opLe
}

// quote writes s in single quotes, escaping quotes and backslashes.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(s) + "'"
}
