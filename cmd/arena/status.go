package main

import (
	"context"
	"os"
	"strconv"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/results"
)

// StatusCommand shows how far a run is.
type StatusCommand struct {
	m *Main
}

const statusSummary = `Show how far a run is: sessions planned, queued (waiting for a worker), running
(held by a worker), done (committed to the results file), failed (build error,
timeout, absent build), and verdicts still waiting for the recorder. Counts come
from the shared server's streams (--nats) and the results file (--db); either
alone works. RUN may be "latest" (the file's newest run).`

const statusExamples = `  arena status run-20261127-101500-1a2b --nats nats://10.0.0.5:4222
  arena status latest --db arena.db --format json`

// Run prints the status.
func (c *StatusCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("status", statusSummary, statusExamples)
	dbPath := fs.String("db", "arena.db", "results file (SQLite); \"\" for none")
	format := fs.String("format", "table", "output format: table, json, md, csv")
	nf := addNATSFlags(fs)
	if err := fs.parse(args); err != nil {
		return err
	}
	if len(fs.positional) != 1 {
		return usageErrorf("status takes one run ID (or \"latest\")").try("arena status latest --db arena.db")
	}
	if err := checkFormat(*format); err != nil {
		return err
	}
	connect, err := nf.config(c.m.Getenv)
	if err != nil {
		return err
	}
	var db *results.DB
	if _, serr := os.Stat(*dbPath); *dbPath != "" && serr != nil && (flagGiven(fs, "db") || nf.url == "") {
		return usageErrorf("results file %s: %v", *dbPath, serr).try("pass the recorder's --db, or only --nats URL")
	} else if serr == nil {
		if db, err = results.Open(ctx, *dbPath); err != nil {
			return err
		}
		defer db.Close()
	}
	if db == nil && nf.url == "" {
		return usageErrorf("status needs --nats URL, --db FILE or both").try("arena status RUN --nats nats://host:4222")
	}
	run, err := resolveRun(ctx, db, fs.positional[0])
	if err != nil {
		return err
	}
	st, err := arena.RunStatus(ctx, arena.BusConfig{URL: nf.url, Connect: connect}, db, run)
	if err != nil {
		return err
	}
	itoa := strconv.Itoa
	return render(c.m.Stdout, *format, table{
		Header: []string{"run", "state", "planned", "queued", "running", "done", "failed", "unrecorded"},
		Rows:   [][]string{{st.Run, st.State, itoa(st.Planned), itoa(st.Queued), itoa(st.Running), itoa(st.Done), itoa(st.Failed), itoa(st.Unrecorded)}},
		Value:  st,
	})
}
