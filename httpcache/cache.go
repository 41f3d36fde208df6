package httpcache

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	swclock "github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/hopbyhop"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/store"
)

// Default size limits.
const (
	DefaultMaxBytes      = 64 << 20
	DefaultMaxEntryBytes = 8 << 20
)

// Outcome says how [Cache.Fetch] produced a response.
type Outcome string

// Outcomes.
const (
	// OutcomeHit: a stored response was used without calling next.
	OutcomeHit Outcome = "hit"
	// OutcomeRevalidated: a stored response was validated with a
	// conditional request and a 304 answer, updated and used.
	OutcomeRevalidated Outcome = "revalidated"
	// OutcomeMiss: nothing usable was stored; next answered and its
	// response was stored. An only-if-cached request that finds nothing is
	// a miss too, answered with a network error without calling next.
	OutcomeMiss Outcome = "miss"
	// OutcomeBypass: the cache was neither consulted nor updated (unsafe
	// or other non-GET/HEAD methods, cache mode no-store, conditional or
	// range requests, non-HTTP URLs). Unsafe methods still invalidate.
	OutcomeBypass Outcome = "bypass"
	// OutcomeUncacheable: next answered and its response was not stored
	// (not storable, too large, a HEAD or no-store request, a network
	// error, or a storage failure).
	OutcomeUncacheable Outcome = "uncacheable"
)

// Options configure a [Cache].
type Options struct {
	// MaxBytes bounds the total size of the stored entries; the least
	// recently used entries are evicted beyond it. 0 means DefaultMaxBytes.
	MaxBytes int64
	// MaxEntryBytes bounds the size of one stored entry (the response
	// with its metadata); larger responses are not stored. 0 means
	// DefaultMaxEntryBytes; it is capped at MaxBytes.
	MaxEntryBytes int64
	// MaxHeuristic caps heuristic freshness lifetimes; 0 means
	// DefaultMaxHeuristic.
	MaxHeuristic time.Duration
	// Clock tells the time freshness and ages are computed at; nil means
	// the wall clock. On any other clock (a manual one, which tests move)
	// a response's Date header, written on the origin server's wall
	// clock, does not add to its age: the response is as old as its Age
	// header and the time it has spent in the cache on Clock say, so
	// that moving the clock ahead before a request does not make its
	// response stale at once.
	Clock swclock.Clock
	// Now, when set, is the clock's time instead of Clock.Now (kept for
	// callers that have a function rather than a Clock).
	Now func() time.Time
	// Logger receives storage failures; nil means slog.Default().
	Logger *slog.Logger
	// Shared says that other processes write the same storage (the nodes
	// of a fleet on one PostgreSQL store): a key this cache's index lacks
	// is looked up in the storage before it counts as a miss, and adopted
	// into the index when another process stored it. Each process still
	// evicts by its own index. Off (one process), a key missing from the
	// index is a miss without a storage read.
	Shared bool
}

// Cache is a private HTTP cache (RFC 9111) in front of a [fetch.Fetcher]. It is
// safe for concurrent use.
//
// It keeps an in-memory index of its keys with their sizes in
// least-recently-used order, loaded from the storage (oldest modification
// first) on first use; a hit reads the entry from the storage but writes
// nothing.
type Cache struct {
	st           Storage
	maxBytes     int64
	maxEntry     int64
	maxHeuristic time.Duration
	now          func() time.Time
	offWall      bool // Options.Clock is not the wall clock: Date adds no apparent age
	log          *slog.Logger
	shared       bool

	// wmu serializes writes (storage and index together), so that the
	// index always describes what the storage holds; mu guards the index
	// and is the only lock a hit takes.
	wmu    sync.Mutex
	mu     sync.Mutex
	loaded bool
	lru    *list.List // of *indexEntry, most recently used first
	index  map[string]*list.Element
	total  int64
}

type indexEntry struct {
	key  string
	size int64
}

// New returns a cache over storage.
func New(storage Storage, opts Options) *Cache {
	c := &Cache{
		st:           storage,
		maxBytes:     opts.MaxBytes,
		maxEntry:     opts.MaxEntryBytes,
		maxHeuristic: opts.MaxHeuristic,
		now:          opts.Now,
		log:          opts.Logger,
		shared:       opts.Shared,
		lru:          list.New(),
		index:        map[string]*list.Element{},
	}
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	if c.maxEntry <= 0 {
		c.maxEntry = DefaultMaxEntryBytes
	}
	c.maxEntry = min(c.maxEntry, c.maxBytes)
	if c.maxHeuristic <= 0 {
		c.maxHeuristic = DefaultMaxHeuristic
	}
	if c.now == nil {
		c.now = swclock.Or(opts.Clock).Now
		c.offWall = !swclock.IsReal(opts.Clock)
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c
}

// Usage returns the number of stored entries and their total size.
func (c *Cache) Usage(ctx context.Context) (entries int, bytes int64, err error) {
	if err := c.load(ctx); err != nil {
		return 0, 0, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.index), c.total, nil
}

// request is what Fetch works out about a request once.
type request struct {
	req     *fetch.Request
	method  string
	key     string
	mode    fetch.CacheMode
	cc      directives
	noCache bool // request no-cache (or Pragma: no-cache)
}

// Fetch runs req through the cache, following the Fetch standard's
// HTTP-network-or-cache fetch and RFC 9111:
//
//   - GET and HEAD requests are answered from a stored GET response when
//     it is fresh (or the cache mode ignores staleness), without calling
//     next;
//   - a stored response that needs validation is revalidated with
//     If-None-Match / If-Modified-Since through next, and a 304 updates
//     and returns it;
//   - otherwise next is called, and a storable GET response is stored;
//   - a successful unsafe request (POST, PUT, DELETE, ...) invalidates the
//     stored response of its URL and of same-origin Location and
//     Content-Location URLs.
//
// req.Cache selects the cache mode. Fetch does not modify req; the
// request given to next may carry the headers the Fetch standard adds
// (Pragma, Cache-Control, validators). Storage failures are logged and the
// request goes on as if nothing were stored. The error is non-nil only
// when next fails.
func (c *Cache) Fetch(ctx context.Context, req *fetch.Request, next fetch.Fetcher) (*fetch.Response, Outcome, error) {
	r := request{req: req, method: req.MethodOrGet(), key: Key(req.URL), mode: req.Cache}
	if r.mode == "" {
		r.mode = fetch.CacheDefault
	}
	if !isSafe(r.method) {
		resp, err := next.Fetch(ctx, req)
		if err == nil && !resp.IsNetworkError() && resp.Status >= 200 && resp.Status < 400 {
			c.invalidate(ctx, req.URL, resp)
		}
		return resp, OutcomeBypass, err
	}
	if (r.method != http.MethodGet && r.method != http.MethodHead) || !isHTTP(req.URL) {
		resp, err := next.Fetch(ctx, req)
		return resp, OutcomeBypass, err
	}
	h := req.Header
	if r.mode == fetch.CacheDefault && (len(h["If-Modified-Since"]) > 0 || len(h["If-None-Match"]) > 0 ||
		len(h["If-Unmodified-Since"]) > 0 || len(h["If-Match"]) > 0 || len(h["If-Range"]) > 0) {
		r.mode = fetch.CacheNoStore
	}
	if len(h["Range"]) > 0 {
		// No partial-content support: range requests go around the cache.
		r.mode = fetch.CacheNoStore
	}
	fwd := forwardRequest(req, r.mode)
	if r.mode == fetch.CacheNoStore {
		resp, err := next.Fetch(ctx, fwd)
		return resp, OutcomeBypass, err
	}
	r.cc = parseDirectives(h["Cache-Control"])
	r.noCache = r.cc.has(ccNoCache) || (len(h["Cache-Control"]) == 0 && pragmaNoCache(h))

	var stored *entry
	var storedCC directives
	if r.mode != fetch.CacheReload {
		stored = c.lookup(ctx, r.key, req)
		if stored != nil {
			storedCC = parseDirectives(stored.resp.Header["Cache-Control"])
		}
	}
	revalidating := false
	if stored != nil {
		now := c.now()
		f := c.freshness(stored, &storedCC, now)
		if r.mode == fetch.CacheForceCache || r.mode == fetch.CacheOnlyIfCached || c.usable(&r, &storedCC, f) {
			return c.serve(stored, f, r.method), OutcomeHit, nil
		}
		revalidating = true
	}
	if r.mode == fetch.CacheOnlyIfCached {
		return fetch.NetworkError(fmt.Sprintf("%s is not in the HTTP cache (cache mode only-if-cached; 504 Gateway Timeout)", r.key)), OutcomeMiss, nil
	}
	if r.cc.has(ccOnlyIfCached) {
		return gatewayTimeout(req.URL), OutcomeMiss, nil
	}

	if revalidating {
		if cond := conditional(fwd, stored.resp.Header); cond != nil {
			reqTime := c.now()
			resp, err := next.Fetch(ctx, cond)
			if err != nil {
				return nil, OutcomeUncacheable, err
			}
			respTime := c.now()
			if resp.IsNetworkError() || resp.Status != http.StatusNotModified {
				return resp, c.store(ctx, &r, resp, reqTime, respTime), nil
			}
			resp.CloseBody() // a 304 has no body to read
			if validatorsMatch(resp.Header, stored.resp.Header) {
				freshen(stored, resp.Header, reqTime, respTime)
				if !r.cc.has(ccNoStore) {
					c.put(ctx, r.key, stored)
				}
				out := stored.resp
				if r.method == http.MethodHead {
					out.Body = nil
				}
				return out, OutcomeRevalidated, nil
			}
			// The 304 selects another representation than ours: drop ours
			// and ask again without validators.
			c.remove(ctx, r.key)
		}
	}
	reqTime := c.now()
	resp, err := next.Fetch(ctx, fwd)
	if err != nil {
		return nil, OutcomeUncacheable, err
	}
	return resp, c.store(ctx, &r, resp, reqTime, c.now()), nil
}

// usable reports whether a stored response may be used for r without
// validation (RFC 9111 §4, §4.2.4 and the request directives of §5.2.1).
func (c *Cache) usable(r *request, cc *directives, f freshness) bool {
	if r.mode == fetch.CacheNoCache || r.noCache || cc.has(ccNoCache) {
		return false
	}
	if r.cc.has(ccMaxAgeInvalid) || (r.cc.maxAge >= 0 && f.age > time.Duration(r.cc.maxAge)*time.Second) {
		return false
	}
	if f.fresh() {
		if r.cc.has(ccMinFreshInvalid) {
			return false
		}
		return r.cc.minFresh < 0 || f.lifetime-f.age >= time.Duration(r.cc.minFresh)*time.Second
	}
	// Stale: only with the client's max-stale, and never against
	// must-revalidate.
	if cc.has(ccMustRevalidate) {
		return false
	}
	if r.cc.has(ccMaxStaleAny) {
		return true
	}
	return r.cc.maxStale >= 0 && f.age-f.lifetime <= time.Duration(r.cc.maxStale)*time.Second
}

// serve turns a stored entry into the response for a hit: with an Age
// header of its current age (RFC 9111 §4), and no body for HEAD.
func (c *Cache) serve(e *entry, f freshness, method string) *fetch.Response {
	resp := e.resp
	secs := min(int64(f.age/time.Second), maxDelta)
	resp.Header["Age"] = []string{strconv.FormatInt(secs, 10)}
	if method == http.MethodHead {
		resp.Body = nil
	}
	return resp
}

// store stores resp for r when it is storable and reports the outcome.
func (c *Cache) store(ctx context.Context, r *request, resp *fetch.Response, reqTime, respTime time.Time) Outcome {
	if r.method != http.MethodGet || r.cc.has(ccNoStore) || !storable(resp) {
		return OutcomeUncacheable
	}
	e := &entry{requestTime: reqTime, responseTime: respTime, resp: storedResponse(resp, respTime)}
	e.vary = varyValues(resp.Header, r.req.Header)
	if resp.Stream != nil {
		// A streamed body is stored once its reader has read it to its
		// end, if it fits in an entry; the reader is not held back.
		key := r.key
		ctx := context.WithoutCancel(ctx)
		resp.Stream = &storingStream{rc: resp.Stream, max: c.maxEntry, done: func(body []byte) {
			e.resp.Body = body
			c.put(ctx, key, e)
		}}
		return OutcomeMiss
	}
	if !c.put(ctx, r.key, e) {
		return OutcomeUncacheable
	}
	return OutcomeMiss
}

// storingStream passes a streamed body through to its reader, keeping a
// copy of up to max bytes; done gets the copy once the body has been
// read to its end within max. A body closed early, failed or larger is
// not kept.
type storingStream struct {
	rc   io.ReadCloser
	max  int64
	buf  []byte
	over bool
	done func(body []byte)
}

func (s *storingStream) Read(p []byte) (int, error) {
	n, err := s.rc.Read(p)
	if !s.over {
		if int64(len(s.buf)+n) > s.max {
			s.over, s.buf = true, nil
		} else {
			s.buf = append(s.buf, p[:n]...)
		}
	}
	if err == io.EOF && !s.over && s.done != nil {
		done := s.done
		s.done = nil
		body := s.buf
		if body == nil {
			body = []byte{}
		}
		done(body)
	}
	return n, err
}

func (s *storingStream) Close() error {
	s.done = nil
	return s.rc.Close()
}

// storable reports whether a response to a GET may be stored (RFC 9111
// §3, for a private cache).
func storable(resp *fetch.Response) bool {
	if resp.IsNetworkError() || resp.Type == fetch.TypeOpaqueRedirect || resp.Redirected {
		return false
	}
	cc := parseDirectives(resp.Header["Cache-Control"])
	if cc.has(ccMustUnderstand) {
		// must-understand overrides no-store for a cache that implements
		// the status code (RFC 9111 §5.2.2.3).
		if !understoodStatus(resp.Status) {
			return false
		}
	} else if !storableStatus(resp.Status) || cc.has(ccNoStore) {
		return false
	}
	if varyStar(resp.Header) {
		return false
	}
	return storableFreshness(resp.Header, resp.Status, &cc)
}

// storedResponse copies the parts of resp the cache keeps: every header
// field but the hop-by-hop ones, those Connection names, the proxy
// authentication ones (RFC 9111 §3.1) and Set-Cookie, which a cache must
// not replay.
//
// A response without a Date gets one with the time it was received (RFC
// 9110 §6.6.1).
func storedResponse(resp *fetch.Response, received time.Time) *fetch.Response {
	out := &fetch.Response{
		Type:       resp.Type,
		URL:        resp.URL,
		URLList:    resp.URLList,
		Redirected: resp.Redirected,
		Status:     resp.Status,
		StatusText: resp.StatusText,
		Body:       resp.Body,
		Header:     make(http.Header, len(resp.Header)),
	}
	for name, vs := range resp.Header {
		if !excludedField(resp.Header, name) {
			out.Header[name] = vs
		}
	}
	if len(out.Header["Date"]) == 0 {
		out.Header["Date"] = []string{received.UTC().Format(http.TimeFormat)}
	}
	return out
}

// excludedField reports whether a header field is never stored.
func excludedField(h http.Header, name string) bool {
	switch name {
	case "Proxy-Authentication-Info", "Set-Cookie", "Set-Cookie2":
		return true
	}
	return hopbyhop.Is(h, name)
}

// put encodes and stores e under key, then evicts beyond MaxBytes. It
// reports whether e was stored.
func (c *Cache) put(ctx context.Context, key string, e *entry) bool {
	if err := c.load(ctx); err != nil {
		return false
	}
	v := appendEntry(nil, e)
	size := int64(len(v))
	if size > c.maxEntry {
		c.remove(ctx, key)
		return false
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.st.Put(ctx, key, v); err != nil {
		c.log.Warn("httpcache: storing a response failed", "key", key, "err", err)
		return false
	}
	c.mu.Lock()
	if el, ok := c.index[key]; ok {
		ie := el.Value.(*indexEntry)
		c.total += size - ie.size
		ie.size = size
		c.lru.MoveToFront(el)
	} else {
		c.index[key] = c.lru.PushFront(&indexEntry{key: key, size: size})
		c.total += size
	}
	victims := c.evictLocked()
	c.mu.Unlock()
	c.deleteKeys(ctx, victims)
	return true
}

// evictLocked removes least recently used keys from the index until the
// total fits MaxBytes and returns them for deletion from the storage.
func (c *Cache) evictLocked() []string {
	var victims []string
	for c.total > c.maxBytes {
		el := c.lru.Back()
		if el == nil {
			break
		}
		ie := c.lru.Remove(el).(*indexEntry)
		delete(c.index, ie.key)
		c.total -= ie.size
		victims = append(victims, ie.key)
	}
	return victims
}

func (c *Cache) deleteKeys(ctx context.Context, keys []string) {
	if len(keys) == 0 {
		return
	}
	if err := c.st.Delete(ctx, keys...); err != nil {
		c.log.Warn("httpcache: deleting entries failed", "keys", len(keys), "err", err)
	}
}

// remove deletes key from the index and the storage.
func (c *Cache) remove(ctx context.Context, key string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	el, ok := c.index[key]
	if ok {
		c.total -= el.Value.(*indexEntry).size
		c.lru.Remove(el)
		delete(c.index, key)
	}
	c.mu.Unlock()
	if ok {
		c.deleteKeys(ctx, []string{key})
	}
}

// load reads the index from the storage once.
func (c *Cache) load(ctx context.Context) error {
	c.mu.Lock()
	loaded := c.loaded
	c.mu.Unlock()
	if loaded {
		return nil
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	loaded = c.loaded
	c.mu.Unlock()
	if loaded {
		return nil
	}
	var keys []indexEntry
	err := c.st.Scan(ctx, KeyPrefix, store.ScanOptions{KeysOnly: true, ByModified: true}, func(e store.KVEntry) error {
		keys = append(keys, indexEntry{key: e.Key, size: e.Size})
		return nil
	})
	if err != nil {
		c.log.Warn("httpcache: loading the index failed", "err", err)
		return fmt.Errorf("httpcache: loading the index: %w", err)
	}
	c.mu.Lock()
	if c.loaded {
		c.mu.Unlock()
		return nil
	}
	for _, k := range keys { // oldest first: each goes to the front
		if _, dup := c.index[k.key]; dup {
			continue
		}
		c.index[k.key] = c.lru.PushFront(&indexEntry{key: k.key, size: k.size})
		c.total += k.size
	}
	c.loaded = true
	victims := c.evictLocked()
	c.mu.Unlock()
	c.deleteKeys(ctx, victims)
	return nil
}

// lookup returns the stored response for key whose Vary-selected header
// fields match req, marking it recently used, or nil.
func (c *Cache) lookup(ctx context.Context, key string, req *fetch.Request) *entry {
	if err := c.load(ctx); err != nil {
		return nil
	}
	c.mu.Lock()
	el, ok := c.index[key]
	if ok {
		c.lru.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok && !c.shared {
		return nil
	}
	v, err := c.st.Get(ctx, key)
	if !ok && err == nil {
		c.adopt(ctx, key, int64(len(v)))
	}
	if !ok && errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			c.log.Warn("httpcache: reading an entry failed", "key", key, "err", err)
			return nil
		}
		c.forget(ctx, key)
		return nil
	}
	e, err := decodeEntry(v)
	if err != nil {
		c.log.Warn("httpcache: dropping an unreadable entry", "key", key, "err", err)
		c.remove(ctx, key)
		return nil
	}
	if !varyMatches(e, req.Header) {
		return nil
	}
	return e
}

// adopt adds key, which another process stored, to the index, then
// evicts beyond MaxBytes.
func (c *Cache) adopt(ctx context.Context, key string, size int64) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.mu.Lock()
	if _, ok := c.index[key]; ok {
		c.mu.Unlock()
		return
	}
	c.index[key] = c.lru.PushFront(&indexEntry{key: key, size: size})
	c.total += size
	victims := c.evictLocked()
	c.mu.Unlock()
	c.deleteKeys(ctx, victims)
}

// forget drops key from the index when the storage lost it.
func (c *Cache) forget(ctx context.Context, key string) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.st.Get(ctx, key); !errors.Is(err, store.ErrNotFound) {
		return // stored again meanwhile, or unreadable
	}
	c.mu.Lock()
	if el, ok := c.index[key]; ok {
		c.total -= el.Value.(*indexEntry).size
		c.lru.Remove(el)
		delete(c.index, key)
	}
	c.mu.Unlock()
}

// invalidate removes the stored responses that a successful unsafe
// request to target makes obsolete (RFC 9111 §4.4): target's, and those of
// the response's Location and Content-Location when they have target's
// origin.
func (c *Cache) invalidate(ctx context.Context, target string, resp *fetch.Response) {
	if err := c.load(ctx); err != nil {
		return
	}
	c.remove(ctx, Key(target))
	base, err := weburl.Parse(target)
	if err != nil {
		return
	}
	for _, name := range [...]string{"Location", "Content-Location"} {
		v, ok := firstHeader(resp.Header, name)
		if !ok {
			continue
		}
		u, err := weburl.ParseRef(base, trimOWS(v))
		if err != nil || u.Origin() != base.Origin() || u.Origin() == "null" {
			continue
		}
		c.remove(ctx, Key(u.Href()))
	}
}

// Key returns the storage key of a URL: KeyPrefix and the URL without its
// fragment.
func Key(url string) string {
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url = url[:i]
	}
	return KeyPrefix + url
}

// isSafe reports whether a method is safe (RFC 9110 §9.2.1); any other,
// unknown ones included, invalidates.
func isSafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

func isHTTP(url string) bool {
	return strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://")
}

func pragmaNoCache(h http.Header) bool {
	for _, v := range h["Pragma"] {
		for member := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(trimOWS(member), "no-cache") {
				return true
			}
		}
	}
	return false
}

// forwardRequest returns the request to send to next: req itself, or a
// copy with the headers the Fetch standard's HTTP-network-or-cache fetch
// adds for the no-cache, no-store and reload cache modes.
func forwardRequest(req *fetch.Request, mode fetch.CacheMode) *fetch.Request {
	h := req.Header
	switch mode {
	case fetch.CacheNoCache:
		if len(h["Cache-Control"]) == 0 {
			fwd := req.Clone()
			setHeader(fwd, "Cache-Control", "max-age=0")
			return fwd
		}
	case fetch.CacheNoStore, fetch.CacheReload:
		if len(h["Pragma"]) == 0 || len(h["Cache-Control"]) == 0 {
			fwd := req.Clone()
			if len(h["Pragma"]) == 0 {
				setHeader(fwd, "Pragma", "no-cache")
			}
			if len(h["Cache-Control"]) == 0 {
				setHeader(fwd, "Cache-Control", "no-cache")
			}
			return fwd
		}
	}
	return req
}

func setHeader(r *fetch.Request, name, value string) {
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Header[name] = []string{value}
}

// conditional returns a copy of fwd with the validators of a stored
// response (If-None-Match from ETag, If-Modified-Since from
// Last-Modified), or nil when it has none.
func conditional(fwd *fetch.Request, stored http.Header) *fetch.Request {
	etag, hasETag := firstHeader(stored, "Etag")
	lm, hasLM := firstHeader(stored, "Last-Modified")
	if !hasETag && !hasLM {
		return nil
	}
	cond := fwd.Clone()
	if hasETag {
		setHeader(cond, "If-None-Match", etag)
	}
	if hasLM {
		setHeader(cond, "If-Modified-Since", lm)
	}
	return cond
}

// validatorsMatch reports whether a 304 answers for the stored response
// (RFC 9111 §4.3.4): a 304 carrying an ETag must carry the stored one
// (weak comparison); one carrying only Last-Modified must carry the stored
// date. A 304 without validators is taken as answering the conditional
// request the cache sent for its single stored response.
func validatorsMatch(resp, stored http.Header) bool {
	if etag, ok := firstHeader(resp, "Etag"); ok {
		s, _ := firstHeader(stored, "Etag")
		return weakETag(etag) == weakETag(s) && weakETag(s) != ""
	}
	if lm, ok := parseHTTPDate(resp, "Last-Modified"); ok {
		if s, ok := parseHTTPDate(stored, "Last-Modified"); ok {
			return lm.Equal(s)
		}
	}
	return true
}

// weakETag returns an entity-tag without its weakness indicator, for weak
// comparison.
func weakETag(s string) string {
	s = trimOWS(s)
	return strings.TrimPrefix(s, "W/")
}

// freshen updates a stored response with the header fields of a 304 (RFC
// 9111 §4.3.4) and the times of the validating exchange.
func freshen(e *entry, h http.Header, reqTime, respTime time.Time) {
	sh := e.resp.Header
	delete(sh, "Age")
	for name, vs := range h {
		switch name {
		case "Content-Encoding", "Content-Length", "Content-Md5", "Content-Range", "Etag":
			continue
		}
		if excludedField(h, name) {
			continue
		}
		sh[name] = append([]string(nil), vs...)
	}
	if len(h["Date"]) == 0 {
		sh["Date"] = []string{respTime.UTC().Format(http.TimeFormat)}
	}
	e.requestTime, e.responseTime = reqTime, respTime
}

// gatewayTimeout is the answer to a request with the only-if-cached
// directive that the cache cannot satisfy (RFC 9111 §5.2.1.7).
func gatewayTimeout(url string) *fetch.Response {
	return &fetch.Response{
		Type:       fetch.TypeBasic,
		URL:        url,
		Status:     http.StatusGatewayTimeout,
		StatusText: http.StatusText(http.StatusGatewayTimeout),
		Header:     http.Header{"Content-Length": {"0"}},
	}
}
