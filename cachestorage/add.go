package cachestorage

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// Add fetches req with f and stores the response: AddAll with one request.
func (c *Cache) Add(ctx context.Context, f fetch.Fetcher, req *fetch.Request) error {
	return c.addAll(ctx, "Cache.add()", f, []*fetch.Request{req})
}

// AddAll fetches every request with f, concurrently, and stores all the
// responses in one atomic batch. It is all or nothing: a request that is
// not a GET for an http(s) URL fails with a TypeError before anything is
// fetched; a fetch error, a network error, a response whose status is not
// 200-299 (206 included) or one with "Vary: *" fails with a TypeError,
// cancels the other fetches, and nothing is stored; two requests for the
// same entry fail with an InvalidStateError; exceeding the limits fails
// with a QuotaExceededError.
func (c *Cache) AddAll(ctx context.Context, f fetch.Fetcher, reqs []*fetch.Request) error {
	return c.addAll(ctx, "Cache.addAll()", f, reqs)
}

func (c *Cache) addAll(ctx context.Context, where string, f fetch.Fetcher, reqs []*fetch.Request) error {
	if f == nil {
		return weberr.Errorf(weberr.TypeError, "%s: no fetcher", where)
	}
	for _, req := range reqs {
		if req == nil {
			return weberr.Errorf(weberr.TypeError, "%s: request is missing", where)
		}
		if !isHTTPScheme(req.URL) {
			return weberr.Errorf(weberr.TypeError, "%s: request URL %q is not http or https", where, req.URL)
		}
		if m := req.MethodOrGet(); m != http.MethodGet {
			return weberr.Errorf(weberr.TypeError, "%s: request method is %s, only GET requests can be cached", where, m)
		}
	}
	if len(reqs) == 0 {
		return nil
	}
	resps, err := fetchAll(ctx, where, f, reqs)
	if err != nil {
		return err
	}
	ops := make([]operation, len(reqs))
	for i, req := range reqs {
		ops[i] = operation{put: true, req: req, resp: resps[i]}
	}
	return c.batch(ctx, where, ops, nil)
}

// fetchAll fetches reqs concurrently and returns their responses in order,
// or the first failure (after cancelling the other fetches).
func fetchAll(ctx context.Context, where string, f fetch.Fetcher, reqs []*fetch.Request) ([]*fetch.Response, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	resps := make([]*fetch.Response, len(reqs))
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	fail := func(err error) {
		once.Do(func() {
			firstErr = err
			cancel()
		})
	}
	for i, req := range reqs {
		wg.Go(func() {
			resp, err := safeFetch(ctx, f, req.Clone())
			if err != nil {
				fail(weberr.Errorf(weberr.TypeError, "%s: fetching %s failed: %w", where, req.URL, err))
				return
			}
			if err := checkResponse(where, req, resp, true); err != nil {
				fail(err)
				return
			}
			resps[i] = resp
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}
	return resps, nil
}

// safeFetch calls f.Fetch, turning a panic in it into an error.
func safeFetch(ctx context.Context, f fetch.Fetcher, req *fetch.Request) (resp *fetch.Response, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("fetcher panicked: %v", r)
		}
	}()
	return f.Fetch(ctx, req)
}
