package registry

import (
	"context"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
)

// CachedNetwork returns a fetcher that sends requests through an HTTP
// cache to the network. Given to Options.Network, it makes worker script
// fetches honour the registration's updateViaCache mode: the registry
// sets each script request's cache mode ("no-cache" for the main script
// unless the mode is "all", for every script with "none", and for all of
// them when the registration is stale), and the cache acts on it.
func CachedNetwork(c *httpcache.Cache, network fetch.Fetcher) fetch.Fetcher {
	return cachedNetwork{c: c, next: network}
}

type cachedNetwork struct {
	c    *httpcache.Cache
	next fetch.Fetcher
}

// Fetch answers req from the cache or the network.
func (n cachedNetwork) Fetch(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
	resp, _, err := n.c.Fetch(ctx, req, n.next)
	return resp, err
}
