package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// stmtCache keeps one prepared statement per query text for a pool:
// database/sql prepares a *sql.Stmt on each connection that runs it and
// keeps it there, so SQLite parses a query once per connection instead
// of on every call (parsing was a fifth of an IndexedDB get's time). Only
// the first maxCachedStmts distinct texts are kept; others run
// unprepared, so queries built with varying text cannot grow it without
// bound. PostgreSQL's driver (pgx) caches statements per connection by
// itself, so the cache serves SQLite pools only.
type stmtCache struct {
	db      *sql.DB
	mu      sync.Mutex
	m       map[string]*sql.Stmt
	pending map[string]bool // being prepared by prepareLater
	wg      sync.WaitGroup  // prepareLater's goroutines
}

const maxCachedStmts = 512

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt), pending: make(map[string]bool)}
}

// get returns the statement for query, preparing it on first use; nil
// when it is not cached (the cache is full, or preparing failed: the
// caller runs the text itself and gets the error there).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok { // prepared meanwhile by another caller
		st.Close()
		return old
	}
	if len(c.m) >= maxCachedStmts {
		st.Close()
		return nil
	}
	c.m[query] = st
	return st
}

// cached returns the statement for query if it is cached, without
// preparing it.
func (c *stmtCache) cached(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// prepareLater prepares query on its own goroutine, for a caller inside
// a transaction, which must not wait for another connection (see
// ops.stmt): the statement is there for the calls after it.
func (c *stmtCache) prepareLater(query string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if c.pending[query] || c.m[query] != nil || len(c.m)+len(c.pending) >= maxCachedStmts {
		c.mu.Unlock()
		return
	}
	c.pending[query] = true
	c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c.get(ctx, query)
		c.mu.Lock()
		delete(c.pending, query)
		c.mu.Unlock()
	}()
}

// cachedCount returns how many statements are cached.
func (c *stmtCache) cachedCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// close waits for the statements being prepared and closes every cached
// one.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}
