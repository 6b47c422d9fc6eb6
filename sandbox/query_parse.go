package sandbox

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Query is a parsed, type-checked segment query. Build one with ParseQuery.
//
// The grammar (keywords are case-insensitive, field names are not):
//
//	expr       := and (OR and)*
//	and        := unary (AND unary)*
//	unary      := NOT unary | '(' expr ')' | comparison
//	comparison := field op value
//	op         := = | != | > | >= | < | <= | CONTAINS | NOT CONTAINS
//
// Values are quoted strings ('x' or "x"), numbers, dates (2025-01-01, bare
// or quoted), true/false, and enum literals (quoted or bare, exact
// uppercase).
type Query struct {
	root node
}

// ParseQuery parses and type-checks src. Errors are *QueryError with the
// position of the offending token.
func ParseQuery(src string) (*Query, error) {
	p := &parser{lx: lexer{src: src}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tEOF {
		return nil, p.errAt(p.tok.pos, "empty query; write a condition such as customer_account_status = 'ENABLED'")
	}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	switch {
	case p.tok.kind == tRParen:
		return nil, p.errAt(p.tok.pos, "unmatched )")
	case p.tok.kind != tEOF:
		return nil, p.errAt(p.tok.pos, "unexpected %s after a complete condition; join conditions with AND or OR", describe(p.tok))
	}
	return &Query{root: root}, nil
}

type parser struct {
	lx  lexer
	tok token
}

func (p *parser) advance() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) errAt(pos int, format string, args ...any) *QueryError {
	return p.lx.errAt(pos, format, args...)
}

func (p *parser) kindErr(kind QueryErrorKind, pos int, format string, args ...any) *QueryError {
	e := p.lx.errAt(pos, format, args...)
	e.Kind = kind
	return e
}

// keyword reports whether the current token is the keyword kw.
func (p *parser) keyword(kw string) bool {
	return p.tok.kind == tIdent && strings.EqualFold(p.tok.text, kw)
}

func (p *parser) expr() (node, error) {
	return p.list("OR", p.and, func(kids []node) node { return &orNode{kids} })
}

func (p *parser) and() (node, error) {
	return p.list("AND", p.unary, func(kids []node) node { return &andNode{kids} })
}

// list parses item (KW item)*, flattening nested lists of the same kind so
// that a AND (b AND c) and (a AND b) AND c have one canonical form.
func (p *parser) list(kw string, item func() (node, error), build func([]node) node) (node, error) {
	var kids []node
	for {
		n, err := item()
		if err != nil {
			return nil, err
		}
		kids = appendFlat(kids, n, kw)
		if !p.keyword(kw) {
			break
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return build(kids), nil
}

func appendFlat(kids []node, n node, kw string) []node {
	switch n := n.(type) {
	case *andNode:
		if kw == "AND" {
			return append(kids, n.kids...)
		}
	case *orNode:
		if kw == "OR" {
			return append(kids, n.kids...)
		}
	}
	return append(kids, n)
}

func (p *parser) unary() (node, error) {
	switch {
	case p.keyword("NOT"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		kid, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &notNode{kid}, nil
	case p.tok.kind == tLParen:
		open := p.tok.pos
		if err := p.advance(); err != nil {
			return nil, err
		}
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			line, col := position(p.lx.src, open)
			return nil, p.errAt(p.tok.pos, "expected ) to close the ( at %d:%d, got %s", line, col, describe(p.tok))
		}
		return n, p.advance()
	}
	return p.comparison()
}

func (p *parser) comparison() (node, error) {
	f, err := p.field()
	if err != nil {
		return nil, err
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	op, opPos, err := p.operator(f)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(typeOps[f.typ], op) {
		return nil, p.kindErr(QueryErrType, opPos, "operator %s does not apply to %s (%s); use %s", op, f.name, f.typ, orList(typeOps[f.typ]))
	}
	v, err := p.value(f, op)
	if err != nil {
		return nil, err
	}
	return &cmpNode{field: f, op: op, val: v}, p.advance()
}

func (p *parser) field() (*field, error) {
	t := p.tok
	switch {
	case t.kind == tEOF:
		return nil, p.errAt(t.pos, "expected a condition, got end of query")
	case t.kind == tString:
		return nil, p.errAt(t.pos, "expected a field name, got %s; field names are not quoted", describe(t))
	case t.kind != tIdent || isKeyword(t.text) || isBool(t.text):
		return nil, p.errAt(t.pos, "expected a field name, got %s", describe(t))
	}
	if f := lookupField(t.text); f != nil {
		return f, nil
	}
	if s := suggestField(t.text); s != "" {
		return nil, p.kindErr(QueryErrField, t.pos, "unknown field %s (did you mean %s?)", t.text, s)
	}
	return nil, p.kindErr(QueryErrField, t.pos, "unknown field %s; fields are %s", t.text, fieldNames())
}

// operator reads the operator after field f, including the two-word NOT
// CONTAINS.
func (p *parser) operator(f *field) (string, int, error) {
	pos, text := p.tok.pos, p.tok.text
	switch {
	case p.tok.kind == tOp:
		return text, pos, p.advance()
	case p.keyword("CONTAINS"):
		return opContains, pos, p.advance()
	case p.keyword("NOT"):
		if err := p.advance(); err != nil {
			return "", 0, err
		}
		if !p.keyword("CONTAINS") {
			return "", 0, p.errAt(p.tok.pos, "expected CONTAINS after NOT, got %s", describe(p.tok))
		}
		return opNotContains, pos, p.advance()
	}
	return "", 0, p.errAt(pos, "expected an operator after %s (%s), got %s", f.name, orList(typeOps[f.typ]), describe(p.tok))
}

func isKeyword(word string) bool {
	return slices.ContainsFunc([]string{"AND", "OR", "NOT", "CONTAINS"}, func(kw string) bool { return strings.EqualFold(word, kw) })
}

func isBool(word string) bool {
	return strings.EqualFold(word, "true") || strings.EqualFold(word, "false")
}

// value is a typed literal; which field is set follows the field's type.
type value struct {
	s     string // enum, string and list values as written
	lower string // s in lower case, for case-insensitive matching
	n     float64
	d     time.Time
	b     bool
}

func (p *parser) value(f *field, op string) (value, error) {
	t := p.tok
	if t.kind == tEOF || t.kind == tOp || t.kind == tLParen || t.kind == tRParen || t.kind == tIdent && isKeyword(t.text) {
		return value{}, p.errAt(t.pos, "expected a value after %s, got %s", op, describe(t))
	}
	switch f.typ {
	case TypeEnum:
		return p.enumValue(f, t)
	case TypeString, TypeList:
		return p.stringValue(f, t)
	case TypeNumber, TypeInteger:
		return p.numberValue(f, t)
	case TypeDate:
		return p.dateValue(f, t)
	}
	return p.boolValue(f, t)
}

func (p *parser) enumValue(f *field, t token) (value, error) {
	if t.kind != tString && t.kind != tIdent {
		return value{}, p.kindErr(QueryErrEnum, t.pos, "%s takes one of %s, got %s", f.name, strings.Join(f.enum, ", "), describe(t))
	}
	if !slices.Contains(f.enum, t.text) {
		hint := ""
		if i := slices.IndexFunc(f.enum, func(e string) bool { return strings.EqualFold(e, t.text) }); i >= 0 {
			hint = fmt.Sprintf(" (did you mean %s?)", quote(f.enum[i]))
		}
		return value{}, p.kindErr(QueryErrEnum, t.pos, "%s is not a value of %s%s; use one of %s (exact uppercase)",
			quote(t.text), f.name, hint, strings.Join(f.enum, ", "))
	}
	return value{s: t.text}, nil
}

func (p *parser) stringValue(f *field, t token) (value, error) {
	switch t.kind {
	case tString:
		return value{s: t.text, lower: strings.ToLower(t.text)}, nil
	case tIdent:
		return value{}, p.kindErr(QueryErrType, t.pos, "%s takes a quoted string: write %s", f.name, quote(t.text))
	}
	return value{}, p.kindErr(QueryErrType, t.pos, "%s takes a quoted string like %s, got %s", f.name, f.example, describe(t))
}

func (p *parser) numberValue(f *field, t token) (value, error) {
	if t.kind != tNumber {
		return value{}, p.kindErr(QueryErrType, t.pos, "%s takes a number like %s, got %s", f.name, f.example, describe(t))
	}
	n, err := strconv.ParseFloat(t.text, 64)
	if err != nil || math.IsInf(n, 0) {
		return value{}, p.errAt(t.pos, "number %s is out of range", t.text)
	}
	if f.typ == TypeInteger && n != math.Trunc(n) {
		return value{}, p.kindErr(QueryErrType, t.pos, "%s takes a whole number, got %s", f.name, t.text)
	}
	return value{n: n}, nil
}

func (p *parser) dateValue(f *field, t token) (value, error) {
	if t.kind != tDate && t.kind != tString {
		return value{}, p.kindErr(QueryErrType, t.pos, "%s takes a date like %s, got %s", f.name, f.example, describe(t))
	}
	d, err := time.Parse(time.DateOnly, t.text)
	if err != nil {
		if t.kind == tDate {
			return value{}, p.errAt(t.pos, "invalid date %s", t.text)
		}
		return value{}, p.kindErr(QueryErrType, t.pos, "%s takes a date like %s, got %s", f.name, f.example, describe(t))
	}
	return value{d: d}, nil
}

func (p *parser) boolValue(f *field, t token) (value, error) {
	if t.kind == tIdent {
		switch strings.ToLower(t.text) {
		case "true":
			return value{b: true}, nil
		case "false":
			return value{b: false}, nil
		}
	}
	return value{}, p.kindErr(QueryErrType, t.pos, "%s takes true or false, got %s", f.name, describe(t))
}

// describe names a token for error messages.
func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of query"
	case tString:
		return "string " + quote(t.text)
	case tNumber:
		return "number " + t.text
	case tDate:
		return "date " + t.text
	}
	return t.text
}

func orList(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
