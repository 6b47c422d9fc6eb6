package llm

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// Client calls one OpenAI-compatible endpoint for the whole program. It is
// safe for concurrent use.
type Client struct {
	cfg      Config
	api      *openai.Client
	log      *slog.Logger
	secret   redactor
	prices   priceTable
	limit    *limiter
	ledger   *ledger
	unpriced sync.Map // models already warned about
	schemas  sync.Map // schema JSON → compiled schema
}

// New checks cfg, fills its defaults (see Config) and builds a Client. It
// returns ErrNotConfigured when cfg has neither BaseURL nor APIKey.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	c := &Client{
		cfg:    cfg,
		log:    cfg.Logger,
		secret: redactor(cfg.APIKey),
		prices: newPriceTable(cfg.Prices),
		limit:  newLimiter(cfg.RequestsPerMinute, cfg.TokensPerMinute),
		ledger: newLedger(),
	}
	oc := openai.DefaultConfig(cfg.APIKey)
	oc.BaseURL = cfg.BaseURL
	// Arena workers call concurrently; keep a connection per worker alive
	// instead of net/http's default two per host.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	oc.HTTPClient = &retryDoer{
		// No client timeout: each attempt has its own, from the ctx.
		http:       &http.Client{Transport: transport},
		timeout:    cfg.Timeout,
		maxRetries: cfg.MaxRetries,
		backoff:    cfg.Backoff,
		limit:      c.limit,
		log:        cfg.Logger,
		secret:     c.secret,
	}
	c.api = openai.NewClientWithConfig(oc)
	return c, nil
}

// ModelFor returns the model role's requests go to.
func (c *Client) ModelFor(role Role) string {
	if m := c.cfg.Models[role]; m != "" {
		return m
	}
	return c.cfg.Model
}

// Totals returns a copy of the per-role totals so far. Calls counts every
// Complete, cache hits and failures included; tokens and cost count only
// what was sent.
func (c *Client) Totals() map[Role]Totals { return c.ledger.snapshot() }

// Complete sends one chat completion and returns the assistant's reply.
//
// A cacheable request (see CachePolicy) is answered from Config.Cache when
// it can be, sending nothing. Otherwise the budget is checked (ErrBudget),
// the rate limiter waited for, and the request sent, with retries; an
// error status that outlasts them comes back as a *StatusError. A ctx
// without a deadline gets one long enough for every attempt. Each call is
// counted in Totals and passed to Config.OnCall.
func (c *Client) Complete(ctx context.Context, req Request) (*Response, error) {
	start := time.Now()
	model := req.Model
	if model == "" {
		model = c.ModelFor(req.Role)
	}
	resp, retries, err := c.complete(ctx, &req, model)
	if err != nil {
		err = c.secret.err(fmt.Errorf("llm %s call to %s: %w", req.Role, model, err))
		resp = nil
	} else {
		resp.Retries = retries
		resp.Latency = time.Since(start)
	}
	c.record(&req, model, start, resp, retries, err)
	return resp, err
}

// complete does the work of Complete and reports the retries it made, even
// when it fails.
func (c *Client) complete(ctx context.Context, req *Request, model string) (*Response, int, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.cfg.callTimeout())
		defer cancel()
	}
	key, err := c.key(req, model)
	if err != nil {
		return nil, 0, err
	}
	if key != "" {
		if resp, ok := c.cacheGet(ctx, key); ok {
			return resp, 0, nil
		}
	}
	if err := c.ledger.budget(c.cfg.MaxCost, c.cfg.MaxTokens); err != nil {
		return nil, 0, err
	}
	estimate := estimateTokens(req)
	if err := c.limit.take(ctx, estimate); err != nil {
		return nil, 0, err
	}
	resp, retries, err := c.send(ctx, req, model)
	if err != nil {
		return nil, retries, err
	}
	c.limit.settle(estimate, resp.Usage.Total())
	resp.Cost = c.cost(model, resp.Model, resp.Usage)
	if key != "" {
		c.cachePut(ctx, key, model, resp)
	}
	return resp, retries, nil
}

// key returns the cache key of req, or "" when it is not to be cached.
func (c *Client) key(req *Request, model string) (string, error) {
	if c.cfg.Cache == nil || !cacheable(req) {
		return "", nil
	}
	key, err := cacheKey(model, req)
	if err != nil {
		return "", fmt.Errorf("cache key: %w", err)
	}
	return key, nil
}

// send makes the HTTP call through go-openai and the retrying doer.
func (c *Client) send(ctx context.Context, req *Request, model string) (*Response, int, error) {
	ctx, tries := withAttempts(ctx)
	out, err := c.api.CreateChatCompletion(ctx, chatRequest(model, req))
	retries := int(tries.retries.Load())
	if err != nil {
		var te *transportError
		if errors.As(err, &te) {
			return nil, retries, fmt.Errorf("send (%d retries): %w", retries, te.err)
		}
		if se, ok := statusError(err, retries, c.secret); ok {
			return nil, retries, se
		}
		if !tries.sent.Load() {
			return nil, retries, fmt.Errorf("build request: %w", err)
		}
		return nil, retries, fmt.Errorf("read reply: %w", err)
	}
	resp, err := fromChat(&out)
	if err != nil {
		return nil, retries, fmt.Errorf("read reply: %w", err)
	}
	return resp, retries, nil
}
