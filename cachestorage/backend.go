package cachestorage

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/quota"
)

// Backend persists the caches of every origin. It is the small storage
// interface behind [Store]: an in-memory implementation comes with this
// package ([NewMemoryBackend]); a persistent one maps each call of View and
// Update onto one database transaction.
//
// All the work of one call happens inside one transaction scoped to one
// origin: View sees a consistent snapshot, Update applies every change made
// through its [Tx] atomically when fn returns nil and none of them when fn
// returns an error (or panics). A Backend must be safe for concurrent use;
// Update calls on one origin are serialized (with the origin's IndexedDB
// commits too, when the backend keeps those: they share its quota).
//
// The Tx passed to fn is valid only until fn returns and must not be used
// from other goroutines. Entries and values read through it must be treated
// as read-only by the caller; the backend may share them with other readers.
type Backend interface {
	// View runs fn with a read-only transaction on origin's caches. Write
	// methods of that Tx fail.
	View(ctx context.Context, origin string, fn func(Tx) error) error
	// Update runs fn with a read-write transaction on origin's caches and
	// commits its changes when fn returns nil.
	Update(ctx context.Context, origin string, fn func(Tx) error) error
}

// Tx is one transaction on the caches of one origin (the spec's "name to
// cache map" and its "request response lists").
type Tx interface {
	// Caches returns the origin's caches in creation order.
	Caches() ([]CacheInfo, error)
	// Cache returns the cache called name, with ok false when there is none.
	Cache(name string) (info CacheInfo, ok bool, err error)
	// CreateCache adds a cache called name after the existing ones and
	// returns it, adding CacheSize(origin, name) to the origin's bytes. It
	// fails if a cache of that name exists. Cache IDs are never reused
	// within an origin.
	CreateCache(name string) (CacheInfo, error)
	// DeleteCache removes the cache with the given id and all its entries,
	// taking their sizes and the cache's CacheSize off the origin's bytes.
	// It reports whether the cache existed.
	DeleteCache(id int64) (bool, error)
	// Entries returns the entries of cache id selected by sel, in insertion
	// order. A cache that does not exist has no entries.
	Entries(id int64, sel Selector) ([]Entry, error)
	// DeleteEntry removes the entry entryID from cache id. Removing an entry
	// that does not exist is not an error.
	DeleteEntry(id, entryID int64) error
	// AppendEntry appends e to the end of cache id and returns the ID it
	// gave the entry (larger than every earlier entry ID of that cache).
	// e.ID is ignored. The backend keeps e's request and response; the
	// caller must not modify them afterwards. It fails if the cache does not
	// exist.
	AppendEntry(id int64, e Entry) (int64, error)
	// Usage returns the origin's totals, including this transaction's
	// changes so far, and what its IndexedDB databases take when the
	// backend keeps them ([Usage.IndexedDB]).
	Usage() (Usage, error)
	// EntryCount returns the number of entries in cache id, including this
	// transaction's changes so far.
	EntryCount(id int64) (int, error)
}

// CacheInfo names one cache of an origin.
type CacheInfo struct {
	ID int64 // unique within the origin, never reused
	// Name is the name scripts use. Names are DOMStrings, so a worker
	// passes them as WTF-8 (package internal/wtf8): UTF-8 unless the name
	// holds a lone surrogate, whose own three-byte encoding then keeps
	// "\ud800" and "\udc00" apart. Backends store and compare names byte
	// for byte and never assume they are valid UTF-8.
	Name string
}

// Entry is one request/response pair of a cache.
type Entry struct {
	ID       int64 // assigned by the backend; orders the entries of a cache
	Request  *fetch.Request
	Response *fetch.Response
	// Size is the number of bytes the entry counts for against the
	// origin's quota, computed by the caller ([EntrySize]).
	Size int64
}

// Usage is what an origin's caches hold.
type Usage struct {
	Caches  int   // number of caches
	Entries int   // number of entries over all caches
	Bytes   int64 // sum of the entries' Size and of every cache's CacheSize
	// IndexedDB is the bytes the origin's IndexedDB databases take in
	// the same store (quota.Usage.IndexedDB), as the transaction sees
	// them: caches and databases share the origin's quota. A backend that
	// keeps no IndexedDB (the memory backend) reports 0.
	IndexedDB int64
}

// quotaUsage returns u as the quota counts it.
func (u Usage) quotaUsage() quota.Usage {
	return quota.Usage{CacheStorage: u.Bytes, IndexedDB: u.IndexedDB}
}

// Selector picks the entries of a cache by request URL. The zero Selector
// picks every entry.
type Selector struct {
	// Key, when not empty, keeps only entries whose request URL has this
	// key: URLKey(entry.Request.URL, IgnoreSearch) == Key.
	Key          string
	IgnoreSearch bool
}

// All reports whether s selects every entry.
func (s Selector) All() bool { return s.Key == "" }

// Matches reports whether s selects an entry whose request URL is rawURL.
func (s Selector) Matches(rawURL string) bool {
	return s.Key == "" || URLKey(rawURL, s.IgnoreSearch) == s.Key
}

// URLKey returns the part of a serialized URL that Cache Storage compares:
// the URL without its fragment and, when ignoreSearch is true, without its
// query. Two URLs are equal for the cache ("equal with exclude fragment",
// after "set query to the empty string" for ignoreSearch) exactly when their
// keys are equal. Backends index entries by these keys.
func URLKey(rawURL string, ignoreSearch bool) string {
	if i := strings.IndexByte(rawURL, '#'); i >= 0 {
		rawURL = rawURL[:i]
	}
	if ignoreSearch {
		if i := strings.IndexByte(rawURL, '?'); i >= 0 {
			rawURL = rawURL[:i]
		}
	}
	return rawURL
}

// EntrySize returns the bytes an entry of origin's caches counts for
// against the origin's quota: a bound on the file space the SQLite store
// takes for it, so that disk use stays within the quota whatever strings a
// script stores. It counts the entry's row (the request and the response
// without their bodies as JSON, field names and escapes included, both
// bodies, the request URL's two lookup keys from [URLKey] and the origin)
// and its three index entries (the primary key, and each lookup key with
// the origin), each by quota.RowCost and quota.IndexCost.
func EntrySize(origin string, req *fetch.Request, resp *fetch.Response) int64 {
	o := int64(len(origin))
	row := o + 32
	var key, searchless int64
	if req != nil {
		r := *req
		r.Body = nil
		key, searchless = int64(len(URLKey(req.URL, false))), int64(len(URLKey(req.URL, true)))
		row += jsonSize(&r) + int64(len(req.Body)) + key + searchless
	}
	if resp != nil {
		r := *resp
		r.Body = nil
		row += jsonSize(&r) + int64(len(resp.Body))
	}
	return quota.RowCost(row) + quota.IndexCost(o+24) +
		quota.IndexCost(key+o+24) + quota.IndexCost(searchless+o+24)
}

// CacheSize returns the bytes a cache called name of origin counts for
// against the origin's quota, without its entries: its row and its two
// index entries (the primary key, and the name with the origin), each by
// quota.RowCost and quota.IndexCost. Backends add it to [Usage.Bytes] when they create the cache
// and take it off when they delete it.
func CacheSize(origin, name string) int64 {
	o, n := int64(len(origin)), int64(len(name))
	return quota.RowCost(n+o+40) + quota.IndexCost(o+16) + quota.IndexCost(n+o+16)
}

// jsonSize returns the length of v's JSON encoding. A value that cannot
// be encoded counts for nothing here; the backend that stores it fails.
func jsonSize(v any) int64 {
	var w countWriter
	if err := json.NewEncoder(&w).Encode(v); err != nil {
		return 0
	}
	return int64(w) - 1 // without Encode's newline
}

// countWriter counts the bytes written to it.
type countWriter int64

func (w *countWriter) Write(p []byte) (int, error) {
	*w += countWriter(len(p))
	return len(p), nil
}
