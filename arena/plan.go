package arena

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"hash/fnv"
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

// Is reports whether spec ("name" or "name@version") names the target.
func (t Target) Is(spec string) bool {
	return spec == t.Name || spec == t.Name+"@"+t.Version
}

// Job is one session to play: one trial of one persona against one build,
// with one merchant.
type Job struct {
	Run    string
	Card   *personas.Card
	Target Target
	Trial  int
	// Arm is the model that plays the merchant; empty for the verbatim
	// merchant.
	Arm string
	// Seed is the merchant's seed. It depends on persona and trial only,
	// so every build meets the same merchant and pairs compare.
	Seed int
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
	// Arms are the merchant models; each plays Trials trials. Empty: one
	// verbatim arm.
	Arms []string
}

// Jobs expands the plan, persona-major so that early results already cover
// every build. Trials are numbered across arms (arm a, trial t is trial
// a*Trials+t), so a session key stays run/persona/build/trial.
func (p *Plan) Jobs() []Job {
	arms := p.Arms
	if len(arms) == 0 {
		arms = []string{""}
	}
	trials := max(p.Trials, 1)
	var jobs []Job
	for a, arm := range arms {
		for t := range trials {
			trial := a*trials + t
			for i := range p.Cards {
				for _, target := range p.Targets {
					jobs = append(jobs, Job{Run: p.Run, Card: &p.Cards[i], Target: target, Trial: trial,
						Arm: arm, Seed: seed(p.Cards[i].ID, t)})
				}
			}
		}
	}
	return jobs
}

// seed derives a merchant seed from persona and trial: the same in every run
// and arm, so a run can be repeated and arms differ only by their model.
func seed(persona string, trial int) int {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%d", persona, trial)
	return int(h.Sum32() & 0x7fffffff)
}

// NewRunID returns a sortable, unique run ID: run-20261126-231607-3f9a.
func NewRunID(now time.Time) string {
	var b [2]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return fmt.Sprintf("run-%s-%s", now.UTC().Format("20060102-150405"), hex.EncodeToString(b[:]))
}

func msDuration(ms int64) time.Duration { return time.Duration(ms) * time.Millisecond }
