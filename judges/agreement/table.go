package agreement

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

var (
	// ErrDuplicateLabel is returned when a rater labels an item twice.
	ErrDuplicateLabel = errors.New("duplicate label for item and rater")
	// ErrUnknownValue is returned when a value is not one of the scale's
	// levels.
	ErrUnknownValue = errors.New("value is not a level of the scale")
	// ErrEmptyField is returned when a label lacks its item, rater or value.
	ErrEmptyField = errors.New("empty field")
	// ErrUnknownRater is returned when a rater named by the caller has no
	// column in the table.
	ErrUnknownRater = errors.New("unknown rater")
)

// Label is one rater's value for one item on one criterion. Values are
// strings; numbers are written as such ("3", "0.5").
type Label struct {
	Item  string `json:"item"`
	Rater string `json:"rater"`
	Value string `json:"value"`
}

// LabelError reports a bad label: its position in the slice given to
// NewTable, its fields, and what is wrong (errors.Is finds the sentinel).
type LabelError struct {
	Index int // position in the labels slice, from 0
	Label Label
	// Previous is the index of the earlier label for the same item and
	// rater when Err is ErrDuplicateLabel, and -1 otherwise.
	Previous int
	Err      error
}

func (e *LabelError) Error() string {
	l := e.Label
	msg := fmt.Sprintf("label %d (item %q, rater %q, value %q): %v", e.Index, l.Item, l.Rater, l.Value, e.Err)
	if e.Previous >= 0 {
		msg += fmt.Sprintf(" (first given as label %d)", e.Previous)
	}
	return msg
}

func (e *LabelError) Unwrap() error { return e.Err }

// Table holds one criterion's labels as items × raters, with missing cells.
// Items and raters keep the order in which they first appear in the labels.
// A Table is immutable once built.
type Table struct {
	Scale  Scale    // the resolved scale: its Levels are never empty
	Items  []string // item IDs, in order of first appearance
	Raters []string // rater IDs, in order of first appearance

	cells [][]int // cells[item][rater] is a level index, or -1 when missing
}

// NewTable builds a Table from labels. A zero scale (no kind, no levels) is
// inferred with InferScale. An Interval or Ordinal scale without levels
// takes the distinct numbers seen; an ordinal scale of strings must list
// its levels. It returns a *LabelError for the first label with an empty
// field, a value off the scale, or a second value for the same item and
// rater, naming both.
func NewTable(labels []Label, scale Scale) (*Table, error) {
	for i, l := range labels {
		if strings.TrimSpace(l.Item) == "" || strings.TrimSpace(l.Rater) == "" || strings.TrimSpace(l.Value) == "" {
			return nil, &LabelError{Index: i, Label: l, Previous: -1, Err: ErrEmptyField}
		}
	}
	sc, err := resolveScale(labels, scale)
	if err != nil {
		return nil, err
	}
	t := &Table{Scale: sc}
	items, raters := map[string]int{}, map[string]int{}
	first := map[[2]int]int{}
	for i, l := range labels {
		lv, ok := sc.index(strings.TrimSpace(l.Value))
		if !ok {
			return nil, &LabelError{Index: i, Label: l, Previous: -1, Err: fmt.Errorf("%w %s", ErrUnknownValue, sc)}
		}
		it := t.slot(items, &t.Items, l.Item)
		rt := t.slot(raters, &t.Raters, l.Rater)
		if p, dup := first[[2]int{it, rt}]; dup {
			return nil, &LabelError{Index: i, Label: l, Previous: p, Err: ErrDuplicateLabel}
		}
		first[[2]int{it, rt}] = i
		t.set(it, rt, lv)
	}
	return t, nil
}

// resolveScale fills in the levels of a scale given without them.
func resolveScale(labels []Label, sc Scale) (Scale, error) {
	if len(sc.Levels) > 0 {
		return sc, nil
	}
	values := make([]string, len(labels))
	for i, l := range labels {
		values[i] = strings.TrimSpace(l.Value)
	}
	inferred := InferScale(values)
	if sc.Kind == Nominal || inferred.Numeric() {
		inferred.Kind = sc.Kind
		return inferred, nil
	}
	for i, l := range labels {
		if _, ok := number(l.Value); !ok {
			return Scale{}, &LabelError{Index: i, Label: l, Previous: -1,
				Err: fmt.Errorf("%w: an %s scale without levels needs numbers; list the levels, as in %q", ErrNotNumeric, sc.Kind, sc.Kind.String()+":low,mid,high")}
		}
	}
	return inferred, nil
}

// slot returns the index of id, appending it when new.
func (t *Table) slot(index map[string]int, ids *[]string, id string) int {
	if i, ok := index[id]; ok {
		return i
	}
	index[id] = len(*ids)
	*ids = append(*ids, id)
	return len(*ids) - 1
}

func (t *Table) set(item, rater, level int) {
	for len(t.cells) <= item {
		t.cells = append(t.cells, nil)
	}
	row := t.cells[item]
	for len(row) < len(t.Raters) {
		row = append(row, -1)
	}
	row[rater] = level
	t.cells[item] = row
}

// level returns the level index of a cell, or -1 when it is missing.
func (t *Table) level(item, rater int) int {
	if row := t.cells[item]; rater < len(row) {
		return row[rater]
	}
	return -1
}

// Value returns the level rater gave item, and false when the cell is
// missing or either ID is unknown.
func (t *Table) Value(item, rater string) (string, bool) {
	i, r := slices.Index(t.Items, item), slices.Index(t.Raters, rater)
	if i < 0 || r < 0 || t.level(i, r) < 0 {
		return "", false
	}
	return t.Scale.Levels[t.level(i, r)], true
}

// Labels returns the number of labels (filled cells).
func (t *Table) Labels() int {
	n := 0
	for i := range t.Items {
		for r := range t.Raters {
			if t.level(i, r) >= 0 {
				n++
			}
		}
	}
	return n
}

// WithRaters returns a table of the same items with only the named raters,
// in the order given. Items keep their place even when left empty.
func (t *Table) WithRaters(raters ...string) (*Table, error) {
	cols, err := t.columns(raters)
	if err != nil {
		return nil, err
	}
	sub := &Table{Scale: t.Scale, Items: t.Items, Raters: slices.Clone(raters), cells: make([][]int, len(t.Items))}
	for i := range t.Items {
		sub.cells[i] = make([]int, len(cols))
		for j, c := range cols {
			sub.cells[i][j] = t.level(i, c)
		}
	}
	return sub, nil
}

// columns maps rater IDs to column indices.
func (t *Table) columns(raters []string) ([]int, error) {
	cols := make([]int, len(raters))
	for j, r := range raters {
		cols[j] = slices.Index(t.Raters, r)
		if cols[j] < 0 {
			return nil, fmt.Errorf("%w %q (raters: %s)", ErrUnknownRater, r, strings.Join(t.Raters, ", "))
		}
	}
	return cols, nil
}

// column returns rater r's levels for every item (-1 where missing).
func (t *Table) column(r int) []int {
	col := make([]int, len(t.Items))
	for i := range t.Items {
		col[i] = t.level(i, r)
	}
	return col
}
