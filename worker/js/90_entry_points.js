// 90_entry_points.js: the functions Go calls to fire events and exchange
// requests and responses, registered as internals.entryPoints.
(function (internals, host, global) {
  'use strict';
  const {
    CrossOriginConnectEvent, CrossOriginMessageEvent, E_ACCEPT, E_CLIENT, E_EXT, E_F, E_ORIGIN,
    E_REQUEST, E_RESPONSE, ExtendableEvent, ExtendableMessageEvent, F_ACCEPT_CALLED, F_DISPATCH,
    F_INSTALLING, F_RESPONDED, F_TRUSTED, FetchEvent, ForeignFetchEvent, InstallEvent,
    PromiseRejectionEvent, Request, Response, bodyState, dispatch, exportRequest, exportResponse,
    isResponse, kCollect, kState, listenersOf, makeCrossOriginClient, messageInit, messagingAPI,
    noPorts, reportException, requestFromGo, responseFromGo, scriptState, soleListener, soleSlots,
    str, watchPromise
  } = internals;

  // Listener exceptions of events from Go reach Go through
  // host.listenerError(token, e) (see dispatch); results come back either
  // as return values (the synchronous fast path) or through host.done.
  function fire(ev) { return dispatch(global, ev, true); }
  function newEvent(proto, type, token) {
    const ev = Object.create(proto);
    ev[kState] = [type, 0, null, 0, null, token];
    return ev;
  }
  const kSoleInstall = soleSlots.install, kSoleActivate = soleSlots.activate, kSoleFetch = soleSlots.fetch, kSoleMessage = soleSlots.crossoriginmessage;
  // listenerThrew reports an exception of a listener of an event from Go.
  function listenerThrew(token, e) {
    reportException(e);
    host.listenerError(token, e);
  }
  // The fetch entry point keeps its closures in these helpers: a closure
  // over its parameters would make sobek allocate a scope object on every
  // call, the synchronous ones included.
  function failFetchLater(token, e) { Promise.resolve().then(() => host.done(token, undefined, e)); }
  // respondLater waits for respondWith's promise; one then with both
  // handlers (not then().catch()): a promise and its resolving functions
  // fewer per event.
  function respondLater(token, r) {
    Promise.resolve(r).then(v => {
      let rec;
      try {
        if (!isResponse(v)) throw new TypeError('The value passed to respondWith() resolved to ' + (v === null ? 'null' : typeof v) + ', not a Response.');
        // A stream body goes to Go as a stream, sent as it is produced.
        rec = exportResponse(v);
      } catch (e) {
        host.done(token, undefined, e);
        return;
      }
      host.done(token, rec);
    }, e => host.done(token, undefined, e));
  }
  internals.entryPoints = {
    // configure passes the worker's limits once the runtime is bound.
    configure(maxBody) { bodyState.limit = maxBody; },
    // lifecycle fires install or activate.
    // It returns the event's state when waitUntil was called (Go reads the
    // collected promises, see kCollect), or undefined.
    lifecycle(type, token) {
      const install = type === 'install';
      const st = [type, F_DISPATCH | F_TRUSTED | (install ? F_INSTALLING : 0), global, 0, kCollect, token];
      const ev = { __proto__: install ? InstallEvent.prototype : ExtendableEvent.prototype, [kState]: st };
      const slot = install ? kSoleInstall : kSoleActivate;
      if (soleListener(slot) === undefined) dispatch(global, ev, true);
      else {
        try { global[slot](ev); } catch (e) { listenerThrew(token, e); }
        st[E_F] &= ~F_DISPATCH;
      }
      return st[E_EXT] === kCollect ? undefined : st;
    },
    // watchLifetime waits for the promises collected in the event state
    // st, some of which Go found still pending: host.done(token, failure)
    // once all have settled.
    watchLifetime(st, token) {
      const list = st[E_EXT];
      const ext = st[E_EXT] = { pending: list.length, failed: false, failure: undefined, done: null };
      for (let i = 0; i < list.length; i++) watchPromise(ext, list[i]);
      ext.done = f => host.done(token, f);
    },
    // fetch returns host.responseRecord's sentinel (respondWith got a
    // Response), undefined (no respondWith) or null (the answer comes
    // later: host.done(token, sentinel) or host.done(token, undefined, error)).
    fetch(token, url, method) {
      // The URL and method wait in the request and ids slots until the
      // script reads event.request (see FetchEvent's request getter).
      const st = ['fetch', F_DISPATCH | F_TRUSTED, global, 0, null, token, url, undefined, method];
      const ev = { __proto__: FetchEvent.prototype, [kState]: st };
      if (soleListener(kSoleFetch) === undefined) dispatch(global, ev, true);
      else {
        try { global[kSoleFetch](ev); } catch (e) { listenerThrew(token, e); }
        st[E_F] &= ~F_DISPATCH;
      }
      if (!(st[E_F] & F_RESPONDED)) return undefined;
      const r = st[E_RESPONSE];
      if (isResponse(r)) {
        try { return exportResponse(r); } catch (e) { failFetchLater(token, e); return null; }
      }
      respondLater(token, r);
      return null;
    },
    // foreignfetch: host.done(token, sentinel, undefined, origin, headers)
    // or host.done(token, undefined, error).
    foreignfetch(token, url, method, origin) {
      const ev = newEvent(ForeignFetchEvent.prototype, 'foreignfetch', token);
      const st = ev[kState];
      st[E_REQUEST] = requestFromGo(host.requestHandle(token), url, method);
      st[E_ORIGIN] = origin;
      st[E_RESPONSE] = undefined;
      fire(ev);
      if (!(st[E_F] & F_RESPONDED)) return undefined;
      Promise.resolve(st[E_RESPONSE]).then(v => {
        if (v === null || typeof v !== 'object') throw new TypeError('The value passed to respondWith() on a foreignfetch event must resolve to an object with a response member.');
        if (!(v.response instanceof Response)) throw new TypeError("The object passed to respondWith() on a foreignfetch event has no Response in its 'response' member.");
        const origin = v.origin === undefined || v.origin === null ? undefined : str(v.origin);
        const headers = v.headers === undefined || v.headers === null ? undefined : Array.from(v.headers, str);
        // A stream body goes to Go as a stream, sent as it is produced.
        host.done(token, exportResponse(v.response), undefined, origin, headers);
      }).catch(e => host.done(token, undefined, e));
      return null;
    },
    // message fires an ExtendableMessageEvent and returns its state, as
    // lifecycle does.
    message(token, data, origin, source, ports) {
      const ev = newEvent(ExtendableMessageEvent.prototype, 'message', token);
      const st = ev[kState];
      st[E_EXT] = kCollect;
      messageInit(st, { data, origin, source: source === undefined ? null : source, ports });
      fire(ev);
      return st[E_EXT] === kCollect ? undefined : st;
    },
    // functional fires a functional event (push, pushsubscriptionchange,
    // sync, periodicsync, notificationclick, notificationclose) with the
    // fields Go passes in init, and returns its state as message does.
    functional(token, type, init) {
      internals.functionalLoaders[type]();
      const f = internals.functionalEvents[type];
      const ev = newEvent(f.proto, type, token);
      f.init(ev, init);
      const st = ev[kState];
      st[E_EXT] = kCollect;
      fire(ev);
      return st[E_EXT] === kCollect ? undefined : st;
    },
    // crossoriginconnect fires the connect event for client (made by
    // makeCrossOriginClient) and ends with host.done(token, accepted,
    // failure).
    crossoriginconnect(token, client) {
      const ev = newEvent(CrossOriginConnectEvent.prototype, 'crossoriginconnect', token);
      const st = ev[kState];
      st[E_CLIENT] = client;
      st[E_ACCEPT] = undefined;
      fire(ev);
      if (!(st[E_F] & F_ACCEPT_CALLED)) { host.done(token, false); return; }
      st[E_ACCEPT].then(v => host.done(token, v === true), e => host.done(token, false, e));
    },
    // crossoriginmessage fires one message; Go completes the event when
    // it returns. source is the connection's CrossOriginServiceWorkerClient
    // (made once by makeCrossOriginClient) and origin its origin, ports an
    // array or undefined.
    crossoriginmessage(token, source, origin, data, ports) {
      scriptState.messagesBegun++;
      const st = ['crossoriginmessage', F_DISPATCH | F_TRUSTED, global, 0, null, token, data, source,
        ports === undefined ? noPorts : Object.freeze(ports), '', origin];
      const ev = { __proto__: CrossOriginMessageEvent.prototype, [kState]: st };
      if (soleListener(kSoleMessage) === undefined) { dispatch(global, ev, true); return; }
      try { global[kSoleMessage](ev); } catch (e) { listenerThrew(token, e); }
      st[E_F] &= ~F_DISPATCH;
    },
    makeCrossOriginClient,
    makeClient: internals.clientFromGo,
    serviceWorkerObject: internals.serviceWorkerObject,
    serviceWorkerStateChanged: internals.serviceWorkerStateChanged,
    updateFound: internals.updateFound,
    scriptState,
    // The layout of an event's state that Go reads (settleLifetime): the
    // index of its lifetime slot, declared once, in 02_event.js.
    eventStateExtSlot: E_EXT,
    // loadMessaging loads the MessagePort API (its init calls host.msgInit).
    loadMessaging() { messagingAPI(); },
    // reportException reports an exception of a callback Go ran (a timer,
    // a task): the error event, then the console.
    reportException,
    // rejectionHandled fires rejectionhandled for a promise reported as
    // unhandled that got a handler since.
    rejectionHandled(promise, reason) {
      dispatch(global, new PromiseRejectionEvent('rejectionhandled', { promise, reason }), true);
    },
    // unhandledRejection fires unhandledrejection at the global scope and
    // reports whether the host should still report it (not cancelled).
    unhandledRejection(promise, reason) {
      const ev = new PromiseRejectionEvent('unhandledrejection', { promise, reason, cancelable: true });
      return dispatch(global, ev, true);
    },
    hasListeners(type) {
      const list = listenersOf(global).get(type);
      return typeof list === 'function' || !!(list && list.length);
    },
    exportRequest, exportResponse, responseFromGo,
    isRequest: (v) => v instanceof Request,
    isResponse: (v) => v instanceof Response,
    newRequest: (input, init) => new Request(input, init),
  };
})
