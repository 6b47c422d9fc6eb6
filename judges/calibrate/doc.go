// Package calibrate owns what it takes to trust an LLM judge beyond the
// statistics: the label file format (JSONL, one label per line, read with
// every bad line reported by file and line), the agreement scale of each
// rubric criterion, the evidence a judge sees for a labelled logged
// conversation, the labels a judge gives when it is run on labelled items
// (Labeller), the scales labels are checked against and the per-criterion
// analysis of a label set (Scales, ReadCheckedLabels, AnalyzeCriteria),
// and the rule that says whether a judge is calibrated
// (Check): a judge is identified by its name, model, prompt version and
// rubric version, and a change to any of them leaves it uncalibrated until
// it is calibrated again.
//
// The statistics themselves are package judges/agreement's. calibrate
// imports judges, judges/agreement, personas, sandbox and transcript; it
// knows no SQLite and no NATS: package arena stores labels and calibration
// records through package results.
package calibrate
