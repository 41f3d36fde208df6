package cachestorage

import (
	"net/http"
	"net/textproto"
	"strings"

	"github.com/swhost/swhost/fetch"
)

// MatchOptions are the spec's CacheQueryOptions plus MultiCacheQueryOptions'
// cacheName.
type MatchOptions struct {
	// IgnoreSearch ignores the URLs' queries.
	IgnoreSearch bool
	// IgnoreMethod lets a query request with a method other than GET match
	// (cached requests are always GET).
	IgnoreMethod bool
	// IgnoreVary ignores the cached responses' Vary headers.
	IgnoreVary bool
	// CacheName restricts [CacheStorage.Match] to the cache of that name;
	// Cache methods ignore it. Empty means every cache.
	CacheName string
	// HasCacheName makes an empty CacheName name the cache called "" rather
	// than every cache (scripts can pass {cacheName: ""}).
	HasCacheName bool
}

// selector returns the backend selector for query request q.
func (o MatchOptions) selector(q *fetch.Request) Selector {
	return Selector{Key: URLKey(q.URL, o.IgnoreSearch), IgnoreSearch: o.IgnoreSearch}
}

// queryAllowed reports whether a query request with q's method can match
// anything: the spec's matchAll, keys and delete return nothing for a
// non-GET Request unless ignoreMethod is set.
func queryAllowed(q *fetch.Request, opts MatchOptions) bool {
	return opts.IgnoreMethod || q.MethodOrGet() == http.MethodGet
}

// requestMatches is the spec's "Request Matches Cached Item": query is the
// request looked for, req and resp a cached pair (resp may be nil).
func requestMatches(query, req *fetch.Request, resp *fetch.Response, opts MatchOptions) bool {
	if !opts.IgnoreMethod && req.MethodOrGet() != http.MethodGet {
		return false
	}
	if URLKey(query.URL, opts.IgnoreSearch) != URLKey(req.URL, opts.IgnoreSearch) {
		return false
	}
	if resp == nil || opts.IgnoreVary {
		return true
	}
	ok := true
	eachVaryField(resp.Header, func(field string) bool {
		if field == "*" {
			ok = false
			return false
		}
		cv, cok := combinedValue(req.Header, field)
		qv, qok := combinedValue(query.Header, field)
		if cok != qok || cv != qv {
			ok = false
			return false
		}
		return true
	})
	return ok
}

// hasVaryStar reports whether h has a Vary header with a "*" field value.
func hasVaryStar(h http.Header) bool {
	star := false
	eachVaryField(h, func(field string) bool {
		star = field == "*"
		return !star
	})
	return star
}

// eachVaryField calls fn with every field value of h's Vary headers (comma
// separated, whitespace trimmed, empty items skipped) until fn returns false.
func eachVaryField(h http.Header, fn func(field string) bool) {
	for _, line := range headerValues(h, "Vary") {
		for field := range strings.SplitSeq(line, ",") {
			field = strings.Trim(field, " \t")
			if field == "" {
				continue
			}
			if !fn(field) {
				return
			}
		}
	}
}

// combinedValue is the Fetch standard's "get" of a header list: every value
// of the named header joined by ", ", and false when there is none.
func combinedValue(h http.Header, name string) (string, bool) {
	k, ok := lookupKey(h, name)
	if !ok {
		return "", false
	}
	vs := h[k]
	switch len(vs) {
	case 0:
		return "", true
	case 1:
		return vs[0], true
	}
	return strings.Join(vs, ", "), true
}

// headerValues returns the values of name in h.
func headerValues(h http.Header, name string) []string {
	if k, ok := lookupKey(h, name); ok {
		return h[k]
	}
	return nil
}

// lookupKey finds name in h case-insensitively, even when h was built with
// non-canonical keys.
func lookupKey(h http.Header, name string) (string, bool) {
	if len(h) == 0 {
		return "", false
	}
	ck := textproto.CanonicalMIMEHeaderKey(name)
	if _, ok := h[ck]; ok {
		return ck, true
	}
	for k := range h {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	return "", false
}
