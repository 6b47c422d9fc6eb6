package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// NormalizeArgs returns the canonical JSON text of tool-call arguments, so
// that two calls meaning the same thing compare equal as strings: object
// keys sorted, no insignificant whitespace, numbers in one form (2, 2.0 and
// 2e0 are all 2; integers written without a fraction or exponent keep every
// digit, however long), and <, > and & left unescaped. Empty or null
// arguments are {}, the way OpenAI's "" for a call without arguments means.
// Text that is not one JSON value is an error; callers that must still
// compare it use the trimmed text verbatim.
func NormalizeArgs(args []byte) (string, error) {
	v, err := DecodeArgs(args)
	if err != nil {
		return "", err
	}
	b, err := marshal(v)
	if err != nil {
		return "", fmt.Errorf("normalise arguments: %w", err)
	}
	return string(b), nil
}

// DecodeArgs decodes tool-call arguments into generic JSON values (maps,
// slices, strings, bools, nil) with every number a json.Number in the
// canonical form NormalizeArgs writes, so decoded arguments compare equal
// exactly when their normalised texts do.
func DecodeArgs(args []byte) (any, error) {
	args = orEmptyObject(args)
	dec := json.NewDecoder(bytes.NewReader(args))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode arguments: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("decode arguments: data after the JSON value at offset %d", dec.InputOffset())
	}
	return canonicalNumbers(v), nil
}

// canonicalNumbers rewrites every json.Number in v in place (maps and
// slices) and returns v.
func canonicalNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		return canonicalNumber(v)
	case map[string]any:
		for k, e := range v {
			v[k] = canonicalNumbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = canonicalNumbers(e)
		}
	}
	return v
}

// canonicalNumber keeps an integer literal as written, since IDs may have
// more digits than a float64 holds, and writes any other number the way
// encoding/json writes a float64. A number too large for a float64 stays
// as written.
func canonicalNumber(n json.Number) json.Number {
	s := string(n)
	if !strings.ContainsAny(s, ".eE") {
		if s == "-0" {
			return "0"
		}
		return n
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return n
	}
	b, err := json.Marshal(f)
	if err != nil {
		return n
	}
	return json.Number(b)
}
