package llm

import (
	"fmt"
	"sync"
	"time"
)

// ledger keeps the per-role totals and what the run has spent.
type ledger struct {
	mu     sync.Mutex
	totals map[Role]Totals
	cost   float64
	tokens int64
}

func newLedger() *ledger { return &ledger{totals: map[Role]Totals{}} }

// budget returns ErrBudget, wrapped with the limit and the numbers, once
// either limit is spent. Calls already in flight may overshoot it.
func (l *ledger) budget(maxCost float64, maxTokens int64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if maxCost > 0 && l.cost >= maxCost {
		return fmt.Errorf("%w: cost limit: spent $%.4f of $%.4f", ErrBudget, l.cost, maxCost)
	}
	if maxTokens > 0 && l.tokens >= maxTokens {
		return fmt.Errorf("%w: token limit: spent %d of %d tokens", ErrBudget, l.tokens, maxTokens)
	}
	return nil
}

// add counts one Complete. Cache hits count as calls and hits but spend
// nothing.
func (l *ledger) add(call Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	t := l.totals[call.Role]
	t.Calls++
	t.Retries += call.Retries
	if call.Cached {
		t.CacheHits++
	}
	if call.Err != "" {
		t.Errors++
	}
	t.PromptTokens += int64(call.PromptTokens)
	t.CompletionTokens += int64(call.CompletionTokens)
	t.Cost += call.Cost
	l.totals[call.Role] = t
	l.tokens += int64(call.PromptTokens + call.CompletionTokens)
	l.cost += call.Cost
}

func (l *ledger) snapshot() map[Role]Totals {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[Role]Totals, len(l.totals))
	for r, t := range l.totals {
		out[r] = t
	}
	return out
}

// record builds the call log entry of one Complete, counts it and hands it
// to OnCall. resp may be nil on error; a cache hit spends no tokens.
func (c *Client) record(req *Request, model string, start time.Time, resp *Response, retries int, err error) {
	call := Call{
		Role: req.Role, Model: model, Session: req.Session, Retries: retries,
		Latency: time.Since(start), At: start,
	}
	if resp != nil {
		call.Cached = resp.Cached
		if !resp.Cached {
			call.PromptTokens = resp.Usage.PromptTokens
			call.CompletionTokens = resp.Usage.CompletionTokens
			call.Cost = resp.Cost
		}
	}
	if err != nil {
		call.Err = err.Error()
	}
	c.ledger.add(call)
	if c.cfg.OnCall != nil {
		c.cfg.OnCall(call)
	}
}

// cost prices usage by the requested model, then by the model the server
// named; an unknown model costs 0 and is logged once.
func (c *Client) cost(requested, served string, u Usage) float64 {
	if p, ok := c.prices.lookup(requested); ok {
		return p.Cost(u)
	}
	if p, ok := c.prices.lookup(served); ok {
		return p.Cost(u)
	}
	if _, seen := c.unpriced.LoadOrStore(requested, true); !seen {
		c.log.Warn("llm: no price for model; its calls cost 0", "model", requested, "served", served)
	}
	return 0
}
