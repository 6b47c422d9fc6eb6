package gate

import (
	"fmt"
	"math"
	"strings"
)

// Defaults of a zero Config.
const (
	DefaultMargin    = 0.02
	DefaultAlpha     = 0.05
	DefaultResamples = 10000
	DefaultSeed      = 1
	DefaultPower     = 0.8
)

// Config is what a decision is asked: which builds, on which runs, with
// which margins and bootstrap. A zero field takes its default.
type Config struct {
	// Runs are the run IDs to read; empty: the latest run in which both
	// builds played.
	Runs []string `json:"runs"`
	// Baseline and Candidate are builds, "name" or "name@version". A bare
	// name stands for the one version of it the runs hold (other than the
	// other side's).
	Baseline  string `json:"baseline"`
	Candidate string `json:"candidate"`
	// Margin is how much lower a metric's mean may be, at worst, for the
	// candidate to count as no worse (default 0.02). It must be positive:
	// a zero margin would ask the candidate to prove an improvement.
	Margin float64 `json:"margin"`
	// Margins overrides Margin per metric ("success", "score" or a
	// criterion name).
	Margins map[string]float64 `json:"margins,omitempty"`
	// Alpha is the one-sided level of the lower bounds (default 0.05).
	Alpha float64 `json:"alpha"`
	// Resamples is the bootstrap's (default 10,000); Seed its random seed
	// (0 means 1), recorded so that a decision can be re-derived.
	Resamples int    `json:"resamples"`
	Seed      uint64 `json:"seed"`
	// Power is the chance the suite should have of detecting a drop of
	// one margin (default 0.8).
	Power float64 `json:"power"`
	// RequireCalibrated makes the decision undecided, with the reasons,
	// when an LLM judge it relies on is uncalibrated or failed its last
	// calibration (see RequireCalibrated).
	RequireCalibrated bool `json:"require_calibrated,omitempty"`
}

// ConfigError is a Config the gate cannot work with: a bad field, an
// unknown run, or a build name that is ambiguous in the runs.
type ConfigError struct {
	Field string // such as "margin", "runs", "baseline"
	Msg   string
}

func (e *ConfigError) Error() string { return "gate " + e.Field + ": " + e.Msg }

func configErr(field, format string, args ...any) *ConfigError {
	return &ConfigError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

// withDefaults fills zero fields and checks the rest.
func (c Config) withDefaults() (Config, error) {
	if c.Margin == 0 {
		c.Margin = DefaultMargin
	}
	if c.Alpha == 0 {
		c.Alpha = DefaultAlpha
	}
	if c.Resamples == 0 {
		c.Resamples = DefaultResamples
	}
	if c.Seed == 0 {
		c.Seed = DefaultSeed
	}
	if c.Power == 0 {
		c.Power = DefaultPower
	}
	c.Baseline, c.Candidate = strings.TrimSpace(c.Baseline), strings.TrimSpace(c.Candidate)
	return c, c.check()
}

func (c Config) check() error {
	switch {
	case c.Baseline == "":
		return configErr("baseline", "name the production build (name or name@version)")
	case c.Candidate == "":
		return configErr("candidate", "name the build to decide on (name or name@version)")
	case c.Baseline == c.Candidate:
		return configErr("candidate", "%q is the baseline too; compare two different builds", c.Candidate)
	case !positive(c.Margin) || c.Margin >= 1:
		return configErr("margin", "%g: use a number between 0 and 1, such as 0.02", c.Margin)
	case !(c.Alpha > 0 && c.Alpha < 0.5):
		return configErr("alpha", "%g: use a level between 0 and 0.5, such as 0.05", c.Alpha)
	case c.Resamples < 100:
		return configErr("resamples", "%d: use at least 100 (default 10000)", c.Resamples)
	case !(c.Power > 0 && c.Power < 1):
		return configErr("power", "%g: use a probability between 0 and 1, such as 0.8", c.Power)
	}
	for m, v := range c.Margins {
		if !positive(v) || v >= 1 {
			return configErr("margins", "%s=%g: use a number between 0 and 1", m, v)
		}
	}
	return nil
}

func positive(v float64) bool { return v > 0 && !math.IsInf(v, 0) }

// margin is metric m's margin.
func (c Config) margin(m string) float64 {
	if v, ok := c.Margins[m]; ok {
		return v
	}
	return c.Margin
}
