package sandbox

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tDate
	tOp
	tLParen
	tRParen
)

// token is one lexeme. text is the source text, except for strings, where
// it is the decoded value.
type token struct {
	kind tokKind
	text string
	pos  int
}

// lexer splits a query into tokens on demand, so the first error reported
// is the first one in the text.
type lexer struct {
	src string
	pos int
}

func (lx *lexer) errAt(pos int, format string, args ...any) *QueryError {
	return newQueryError(lx.src, pos, fmt.Sprintf(format, args...))
}

func newQueryError(src string, pos int, msg string) *QueryError {
	line, col := position(src, pos)
	return &QueryError{Pos: pos, Line: line, Col: col, Msg: msg, Kind: QueryErrSyntax}
}

// position turns a byte offset into a 1-based line and column, counting
// columns in characters.
func position(src string, pos int) (line, col int) {
	line, start := 1, 0
	for i := 0; i < pos && i < len(src); i++ {
		if src[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, 1 + utf8.RuneCountInString(src[start:min(pos, len(src))])
}

func (lx *lexer) next() (token, error) {
	for lx.pos < len(lx.src) && strings.IndexByte(" \t\r\n", lx.src[lx.pos]) >= 0 {
		lx.pos++
	}
	start := lx.pos
	if start >= len(lx.src) {
		return token{kind: tEOF, pos: start}, nil
	}
	c := lx.src[start]
	switch {
	case c == '(' || c == ')':
		lx.pos++
		kind := tLParen
		if c == ')' {
			kind = tRParen
		}
		return token{kind: kind, text: string(c), pos: start}, nil
	case strings.IndexByte("=!<>", c) >= 0:
		return lx.operator()
	case c == '\'' || c == '"':
		return lx.quoted()
	case isDigit(c) || (c == '-' && start+1 < len(lx.src) && isDigit(lx.src[start+1])):
		return lx.numberOrDate()
	case isIdentStart(c):
		for lx.pos < len(lx.src) && isIdentChar(lx.src[lx.pos]) {
			lx.pos++
		}
		return token{kind: tIdent, text: lx.src[start:lx.pos], pos: start}, nil
	}
	r, _ := utf8.DecodeRuneInString(lx.src[start:])
	return token{}, lx.errAt(start, "unexpected character %q", r)
}

func (lx *lexer) operator() (token, error) {
	start := lx.pos
	two := lx.src[start:min(start+2, len(lx.src))]
	switch two {
	case "==":
		return token{}, lx.errAt(start, "use = to compare, not ==")
	case "<>":
		return token{}, lx.errAt(start, "use != for not equal, not <>")
	case "!=", "<=", ">=":
		lx.pos += 2
		return token{kind: tOp, text: two, pos: start}, nil
	}
	if lx.src[start] == '!' {
		return token{}, lx.errAt(start, "unexpected '!'; use != to compare or NOT to negate")
	}
	lx.pos++
	return token{kind: tOp, text: lx.src[start:lx.pos], pos: start}, nil
}

// quoted reads a string in single or double quotes. A backslash escapes
// the quote and itself; any other backslash is kept as written.
func (lx *lexer) quoted() (token, error) {
	start := lx.pos
	quote := lx.src[start]
	var b strings.Builder
	for i := start + 1; i < len(lx.src); i++ {
		c := lx.src[i]
		switch {
		case c == quote:
			lx.pos = i + 1
			return token{kind: tString, text: b.String(), pos: start}, nil
		case c == '\\' && i+1 < len(lx.src) && (lx.src[i+1] == '\\' || lx.src[i+1] == '\'' || lx.src[i+1] == '"'):
			b.WriteByte(lx.src[i+1])
			i++
		default:
			b.WriteByte(c)
		}
	}
	return token{}, lx.errAt(start, "unterminated string; close it with %c", quote)
}

// numberOrDate reads -?digits(.digits)? or a YYYY-MM-DD date.
func (lx *lexer) numberOrDate() (token, error) {
	start := lx.pos
	i := start
	if lx.src[i] == '-' {
		i++
	}
	i = skipDigits(lx.src, i)
	kind := tNumber
	if i-start == 4 && lx.src[start] != '-' && i < len(lx.src) && lx.src[i] == '-' {
		kind = tDate
		for range 2 {
			if i >= len(lx.src) || lx.src[i] != '-' {
				return token{}, lx.errAt(start, "malformed date; write dates as YYYY-MM-DD")
			}
			j := skipDigits(lx.src, i+1)
			if j-i != 3 {
				return token{}, lx.errAt(start, "malformed date; write dates as YYYY-MM-DD")
			}
			i = j
		}
	} else if i+1 < len(lx.src) && lx.src[i] == '.' && isDigit(lx.src[i+1]) {
		i = skipDigits(lx.src, i+1)
	}
	if i < len(lx.src) && (isIdentChar(lx.src[i]) || lx.src[i] == '-') {
		what := "number"
		if kind == tDate {
			what = "date; write dates as YYYY-MM-DD"
		}
		return token{}, lx.errAt(start, "malformed %s", what)
	}
	lx.pos = i
	return token{kind: kind, text: lx.src[start:i], pos: start}, nil
}

func skipDigits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentChar(c byte) bool  { return isIdentStart(c) || isDigit(c) || c == '.' }
