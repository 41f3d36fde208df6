package worker

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grafana/sobek"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/wtf8"
	"github.com/swhost/swhost/weberr"
)

// cacheStorage returns the worker's Cache Storage: Options.Caches, or a
// private in-memory store for the script's origin.
func (w *Worker) cacheStorage() (*cachestorage.CacheStorage, error) {
	w.cachesOnce.Do(func() {
		if w.opts.Caches != nil {
			w.caches = w.opts.Caches
			return
		}
		origin := "null"
		if u := w.scriptURL(); u != nil {
			origin = u.Origin()
		}
		w.caches, w.cachesErr = cachestorage.New(cachestorage.NewMemoryBackend(), cachestorage.Limits{}).For(origin)
	})
	return w.caches, w.cachesErr
}

// matchOptions reads a query options record (records.go), made by the
// bootstrap's queryOptions.
func matchOptions(v sobek.Value) cachestorage.MatchOptions {
	var o cachestorage.MatchOptions
	arr, ok := v.(*sobek.Object)
	if !ok {
		return o
	}
	at := func(i int) sobek.Value { return arr.Get(strconv.Itoa(i)) }
	o.IgnoreSearch = at(oIgnoreSearch).ToBoolean()
	o.IgnoreMethod = at(oIgnoreMethod).ToBoolean()
	o.IgnoreVary = at(oIgnoreVary).ToBoolean()
	if n := at(oCacheName); n != nil && !sobek.IsUndefined(n) {
		o.CacheName, o.HasCacheName = cacheName(n), true
	}
	return o
}

// Bindings of js/31_cache_storage.js. Caches are handles by number
// (in.cacheHandles); requests cross as the bootstrap's request records;
// the responses a script stores cross as the last exportResponse
// (in.exported).

// storage returns the worker's Cache Storage, or throws.
func (in *instance) storage() *cachestorage.CacheStorage {
	cs, err := in.w.cacheStorage()
	if err != nil {
		in.throw(err)
	}
	return cs
}

// cacheOf returns the cache with handle id, or throws.
func (in *instance) cacheOf(id int64) *cachestorage.Cache {
	c := in.cacheHandles[id]
	if c == nil {
		in.throw(weberr.New(weberr.InvalidStateError, "unknown cache"))
	}
	return c
}

// cacheRequest reads a request record; null and undefined are nil (no
// request: every entry).
func (in *instance) cacheRequest(v sobek.Value) *fetch.Request {
	if sobek.IsNull(v) || sobek.IsUndefined(v) {
		return nil
	}
	r, err := in.requestFromRecord(v)
	if err != nil {
		in.throw(err)
	}
	return r
}

// cachesOpen is host.cachesOpen(name, makeCache): caches.open; the
// promise resolves to makeCache(handle).
func (in *instance) cachesOpen(nameV sobek.Value, mk sobek.Callable) sobek.Value {
	cs, name := in.storage(), cacheName(nameV)
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		cache, err := cs.Open(ctx, name)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value {
			in.nextCache++
			in.cacheHandles[in.nextCache] = cache
			v, err := mk(sobek.Undefined(), in.rt.ToValue(in.nextCache))
			if err != nil {
				in.throw(jsErrorFrom(err))
			}
			return v
		}, nil
	})
}

// cachesHas is host.cachesHas(name): caches.has.
func (in *instance) cachesHas(nameV sobek.Value) sobek.Value {
	cs, name := in.storage(), cacheName(nameV)
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		ok, err := cs.Has(ctx, name)
		return func() sobek.Value { return in.rt.ToValue(ok) }, err
	})
}

// cachesDelete is host.cachesDelete(name): caches.delete.
func (in *instance) cachesDelete(nameV sobek.Value) sobek.Value {
	cs, name := in.storage(), cacheName(nameV)
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		ok, err := cs.Delete(ctx, name)
		return func() sobek.Value { return in.rt.ToValue(ok) }, err
	})
}

// cachesKeys is host.cachesKeys(): caches.keys.
func (in *instance) cachesKeys() sobek.Value {
	cs := in.storage()
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		names, err := cs.Keys(ctx)
		return func() sobek.Value {
			arr := make([]any, len(names))
			for i, n := range names {
				arr[i] = cacheNameValue(in.rt, n)
			}
			return in.rt.NewArray(arr...)
		}, err
	})
}

// cachesMatch is host.cachesMatch(request, options, responseFromGo):
// caches.match.
func (in *instance) cachesMatch(reqV, optsV sobek.Value, build sobek.Callable) sobek.Value {
	cs, req, opts := in.storage(), in.cacheRequest(reqV), matchOptions(optsV)
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		resp, err := cs.Match(ctx, req, opts)
		if err != nil || resp == nil {
			return nil, err
		}
		return func() sobek.Value { return in.responseToJS(build, resp) }, nil
	})
}

// cacheMatch is host.cacheMatch(cache, request, options, responseFromGo,
// all): Cache.match, or Cache.matchAll when all.
func (in *instance) cacheMatch(a *args) sobek.Value {
	cache, req, opts := in.cacheOf(a.value().ToInteger()), in.cacheRequest(a.value()), matchOptions(a.value())
	build, _ := sobek.AssertFunction(a.value())
	all := a.bool()
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		if !all {
			resp, err := cache.Match(ctx, req, opts)
			if err != nil || resp == nil {
				return nil, err
			}
			return func() sobek.Value { return in.responseToJS(build, resp) }, nil
		}
		list, err := cache.MatchAll(ctx, req, opts)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value {
			out := make([]any, len(list))
			for i, r := range list {
				out[i] = in.responseToJS(build, r)
			}
			return in.rt.NewArray(out...)
		}, nil
	})
}

// cachePut is host.cachePut(cache, request): Cache.put of request with
// the response the bootstrap exported just before (exportResponse).
func (in *instance) cachePut(id int64, reqV sobek.Value) sobek.Value {
	cache, req := in.cacheOf(id), in.cacheRequest(reqV)
	resp := in.exported
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		// A stream body is read whole within the origin's quota by Put;
		// one Put refused before reading it is cancelled.
		defer resp.CloseBody()
		return nil, cache.Put(ctx, req, resp)
	})
}

// cacheAddAll is host.cacheAddAll(cache, requests): Cache.addAll through
// the worker's Fetcher.
func (in *instance) cacheAddAll(id int64, list *sobek.Object) sobek.Value {
	cache := in.cacheOf(id)
	var reqs []*fetch.Request
	if list != nil {
		in.rt.ForOf(list, func(v sobek.Value) bool {
			reqs = append(reqs, in.cacheRequest(v))
			return true
		})
	}
	fetcher := in.w.opts.Fetcher
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		return nil, cache.AddAll(ctx, fetcher, reqs)
	})
}

// cacheDelete is host.cacheDelete(cache, request, options): Cache.delete.
func (in *instance) cacheDelete(id int64, reqV, optsV sobek.Value) sobek.Value {
	cache, req, opts := in.cacheOf(id), in.cacheRequest(reqV), matchOptions(optsV)
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		ok, err := cache.Delete(ctx, req, opts)
		return func() sobek.Value { return in.rt.ToValue(ok) }, err
	})
}

// cacheKeys is host.cacheKeys(cache, request, options, makeRequest):
// Cache.keys; each request is makeRequest(method, url, flatHeaders).
func (in *instance) cacheKeys(id int64, reqV, optsV sobek.Value, build sobek.Callable) sobek.Value {
	cache, req, opts := in.cacheOf(id), in.cacheRequest(reqV), matchOptions(optsV)
	rt := in.rt
	return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
		list, err := cache.Keys(ctx, req, opts)
		if err != nil {
			return nil, err
		}
		return func() sobek.Value {
			out := make([]any, len(list))
			for i, r := range list {
				flat := make([]any, 0, 2*len(r.Header))
				for name, vals := range r.Header {
					for _, v := range vals {
						flat = append(flat, toLowerASCII(name), v)
					}
				}
				v, err := build(sobek.Undefined(), rt.ToValue(r.MethodOrGet()), rt.ToValue(r.URL), rt.NewArray(flat...))
				if err != nil {
					in.throw(jsErrorFrom(err))
				}
				out[i] = v
			}
			return rt.NewArray(out...)
		}, nil
	})
}

func toLowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// cacheName returns a Cache Storage name as the host keeps it. Names are
// DOMStrings, any sequence of UTF-16 code units, not USVStrings: "\ud800"
// and "\udc00" name two caches. Converting to UTF-8 would make both
// U+FFFD, so names are kept as WTF-8 (package internal/wtf8), which is
// plain UTF-8 for any name without a lone surrogate: names stored before
// read the same.
func cacheName(v sobek.Value) string {
	s := v.String()
	if !strings.ContainsRune(s, utf8.RuneError) {
		return s // no lone surrogate became U+FFFD
	}
	js, ok := v.ToString().(sobek.String)
	if !ok {
		return s
	}
	units := make([]uint16, js.Length())
	for i := range units {
		units[i] = js.CharAt(i)
	}
	return wtf8.FromUTF16(units)
}

// cacheNameValue is the JavaScript string of a name kept by cacheName.
func cacheNameValue(rt *sobek.Runtime, name string) sobek.Value {
	if utf8.ValidString(name) {
		return rt.ToValue(name)
	}
	return sobek.StringFromUTF16(wtf8.ToUTF16(name))
}
