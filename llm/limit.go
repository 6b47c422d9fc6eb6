package llm

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// limiter paces what the client sends. Requests are paced one at a time
// (burst 1, every attempt counts, retries included) because providers
// enforce per-minute limits over shorter windows. Tokens may burst up to a
// minute's worth; each call takes its estimate before it is sent and the
// shortfall, if the reply used more, after.
type limiter struct {
	requests *rate.Limiter // nil: unlimited
	tokens   *rate.Limiter // nil: unlimited
}

func newLimiter(rpm, tpm int) *limiter {
	l := &limiter{}
	if rpm > 0 {
		l.requests = rate.NewLimiter(rate.Limit(float64(rpm)/60), 1)
	}
	if tpm > 0 {
		l.tokens = rate.NewLimiter(rate.Limit(float64(tpm)/60), tpm)
	}
	return l
}

// request waits for the next request slot.
func (l *limiter) request(ctx context.Context) error {
	if l.requests == nil {
		return nil
	}
	if err := l.requests.Wait(ctx); err != nil {
		return fmt.Errorf("wait for request rate limit: %w", err)
	}
	return nil
}

// take waits until n tokens may be spent. A call larger than a minute's
// budget waits for the whole budget rather than failing.
func (l *limiter) take(ctx context.Context, n int) error {
	if l.tokens == nil || n <= 0 {
		return nil
	}
	if err := l.tokens.WaitN(ctx, min(n, l.tokens.Burst())); err != nil {
		return fmt.Errorf("wait for token rate limit (%d tokens): %w", n, err)
	}
	return nil
}

// settle charges tokens used beyond the estimate; later calls wait for
// them. Overestimates are not refunded: x/time/rate cannot give tokens back
// once a reservation has been consumed.
func (l *limiter) settle(estimated, actual int) {
	if l.tokens == nil || actual <= estimated {
		return
	}
	l.tokens.ReserveN(time.Now(), min(actual-estimated, l.tokens.Burst()))
}

// estimateTokens guesses a request's tokens before sending it: about one
// token per four characters of everything sent, plus the reply limit.
func estimateTokens(req *Request) int {
	n := 0
	for _, m := range req.Messages {
		n += len(m.Content) + len(m.ToolCallID) + len(m.Name)
		for _, c := range m.ToolCalls {
			n += len(c.ID) + len(c.Function.Name) + len(c.Function.Arguments)
		}
	}
	for _, t := range req.Tools {
		n += len(t.Function.Name) + len(t.Function.Description) + len(t.Function.Parameters)
	}
	if req.Schema != nil {
		n += len(req.Schema.JSON)
	}
	return n/4 + req.MaxTokens
}
