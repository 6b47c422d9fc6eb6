package arena

import (
	"context"
	"strconv"

	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

// Labels reads the labels of a results file that f selects, in the order
// results.DB.Labels gives them, as calibrate reads them from a file (Line
// 0: they come from no file).
func Labels(ctx context.Context, db *results.DB, f results.LabelFilter) ([]calibrate.Label, error) {
	stored, err := db.Labels(ctx, f)
	if err != nil {
		return nil, err
	}
	out := make([]calibrate.Label, len(stored))
	for i, l := range stored {
		out[i] = calibrate.Label{Item: l.Item, Criterion: l.Criterion, Rater: l.Rater, Kind: l.Kind, Value: l.Value}
	}
	return out, nil
}

// StoreLabels writes labels into the results file, replacing a label of
// the same item, criterion and rater. Each label's source is source (a
// file name, or "calibrate") followed by ":line" when it was read from a
// line of that file. It returns how many were written; a label the file
// refuses is reported as results.DB.PutLabels does, and the rest are
// written.
func StoreLabels(ctx context.Context, db *results.DB, labels []calibrate.Label, source string) (int, error) {
	rows := make([]results.Label, len(labels))
	for i, l := range labels {
		src := source
		if l.Line > 0 {
			src += ":" + strconv.Itoa(l.Line)
		}
		rows[i] = results.Label{Item: l.Item, Criterion: l.Criterion, Rater: l.Rater, Kind: l.Kind, Value: l.Value, Source: src}
	}
	return db.PutLabels(ctx, rows)
}
