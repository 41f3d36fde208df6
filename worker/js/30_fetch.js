// 30_fetch.js: fetch() (Fetch standard), answered by the worker's Go fetcher.
(function (internals, host, global) {
  'use strict';
  const {
    B_BODY, B_USED, R_SIGNAL, Request, exportRequest, expose, kState, responseFromGo, unusable
  } = internals;

  function fetch(input, init) {
    let req, flat;
    if (init === undefined && input instanceof Request) {
      // fetch(request), as in respondWith(fetch(event.request)): the copy
      // new Request(request) would make is never seen by the script, so
      // the request itself is sent, with the copy's effects: a used body
      // is a TypeError, and a body is used by sending it.
      const st = input[kState];
      const b = st[B_BODY];
      if (st[B_USED] || (b !== null && typeof b === 'object' && unusable(st))) return Promise.reject(new TypeError("Failed to execute 'fetch': Cannot construct a Request with a Request object that has already been used."));
      // A stream body goes to Go as a stream, read as it is sent; a body
      // from Go nothing read goes back as the same reader.
      try {
        flat = exportRequest(input, true);
      } catch (e) {
        return Promise.reject(e);
      }
      if (st[B_BODY] !== null) st[B_USED] = true;
      req = input;
    } else {
      try {
        req = new Request(input, init);
        flat = exportRequest(req, true);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    // send's steps, inline: the common path stays one call shallower.
    const p = host.fetch(flat, responseFromGo);
    // A request whose signal was never created or linked cannot abort.
    const signal = req[kState][R_SIGNAL];
    return signal === null ? p : abortable(p, signal);
  }
  function abortable(p, signal) {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
  expose('fetch', fetch);
})
