package llm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/merchantarena/merchantarena/transcript"
)

// cacheKeyVersion changes when the key's inputs or the stored form change,
// so old entries are never misread.
const cacheKeyVersion = 1

// cacheable applies the request's CachePolicy.
func cacheable(req *Request) bool {
	switch req.Cache {
	case CacheOn:
		return true
	case CacheOff:
		return false
	}
	deterministic := req.Temperature != nil && *req.Temperature == 0 && req.Seed == nil
	return deterministic && (req.Role == RoleExtractor || req.Role == RoleJudge)
}

// keyDoc is everything that decides a reply, in canonical JSON.
type keyDoc struct {
	V           int                  `json:"v"`
	Model       string               `json:"model"`
	Messages    []transcript.Message `json:"messages"`
	Tools       []transcript.Tool    `json:"tools"`
	Schema      *Schema              `json:"schema"`
	Temperature *float64             `json:"temperature"`
	Seed        *int                 `json:"seed"`
	MaxTokens   int                  `json:"max_tokens"`
}

// cacheKey is the hex sha256 of the request's canonical JSON: struct
// fields in declaration order, embedded JSON (tool parameters, schema) with
// object keys sorted.
func cacheKey(model string, req *Request) (string, error) {
	doc := keyDoc{
		V: cacheKeyVersion, Model: model, Messages: req.Messages,
		Temperature: req.Temperature, Seed: req.Seed, MaxTokens: req.MaxTokens,
	}
	for _, t := range req.Tools {
		p, err := canonical(t.Function.Parameters)
		if err != nil {
			return "", fmt.Errorf("tool %s parameters: %w", t.Function.Name, err)
		}
		t.Function.Parameters = p
		doc.Tools = append(doc.Tools, t)
	}
	if req.Schema != nil {
		s := *req.Schema
		j, err := canonical(s.JSON)
		if err != nil {
			return "", fmt.Errorf("schema %s: %w", s.Name, err)
		}
		s.JSON = j
		doc.Schema = &s
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// canonical re-encodes JSON with sorted object keys and no spaces, keeping
// numbers exactly as written.
func canonical(raw json.RawMessage) (json.RawMessage, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// cached is the stored form of a reply.
type cached struct {
	Message      transcript.Message `json:"message"`
	Model        string             `json:"model"`
	FinishReason string             `json:"finish_reason"`
	Usage        Usage              `json:"usage"`
}

// cacheGet returns the stored reply for key, if any. Cache failures are
// logged and count as misses.
func (c *Client) cacheGet(ctx context.Context, key string) (*Response, bool) {
	b, ok, err := c.cfg.Cache.Get(ctx, key)
	if err != nil {
		c.log.Warn("llm: cache get failed", "key", key, "error", c.secret.err(err))
		return nil, false
	}
	if !ok {
		return nil, false
	}
	var v cached
	if err := json.Unmarshal(b, &v); err != nil {
		c.log.Warn("llm: cache entry unreadable", "key", key, "error", err)
		return nil, false
	}
	return &Response{
		Message: v.Message, Model: v.Model, FinishReason: v.FinishReason, Usage: v.Usage, Cached: true,
	}, true
}

func (c *Client) cachePut(ctx context.Context, key, model string, r *Response) {
	b, err := json.Marshal(cached{Message: r.Message, Model: r.Model, FinishReason: r.FinishReason, Usage: r.Usage})
	if err == nil {
		err = c.cfg.Cache.Put(ctx, key, model, b)
	}
	if err != nil {
		c.log.Warn("llm: cache put failed", "key", key, "error", c.secret.err(err))
	}
}

// MemoryCache is a Cache in a map, for tests and single runs. The zero
// value is ready to use.
type MemoryCache struct {
	mu sync.Mutex
	m  map[string][]byte
}

// Get returns the value stored under key.
func (m *MemoryCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.m[key]
	return v, ok, nil
}

// Put stores value under key.
func (m *MemoryCache) Put(_ context.Context, key, _ string, value []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string][]byte{}
	}
	m.m[key] = bytes.Clone(value)
	return nil
}

// Len returns how many entries are stored.
func (m *MemoryCache) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.m)
}

var _ Cache = (*MemoryCache)(nil)
