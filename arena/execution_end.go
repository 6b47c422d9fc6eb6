package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/merchantarena/merchantarena/arena/ranking"
	"github.com/merchantarena/merchantarena/natsbus"
	"github.com/merchantarena/merchantarena/results"
)

// How an execution ends: the run's status, the recorder's last commits,
// and the report read back from the file.

// finish stops the workers, records how the run ended, waits for the
// recorder to commit it, and reads the leaderboard back.
func (e *execution) finish(ctx context.Context, err error) error {
	if own := e.ownRun(); own != "" && (e.stopWorkers != nil || e.stopRecorder != nil) {
		defer func() {
			if derr := e.streams.DropRun(context.WithoutCancel(ctx), own); derr != nil {
				e.cfg.Logger.Warn("run's own consumers left to expire", "run", own, "err", derr)
			}
		}()
	}
	if e.stopWorkers != nil {
		e.stopWorkers(nil)
		<-e.workersDone
	}
	if e.runID == "" || e.cfg.Detach || (e.cfg.Record && e.stopRecorder == nil) {
		// Nothing to end, or this process was to record and never began.
		return e.stopRecording(err)
	}
	status := results.RunDone
	switch {
	case e.rep.Summary.Stopped != "":
		status = RunStopped
	case errors.Is(err, context.Canceled):
		status = results.RunCancelled
	case err != nil:
		status = results.RunFailed
	}
	fctx := context.WithoutCancel(ctx)
	if !e.planSent { // stopped before the plan: the run is still recorded
		if perr := e.publishPlan(fctx, nil, nil); perr != nil {
			return e.stopRecording(errors.Join(err, perr))
		}
	}
	data, _ := json.Marshal(FinishMessage{Status: status}) // a string always marshals
	if _, perr := e.streams.JS.Publish(fctx, natsbus.ResultSubject(e.runID, natsbus.ResultFinish), data); perr != nil {
		err = errors.Join(err, fmt.Errorf("publish run end: %w", perr))
	}
	if e.cfg.DB == nil { // planner only: the counts are the Done bucket's
		if n, derr := e.streams.DoneCount(fctx, e.runID); derr == nil {
			e.rep.Summary.Played = n - e.rep.Summary.Skipped
		}
		return e.stopRecording(err)
	}
	// The recorder, here or in "arena record" on the same file, writes the
	// end after the run's last verdict.
	err = errors.Join(err, e.awaitFinish(fctx))
	err = e.stopRecording(err)
	if err != nil {
		return err
	}
	return e.report(fctx)
}

// awaitFinish waits for the recorder to commit the run's end.
func (e *execution) awaitFinish(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		// The recorder may have ended the run itself on its last session;
		// this planner's own end (its status) is written once nothing of
		// the run is left in the results stream.
		r, err := e.cfg.DB.Run(ctx, e.runID)
		if err == nil && !r.FinishedAt.IsZero() {
			if left, lerr := e.streams.ResultCount(ctx, e.runID); lerr == nil && left == 0 {
				e.rep.Run = r
				return nil
			}
		}
		select {
		case err := <-e.recorderDone:
			e.recorderDone = nil
			return fmt.Errorf("recorder stopped before the run's end was written: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	return errors.New("the recorder did not write the run's end within 30s")
}

func (e *execution) stopRecording(err error) error {
	if e.stopRecorder == nil {
		return err
	}
	e.stopRecorder()
	if e.recorderDone != nil {
		if rerr := <-e.recorderDone; rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	return err
}

// report reads the run back from the file: leaderboard, violations, LLM
// use, the ranking, and the session counts.
func (e *execution) report(ctx context.Context) error {
	db, rep := e.cfg.DB, e.rep
	var err error
	if rep.Leaderboard, err = db.Leaderboard(ctx, e.runID); err != nil {
		return err
	}
	if rep.Kinds, err = db.ViolationKinds(ctx, e.runID); err != nil {
		return err
	}
	if rep.Usage, err = db.RunUsage(ctx, e.runID); err != nil {
		return err
	}
	s := &rep.Summary
	s.Played, s.OK, s.Errors, s.Timeouts, s.SimulatorFaults = 0, 0, 0, 0, 0
	for _, r := range rep.Leaderboard {
		s.Played += r.Sessions + r.SimulatorFaults
		s.OK += r.OK
		s.Errors += r.Errors
		s.Timeouts += r.Timeouts
		s.SimulatorFaults += r.SimulatorFaults
	}
	s.Played -= s.Skipped
	s.Cancelled = max(0, s.Planned-s.Skipped-s.Played)
	if s.Played+s.Skipped == 0 {
		return nil
	}
	board, err := ranking.Compute(ctx, db, ranking.Options{Runs: []string{e.runID}})
	if err != nil {
		return err
	}
	rep.Board = board
	return ranking.Store(ctx, db, e.runID, board)
}
