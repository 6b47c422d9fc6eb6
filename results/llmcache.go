package results

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// LLMCache is the LLM reply cache kept in the results file (table
// llm_cache), so that repeated trials and re-runs answer deterministic
// extractor and judge requests without spending. It satisfies llm.Cache.
// It is safe for concurrent use: Put goes through the file's one writer
// connection, Get through the read pool.
type LLMCache struct {
	db *DB
}

// LLMCache returns the reply cache of the results file.
func (db *DB) LLMCache() *LLMCache { return &LLMCache{db: db} }

// errNoKey refuses an empty cache key, which no request hashes to.
var errNoKey = errors.New("empty key")

// Get returns the value stored under key, and false with no error when
// there is none.
func (c *LLMCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	if key == "" {
		return nil, false, fmt.Errorf("llm cache get: %w", errNoKey)
	}
	var value []byte
	err := c.db.r.QueryRowContext(ctx, `SELECT value FROM llm_cache WHERE key = ?`, key).Scan(&value)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("llm cache get: %w", err)
	}
	if value == nil {
		value = []byte{} // an empty blob is a stored empty value, not a miss
	}
	return value, true, nil
}

// Put stores value under key for model, replacing what the key held
// (created_at becomes the time of this Put). Keys are the llm package's
// request hashes, which include the model; model is kept so that a
// person can see or prune what each model left.
func (c *LLMCache) Put(ctx context.Context, key, model string, value []byte) error {
	if key == "" {
		return fmt.Errorf("llm cache put: %w", errNoKey)
	}
	if value == nil {
		value = []byte{} // the column is NOT NULL; nil would bind as NULL
	}
	err := retryBusy(ctx, func() error {
		_, err := c.db.w.ExecContext(ctx, `
			INSERT INTO llm_cache (key, model, value, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET
				model = excluded.model, value = excluded.value, created_at = excluded.created_at`,
			key, model, value, sqlTime(c.db.Now()))
		return err
	})
	if err != nil {
		return fmt.Errorf("llm cache put %s: %w", model, err)
	}
	return nil
}
