// 10_headers.js: Headers (Fetch standard): header lists, guards, and the
// flat lists Request, Response and Go exchange.
(function (internals, host, global) {
  'use strict';
  const {
    expose, kState, str
  } = internals;

  // The Fetch standard's header rules are Go's (package fetch), one host
  // function each: they are defined once, for Go and JavaScript, and sobek
  // allocates a wrapper object for every method call on a string, so
  // character loops and regexps would be dear here anyway.
  const tokenRe = { test: host.isToken };
  const isForbiddenRequestHeader = host.isForbiddenRequestHeader;
  const isForbiddenResponseHeaderName = host.isForbiddenResponseHeaderName;
  const isCORSSafelistedRequestHeader = host.isCORSSafelistedRequestHeader;
  const isNoCORSSafelistedName = host.isNoCORSSafelistedRequestHeaderName;
  const isForbiddenMethod = host.isForbiddenMethod;
  function normalizeValue(v) { return host.trimHTTPSpace(str(v)); }

  // A header list is flat: [name0, value0, name1, value1, ...], names
  // lower-cased. Headers state: l (the list), g (the guard), h (the Go
  // event token whose request headers are not read yet, or 0).
  class Headers {
    constructor(init) {
      this[kState] = { l: [], g: 'none', h: 0 };
      if (init !== undefined) fillHeaders(this, init);
    }
    append(name, value) { headersAppend(this, str(name), normalizeValue(value)); }
    delete(name) {
      const st = hstate(this);
      name = str(name);
      if (!tokenRe.test(name)) throw new TypeError("Failed to execute 'delete' on 'Headers': Invalid name '" + name + "'");
      const lname = name.toLowerCase();
      if (guardForbids(st, lname, '')) return;
      if (st.g === 'request-no-cors' && !isNoCORSSafelistedName(lname) && lname !== 'range') return;
      st.l = listWithout(st.l, lname);
      if (st.g === 'request-no-cors') st.l = listWithout(st.l, 'range');
    }
    get(name) {
      const lname = headerNameLower(name, 'get');
      const st = this[kState];
      // Headers of a request from Go answer without building the list.
      if (st !== undefined && st.h !== 0 && st.l !== undefined) return host.handleHeaderGet(st.h, lname);
      return listGet(hstate(this).l, lname);
    }
    getSetCookie() {
      const l = hstate(this).l, out = [];
      for (let i = 0; i < l.length; i += 2) if (l[i] === 'set-cookie') out.push(l[i + 1]);
      return out;
    }
    has(name) {
      name = str(name);
      if (!tokenRe.test(name)) throw new TypeError("Failed to execute 'has' on 'Headers': Invalid name '" + name + "'");
      const l = hstate(this).l, lname = name.toLowerCase();
      for (let i = 0; i < l.length; i += 2) if (l[i] === lname) return true;
      return false;
    }
    set(name, value) {
      const st = hstate(this);
      name = str(name); value = normalizeValue(value);
      const lname = host.headerName(name, value, st.g);
      if (lname === null) return;
      if (st.g === 'request-no-cors' && !isCORSSafelistedRequestHeader(lname, value)) return;
      const l = st.l;
      let i = 0;
      while (i < l.length && l[i] !== lname) i += 2;
      if (i >= l.length) { l.push(lname, value); }
      else {
        l[i + 1] = value;
        const rest = listWithout(l.slice(i + 2), lname);
        l.length = i + 2;
        for (let j = 0; j < rest.length; j++) l.push(rest[j]);
      }
      if (st.g === 'request-no-cors') st.l = listWithout(st.l, 'range');
    }
    // Iteration is WebIDL's pair iterator: live, each step reading the
    // current sorted and combined list.
    forEach(callback, thisArg = undefined) {
      hstate(this);
      if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
      let pairs = sortedCombined(this);
      for (let i = 0; i < pairs.length; i++) {
        callback.call(thisArg, pairs[i][1], pairs[i][0], this);
        pairs = sortedCombined(this);
      }
    }
    entries() { hstate(this); return headersIterator(this, 'key+value'); }
    keys() { hstate(this); return headersIterator(this, 'key'); }
    values() { hstate(this); return headersIterator(this, 'value'); }
  }
  Object.defineProperty(Headers.prototype, Symbol.iterator, { value: Headers.prototype.entries, writable: true, configurable: true });
  Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: 'Headers', configurable: true });
  // The Headers Iterator prototype: %IteratorPrototype% with next().
  const headersIteratorPrototype = Object.create(Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
  Object.defineProperty(headersIteratorPrototype, 'next', {
    value: function next() {
      const it = this !== null && typeof this === 'object' ? this[kState] : undefined;
      if (it === undefined || it.target === undefined) throw new TypeError('Illegal invocation');
      const pairs = sortedCombined(it.target);
      if (it.index >= pairs.length) return { value: undefined, done: true };
      const p = pairs[it.index++];
      return { value: it.kind === 'key' ? p[0] : it.kind === 'value' ? p[1] : [p[0], p[1]], done: false };
    },
    writable: true, enumerable: true, configurable: true,
  });
  Object.defineProperty(headersIteratorPrototype, Symbol.toStringTag, { value: 'Headers Iterator', configurable: true });
  function headersIterator(target, kind) {
    const it = Object.create(headersIteratorPrototype);
    it[kState] = { target, kind, index: 0 };
    return it;
  }
  // headerNameLower validates a header name and lower-cases it, through a
  // small cache of names already seen (most scripts ask for a handful).
  const headerNames = new Map();
  function headerNameLower(name, method) {
    name = str(name);
    let lname = headerNames.get(name);
    if (lname !== undefined) return lname;
    if (!tokenRe.test(name)) throw new TypeError("Failed to execute '" + method + "' on 'Headers': Invalid name '" + name + "'");
    lname = name.toLowerCase();
    if (headerNames.size < 256) headerNames.set(name, lname);
    return lname;
  }
  function listGet(l, lname) {
    let out = null;
    for (let i = 0; i < l.length; i += 2) if (l[i] === lname) out = out === null ? l[i + 1] : out + ', ' + l[i + 1];
    return out;
  }
  // listWithout returns l without the entries named lname: l itself
  // when it has none, else a new list.
  function listWithout(l, lname) {
    let i = 0;
    while (i < l.length && l[i] !== lname) i += 2;
    if (i >= l.length) return l;
    const out = l.slice(0, i);
    for (i += 2; i < l.length; i += 2) if (l[i] !== lname) out.push(l[i], l[i + 1]);
    return out;
  }
  function hstate(h) {
    const st = h !== null && typeof h === 'object' ? h[kState] : undefined;
    if (!st || st.l === undefined) throw new TypeError('Illegal invocation');
    if (st.h !== 0) { const t = st.h; st.h = 0; st.l = host.handleHeaders(t); }
    return st;
  }
  function guardForbids(st, lname, value) {
    if (st.g === 'immutable') throw new TypeError('Headers are immutable');
    if (st.g === 'request' && isForbiddenRequestHeader(lname, value)) return true;
    if (st.g === 'response' && isForbiddenResponseHeaderName(lname)) return true;
    return false;
  }
  function headersAppend(h, name, value) {
    const st = hstate(h);
    // Validation, lower-casing and the guard's forbidden names in one
    // host call (null: the guard drops the header).
    const lname = host.headerName(name, value, st.g);
    if (lname === null) return;
    if (st.g === 'request-no-cors') {
      const prev = listGet(st.l, lname);
      if (!isCORSSafelistedRequestHeader(lname, prev === null ? value : prev + ', ' + value)) return;
    }
    st.l.push(lname, value);
    if (st.g === 'request-no-cors') st.l = listWithout(st.l, 'range');
  }
  function fillHeaders(h, init) {
    if (init === null || (typeof init !== 'object' && typeof init !== 'function')) throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    if (init instanceof Headers) {
      const l = hstate(init).l;
      for (let i = 0; i < l.length; i += 2) headersAppend(h, l[i], l[i + 1]);
      return;
    }
    if (typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') throw new TypeError("Failed to construct 'Headers': The provided value cannot be converted to a sequence.");
        const p = Array.from(pair);
        if (p.length !== 2) throw new TypeError("Failed to construct 'Headers': Invalid value");
        headersAppend(h, str(p[0]), normalizeValue(p[1]));
      }
      return;
    }
    for (const k of Reflect.ownKeys(init)) {
      const d = Reflect.getOwnPropertyDescriptor(init, k);
      if (!d || !d.enumerable) continue;
      if (typeof k === 'symbol') throw new TypeError("Failed to construct 'Headers': a header name must not be a Symbol");
      headersAppend(h, k, normalizeValue(init[k]));
    }
  }
  // sortedCombined is the Fetch standard's "sort and combine" of a header
  // list: [name, value] pairs by name, each name's values combined, but
  // every set-cookie header its own pair.
  function sortedCombined(h) {
    const l = hstate(h).l;
    const seen = new Set();
    for (let i = 0; i < l.length; i += 2) seen.add(l[i]);
    const names = [...seen].sort();
    const out = [];
    for (const n of names) {
      if (n === 'set-cookie') {
        for (let i = 0; i < l.length; i += 2) if (l[i] === n) out.push([n, l[i + 1]]);
        continue;
      }
      out.push([n, listGet(l, n)]);
    }
    return out;
  }
  function newHeaders(guard, list) {
    const h = Object.create(Headers.prototype);
    h[kState] = { l: list, g: guard, h: 0 };
    return h;
  }
  expose('Headers', Headers);

  Object.assign(internals, {
    fillHeaders, isForbiddenMethod, headersAppend, hstate, listGet, newHeaders, tokenRe,
  });
})
