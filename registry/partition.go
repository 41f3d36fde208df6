package registry

import (
	"context"
	"net"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/worker"
)

// Partitioned foreign fetch (Options.PartitionForeignFetch): a
// foreign-fetch worker runs one instance per top-level site of the clients
// it serves, and each instance's Cache Storage is kept apart under a
// partition key, so that one site cannot observe what another site's
// requests cached. Without the option, a foreign-fetch worker has one
// authoritative cache (its origin's), as the seed describes; see
// docs/foreign-fetch.md for the trade-off.

// TopLevelSite returns the site ("scheme://registrable-domain") of a
// serialized origin, using the public suffix list: the partition key for
// partitioned foreign fetch. Hosts that are IP addresses or have no
// registrable domain are their own site.
func TopLevelSite(origin string) string {
	scheme, host, ok := strings.Cut(origin, "://")
	if !ok {
		return origin
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if net.ParseIP(host) != nil {
		return scheme + "://" + host
	}
	if site, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return scheme + "://" + site
	}
	return scheme + "://" + host
}

// partitionBackend stores an origin's caches under "origin ^site".
type partitionBackend struct {
	b    cachestorage.Backend
	site string
}

func (p partitionBackend) View(ctx context.Context, origin string, fn func(cachestorage.Tx) error) error {
	return p.b.View(ctx, origin+" ^"+p.site, fn)
}

func (p partitionBackend) Update(ctx context.Context, origin string, fn func(cachestorage.Tx) error) error {
	return p.b.Update(ctx, origin+" ^"+p.site, fn)
}

// ForeignFetchWorker returns the worker that handles foreignfetch events
// for clients of clientOrigin: the version's own worker, or, with
// Options.PartitionForeignFetch, the instance for the client's top-level
// site.
func (v *Version) ForeignFetchWorker(ctx context.Context, clientOrigin string) (*worker.Worker, error) {
	r := v.reg.r
	if !r.opts.PartitionForeignFetch {
		return v.Worker(ctx)
	}
	if _, err := v.Worker(ctx); err != nil { // compiles the script once
		return nil, err
	}
	site := TopLevelSite(clientOrigin)
	v.mu.Lock()
	defer v.mu.Unlock()
	if w := v.partitions[site]; w != nil {
		return w, nil
	}
	opts := r.workerOptions(v)
	caches, err := cachestorage.New(partitionBackend{b: r.opts.Store.CacheStorage(), site: site}, r.opts.CacheLimits).For(v.reg.scope.Origin())
	if err != nil {
		return nil, err
	}
	opts.Caches = caches
	if v.partitions == nil {
		v.partitions = map[string]*worker.Worker{}
	}
	w := worker.New(v.script, opts)
	v.partitions[site] = w
	return w, nil
}
