package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/judges/agreement"
	"github.com/merchantarena/merchantarena/judges/calibrate"
	"github.com/merchantarena/merchantarena/results"
)

// LabelsCommand imports and exports human and judge labels.
type LabelsCommand struct {
	m *Main
}

const labelsSummary = `Import or export labels: one rater's label for one item on one criterion,
as JSONL, one label per line:

  {"item": "toronto-customers", "criterion": "helpfulness", "rater": "expert:ana", "kind": "human", "label": 4}

item is a conversation ID (of the bundled examples or a --logs file) or a
session ID of the results file; kind is human or judge; label is a number or
a string. A criterion of the rubric takes its scale from it (binary: 0 or 1;
a range such as 1 to 5: ordinal over its integers); --scale gives the scale of
criteria the rubric does not know. Bad lines (bad JSON, a missing field, a
label off its scale, a second label by one rater for one item) are reported
as file:line and the rest import; a label already in the file for the same
item, criterion and rater is replaced. Exit 2 when nothing could be
imported, or with --strict on any bad line (then nothing is imported).

"export" writes the stored labels in the same format, judges included, for
re-labelling or another tool.`

const labelsExamples = `  arena labels import examples/labels/experts.jsonl
  arena labels import round2.jsonl --db arena.db --scale ordinal:1,2,3,4,5 --strict
  arena labels export --criterion helpfulness > helpfulness.jsonl
  arena labels export --kind judge --db arena.db`

// Run dispatches import and export.
func (c *LabelsCommand) Run(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	switch sub {
	case "import":
		return c.importLabels(ctx, args)
	case "export":
		return c.export(ctx, args)
	case "-h", "--help", "help":
		c.m.newFlagSet("labels", labelsSummary, labelsExamples).printUsage(c.m.Stdout)
		return errHelp
	}
	return usageErrorf("labels: want a subcommand: import or export").try("arena labels --help")
}

func (c *LabelsCommand) importLabels(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("labels import", labelsSummary, labelsExamples)
	dbPath := fs.String("db", "arena.db", "results file (SQLite) to import into")
	scale := fs.String("scale", "", "scale of criteria the rubric does not know: nominal, ordinal:1,2,3,4,5, interval (default: nominal over the values seen)")
	rubricPath := fs.String("rubric", "", "YAML rubric whose criteria give their scales (default: the built-in one)")
	strict := fs.Bool("strict", false, "import nothing when any line is bad")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) != 1 {
		return usageErrorf("labels import takes one label file, got %d", len(fs.positional)).try("arena labels import examples/labels/experts.jsonl")
	}
	logger, err := fs.logger()
	if err != nil {
		return err
	}
	sc, err := labelScales(*rubricPath, *scale)
	if err != nil {
		return err
	}
	file := fs.positional[0]
	labels, bad, err := readLabelFile(file, sc)
	if err != nil {
		return err
	}
	for _, b := range bad {
		logger.Warn("bad label line", "problem", b.Error())
	}
	switch {
	case *strict && len(bad) > 0:
		return usageErrorf("%d bad line(s) in %s, first %v; nothing imported (--strict)", len(bad), file, bad[0]).try("fix the lines, or drop --strict to import the rest")
	case len(labels) == 0:
		return usageErrorf("%s: no label could be read (%d bad line(s))", file, len(bad)).try("arena labels --help (the line format)")
	}
	db, err := results.Open(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := arena.StoreLabels(ctx, db, labels, file)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "imported %d label(s) from %s into %s: %s; %d bad line(s) skipped\n",
		n, file, db.Path(), describeLabels(labels), len(bad))
	return nil
}

func (c *LabelsCommand) export(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("labels export", labelsSummary, labelsExamples)
	dbPath := fs.String("db", "arena.db", "results file (SQLite) to read")
	criterion := fs.String("criterion", "", "only this criterion")
	kind := fs.String("kind", "", "only human or judge labels")
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) > 0 {
		return usageErrorf("labels export takes no arguments, got %q", fs.positional).try("arena labels export --db arena.db > labels.jsonl")
	}
	if *kind != "" && *kind != results.LabelHuman && *kind != results.LabelJudge {
		return usageErrorf("--kind %q: use human or judge", *kind)
	}
	db, err := openExisting(ctx, *dbPath, "arena labels import FILE --db "+*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	out, err := arena.Labels(ctx, db, results.LabelFilter{Criterion: *criterion, Kind: *kind})
	if err != nil {
		return err
	}
	return calibrate.WriteLabels(c.m.Stdout, out)
}

// labelScales reads --rubric and --scale: criteria of the rubric (default:
// the built-in one) take its scales, others --scale when given.
func labelScales(rubricPath, scale string) (calibrate.Scales, error) {
	s := calibrate.Scales{Rubric: judges.DefaultRubric()}
	if rubricPath != "" {
		text, err := readRubric(rubricPath)
		if err != nil {
			return s, err
		}
		if s.Rubric, err = judges.LoadRubric(strings.NewReader(text), rubricPath); err != nil {
			return s, usageErrorf("--rubric: %v", err)
		}
	}
	if scale != "" {
		sc, err := agreement.ParseScale(scale)
		if err != nil {
			return s, usageErrorf("--scale %q: %v", scale, err).try("--scale ordinal:1,2,3,4,5")
		}
		s.Override = &sc
	}
	return s, nil
}

// readLabelFile reads a label file, each label checked against its scale
// and the labels before it (calibrate.ReadCheckedLabels).
func readLabelFile(path string, sc calibrate.Scales) ([]calibrate.Label, []*calibrate.LineError, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, usageErrorf("labels: %v", err)
	}
	defer f.Close() // read-only
	return calibrate.ReadCheckedLabels(f, path, sc)
}

// describeLabels says what a set of labels covers: criteria, items, raters.
func describeLabels(labels []calibrate.Label) string {
	crit, items, raters := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var names []string
	for _, l := range labels {
		if !crit[l.Criterion] {
			names = append(names, l.Criterion)
		}
		crit[l.Criterion], items[l.Item], raters[l.Rater] = true, true, true
	}
	return fmt.Sprintf("criteria %s, %d item(s), %d rater(s)", strings.Join(names, ", "), len(items), len(raters))
}
