package cachestorage

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/quota"
	"github.com/swhost/swhost/weberr"
)

// Cache is one named cache of an origin (the spec's "request response
// list"), as returned by [CacheStorage.Open]. Several Cache values may refer
// to the same cache; all see the same entries.
type Cache struct {
	storage *CacheStorage
	id      int64
	name    string
}

// Name returns the cache's name.
func (c *Cache) Name() string { return c.name }

// Match returns the first cached response whose request matches req, or
// nil, nil when none does.
func (c *Cache) Match(ctx context.Context, req *fetch.Request, opts MatchOptions) (*fetch.Response, error) {
	if req == nil {
		return nil, weberr.New(weberr.TypeError, "Cache.match(): request is missing")
	}
	if !queryAllowed(req, opts) {
		return nil, nil
	}
	var resp *fetch.Response
	err := c.view(ctx, func(tx Tx) error {
		e, err := queryFirst(tx, c.id, req, opts)
		if e != nil {
			resp = e.Response.Clone()
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("Cache.match(%s): %w", req.URL, err)
	}
	return resp, nil
}

// MatchAll returns the cached responses whose requests match req, in
// insertion order; every response when req is nil.
func (c *Cache) MatchAll(ctx context.Context, req *fetch.Request, opts MatchOptions) ([]*fetch.Response, error) {
	entries, err := c.query(ctx, req, opts)
	if err != nil {
		return nil, fmt.Errorf("Cache.matchAll(): %w", err)
	}
	out := make([]*fetch.Response, len(entries))
	for i, e := range entries {
		out[i] = e.Response.Clone()
	}
	return out, nil
}

// Keys returns the cached requests that match req, in insertion order;
// every request when req is nil.
func (c *Cache) Keys(ctx context.Context, req *fetch.Request, opts MatchOptions) ([]*fetch.Request, error) {
	entries, err := c.query(ctx, req, opts)
	if err != nil {
		return nil, fmt.Errorf("Cache.keys(): %w", err)
	}
	out := make([]*fetch.Request, len(entries))
	for i, e := range entries {
		out[i] = e.Request.Clone()
	}
	return out, nil
}

// Put stores resp for req, replacing the entries req matches (taking their
// responses' Vary into account, as Batch Cache Operations does). It fails
// with a TypeError when req is not a GET request for an http(s) URL, when
// resp is a network error or a 206 Partial Content response, or when resp
// has "Vary: *"; with a QuotaExceededError beyond the limits.
func (c *Cache) Put(ctx context.Context, req *fetch.Request, resp *fetch.Response) error {
	if err := checkPut("Cache.put()", req, resp); err != nil {
		return err
	}
	return c.batch(ctx, "Cache.put()", []operation{{put: true, req: req, resp: resp}}, nil)
}

// Delete removes the entries whose requests match req and reports whether
// there were any.
func (c *Cache) Delete(ctx context.Context, req *fetch.Request, opts MatchOptions) (bool, error) {
	if req == nil {
		return false, weberr.New(weberr.TypeError, "Cache.delete(): request is missing")
	}
	if !queryAllowed(req, opts) {
		return false, nil
	}
	var deleted int
	err := c.batch(ctx, "Cache.delete()", []operation{{req: req, opts: opts}}, &deleted)
	return deleted > 0, err
}

// operation is the spec's "cache batch operation": a put or a delete.
type operation struct {
	put  bool
	req  *fetch.Request
	resp *fetch.Response
	opts MatchOptions // delete only
}

// checkPut validates a request/response pair about to be stored.
func checkPut(where string, req *fetch.Request, resp *fetch.Response) error {
	if req == nil {
		return weberr.Errorf(weberr.TypeError, "%s: request is missing", where)
	}
	if !isHTTPScheme(req.URL) {
		return weberr.Errorf(weberr.TypeError, "%s: request URL %q is not http or https", where, req.URL)
	}
	if m := req.MethodOrGet(); m != http.MethodGet {
		return weberr.Errorf(weberr.TypeError, "%s: request method is %s, only GET requests can be cached", where, m)
	}
	return checkResponse(where, req, resp, false)
}

// checkResponse validates a response about to be stored for req. okOnly is
// addAll's stricter rule: only 2xx responses.
func checkResponse(where string, req *fetch.Request, resp *fetch.Response, okOnly bool) error {
	switch {
	case resp == nil:
		return weberr.Errorf(weberr.TypeError, "%s: response for %s is missing", where, req.URL)
	case resp.IsNetworkError():
		return weberr.Errorf(weberr.TypeError, "%s: response for %s is a network error", where, req.URL)
	case resp.Status == http.StatusPartialContent:
		return weberr.Errorf(weberr.TypeError, "%s: response for %s is a 206 partial response", where, req.URL)
	case okOnly && !resp.OK():
		return weberr.Errorf(weberr.TypeError, "%s: response for %s has status %d, not 200-299", where, req.URL, resp.Status)
	case hasVaryStar(resp.Header):
		return weberr.Errorf(weberr.TypeError, "%s: response for %s has Vary: *", where, req.URL)
	}
	return nil
}

func isHTTPScheme(u string) bool {
	i := strings.IndexByte(u, ':')
	if i < 0 {
		return false
	}
	s := u[:i]
	return strings.EqualFold(s, "http") || strings.EqualFold(s, "https")
}

// batch runs the spec's "Batch Cache Operations" in one backend
// transaction: all operations apply, or none. deleted, when not nil,
// receives the number of entries delete operations removed.
func (c *Cache) batch(ctx context.Context, where string, ops []operation, deleted *int) error {
	// Copy what will be stored outside the transaction's lock.
	stored := make([]Entry, len(ops))
	for i, op := range ops {
		if op.put {
			// A streamed body is stored whole: it is read here, within the
			// origin's quota.
			if err := op.resp.ReadBody(max(c.storage.store.limits.MaxOriginBytes, 0)); err != nil {
				return fmt.Errorf("%s: %w", where, err)
			}
			req := op.req.Clone()
			req.Body = nil
			req.Method = http.MethodGet
			stored[i] = Entry{Request: req, Response: op.resp.Clone(), Size: EntrySize(c.storage.origin, req, op.resp)}
		}
	}
	limits := c.storage.store.limits
	err := c.storage.store.backend.Update(ctx, c.storage.origin, func(tx Tx) error {
		if deleted != nil {
			*deleted = 0
		}
		exists, err := cacheExists(tx, c.id)
		if err != nil {
			return err
		}
		if !exists {
			return weberr.Errorf(weberr.InvalidStateError, "%s: cache %q was deleted", where, c.name)
		}
		var added []Entry
		for i, op := range ops {
			// An operation matching an entry added earlier in the batch
			// would make the batch's result depend on its order.
			opts := op.opts
			if op.put {
				opts = MatchOptions{}
			}
			for _, a := range added {
				if requestMatches(op.req, a.Request, a.Response, opts) {
					return weberr.Errorf(weberr.InvalidStateError, "%s: the batch has %s twice", where, op.req.URL)
				}
			}
			victims, err := queryCache(tx, c.id, op.req, opts)
			if err != nil {
				return err
			}
			for _, v := range victims {
				if err := tx.DeleteEntry(c.id, v.ID); err != nil {
					return err
				}
			}
			if !op.put {
				if deleted != nil {
					*deleted += len(victims)
				}
				continue
			}
			if _, err := tx.AppendEntry(c.id, stored[i]); err != nil {
				return err
			}
			added = append(added, stored[i])
		}
		if len(added) > 0 {
			return checkLimits(tx, c.id, limits, where, c.storage.origin)
		}
		return nil
	})
	return wrapErr(where, err)
}

// checkLimits fails with a QuotaExceededError when the transaction's state
// exceeds limits: the cache's entry count, or the origin's quota
// (quota.Check, over its caches and IndexedDB databases together).
func checkLimits(tx Tx, id int64, limits Limits, where, origin string) error {
	if max := limits.MaxEntriesPerCache; max > 0 {
		n, err := tx.EntryCount(id)
		if err != nil {
			return err
		}
		if n > max {
			return weberr.Errorf(weberr.QuotaExceeded, "%s: the cache would hold %d entries, more than the limit of %d", where, n, max)
		}
	}
	if limits.MaxOriginBytes > 0 {
		u, err := tx.Usage()
		if err != nil {
			return err
		}
		return quota.Check(where, origin, u.quotaUsage(), limits.MaxOriginBytes)
	}
	return nil
}

func cacheExists(tx Tx, id int64) (bool, error) {
	infos, err := tx.Caches()
	if err != nil {
		return false, err
	}
	for _, info := range infos {
		if info.ID == id {
			return true, nil
		}
	}
	return false, nil
}

// query returns the entries matching req (every entry when req is nil).
func (c *Cache) query(ctx context.Context, req *fetch.Request, opts MatchOptions) ([]Entry, error) {
	if req != nil && !queryAllowed(req, opts) {
		return nil, nil
	}
	var out []Entry
	err := c.view(ctx, func(tx Tx) error {
		var err error
		if req == nil {
			out, err = tx.Entries(c.id, Selector{})
		} else {
			out, err = queryCache(tx, c.id, req, opts)
		}
		return err
	})
	return out, err
}

func (c *Cache) view(ctx context.Context, fn func(Tx) error) error {
	return c.storage.store.backend.View(ctx, c.storage.origin, fn)
}

// queryCache is the spec's "Query Cache" on cache id.
func queryCache(tx Tx, id int64, req *fetch.Request, opts MatchOptions) ([]Entry, error) {
	cands, err := tx.Entries(id, opts.selector(req))
	if err != nil {
		return nil, err
	}
	out := cands[:0]
	for _, e := range cands {
		if requestMatches(req, e.Request, e.Response, opts) {
			out = append(out, e)
		}
	}
	return out, nil
}

// queryFirst returns the first entry of cache id matching req, or nil.
func queryFirst(tx Tx, id int64, req *fetch.Request, opts MatchOptions) (*Entry, error) {
	cands, err := tx.Entries(id, opts.selector(req))
	if err != nil {
		return nil, err
	}
	for i := range cands {
		if requestMatches(req, cands[i].Request, cands[i].Response, opts) {
			return &cands[i], nil
		}
	}
	return nil, nil
}
