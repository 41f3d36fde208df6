// 20_url.js: URL and URLSearchParams (URL standard) over the Go WHATWG
// URL parser (internal/weburl), built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    U_HASH, U_HOST, U_HOSTNAME, U_HREF, U_ORIGIN, U_PASSWORD, U_PATHNAME, U_PORT, U_PROTOCOL,
    U_SEARCH, U_SLOTS, U_USERNAME, kState, lazy, noArg, str, usv
  } = internals;

  const urlAPI = lazy(['URL', 'URLSearchParams'], () => {
    // Parsing and setters are the Go WHATWG URL parser's (internal/weburl);
    // a URL's state is its URL record (U_*, worker/records.go).
    const kParams = Symbol('searchParams');
    function urlState(u) {
      const st = u !== null && typeof u === 'object' ? u[kState] : undefined;
      if (!Array.isArray(st) || st.length !== U_SLOTS) throw new TypeError('Illegal invocation');
      return st;
    }
    function urlSetter(part, idx) {
      return function (v) {
        const st = urlState(this);
        const rec = host.urlSet(st[U_HREF], part, str(v));
        if (rec === null) return;
        this[kState] = rec;
        if (idx === U_SEARCH || part === 'href') syncParamsFromURL(this);
      };
    }
    class URL {
      // url's default stands for "no argument" without an arguments
      // object (which costs sobek more than the rest of the constructor);
      // an explicit undefined with no base is a TypeError either way.
      constructor(url = noArg, base) {
        if (url === noArg) {
          if (base === undefined) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.");
          url = undefined;
        }
        const rec = host.urlRecord(str(url), base === undefined ? undefined : str(base));
        if (rec === null) throw new TypeError("Failed to construct 'URL': Invalid URL" + (base === undefined ? '' : ' (base ' + str(base) + ')') + ': ' + str(url));
        this[kState] = rec;
      }
      static canParse(url, base) {
        return host.urlRecord(str(url), base === undefined ? undefined : str(base)) !== null;
      }
      static parse(url, base) {
        const rec = host.urlRecord(str(url), base === undefined ? undefined : str(base));
        if (rec === null) return null;
        const u = Object.create(URL.prototype);
        u[kState] = rec;
        return u;
      }
      get href() { return urlState(this)[U_HREF]; }
      set href(v) {
        const rec = host.urlSet(urlState(this)[U_HREF], 'href', str(v));
        if (rec === null) throw new TypeError("Failed to set the 'href' property on 'URL': Invalid URL '" + str(v) + "'");
        this[kState] = rec;
        syncParamsFromURL(this);
      }
      get origin() { return urlState(this)[U_ORIGIN]; }
      get protocol() { return urlState(this)[U_PROTOCOL]; }
      get username() { return urlState(this)[U_USERNAME]; }
      get password() { return urlState(this)[U_PASSWORD]; }
      get host() { return urlState(this)[U_HOST]; }
      get hostname() { return urlState(this)[U_HOSTNAME]; }
      get port() { return urlState(this)[U_PORT]; }
      get pathname() { return urlState(this)[U_PATHNAME]; }
      get search() { return urlState(this)[U_SEARCH]; }
      get hash() { return urlState(this)[U_HASH]; }
      get searchParams() {
        urlState(this);
        let p = this[kParams];
        if (p === undefined) {
          p = new URLSearchParams(this[kState][U_SEARCH]);
          p[kState].url = this;
          Object.defineProperty(this, kParams, { value: p });
        }
        return p;
      }
      toString() { return urlState(this)[U_HREF]; }
      toJSON() { return urlState(this)[U_HREF]; }
      get [Symbol.toStringTag]() { return 'URL'; }
    }
    for (const [name, idx] of [['protocol', U_PROTOCOL], ['username', U_USERNAME], ['password', U_PASSWORD], ['host', U_HOST], ['hostname', U_HOSTNAME], ['port', U_PORT], ['pathname', U_PATHNAME], ['search', U_SEARCH], ['hash', U_HASH]]) {
      const d = Object.getOwnPropertyDescriptor(URL.prototype, name);
      Object.defineProperty(URL.prototype, name, { get: d.get, set: urlSetter(name, idx), configurable: true, enumerable: true });
    }
    function syncParamsFromURL(u) {
      const p = u[kParams];
      if (p !== undefined) p[kState].l = host.parseQuery(u[kState][U_SEARCH].replace(/^\?/, ''));
    }
    // URLSearchParams state: l (flat [name, value, ...]) and url (the URL it
    // belongs to, or null).
    function paramsUpdate(p) {
      const st = p[kState];
      if (st.url === null) return;
      const q = host.serializeQuery(st.l);
      const rec = host.urlSet(st.url[kState][U_HREF], 'search', q);
      if (rec !== null) st.url[kState] = rec;
    }
    function pstate(p) {
      const st = p !== null && typeof p === 'object' ? p[kState] : undefined;
      if (!st || st.l === undefined || st.url === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    class URLSearchParams {
      constructor(init) {
        const l = [];
        this[kState] = { l, url: null };
        if (init === undefined || init === null) return;
        if (typeof init === 'object' || typeof init === 'function') {
          if (typeof init[Symbol.iterator] === 'function') {
            for (const pair of init) {
              if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') throw new TypeError("Failed to construct 'URLSearchParams': The provided value cannot be converted to a sequence.");
              const p = Array.from(pair);
              if (p.length !== 2) throw new TypeError("Failed to construct 'URLSearchParams': Sequence initializer must only contain pair elements");
              l.push(usv(p[0]), usv(p[1]));
            }
          } else {
            for (const k of Reflect.ownKeys(init)) {
              const d = Reflect.getOwnPropertyDescriptor(init, k);
              if (!d || !d.enumerable || typeof k === 'symbol') continue;
              l.push(usv(k), usv(init[k]));
            }
          }
          return;
        }
        let s = usv(init);
        if (s.startsWith('?')) s = s.slice(1);
        this[kState].l = host.parseQuery(s);
      }
      get size() { return pstate(this).l.length / 2; }
      append(name, value) { const st = pstate(this); st.l.push(usv(name), usv(value)); paramsUpdate(this); }
      delete(name, value) {
        const st = pstate(this);
        name = usv(name);
        const v = value === undefined ? undefined : usv(value);
        const out = [];
        for (let i = 0; i < st.l.length; i += 2) if (!(st.l[i] === name && (v === undefined || st.l[i + 1] === v))) out.push(st.l[i], st.l[i + 1]);
        st.l = out;
        paramsUpdate(this);
      }
      get(name) {
        const l = pstate(this).l; name = usv(name);
        for (let i = 0; i < l.length; i += 2) if (l[i] === name) return l[i + 1];
        return null;
      }
      getAll(name) {
        const l = pstate(this).l, out = []; name = usv(name);
        for (let i = 0; i < l.length; i += 2) if (l[i] === name) out.push(l[i + 1]);
        return out;
      }
      has(name, value) {
        const l = pstate(this).l; name = usv(name);
        const v = value === undefined ? undefined : usv(value);
        for (let i = 0; i < l.length; i += 2) if (l[i] === name && (v === undefined || l[i + 1] === v)) return true;
        return false;
      }
      set(name, value) {
        const st = pstate(this);
        name = usv(name); value = usv(value);
        const out = [];
        let found = false;
        for (let i = 0; i < st.l.length; i += 2) {
          if (st.l[i] !== name) out.push(st.l[i], st.l[i + 1]);
          else if (!found) { found = true; out.push(name, value); }
        }
        if (!found) out.push(name, value);
        st.l = out;
        paramsUpdate(this);
      }
      sort() {
        const st = pstate(this);
        const pairs = [];
        for (let i = 0; i < st.l.length; i += 2) pairs.push([st.l[i], st.l[i + 1], i]);
        // Stable sort by UTF-16 code units of the name.
        pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[2] - b[2]));
        st.l = [];
        for (const p of pairs) st.l.push(p[0], p[1]);
        paramsUpdate(this);
      }
      forEach(callback, thisArg) {
        if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.");
        const st = pstate(this);
        for (let i = 0; i < st.l.length; i += 2) callback.call(thisArg, st.l[i + 1], st.l[i], this);
      }
      *entries() { const st = pstate(this); for (let i = 0; i < st.l.length; i += 2) yield [st.l[i], st.l[i + 1]]; }
      *keys() { const st = pstate(this); for (let i = 0; i < st.l.length; i += 2) yield st.l[i]; }
      *values() { const st = pstate(this); for (let i = 0; i < st.l.length; i += 2) yield st.l[i + 1]; }
      [Symbol.iterator]() { return this.entries(); }
      toString() { return host.serializeQuery(pstate(this).l); }
      get [Symbol.toStringTag]() { return 'URLSearchParams'; }
    }
    Object.defineProperty(URL, 'length', { value: 1 }); // WebIDL: one required argument
    return { URL, URLSearchParams };
  });

  Object.assign(internals, {
    urlAPI,
  });
})
