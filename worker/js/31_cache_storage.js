// 31_cache_storage.js: Cache, CacheStorage and caches (Service Workers)
// over the Go cachestorage package, built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    B_BODY, B_USED, Request, Response, define, exportRequest, exportResponse, illegal, kState,
    lazy, newExtra, newHeaders, responseFromGo, rstate, str, unusable, O_CACHE_NAME, O_IGNORE_METHOD,
    O_IGNORE_SEARCH, O_IGNORE_VARY, O_SLOTS
  } = internals;

  const cachesAPI = lazy(['Cache', 'CacheStorage', 'caches'], () => {
    // Backed by the Go cachestorage package; a Cache object holds the Go
    // cache's handle.
    function toRequest(input) {
      if (input instanceof Request) return input;
      return new Request(input);
    }
    // queryOptions makes the query options record (O_*,
    // worker/records.go) of CacheQueryOptions.
    function queryOptions(o) {
      const q = new Array(O_SLOTS);
      const given = o !== undefined && o !== null;
      q[O_IGNORE_SEARCH] = given && !!o.ignoreSearch;
      q[O_IGNORE_METHOD] = given && !!o.ignoreMethod;
      q[O_IGNORE_VARY] = given && !!o.ignoreVary;
      q[O_CACHE_NAME] = given && o.cacheName !== undefined ? str(o.cacheName) : undefined;
      return q;
    }
    function requestFromRecord(method, url, flat) {
      const r = Object.create(Request.prototype);
      r[kState] = [null, false, method, url, newHeaders('request', flat), newExtra(), 0, null];
      return r;
    }
    function cacheState(c) {
      const st = c !== null && typeof c === 'object' ? c[kState] : undefined;
      if (!st || st.cacheID === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    function async(fn) {
      return function (...args) {
        try { return fn.apply(this, args); } catch (e) { return Promise.reject(e); }
      };
    }
    class Cache {
      constructor(key) { if (key !== kState) illegal(); }
    }
    define(Cache.prototype, {
      match: async(function (request, options) {
        const st = cacheState(this);
        return host.cacheMatch(st.cacheID, exportRequest(toRequest(request)), queryOptions(options), responseFromGo, false);
      }),
      matchAll: async(function (request, options) {
        const st = cacheState(this);
        const rec = request === undefined ? null : exportRequest(toRequest(request));
        return host.cacheMatch(st.cacheID, rec, queryOptions(options), responseFromGo, true);
      }),
      add: async(function (request) {
        if (arguments.length === 0) throw new TypeError("Failed to execute 'add' on 'Cache': 1 argument required, but only 0 present.");
        return this.addAll([request]);
      }),
      addAll: async(function (requests) {
        const st = cacheState(this);
        if (requests === null || typeof requests !== 'object' || typeof requests[Symbol.iterator] !== 'function') throw new TypeError("Failed to execute 'addAll' on 'Cache': The provided value cannot be converted to a sequence.");
        const recs = [];
        for (const r of requests) {
          const req = toRequest(r);
          const u = req.url;
          if (!/^https?:/i.test(u) || req.method !== 'GET') throw new TypeError("Failed to execute 'addAll' on 'Cache': Request scheme '" + u.split(':')[0] + "' is unsupported or method is not GET");
          recs.push(exportRequest(req));
        }
        return host.cacheAddAll(st.cacheID, recs);
      }),
      put: async(function (request, response) {
        const st = cacheState(this);
        const req = toRequest(request);
        if (!(response instanceof Response)) throw new TypeError("Failed to execute 'put' on 'Cache': parameter 2 is not of type 'Response'.");
        const rs = rstate(response);
        if (unusable(rs)) throw new TypeError("Failed to execute 'put' on 'Cache': Response body is already used");
        // A stream body goes to Go as a stream, stored once read whole
        // within the origin's storage quota (not the worker's body limit).
        const reqRec = exportRequest(req);
        exportResponse(response);
        if (rs[B_BODY] !== null) rs[B_USED] = true;
        return host.cachePut(st.cacheID, reqRec);
      }),
      delete: async(function (request, options) {
        const st = cacheState(this);
        return host.cacheDelete(st.cacheID, exportRequest(toRequest(request)), queryOptions(options));
      }),
      keys: async(function (request, options) {
        const st = cacheState(this);
        const rec = request === undefined ? null : exportRequest(toRequest(request));
        return host.cacheKeys(st.cacheID, rec, queryOptions(options), requestFromRecord);
      }),
    });
    class CacheStorage {
      constructor(key) { if (key !== kState) illegal(); }
    }
    function makeCache(id) {
      const c = Object.create(Cache.prototype);
      c[kState] = { cacheID: id };
      return c;
    }
    define(CacheStorage.prototype, {
      open: async(function (name) { return host.cachesOpen(str(name), makeCache); }),
      has: async(function (name) { return host.cachesHas(str(name)); }),
      delete: async(function (name) { return host.cachesDelete(str(name)); }),
      keys: async(function () { return host.cachesKeys(); }),
      match: async(function (request, options) {
        return host.cachesMatch(exportRequest(toRequest(request)), queryOptions(options), responseFromGo);
      }),
    });
    const caches = new CacheStorage(kState);
    return { Cache, CacheStorage, caches };
  });
})
