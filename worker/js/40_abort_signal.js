// 40_abort_signal.js: AbortSignal and AbortController (DOM standard).
(function (internals, host, global) {
  'use strict';
  const {
    Event, EventTarget, dispatch, domErr, expose, getHandler, illegal, kState, setHandler
  } = internals;

  class AbortSignal extends EventTarget {
    constructor(key) {
      if (key !== kState) illegal();
      super();
      this[kState] = { aborted: false, reason: undefined, deps: [] };
    }
    static abort(reason) {
      const s = new AbortSignal(kState);
      s[kState].aborted = true;
      s[kState].reason = reason === undefined ? domErr('AbortError', 'signal is aborted without reason') : reason;
      return s;
    }
    static timeout(ms) {
      ms = Number(ms);
      if (!(ms >= 0) || !Number.isFinite(ms)) throw new TypeError("Failed to execute 'timeout' on 'AbortSignal': Value is outside the 'unsigned long long' value range.");
      const s = new AbortSignal(kState);
      setTimeout(() => signalAbort(s, domErr('TimeoutError', 'signal timed out')), ms);
      return s;
    }
    static any(signals) {
      const s = new AbortSignal(kState);
      const list = Array.from(signals);
      for (const d of list) {
        if (!(d instanceof AbortSignal)) throw new TypeError("Failed to execute 'any' on 'AbortSignal': member is not of type AbortSignal.");
        if (d.aborted) { s[kState].aborted = true; s[kState].reason = d.reason; return s; }
      }
      for (const d of list) d[kState].deps.push(s);
      return s;
    }
    get onabort() { return getHandler(this, 'abort'); }
    set onabort(f) { setHandler(this, 'abort', f); }
    get aborted() { return this[kState].aborted; }
    get reason() { return this[kState].reason; }
    throwIfAborted() { if (this[kState].aborted) throw this[kState].reason; }
  }
  function signalAbort(s, reason) {
    const st = s[kState];
    if (st.aborted) return;
    st.aborted = true;
    st.reason = reason === undefined ? domErr('AbortError', 'signal is aborted without reason') : reason;
    const ev = internals.newEvent('abort', false, false);
    dispatch(s, ev, true);
    for (const d of st.deps) signalAbort(d, st.reason);
  }
  class AbortController {
    constructor() { this[kState] = { signal: new AbortSignal(kState) }; }
    get signal() { return this[kState].signal; }
    abort(reason) { signalAbort(this[kState].signal, reason); }
  }
  expose('AbortSignal', AbortSignal);
  expose('AbortController', AbortController);

  Object.assign(internals, {
    AbortSignal,
  });
})
