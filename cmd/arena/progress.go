package main

import (
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/merchantarena/merchantarena/arena"
)

// progress draws a bar on a terminal and nothing elsewhere, so logs and
// piped output stay clean.
type progress struct {
	mu   sync.Mutex
	bar  *progressbar.ProgressBar
	m    *Main
	what string
	done bool
}

func (m *Main) newProgress(what string) *progress { return &progress{m: m, what: what} }

func (p *progress) update(done, total int, _ *arena.Outcome) {
	if !p.m.IsTerminal {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.m.Stderr),
			progressbar.OptionSetDescription(p.what),
			progressbar.OptionShowCount(),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
		)
	}
	_ = p.bar.Set(done) // drawing to stderr; a failed draw loses nothing
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil && !p.done {
		_ = p.bar.Finish() // see update
	}
	p.done = true
}
