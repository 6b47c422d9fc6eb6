package llm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// maxBackoff caps the exponential wait between attempts (a longer
// Retry-After still wins).
const maxBackoff = 30 * time.Second

// retryDoer is the HTTPDoer go-openai sends through. go-openai neither
// retries nor exposes Retry-After, so this layer does both: each attempt
// gets its own timeout and request-rate slot; a 408, 429, 5xx, timeout or
// connection error is resent after max(backoff, Retry-After).
type retryDoer struct {
	http       *http.Client
	timeout    time.Duration
	maxRetries int
	backoff    time.Duration
	limit      *limiter
	log        *slog.Logger
	secret     redactor
}

// attempts counts the retries of one call, and notes whether anything was
// sent; Complete puts one in the ctx.
type attempts struct {
	retries atomic.Int32
	sent    atomic.Bool
}

type attemptsKey struct{}

func withAttempts(ctx context.Context) (context.Context, *attempts) {
	a := &attempts{}
	return context.WithValue(ctx, attemptsKey{}, a), a
}

// transportError marks an error from sending, as opposed to one go-openai
// made from a reply.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// Do sends req until it succeeds, fails for good, or runs out of retries,
// and returns the last response or error. Bodies come back fully read.
func (d *retryDoer) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	tries, _ := ctx.Value(attemptsKey{}).(*attempts)
	if tries != nil {
		tries.sent.Store(true)
	}
	bo := &backoff.ExponentialBackOff{
		InitialInterval: d.backoff, RandomizationFactor: 0.5, Multiplier: 2, MaxInterval: maxBackoff,
	}
	bo.Reset()
	for attempt := 0; ; attempt++ {
		resp, err := d.attempt(ctx, req)
		why, retry := retryable(ctx, resp, err)
		if !retry || attempt >= d.maxRetries || req.Body != nil && req.GetBody == nil {
			return resp, wrapTransport(err)
		}
		wait := max(bo.NextBackOff(), retryAfter(resp, time.Now()))
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			d.log.Warn("llm: no time left to retry", "reason", d.secret.text(why), "wait", wait)
			return resp, wrapTransport(err)
		}
		d.log.Debug("llm: retrying", "reason", d.secret.text(why), "attempt", attempt+1, "wait", wait)
		if err := sleep(ctx, wait); err != nil {
			return nil, &transportError{fmt.Errorf("wait to retry after %s: %w", d.secret.text(why), err)}
		}
		if tries != nil {
			tries.retries.Add(1)
		}
	}
}

func wrapTransport(err error) error {
	if err == nil {
		return nil
	}
	return &transportError{err}
}

// attempt sends req once, under its own timeout, and reads the whole body
// so the timeout covers it and the connection is free before any wait.
func (d *retryDoer) attempt(ctx context.Context, req *http.Request) (*http.Response, error) {
	if err := d.limit.request(ctx); err != nil {
		return nil, err
	}
	actx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	r := req.Clone(actx)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("rewind request body: %w", err)
		}
		r.Body = body
	}
	resp, err := d.http.Do(r)
	if err == nil {
		var body []byte
		body, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
	}
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		err = fmt.Errorf("attempt timed out after %s: %w", d.timeout, err)
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// retryable says whether an attempt's outcome is worth another try, and
// why.
func retryable(ctx context.Context, resp *http.Response, err error) (string, bool) {
	if ctx.Err() != nil {
		return "", false
	}
	if err != nil {
		return err.Error(), transient(err)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusRequestTimeout, s == http.StatusTooManyRequests, s >= 500:
		return "status " + strconv.Itoa(s), true
	}
	return "", false
}

// transient reports errors that another attempt may not repeat: timeouts,
// refused or reset connections, bodies cut short. Bad URLs and TLS
// failures are not.
func transient(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var ne net.Error
	return errors.As(err, &ne)
}

// retryAfter reads how long the server asked us to wait: retry-after-ms
// (OpenAI) or Retry-After in seconds or as an HTTP date, whichever is
// longer. No header or an unreadable one gives 0.
func retryAfter(resp *http.Response, now time.Time) time.Duration {
	if resp == nil {
		return 0
	}
	var wait time.Duration
	if ms, err := strconv.ParseFloat(strings.TrimSpace(resp.Header.Get("Retry-After-Ms")), 64); err == nil && ms > 0 {
		wait = time.Duration(ms * float64(time.Millisecond))
	}
	v := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		wait = max(wait, time.Duration(s*float64(time.Second)))
	} else if t, err := http.ParseTime(v); err == nil {
		wait = max(wait, t.Sub(now))
	}
	return wait
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
