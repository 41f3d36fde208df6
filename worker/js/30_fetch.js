// 30_fetch.js: fetch() (Fetch standard), answered by the worker's Go fetcher.
(function (internals, host, global) {
  'use strict';
  const {
    B_BODY, B_USED, R_SIGNAL, Request, collectBody, exportRequest, expose, kState, responseFromGo, unusable
  } = internals;

  function fetch(input, init) {
    // A stream body is read to its end first (in process: Go gets the
    // bytes).
    const src = input instanceof Request ? input[kState] : null;
    if (src !== null && init === undefined && !unusable(src)) {
      const wait = collectBody(src);
      if (wait !== null) return wait.then(() => fetch(input, init));
    }
    if (init !== undefined && init !== null && typeof init === 'object' && init.body !== undefined && init.body !== null) {
      let req;
      try { req = new Request(input, init); } catch (e) { return Promise.reject(e); }
      const wait = collectBody(req[kState]);
      if (wait !== null) return wait.then(() => send(req, exportRequest(req)));
      return send(req, exportRequest(req));
    }
    return fetchBuffered(input, init);
  }
  function fetchBuffered(input, init) {
    let req, flat;
    if (init === undefined && input instanceof Request) {
      // fetch(request), as in respondWith(fetch(event.request)): the copy
      // new Request(request) would make is never seen by the script, so
      // the request itself is sent, with the copy's effects: a used body
      // is a TypeError, and a body is used by sending it.
      const st = input[kState];
      if (unusable(st)) return Promise.reject(new TypeError("Failed to execute 'fetch': Cannot construct a Request with a Request object that has already been used."));
      flat = exportRequest(input);
      if (st[B_BODY] !== null) st[B_USED] = true;
      req = input;
    } else {
      try {
        req = new Request(input, init);
      } catch (e) {
        return Promise.reject(e);
      }
      flat = exportRequest(req);
    }
    return send(req, flat);
  }
  function send(req, flat) {
    const p = host.fetch(flat, responseFromGo);
    // A request whose signal was never created or linked cannot abort.
    const signal = req[kState][R_SIGNAL];
    if (signal === null) return p;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
  expose('fetch', fetch);
})
