// 13_request.js: Request (Fetch standard), and its records for Go.
(function (internals, host, global) {
  'use strict';
  const {
    B_BODY, B_USED, R_H, R_METHOD, R_SIGNAL, R_TOKEN, R_URL, R_X, expose, exportStreaming, extractBody, goRequestBody,
    bodyState, cloneBody, exportBody, isStreamBody, kRS, unusable, fillHeaders, isForbiddenMethod, headersAppend, hstate, kState, mixBody,
    newHeaders, str, tokenRe, Q_BODY, Q_CACHE, Q_CREDENTIALS, Q_DESTINATION, Q_HEADERS, Q_METHOD,
    Q_MODE, Q_REDIRECT, Q_REFERRER, Q_SLOTS, Q_URL, X_CACHE, X_CREDENTIALS, X_DESTINATION, X_INTEGRITY,
    X_KEEPALIVE, X_MODE, X_POLICY, X_REDIRECT, X_REFERRER, X_SLOTS
  } = internals;

  const requestModes = new Set(['navigate', 'same-origin', 'no-cors', 'cors']);
  const credentialsModes = new Set(['omit', 'same-origin', 'include']);
  const cacheModes = new Set(['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached']);
  const redirectModes = new Set(['follow', 'error', 'manual']);
  const referrerPolicies = new Set(['', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url']);
  function enumOf(set, v, what) {
    v = str(v);
    if (!set.has(v)) throw new TypeError("Failed to construct 'Request': The provided value '" + v + "' is not a valid enum value of type " + what + '.');
    return v;
  }
  // The rarely used fields of a Request, an array (x) in its state: the
  // extra fields record (X_*, worker/records.go). newExtra makes one with
  // the Request defaults.
  function newExtra() {
    const x = new Array(X_SLOTS);
    x[X_MODE] = 'cors'; x[X_CREDENTIALS] = 'same-origin'; x[X_DESTINATION] = ''; x[X_REFERRER] = 'about:client';
    x[X_CACHE] = 'default'; x[X_REDIRECT] = 'follow'; x[X_POLICY] = ''; x[X_INTEGRITY] = ''; x[X_KEEPALIVE] = false;
    return x;
  }
  const emptyInit = Object.freeze({});
  // Request state: method, url, h (Headers, or null for a Go request not
  // yet read), body, used, x (the rarely used fields, or null for a Go
  // request not yet read), token (the Go event, or 0), signal.
  function reqExtra(st) {
    if (st[R_X] === null) {
      st[R_X] = host.requestFields(st[R_TOKEN]);
    }
    return st[R_X];
  }
  function reqHeaders(st) {
    if (st[R_H] === null) {
      st[R_H] = newHeaders('immutable', null);
      st[R_H][kState].h = st[R_TOKEN];
    }
    return st[R_H];
  }
  class Request {
    constructor(input, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
      let hasInit = false;
      if (init === undefined || init === null) init = emptyInit;
      else if (typeof init !== 'object') throw new TypeError("Failed to construct 'Request': The provided value is not of type 'RequestInit'.");
      let src = null, href;
      if (input instanceof Request) {
        src = input[kState];
        if (src[B_BODY] === undefined) src[B_BODY] = goRequestBody(src[R_TOKEN]);
        href = src[R_URL];
      } else {
        href = host.parseURL(str(input), internals.location.href);
        if (href === null) throw new TypeError("Failed to construct 'Request': Failed to parse URL from " + str(input));
        if (/^[a-z][a-z0-9+.\-]*:\/\/[^/?#]*@/i.test(href)) throw new TypeError("Failed to construct 'Request': Request cannot be constructed from a URL that includes credentials: " + href);
        const hash = href.indexOf('#');
        if (hash >= 0) href = href.slice(0, hash);
      }
      const sx = src ? reqExtra(src) : null;
      const x = sx ? sx.slice() : newExtra();
      const st = [src ? src[B_BODY] : null, false, src ? src[R_METHOD] : 'GET', href, null, x, 0, null];
      if (init !== emptyInit) for (const k in init) { hasInit = true; break; } // eslint-disable-line no-unused-vars
      if (hasInit && x[X_MODE] === 'navigate') x[X_MODE] = 'same-origin';
      if (hasInit) x[X_REFERRER] = 'about:client';
      if (init.referrer !== undefined) {
        const r = str(init.referrer);
        if (r === '') x[X_REFERRER] = '';
        else {
          const parsed = host.parseURL(r, internals.location.href);
          if (parsed === null) throw new TypeError("Failed to construct 'Request': Referrer '" + r + "' is not a valid URL.");
          x[X_REFERRER] = parsed;
        }
      }
      if (init.referrerPolicy !== undefined) x[X_POLICY] = enumOf(referrerPolicies, init.referrerPolicy, 'ReferrerPolicy');
      if (init.mode !== undefined) {
        const m = enumOf(requestModes, init.mode, 'RequestMode');
        if (m === 'navigate') throw new TypeError("Failed to construct 'Request': Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'.");
        x[X_MODE] = m;
      }
      if (init.credentials !== undefined) x[X_CREDENTIALS] = enumOf(credentialsModes, init.credentials, 'RequestCredentials');
      if (init.cache !== undefined) {
        x[X_CACHE] = enumOf(cacheModes, init.cache, 'RequestCache');
        if (x[X_CACHE] === 'only-if-cached' && x[X_MODE] !== 'same-origin') throw new TypeError("Failed to construct 'Request': 'only-if-cached' can be set only with 'same-origin' mode");
      }
      if (init.redirect !== undefined) x[X_REDIRECT] = enumOf(redirectModes, init.redirect, 'RequestRedirect');
      if (init.integrity !== undefined) x[X_INTEGRITY] = str(init.integrity);
      if (init.keepalive !== undefined) x[X_KEEPALIVE] = !!init.keepalive;
      if (init.method !== undefined) {
        let m = str(init.method);
        if (!tokenRe.test(m)) throw new TypeError("Failed to construct 'Request': '" + m + "' is not a valid HTTP method.");
        if (isForbiddenMethod(m)) throw new TypeError("Failed to construct 'Request': '" + m + "' HTTP method is unsupported.");
        st[R_METHOD] = host.normalizeMethod(m);
      }
      let parentSignal = init.signal !== undefined ? init.signal : (src ? src[R_SIGNAL] : null);
      if (parentSignal !== null && parentSignal !== undefined && !(parentSignal instanceof internals.AbortSignal)) throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
      st[R_SIGNAL] = parentSignal ? internals.AbortSignal.any([parentSignal]) : null;
      if (x[X_MODE] === 'no-cors' && st[R_METHOD] !== 'GET' && st[R_METHOD] !== 'HEAD' && st[R_METHOD] !== 'POST') {
        throw new TypeError("Failed to construct 'Request': '" + st[R_METHOD] + "' is unsupported in no-cors mode.");
      }
      const h = newHeaders(x[X_MODE] === 'no-cors' ? 'request-no-cors' : 'request', []);
      if (init.headers !== undefined) fillHeaders(h, init.headers);
      else if (src) {
        const l = hstate(reqHeaders(src)).l;
        for (let i = 0; i < l.length; i += 2) headersAppend(h, l[i], l[i + 1]);
      }
      st[R_H] = h;
      const inputBody = src ? src[B_BODY] : null;
      if ((init.body !== undefined && init.body !== null || inputBody !== null) && (st[R_METHOD] === 'GET' || st[R_METHOD] === 'HEAD')) {
        throw new TypeError("Failed to construct 'Request': Request with GET/HEAD method cannot have body.");
      }
      if (init.body !== undefined && init.body !== null) {
        st[B_BODY] = extractBody(init.body);
        if (typeof st[B_BODY] === 'object' && isStreamBody(st[B_BODY])) {
          if (x[X_KEEPALIVE]) throw new TypeError("Failed to construct 'Request': keepalive cannot be set for a request with a ReadableStream body.");
          if (init.duplex !== 'half') throw new TypeError("Failed to construct 'Request': The duplex member must be specified for a request with a streaming body");
        }
        if (bodyState.extractedType !== null && !h.has('content-type')) headersAppend(h, 'content-type', bodyState.extractedType);
      } else if (src) {
        if (unusable(src)) throw new TypeError("Failed to construct 'Request': Cannot construct a Request with a Request object that has already been used.");
        if (src[B_BODY] !== null) src[B_USED] = true;
      }
      this[kState] = st;
    }
    get method() { return this[kState][R_METHOD]; }
    get url() { return this[kState][R_URL]; }
    get headers() { return reqHeaders(this[kState]); }
    get destination() { return reqExtra(this[kState])[X_DESTINATION]; }
    get referrer() { return reqExtra(this[kState])[X_REFERRER]; }
    get referrerPolicy() { return reqExtra(this[kState])[X_POLICY]; }
    get mode() { return reqExtra(this[kState])[X_MODE]; }
    get credentials() { return reqExtra(this[kState])[X_CREDENTIALS]; }
    get cache() { return reqExtra(this[kState])[X_CACHE]; }
    get redirect() { return reqExtra(this[kState])[X_REDIRECT]; }
    get integrity() { return reqExtra(this[kState])[X_INTEGRITY]; }
    get keepalive() { return reqExtra(this[kState])[X_KEEPALIVE]; }
    get isReloadNavigation() { return false; }
    get isHistoryNavigation() { return false; }
    get signal() {
      const st = this[kState];
      if (st[R_SIGNAL] === null) st[R_SIGNAL] = new internals.AbortSignal(kState);
      return st[R_SIGNAL];
    }
    get duplex() { return 'half'; }
    clone() {
      const st = this[kState];
      if (!Array.isArray(st)) throw new TypeError('Illegal invocation');
      if (unusable(st)) throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
      if (st[B_BODY] === undefined) st[B_BODY] = goRequestBody(st[R_TOKEN]);
      const hs = hstate(reqHeaders(st));
      const c = Object.create(Request.prototype);
      c[kState] = [cloneBody(st), false, st[R_METHOD], st[R_URL], newHeaders(hs.g, hs.l.slice()), reqExtra(st).slice(), 0, st[R_SIGNAL] ? internals.AbortSignal.any([st[R_SIGNAL]]) : null];
      return c;
    }
    get [Symbol.toStringTag]() { return 'Request'; }
  }
  mixBody(Request.prototype);
  // requestFromGo builds the Request of an event from Go. Only the URL and
  // method are passed; headers, body and the other fields are read
  // through the handle on the Go request (host.requestHandle) when first
  // used.
  function requestFromGo(handle, url, method) {
    const r = Object.create(Request.prototype);
    r[kState] = [undefined, false, method, url, null, null, handle, null];
    return r;
  }
  // exportRequest flattens a Request for Go (fetch, cache keys) into a
  // request record (Q_*, worker/records.go). With streaming true (fetch)
  // a stream body goes to Go as a stream, read as it is produced
  // (exportStreaming), and the stream is disturbed; otherwise (cache
  // keys, which have no body) it is null.
  function exportRequest(req, streaming) {
    if (!(req instanceof Request)) throw new TypeError('Illegal invocation');
    const st = req[kState];
    if (st[B_BODY] === undefined) st[B_BODY] = goRequestBody(st[R_TOKEN]);
    const x = reqExtra(st);
    const q = new Array(Q_SLOTS);
    // The headers of a Go request no script has listed go back as its
    // handle (Go takes its own headers), as a Response's do.
    const hs = st[R_H] === null ? null : st[R_H][kState];
    const unread = hs === null ? st[R_TOKEN] : hs.h;
    q[Q_METHOD] = st[R_METHOD]; q[Q_URL] = st[R_URL]; q[Q_HEADERS] = unread !== 0 ? unread : hstate(reqHeaders(st)).l; const b = st[B_BODY];
    q[Q_BODY] = b !== null && typeof b === 'object' && b[kRS] !== undefined ? (streaming === true ? exportStreaming(st) : exportRequestBody(st)) : b;
    q[Q_MODE] = x[X_MODE]; q[Q_CREDENTIALS] = x[X_CREDENTIALS]; q[Q_REDIRECT] = x[X_REDIRECT];
    q[Q_DESTINATION] = x[X_DESTINATION]; q[Q_REFERRER] = x[X_REFERRER] === 'about:client' ? '' : x[X_REFERRER];
    q[Q_CACHE] = x[X_CACHE];
    return q;
  }
  function exportRequestBody(st) {
    const b = st[B_BODY];
    if (b === null || typeof b !== 'object' || !isStreamBody(b)) return b;
    try { return exportBody(st); } catch (e) { return null; }
  }
  expose('Request', Request);

  Object.assign(internals, {
    Request, exportRequest, newExtra, requestFromGo,
  });
})
