package worker

import (
	"context"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/weberr"
)

// Bindings of js/30_fetch.js.

// fetch is host.fetch(requestRecord, responseFromGo): fetch() through the
// worker's Fetcher, on its own goroutine; the promise resolves to the
// Response build makes, or rejects with a TypeError (network error) or a
// QuotaExceededError (a body over MaxBodyBytes). A stream body
// (req.Stream: a ReadableStream of the script, or a body from Go handed
// back untouched) is sent as it is read; one no layer took is closed once
// the fetch is answered.
func (in *instance) fetch(record sobek.Value, build sobek.Callable) sobek.Value {
	req, err := in.requestFromRecord(record)
	if err != nil {
		in.throw(err)
	}
	fetcher := in.w.opts.Fetcher
	limit := in.w.limits.MaxBodyBytes
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		resp, err := fetcher.Fetch(ctx, req)
		req.CloseBody()
		if err != nil {
			return nil, weberr.Errorf(weberr.TypeError, "Failed to fetch %s: %w", req.URL, err)
		}
		if resp.IsNetworkError() {
			return nil, weberr.Errorf(weberr.TypeError, "Failed to fetch %s: %s", req.URL, resp.Error)
		}
		if len(resp.Body) > limit {
			return nil, weberr.Errorf(weberr.QuotaExceeded, "the response from %s is %d bytes, over the worker's %d-byte body limit", req.URL, len(resp.Body), limit)
		}
		return func() sobek.Value { return in.responseToJS(build, resp) }, nil
	})
}
