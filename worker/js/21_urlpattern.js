// 21_urlpattern.js: URLPattern over the Go urlpattern package, built on first use.
(function (internals, host, global) {
  'use strict';
  const {
    kState, lazy, usv
  } = internals;

  const patternAPI = lazy(['URLPattern'], () => {
    // Backed by the Go urlpattern package; the state holds the compiled Go
    // pattern.
    const initMembers = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash', 'baseURL'];
    // patternInput converts a URLPatternInput to [isInit, stringOrJSON].
    function patternInput(input, what) {
      if (input === undefined) return [true, '{}'];
      if (input !== null && typeof input === 'object') {
        const o = {};
        for (const k of initMembers) if (input[k] !== undefined) o[k] = usv(input[k]);
        return [true, JSON.stringify(o)];
      }
      if (typeof input !== 'string' && input !== null && typeof input !== 'number' && typeof input !== 'boolean') {
        throw new TypeError("Failed to execute '" + what + "' on 'URLPattern': invalid input");
      }
      return [false, usv(input)];
    }
    // match is test (exec false: a boolean) and exec (the result as JSON,
    // or null). A string input goes straight to Go, whose string
    // conversion is the USVString one (lone surrogates become U+FFFD): a
    // router calls it for every route of every request.
    function match(p, input, baseURL, what, exec) {
      const st = patternState(p);
      if (typeof input === 'string' && baseURL === undefined) return host.urlpatternMatch(st.pattern, false, input, undefined, exec);
      const pi = patternInput(input, what);
      return host.urlpatternMatch(st.pattern, pi[0], pi[1], baseURL === undefined ? undefined : usv(baseURL), exec);
    }
    function patternState(p) {
      const st = p !== null && typeof p === 'object' ? p[kState] : undefined;
      if (!st || st.pattern === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    class URLPattern {
      constructor(input, baseURL, options) {
        if (baseURL !== undefined && baseURL !== null && typeof baseURL === 'object') { options = baseURL; baseURL = undefined; }
        const pi = patternInput(input, 'constructor');
        const ignoreCase = !!(options && options.ignoreCase);
        this[kState] = { pattern: host.urlpatternNew(pi[0], pi[1], baseURL === undefined ? undefined : usv(baseURL), ignoreCase) };
      }
      test(input, baseURL) { return match(this, input, baseURL, 'test', false); }
      exec(input, baseURL) {
        const json = match(this, input, baseURL, 'exec', true);
        if (json === null) return null;
        // Go writes a group that did not take part in the match as null;
        // the API gives undefined (the key stays).
        const result = JSON.parse(json);
        for (const k in result) {
          const groups = result[k] !== null && typeof result[k] === 'object' ? result[k].groups : undefined;
          if (groups !== undefined) for (const n in groups) if (groups[n] === null) groups[n] = undefined;
        }
        return result;
      }
      get hasRegExpGroups() { return host.urlpatternPart(patternState(this).pattern, 'hasRegExpGroups'); }
      get [Symbol.toStringTag]() { return 'URLPattern'; }
    }
    for (const part of ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash']) {
      Object.defineProperty(URLPattern.prototype, part, {
        get() { return host.urlpatternPart(patternState(this).pattern, part); }, configurable: true, enumerable: true,
      });
    }
    // patternHandle returns the compiled Go pattern of a URLPattern (the
    // Static Routing API's urlPattern conditions), or undefined.
    function patternHandle(v) {
      const st = v !== null && typeof v === 'object' && v instanceof URLPattern ? v[kState] : undefined;
      return st === undefined ? undefined : st.pattern;
    }
    return { URLPattern, patternHandle };
  });

  Object.assign(internals, {
    patternAPI,
  });
})
