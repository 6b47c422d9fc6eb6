package llm_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/merchantarena/merchantarena/llm"
	"github.com/merchantarena/merchantarena/llm/llmtest"
)

func TestClient_Complete_retry(t *testing.T) {
	t.Parallel()
	t.Run("RetryAfterHonoured", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
			if r.N%3 == 0 {
				return llmtest.Status(http.StatusTooManyRequests).WithRetryAfter("1")
			}
			return llmtest.Text("ok")
		})
		c := llmtest.Client(t, srv, llm.Config{})
		for i := range 5 {
			if _, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleSimulator, Messages: user("hi")}); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		reqs := srv.Requests()
		if len(reqs) != 7 {
			t.Fatalf("server saw %d requests, want 7 (5 calls, 2 of them retried once)", len(reqs))
		}
		for i, r := range reqs[:len(reqs)-1] {
			if r.N%3 != 0 {
				continue
			}
			if gap := reqs[i+1].At.Sub(r.At); gap < time.Second {
				t.Errorf("request %d came %v after the 429 with Retry-After: 1", reqs[i+1].N, gap)
			}
		}
		if got := c.Totals()[llm.RoleSimulator].Retries; got != 2 {
			t.Errorf("Totals retries = %d, want 2", got)
		}
	})
	t.Run("RetryAfterHTTPDate", func(t *testing.T) {
		t.Parallel()
		var until time.Time
		srv := llmtest.NewServer(t, func(r *llmtest.Request) llmtest.Reply {
			if r.N == 1 {
				until = time.Now().Add(1500 * time.Millisecond).Truncate(time.Second).Add(time.Second)
				return llmtest.Status(http.StatusServiceUnavailable).WithRetryAfter(until.UTC().Format(http.TimeFormat))
			}
			return llmtest.Text("ok")
		})
		c := llmtest.Client(t, srv, llm.Config{})
		resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Retries != 1 {
			t.Errorf("retries = %d, want 1", resp.Retries)
		}
		if at := srv.Requests()[1].At; at.Before(until) {
			t.Errorf("retry arrived at %v, before the Retry-After date %v", at, until)
		}
	})
	t.Run("ServerErrorsThenSuccess", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, llmtest.Sequence(
			llmtest.Status(500), llmtest.Status(502), llmtest.Reply{Status: 503, Body: "<html>busy</html>"}, llmtest.Text("done"),
		))
		c := llmtest.Client(t, srv, llm.Config{})
		resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Message.Content != "done" || resp.Retries != 3 {
			t.Errorf("got %q after %d retries, want \"done\" after 3", resp.Message.Content, resp.Retries)
		}
	})
	t.Run("ErrExhausted", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Status(http.StatusServiceUnavailable) })
		c := llmtest.Client(t, srv, llm.Config{MaxRetries: 2})
		_, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleJudge, Messages: user("hi")})
		var se *llm.StatusError
		if !errors.As(err, &se) {
			t.Fatalf("error %v: want a *StatusError", err)
		}
		if se.Status != 503 || se.Retries != 2 || !strings.Contains(err.Error(), "503") {
			t.Errorf("error %q: want status 503 named, after 2 retries", err)
		}
		if n := srv.Count(); n != 3 {
			t.Errorf("server saw %d requests, want 3", n)
		}
		want := llm.Totals{Calls: 1, Retries: 2, Errors: 1}
		if got := c.Totals()[llm.RoleJudge]; got != want {
			t.Errorf("Totals = %+v, want %+v", got, want)
		}
	})
	t.Run("ErrClientStatusNotRetried", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Status(http.StatusBadRequest) })
		c := llmtest.Client(t, srv, llm.Config{})
		if _, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")}); err == nil {
			t.Fatal("Complete succeeded against a 400")
		}
		if n := srv.Count(); n != 1 {
			t.Errorf("server saw %d requests for a 400, want 1", n)
		}
	})
	t.Run("SlowReplyRetried", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, llmtest.Sequence(llmtest.Text("late").WithDelay(5*time.Second), llmtest.Text("prompt")))
		// The first reply outlasts any timeout; the timeout leaves the
		// instant second reply room even on a loaded machine.
		c := llmtest.Client(t, srv, llm.Config{Timeout: time.Second})
		resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Message.Content != "prompt" || resp.Retries < 1 {
			t.Errorf("got %q after %d retries, want \"prompt\" after a retry", resp.Message.Content, resp.Retries)
		}
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply { return llmtest.Text("late").WithDelay(5 * time.Second) })
		c := llmtest.Client(t, srv, llm.Config{Timeout: 50 * time.Millisecond, MaxRetries: 1})
		_, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "timed out") {
			t.Fatalf("error %v: want a timeout", err)
		}
		if n := srv.Count(); n != 2 {
			t.Errorf("server saw %d requests, want 2", n)
		}
	})
	t.Run("ErrConnectionRefused", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, nil)
		c := llmtest.Client(t, srv, llm.Config{MaxRetries: 2})
		srv.Close()
		resp, err := c.Complete(t.Context(), llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
		if err == nil {
			t.Fatalf("Complete against a closed server returned %+v", resp)
		}
		if got := c.Totals()[llm.RoleAgent].Retries; got != 2 {
			t.Errorf("retries = %d, want 2 (connection errors are retried): %v", got, err)
		}
	})
	t.Run("ErrCanceledWhileWaiting", func(t *testing.T) {
		t.Parallel()
		srv := llmtest.NewServer(t, func(*llmtest.Request) llmtest.Reply {
			return llmtest.Status(http.StatusTooManyRequests).WithRetryAfter("30")
		})
		c := llmtest.Client(t, srv, llm.Config{})
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Complete(ctx, llm.Request{Role: llm.RoleAgent, Messages: user("hi")})
		var se *llm.StatusError
		if !errors.As(err, &se) || se.Status != http.StatusTooManyRequests {
			t.Fatalf("error %v: want the 429, since Retry-After outlasts the deadline", err)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("gave up after %v; a Retry-After beyond the deadline should end the call at once", took)
		}
	})
}
