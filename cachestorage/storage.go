// Package cachestorage implements the Service Workers standard's Cache
// Storage ("Caches": CacheStorage and Cache) as Go values, for the worker
// runtime to bind to the caches global.
//
// A [Store] holds every origin's caches in a [Backend]. Code acting for one
// origin gets that origin's [CacheStorage] from [Store.For]; a CacheStorage
// and the [Cache] values it opens have no way to name another origin, so a
// worker can never reach another origin's caches.
//
//	store := cachestorage.New(cachestorage.NewMemoryBackend(), cachestorage.Limits{})
//	caches, err := store.For("https://app.example")
//	cache, err := caches.Open(ctx, "v1")
//	err = cache.Put(ctx, req, resp)
//	resp, err := caches.Match(ctx, req, cachestorage.MatchOptions{IgnoreSearch: true})
//
// Requests and responses are [fetch.Request] and [fetch.Response] values.
// Stored values are copies, and every value returned is a fresh copy the
// caller may modify. Failures the web platform reports as exceptions carry
// their names ([weberr]): TypeError for requests and responses Cache Storage
// refuses, QuotaExceededError beyond the [Limits], InvalidStateError for a
// batch that would add the same request twice or for a deleted cache.
//
// All methods are safe for concurrent use: several workers of one origin
// may use its caches at once.
package cachestorage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/quota"
	"github.com/swhost/swhost/weberr"
)

// Default limits, used for the zero fields of [Limits].
const (
	DefaultMaxCaches          = 1000
	DefaultMaxEntriesPerCache = 10000
	DefaultMaxOriginBytes     = quota.DefaultOriginBytes
	DefaultMaxNameBytes       = 4 << 10 // 4 KiB
)

// Limits caps what one origin may store. A zero field takes its default; a
// negative field means no limit. Exceeding a limit fails the operation with
// a QuotaExceededError and stores nothing.
type Limits struct {
	MaxCaches          int // caches per origin (DefaultMaxCaches)
	MaxEntriesPerCache int // entries per cache (DefaultMaxEntriesPerCache)
	// MaxOriginBytes is the origin's storage quota (package quota): the
	// bytes its caches (their entries, counted by EntrySize, and the
	// caches themselves, counted by CacheSize) and its IndexedDB
	// databases, when the backend keeps them too ([Usage.IndexedDB]), may
	// take together (DefaultMaxOriginBytes). Give the IndexedDB engine
	// the same figure (indexeddb.Factory.SetQuota).
	MaxOriginBytes int64
	// MaxNameBytes caps the length of a new cache's name, in bytes of
	// UTF-8 (DefaultMaxNameBytes). The standard sets no limit; names are
	// stored, so a longer one is refused as storage is, with a
	// QuotaExceededError. Caches that exist can be opened, matched and
	// deleted whatever their names.
	MaxNameBytes int
}

func (l Limits) withDefaults() Limits {
	if l.MaxCaches == 0 {
		l.MaxCaches = DefaultMaxCaches
	}
	if l.MaxEntriesPerCache == 0 {
		l.MaxEntriesPerCache = DefaultMaxEntriesPerCache
	}
	if l.MaxOriginBytes == 0 {
		l.MaxOriginBytes = DefaultMaxOriginBytes
	}
	if l.MaxNameBytes == 0 {
		l.MaxNameBytes = DefaultMaxNameBytes
	}
	return l
}

// Store is Cache Storage for every origin, kept in a [Backend].
type Store struct {
	backend Backend
	limits  Limits
}

// New returns a Store keeping its data in b, with the given limits.
func New(b Backend, limits Limits) *Store {
	return &Store{backend: b, limits: limits.withDefaults()}
}

// Limits returns the store's limits, defaults filled in.
func (s *Store) Limits() Limits { return s.limits }

// For returns the Cache Storage of origin, a serialized tuple origin such
// as "https://app.example" or "http://127.0.0.1:8080". The origin is
// normalized (scheme and host lower-cased, default port dropped); an opaque
// origin ("null") or anything that is not an origin fails with a
// SecurityError, since only tuple origins have storage.
func (s *Store) For(origin string) (*CacheStorage, error) {
	o, err := normalizeOrigin(origin)
	if err != nil {
		return nil, err
	}
	return &CacheStorage{store: s, origin: o}, nil
}

func normalizeOrigin(origin string) (string, error) {
	bad := func(why string) error {
		return weberr.Errorf(weberr.SecurityError, "cache storage for origin %q: %s", origin, why)
	}
	if origin == "" || origin == "null" {
		return "", bad("an opaque origin has no cache storage")
	}
	u, err := url.Parse(origin)
	if err != nil {
		return "", bad("not a serialized origin")
	}
	if u.Scheme == "" || u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") ||
		u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		return "", bad("not a serialized origin (want scheme://host[:port])")
	}
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host, nil
}

// CacheStorage is the Cache Storage of one origin: the spec's "name to
// cache map", an ordered map from cache names to caches.
type CacheStorage struct {
	store  *Store
	origin string
}

// Origin returns the normalized origin whose caches c holds.
func (c *CacheStorage) Origin() string { return c.origin }

// Open returns the cache called name, creating it (after the existing ones)
// when there is none. Creating a cache beyond Limits.MaxCaches, with a name
// longer than Limits.MaxNameBytes, or whose CacheSize would take the
// origin past its quota (Limits.MaxOriginBytes, shared with IndexedDB)
// fails with a QuotaExceededError.
func (c *CacheStorage) Open(ctx context.Context, name string) (*Cache, error) {
	var info CacheInfo
	found := false
	err := c.store.backend.View(ctx, c.origin, func(tx Tx) error {
		var err error
		info, found, err = tx.Cache(name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("caches.open(%s): %w", quoteName(name), err)
	}
	if !found {
		limits := c.store.limits
		if max := limits.MaxNameBytes; max > 0 && len(name) > max {
			return nil, weberr.Errorf(weberr.QuotaExceeded, "caches.open(%s): the name is %d bytes, more than the limit of %d", quoteName(name), len(name), max)
		}
		err = c.store.backend.Update(ctx, c.origin, func(tx Tx) error {
			var err error
			if info, found, err = tx.Cache(name); err != nil || found {
				return err // created meanwhile by someone else
			}
			u, err := tx.Usage()
			if err != nil {
				return err
			}
			if max := limits.MaxCaches; max > 0 && u.Caches >= max {
				return weberr.Errorf(weberr.QuotaExceeded, "caches.open(%s): origin %s already has %d caches, the limit", quoteName(name), c.origin, u.Caches)
			}
			u.Bytes += CacheSize(c.origin, name)
			if err := quota.Check(fmt.Sprintf("caches.open(%s)", quoteName(name)), c.origin, u.quotaUsage(), limits.MaxOriginBytes); err != nil {
				return err
			}
			info, err = tx.CreateCache(name)
			return err
		})
		if err != nil {
			return nil, wrapErr(fmt.Sprintf("caches.open(%s)", quoteName(name)), err)
		}
	}
	return &Cache{storage: c, id: info.ID, name: info.Name}, nil
}

// Usage returns what the origin's caches hold, from one snapshot of the
// backend; Bytes is their share of the origin's quota.
func (c *CacheStorage) Usage(ctx context.Context) (Usage, error) {
	var u Usage
	err := c.store.backend.View(ctx, c.origin, func(tx Tx) error {
		var err error
		u, err = tx.Usage()
		return err
	})
	if err != nil {
		return Usage{}, fmt.Errorf("cache storage usage of %s: %w", c.origin, err)
	}
	return u, nil
}

// Quota returns the origin's storage quota in bytes
// (Limits.MaxOriginBytes), or 0 when there is none.
func (c *CacheStorage) Quota() int64 { return max(c.store.limits.MaxOriginBytes, 0) }

// Has reports whether a cache called name exists.
func (c *CacheStorage) Has(ctx context.Context, name string) (bool, error) {
	var found bool
	err := c.store.backend.View(ctx, c.origin, func(tx Tx) error {
		var err error
		_, found, err = tx.Cache(name)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("caches.has(%s): %w", quoteName(name), err)
	}
	return found, nil
}

// Delete removes the cache called name and its entries, and reports
// whether it existed. [Cache] values already opened on it stop working:
// their reads find nothing and their writes fail with InvalidStateError.
func (c *CacheStorage) Delete(ctx context.Context, name string) (bool, error) {
	var deleted bool
	err := c.store.backend.Update(ctx, c.origin, func(tx Tx) error {
		info, found, err := tx.Cache(name)
		if err != nil || !found {
			return err
		}
		deleted, err = tx.DeleteCache(info.ID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("caches.delete(%s): %w", quoteName(name), err)
	}
	return deleted, nil
}

// Keys returns the names of the origin's caches in creation order.
func (c *CacheStorage) Keys(ctx context.Context) ([]string, error) {
	var names []string
	err := c.store.backend.View(ctx, c.origin, func(tx Tx) error {
		infos, err := tx.Caches()
		if err != nil {
			return err
		}
		names = make([]string, len(infos))
		for i, info := range infos {
			names[i] = info.Name
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("caches.keys(): %w", err)
	}
	return names, nil
}

// Match returns the first response matching req, looking through the
// caches in creation order, or only in the cache opts.CacheName when set
// (see [MatchOptions.HasCacheName]). It returns nil, nil when nothing
// matches or the named cache does not exist.
func (c *CacheStorage) Match(ctx context.Context, req *fetch.Request, opts MatchOptions) (*fetch.Response, error) {
	if req == nil {
		return nil, weberr.New(weberr.TypeError, "caches.match(): request is missing")
	}
	if !queryAllowed(req, opts) {
		return nil, nil
	}
	var resp *fetch.Response
	err := c.store.backend.View(ctx, c.origin, func(tx Tx) error {
		var infos []CacheInfo
		if opts.CacheName != "" || opts.HasCacheName {
			info, found, err := tx.Cache(opts.CacheName)
			if err != nil || !found {
				return err
			}
			infos = []CacheInfo{info}
		} else {
			var err error
			if infos, err = tx.Caches(); err != nil {
				return err
			}
		}
		for _, info := range infos {
			e, err := queryFirst(tx, info.ID, req, opts)
			if err != nil {
				return err
			}
			if e != nil {
				resp = e.Response.Clone()
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("caches.match(%s): %w", req.URL, err)
	}
	return resp, nil
}

// quoteName quotes a cache name for an error message, cut to its first 64
// bytes: a name may be megabytes long.
func quoteName(name string) string {
	const max = 64
	if len(name) <= max {
		return strconv.Quote(name)
	}
	end := max
	for end > 0 && !utf8.RuneStart(name[end]) {
		end--
	}
	return strconv.Quote(name[:end]) + "…"
}

// wrapErr adds where to err, keeping a web exception's name in front.
func wrapErr(where string, err error) error {
	if err == nil {
		return nil
	}
	var we *weberr.Error
	if errors.As(err, &we) {
		return err
	}
	return fmt.Errorf("%s: %w", where, err)
}
