package worker

import (
	"context"
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

// matchOptions reads the bootstrap's queryOptions array.
func matchOptions(v sobek.Value) cachestorage.MatchOptions {
	var o cachestorage.MatchOptions
	arr, ok := v.(*sobek.Object)
	if !ok {
		return o
	}
	o.IgnoreSearch = arr.Get("0").ToBoolean()
	o.IgnoreMethod = arr.Get("1").ToBoolean()
	o.IgnoreVary = arr.Get("2").ToBoolean()
	if n := arr.Get("3"); n != nil && !sobek.IsUndefined(n) {
		o.CacheName, o.HasCacheName = cacheName(n), true
	}
	return o
}

// cacheHost adds the Cache Storage host functions to h.
func (in *instance) cacheHost(set func(string, func(sobek.FunctionCall) sobek.Value)) {
	rt := in.rt
	storage := func() *cachestorage.CacheStorage {
		cs, err := in.w.cacheStorage()
		if err != nil {
			in.throw(err)
		}
		return cs
	}
	cacheOf := func(v sobek.Value) *cachestorage.Cache {
		c := in.cacheHandles[v.ToInteger()]
		if c == nil {
			in.throw(weberr.New(weberr.InvalidStateError, "unknown cache"))
		}
		return c
	}
	request := func(v sobek.Value) *fetch.Request {
		if sobek.IsNull(v) || sobek.IsUndefined(v) {
			return nil
		}
		r, err := in.requestFromRecord(v)
		if err != nil {
			in.throw(err)
		}
		return r
	}
	set("cachesOpen", func(c sobek.FunctionCall) sobek.Value {
		cs, name := storage(), cacheName(c.Argument(0))
		mk, _ := sobek.AssertFunction(c.Argument(1))
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			cache, err := cs.Open(ctx, name)
			if err != nil {
				return nil, err
			}
			return func() sobek.Value {
				in.nextCache++
				in.cacheHandles[in.nextCache] = cache
				v, err := mk(sobek.Undefined(), rt.ToValue(in.nextCache))
				if err != nil {
					in.throw(jsErrorFrom(err))
				}
				return v
			}, nil
		})
	})
	set("cachesHas", func(c sobek.FunctionCall) sobek.Value {
		cs, name := storage(), cacheName(c.Argument(0))
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			ok, err := cs.Has(ctx, name)
			return func() sobek.Value { return rt.ToValue(ok) }, err
		})
	})
	set("cachesDelete", func(c sobek.FunctionCall) sobek.Value {
		cs, name := storage(), cacheName(c.Argument(0))
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			ok, err := cs.Delete(ctx, name)
			return func() sobek.Value { return rt.ToValue(ok) }, err
		})
	})
	set("cachesKeys", func(c sobek.FunctionCall) sobek.Value {
		cs := storage()
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			names, err := cs.Keys(ctx)
			return func() sobek.Value {
				arr := make([]any, len(names))
				for i, n := range names {
					arr[i] = cacheNameValue(rt, n)
				}
				return rt.NewArray(arr...)
			}, err
		})
	})
	set("cachesMatch", func(c sobek.FunctionCall) sobek.Value {
		cs, req, opts := storage(), request(c.Argument(0)), matchOptions(c.Argument(1))
		build, _ := sobek.AssertFunction(c.Argument(2))
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			resp, err := cs.Match(ctx, req, opts)
			if err != nil || resp == nil {
				return nil, err
			}
			return func() sobek.Value { return in.responseToJS(build, resp) }, nil
		})
	})
	set("cacheMatch", func(c sobek.FunctionCall) sobek.Value {
		cache, req, opts := cacheOf(c.Argument(0)), request(c.Argument(1)), matchOptions(c.Argument(2))
		build, _ := sobek.AssertFunction(c.Argument(3))
		all := c.Argument(4).ToBoolean()
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
				return rt.NewArray(out...)
			}, nil
		})
	})
	set("cachePut", func(c sobek.FunctionCall) sobek.Value {
		cache, req := cacheOf(c.Argument(0)), request(c.Argument(1))
		resp := in.exported
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			return nil, cache.Put(ctx, req, resp)
		})
	})
	set("cacheAddAll", func(c sobek.FunctionCall) sobek.Value {
		cache := cacheOf(c.Argument(0))
		var reqs []*fetch.Request
		if o, ok := c.Argument(1).(*sobek.Object); ok {
			rt.ForOf(o, func(v sobek.Value) bool {
				reqs = append(reqs, request(v))
				return true
			})
		}
		fetcher := in.w.opts.Fetcher
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			return nil, cache.AddAll(ctx, fetcher, reqs)
		})
	})
	set("cacheDelete", func(c sobek.FunctionCall) sobek.Value {
		cache, req, opts := cacheOf(c.Argument(0)), request(c.Argument(1)), matchOptions(c.Argument(2))
		return in.promise(func(ctx context.Context) (func() sobek.Value, error) {
			ok, err := cache.Delete(ctx, req, opts)
			return func() sobek.Value { return rt.ToValue(ok) }, err
		})
	})
	set("cacheKeys", func(c sobek.FunctionCall) sobek.Value {
		cache, req, opts := cacheOf(c.Argument(0)), request(c.Argument(1)), matchOptions(c.Argument(2))
		build, _ := sobek.AssertFunction(c.Argument(3))
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
