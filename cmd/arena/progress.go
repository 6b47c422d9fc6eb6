package main

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/merchantarena/merchantarena/arena"
	"github.com/merchantarena/merchantarena/judges"
)

// progressEvery is how often progress is logged off a terminal.
const progressEvery = 10 * time.Second

// progress draws a bar on a terminal (done/total, rate, ETA, failures);
// elsewhere, given a logger, it logs a line every progressEvery, so piped
// output stays clean and a CI log still shows the run moving.
type progress struct {
	mu     sync.Mutex
	bar    *progressbar.ProgressBar
	m      *Main
	what   string
	done   bool
	logger *slog.Logger
	start  time.Time
	last   time.Time
	failed int
}

func (m *Main) newProgress(what string) *progress {
	return &progress{m: m, what: what, start: time.Now(), last: time.Now()}
}

// logTo makes the progress log off a terminal.
func (p *progress) logTo(l *slog.Logger) *progress {
	p.logger = l
	return p
}

// update takes done of total (total < 0: unknown, as for a worker) and
// the session just finished, if any.
func (p *progress) update(done, total int, o *arena.Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	if o != nil && o.Status != judges.StatusOK {
		p.failed++
	}
	if !p.m.IsTerminal {
		p.log(done, total)
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.m.Stderr),
			progressbar.OptionSetDescription(p.what),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(p.what),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
		)
	}
	if p.failed > 0 {
		p.bar.Describe(fmt.Sprintf("%s (%d failed)", p.what, p.failed))
	}
	_ = p.bar.Set(done) // drawing to stderr; a failed draw loses nothing
}

func (p *progress) log(done, total int) {
	now := time.Now()
	if p.logger == nil || (now.Sub(p.last) < progressEvery && done != total) {
		return
	}
	p.last = now
	rate := float64(done) / now.Sub(p.start).Seconds()
	args := []any{"done", done, "failed", p.failed, "rate", fmt.Sprintf("%.1f/s", rate)}
	if total >= 0 {
		args = append(args, "total", total)
		if rate > 0 && done < total {
			args = append(args, "eta", time.Duration(float64(total-done)/rate*float64(time.Second)).Round(time.Second))
		}
	}
	p.logger.Info(p.what, args...)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil && !p.done {
		_ = p.bar.Finish() // see update
	}
	p.done = true
}
