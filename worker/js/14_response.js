// 14_response.js: Response (Fetch standard), and its records for Go.
(function (internals, host, global) {
  'use strict';
  const {
    B_BODY, B_USED, P_CT, P_H, P_META, P_STATUS, P_TEXT, P_TYPE, bodyState, expose, extractBody,
    cloneBody, exportStreaming, fillHeaders, goBodyStream, hstate, kRS, kState, listGet, mixBody, newHeaders, rstate,
    str, unusable
  } = internals;

  const nullBodyStatus = new Set([101, 103, 204, 205, 304]);
  const redirectStatus = new Set([301, 302, 303, 307, 308]);
  // Response state: status, text (status text), h (null, then a flat
  // header list, then the Headers once .headers is read), body, used,
  // type, meta (null, or {url, redirected, immutable}) and ct: the
  // Content-Type the body implied, kept apart while h is null so that the
  // common new Response(text) allocates no header list.
  function respList(st) {
    let h = st[P_H];
    if (h === null) {
      h = [];
      if (st[P_CT] !== null) { h.push('content-type', st[P_CT]); st[P_CT] = null; }
      st[P_H] = h;
      return h;
    }
    return Array.isArray(h) ? h : hstate(h).l;
  }
  function respHeaders(st) {
    let h = st[P_H];
    if (h === null || Array.isArray(h)) {
      h = newHeaders(st[P_TYPE] === 'default' && (st[P_META] === null || !st[P_META].immutable) ? 'response' : 'immutable', respList(st));
      st[P_H] = h;
    }
    return h;
  }
  function initResponse(st, init, body) {
    if (init !== undefined && init !== null) {
      if (typeof init !== 'object') throw new TypeError("Failed to construct 'Response': The provided value is not of type 'ResponseInit'.");
      if (init.status !== undefined) {
        const status = Number(init.status);
        if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError("Failed to construct 'Response': The status provided (" + init.status + ') is outside the range [200, 599].');
        st[P_STATUS] = status;
      }
      if (init.statusText !== undefined) {
        const t = str(init.statusText);
        if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(t)) throw new TypeError("Failed to construct 'Response': Invalid statusText");
        st[P_TEXT] = t;
      }
      if (init.headers !== undefined) fillHeaders(respHeaders(st), init.headers);
    }
    if (body !== null) {
      if (nullBodyStatus.has(st[P_STATUS])) throw new TypeError("Failed to construct 'Response': Response with null body status cannot have body");
      st[B_BODY] = body;
      if (bodyState.extractedType !== null) {
        if (st[P_H] === null) st[P_CT] = bodyState.extractedType;
        else {
          const l = respList(st);
          if (listGet(l, 'content-type') === null) l.push('content-type', bodyState.extractedType);
        }
      }
    }
  }
  function newResponseState() {
    return [null, false, 200, '', null, 'default', null, null];
  }
  class Response {
    constructor(body, init) {
      if (init === undefined && typeof body === 'string' && body.length <= bodyState.limit) {
        // The common new Response(text): the text is the whole state until
        // more is needed (rstate).
        this[kState] = body;
        return;
      }
      const st = newResponseState();
      this[kState] = st;
      initResponse(st, init, body === undefined || body === null ? null : extractBody(body));
    }
    static error() {
      const r = Object.create(Response.prototype);
      const st = newResponseState();
      st[P_TYPE] = 'error'; st[P_STATUS] = 0;
      r[kState] = st;
      return r;
    }
    static redirect(url, status) {
      const href = host.parseURL(str(url), internals.location.href);
      if (href === null) throw new TypeError("Failed to execute 'redirect' on 'Response': Failed to parse URL from " + str(url));
      status = status === undefined ? 302 : Number(status);
      if (!redirectStatus.has(status)) throw new RangeError("Failed to execute 'redirect' on 'Response': Invalid status code");
      const r = Object.create(Response.prototype);
      const st = newResponseState();
      st[P_STATUS] = status;
      st[P_H] = ['location', href];
      st[P_META] = { url: '', redirected: false, immutable: true };
      r[kState] = st;
      return r;
    }
    static json(data, init) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("Failed to execute 'json' on 'Response': The data is not JSON serializable");
      const r = Object.create(Response.prototype);
      const st = newResponseState();
      r[kState] = st;
      bodyState.extractedType = 'application/json';
      initResponse(st, init, text);
      return r;
    }
    get type() { return rstate(this)[P_TYPE]; }
    get url() { const m = rstate(this)[P_META]; return m === null ? '' : m.url; }
    get redirected() { const m = rstate(this)[P_META]; return m !== null && m.redirected; }
    get status() { return rstate(this)[P_STATUS]; }
    get ok() { const s = rstate(this)[P_STATUS]; return s >= 200 && s <= 299; }
    get statusText() { return rstate(this)[P_TEXT]; }
    get headers() { return respHeaders(rstate(this)); }
    clone() {
      const st = rstate(this);
      if (!Array.isArray(st)) throw new TypeError('Illegal invocation');
      if (unusable(st)) throw new TypeError("Failed to execute 'clone' on 'Response': Response body is already used");
      const c = Object.create(Response.prototype);
      const h = st[P_H] === null ? null : Array.isArray(st[P_H]) ? st[P_H].slice() : newHeaders(hstate(st[P_H]).g, hstate(st[P_H]).l.slice());
      c[kState] = [cloneBody(st), false, st[P_STATUS], st[P_TEXT], h, st[P_TYPE], st[P_META], st[P_CT]];
      return c;
    }
    get [Symbol.toStringTag]() { return 'Response'; }
  }
  mixBody(Response.prototype);
  // isResponse is a cheap brand check (instanceof allocates in sobek).
  const kResponseBrand = Symbol('Response');
  Object.defineProperty(Response.prototype, kResponseBrand, { value: true });
  function isResponse(v) {
    if (v === null || typeof v !== 'object' || v[kResponseBrand] !== true) return false;
    const st = v[kState];
    return Array.isArray(st) || typeof st === 'string';
  }
  // exportResponse hands a Response to Go through host.responseRecord; a
  // used body is a TypeError. A stream body goes to Go as a stream, read
  // as it is produced.
  function exportResponse(r) {
    const st = r[kState];
    if (typeof st === 'string') return host.responseRecord(200, '', null, st, 'default', '', false, 'text/plain;charset=UTF-8', null);
    const b = st[B_BODY];
    if (st[B_USED] || (b !== null && typeof b === 'object' && unusable(st))) throw new TypeError('The Response body was already used.');
    const m = st[P_META];
    const h = st[P_H];
    // Headers from Go that no script listed go back as their handle.
    const handle = h !== null && !Array.isArray(h) && h[kState].h !== 0 ? h[kState].h : null;
    return host.responseRecord(st[P_STATUS], st[P_TEXT], h === null || handle !== null ? null : respList(st), b !== null && typeof b === 'object' && b[kRS] !== undefined ? exportStreaming(st) : b, st[P_TYPE], m === null ? '' : m.url, m !== null && m.redirected, st[P_CT], handle);
  }
  // responseFromGo builds a Response from a Go record (fetch, cache); its
  // headers stay in Go (handle) until a script lists them.
  // A streamed body (streamed true) comes as a handle of the Go reader.
  function responseFromGo(status, statusText, handle, body, type, url, redirected, streamed) {
    if (streamed === true) body = goBodyStream(body);
    const r = Object.create(Response.prototype);
    const h = newHeaders('immutable', null);
    h[kState].h = handle;
    r[kState] = [body, false, status, statusText, h, type, { url, redirected, immutable: true }, null];
    return r;
  }
  expose('Response', Response);

  Object.assign(internals, {
    Response, exportResponse, isResponse, responseFromGo,
  });
})
