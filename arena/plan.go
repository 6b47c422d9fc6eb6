package arena

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/merchantarena/merchantarena/personas"
	"github.com/merchantarena/merchantarena/results"
)

// Target is one build to play, as discovered on the bus.
type Target struct {
	Name    string
	Version string
	Subject string // the build's turn subject
	Kind    string // "reference" or "external"
}

// Job is one session to play: one trial of one persona against one build.
type Job struct {
	Run    string
	Card   *personas.Card
	Target Target
	Trial  int
}

// Key identifies a job across restarts; its String form
// (run/persona/build@version/trial) names the session on the wire.
func (j Job) Key() results.SessionKey {
	return results.SessionKey{Run: j.Run, Persona: j.Card.ID, Candidate: j.Target.Name, Version: j.Target.Version, Trial: j.Trial}
}

// Plan is the set of sessions of a run.
type Plan struct {
	Run     string
	Cards   []personas.Card
	Targets []Target
	Trials  int
}

// Jobs expands the plan, persona-major so that early results already cover
// every build.
func (p *Plan) Jobs() []Job {
	var jobs []Job
	for trial := range max(p.Trials, 1) {
		for i := range p.Cards {
			for _, t := range p.Targets {
				jobs = append(jobs, Job{Run: p.Run, Card: &p.Cards[i], Target: t, Trial: trial})
			}
		}
	}
	return jobs
}

// NewRunID returns a sortable, unique run ID: run-20261126-231607-3f9a.
func NewRunID(now time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return fmt.Sprintf("run-%s-%s", now.UTC().Format("20060102-150405"), hex.EncodeToString(b[:]))
}
