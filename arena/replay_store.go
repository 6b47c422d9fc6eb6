package arena

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/merchantarena/merchantarena/judges"
	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
	"github.com/merchantarena/merchantarena/simulator"
)

// ErrNotReplay is returned by LoadReplay for a run that is not a replay.
var ErrNotReplay = errors.New("not a replay run")

// replaySettings is what the run's Config holds beside the caller's
// settings, under "replay": enough to query replays with json_extract.
type replaySettings struct {
	Mode          string            `json:"mode"`
	Prefix        int               `json:"prefix,omitempty"`
	Trials        int               `json:"trials"`
	Builds        []string          `json:"builds"`
	Conversations []string          `json:"conversations"`
	Path          map[string]string `json:"path"`
	Agreement     *LabelAgreement   `json:"agreement,omitempty"`
}

// path says which part played how.
func (rp *replayer) path() map[string]string {
	if rp.client == nil {
		return map[string]string{"personas": personas.HeuristicVersion, "merchant": "verbatim",
			"judges": judges.ProceduralVersion, "sandbox": "recorded where the log's tools are foreign"}
	}
	merchant := simulator.PromptVersion + ":" + rp.client.ModelFor(llm.RoleSimulator)
	if rp.cfg.Prefix > 0 {
		merchant = fmt.Sprintf("verbatim for %d turn(s), then %s", rp.cfg.Prefix, merchant)
	}
	return map[string]string{
		"personas": personas.LLMVersion + ":" + rp.client.ModelFor(llm.RoleExtractor),
		"merchant": merchant,
		"judges": judges.ProceduralVersion + "+" + judges.DefaultRubric().Version + "+" + judges.JudgePromptVersion +
			":" + rp.client.ModelFor(llm.RoleJudge),
		"sandbox": "recorded where the log's tools are foreign",
	}
}

// store writes the replay as a run of mode RunModeReplay: settings and
// agreement in its Config, the whole result in its Notes (for LoadReplay),
// personas, builds, every played session, and the model calls.
func (rp *replayer) store(ctx context.Context, res *ReplayResult) error {
	db, now := rp.cfg.DB, rp.cfg.Now()
	config, notes, err := replayRecord(rp.cfg.Settings, res)
	if err != nil {
		return err
	}
	res.Run = results.Run{ID: rp.runID, Mode: RunModeReplay, Status: results.RunDone, StartedAt: now,
		FinishedAt: now, Config: config, Notes: string(notes)}
	if len(rp.outcomes) > 0 {
		res.Run.StartedAt = rp.outcomes[0].Started
	}
	if err := db.PutRun(ctx, res.Run); err != nil {
		return err
	}
	cards := make([]personas.Card, 0, len(rp.convs))
	for _, c := range rp.convs {
		cards = append(cards, *rp.cards[c.ID])
	}
	var targets []Target
	for _, o := range rp.outcomes {
		targets = append(targets, o.Job.Target)
	}
	ps, cs := planRecords(cards, targets)
	if err := db.PutPersonas(ctx, ps); err != nil {
		return err
	}
	if err := db.PutCandidates(ctx, cs); err != nil {
		return err
	}
	if err := db.WriteSessions(ctx, rp.sessionRecords()); err != nil {
		return err
	}
	return db.WriteLLMCalls(ctx, rp.runID, rp.unsessionedCalls())
}

// unsessionedCalls are the model calls no played session carries:
// persona extraction and the judging of the originals.
func (rp *replayer) unsessionedCalls() []llm.Call {
	played := map[string]bool{}
	for _, o := range rp.outcomes {
		played[o.Job.Key().String()] = true
	}
	var out []llm.Call
	for s, calls := range rp.calls {
		if !played[s] {
			out = append(out, calls...)
		}
	}
	return out
}

func replayRecord(settings map[string]any, res *ReplayResult) (config, notes []byte, err error) {
	rs := replaySettings{Mode: res.Mode, Prefix: res.Prefix, Trials: res.Trials, Builds: res.Builds,
		Path: res.Path, Agreement: res.Agreement}
	for _, c := range res.Conversations {
		rs.Conversations = append(rs.Conversations, c.ID)
	}
	all := map[string]any{}
	for k, v := range settings {
		all[k] = v
	}
	all["replay"] = rs
	if config, err = json.Marshal(all); err != nil {
		return nil, nil, fmt.Errorf("replay settings: %w", err)
	}
	if notes, err = json.Marshal(res); err != nil {
		return nil, nil, fmt.Errorf("encode replay: %w", err)
	}
	return config, notes, nil
}

// LoadReplay reads a stored replay back, as Replay returned it. id may be
// "latest" for the newest replay in the file. A run that is not a replay
// is an error wrapping ErrNotReplay.
func LoadReplay(ctx context.Context, db *results.DB, id string) (*ReplayResult, error) {
	run, err := replayRun(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if run.Mode != RunModeReplay {
		return nil, fmt.Errorf("run %s is a %q run: %w", run.ID, run.Mode, ErrNotReplay)
	}
	var res ReplayResult
	if err := json.Unmarshal([]byte(run.Notes), &res); err != nil {
		return nil, fmt.Errorf("run %s: read stored replay: %w", run.ID, err)
	}
	res.Run = run
	return &res, nil
}

func replayRun(ctx context.Context, db *results.DB, id string) (results.Run, error) {
	if id != "latest" {
		return db.Run(ctx, id)
	}
	runs, err := db.Runs(ctx)
	if err != nil {
		return results.Run{}, err
	}
	for _, r := range runs {
		if r.Mode == RunModeReplay {
			return r, nil
		}
	}
	return results.Run{}, fmt.Errorf("latest replay: %w", results.ErrNoRuns)
}
