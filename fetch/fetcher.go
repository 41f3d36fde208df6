package fetch

import "context"

// Fetcher answers requests: the network, an HTTP cache in front of it, a
// layer of the agent's lookup order, or a worker's fetch(). It is the one
// interface swhost's packages use for "something that answers a request".
//
// Fetch returns the response to req. A network error is a response of type
// [TypeError] (see [NetworkError]) with a nil error; a non-nil error means
// the fetch could not be carried out at all (ctx ended, or a failure of
// the caller's own machinery), and callers treat it as a network error
// too.
type Fetcher interface {
	Fetch(ctx context.Context, req *Request) (*Response, error)
}

// FetcherFunc adapts an ordinary function to [Fetcher], as
// [net/http.HandlerFunc] does for handlers.
type FetcherFunc func(ctx context.Context, req *Request) (*Response, error)

// Fetch calls f(ctx, req).
func (f FetcherFunc) Fetch(ctx context.Context, req *Request) (*Response, error) {
	return f(ctx, req)
}
