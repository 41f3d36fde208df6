// Package httpcache is swhost's private HTTP cache (RFC 9111): step 3 of
// the lookup order, between foreign fetch and the network.
//
//	c := httpcache.New(st, httpcache.Options{MaxBytes: 256 << 20}) // st: a store.KV
//	resp, outcome, err := c.Fetch(ctx, req, transport)              // outcome: hit, miss, ...
//
// [Cache.Fetch] implements the Fetch standard's HTTP-network-or-cache fetch
// over a [Storage] (the store's key-value table, so entries survive
// restarts, or [MemoryStorage]):
//
//   - Only GET responses are stored, keyed by URL without fragment; HEAD is
//     answered from a stored GET. One response is kept per URL: a response
//     with other Vary-selected request headers replaces it.
//   - Freshness (§4.2): max-age, then Expires − Date, then for
//     heuristically cacheable statuses (or public) 10% of Date −
//     Last-Modified capped at [Options].MaxHeuristic. s-maxage and
//     proxy-revalidate are for shared caches and ignored; private is
//     stored. An invalid or repeated max-age, an invalid or repeated
//     Expires and an invalid Age make a response stale. Age is computed as
//     in §4.2.3 and sent on every hit.
//   - no-store in the response (unless must-understand with a status the
//     cache implements) or in the request keeps a response out; no-cache
//     in the response or request (or Pragma: no-cache without
//     Cache-Control) forces validation; must-revalidate forbids serving
//     stale under the request's max-stale. The request's max-age,
//     min-fresh, max-stale and only-if-cached (504 when nothing fits) are
//     honoured.
//   - Validation (§4.3): a stale response is revalidated with
//     If-None-Match (its ETag) and If-Modified-Since (its Last-Modified);
//     a matching 304 updates the stored header fields (not
//     Content-Length, Content-Encoding, Content-Range, ETag) and is
//     answered with the stored body.
//   - Invalidation (§4.4): a 2xx/3xx answer to an unsafe method removes the
//     target URL and same-origin Location/Content-Location URLs.
//   - Cache modes (fetch.Request.Cache): no-store bypasses the cache;
//     reload skips the lookup but stores; no-cache always revalidates;
//     force-cache and only-if-cached use any stored response whatever its
//     staleness (as browsers do, must-revalidate and no-cache included),
//     and only-if-cached returns a network error when nothing is stored.
//     A request with conditional headers in the default mode goes around
//     the cache, as the Fetch standard says.
//   - Size: entries over [Options].MaxEntryBytes are not stored; beyond
//     MaxBytes the least recently used entries are evicted. Recency is kept
//     in memory; after a restart it starts from the storage's modification
//     order.
//
// Not implemented: stale-while-revalidate and stale-if-error, partial
// content (Range requests go around the cache), freshening from HEAD
// responses, collapsing concurrent misses into one request, and storing
// the hops of followed redirects (a redirected response is not stored,
// since the transport below the cache follows redirects itself).
// Set-Cookie is never stored.
package httpcache
