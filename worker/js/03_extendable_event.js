// 03_extendable_event.js: the service-worker events: ExtendableEvent and
// its lifetime promises (waitUntil), InstallEvent, FetchEvent,
// ForeignFetchEvent, the message events, the cross-origin connect and
// message events, PromiseRejectionEvent, CrossOriginServiceWorkerClient.
(function (internals, host, global) {
  'use strict';
  const {
    E_ACCEPT, E_CLIENT, E_DATA, E_EXT, E_F, E_HANDLED, E_IDS, E_LASTID, E_ORIGIN, E_PORTS, E_PRELOAD,
    E_REQUEST, E_RESPONSE, E_SOURCE, E_TOKEN, Event, F_ACCEPT_CALLED, F_DISPATCH, F_INSTALLING,
    F_RESPONDED, F_STOP, F_STOP_IMM, F_TRUSTED, domErr, expose, illegal, kState, listenersOf, str, transferArg
  } = internals;

  // The "active" flag of an extendable event: set while dispatching or
  // while lifetime promises are pending (counted by a lifetime record, or
  // collected in an array: see addLifetime).
  function isActive(st) {
    const ext = st[E_EXT];
    return (st[E_F] & F_DISPATCH) !== 0 || ext !== null && (ext.pending > 0 || ext.length > 0);
  }
  class ExtendableEvent extends Event {
    waitUntil(promise) {
      const st = this[kState];
      if (!(st[E_F] & F_TRUSTED)) throw domErr('InvalidStateError', 'waitUntil() called on an event that was not dispatched by the user agent.');
      if (!isActive(st)) throw domErr('InvalidStateError', 'waitUntil() called after the event handler finished and no lifetime promises are pending.');
      addLifetime(st, promise);
    }
  }
  // The lifetime promises of an extendable event are counted, not kept:
  // ext.pending is how many have not settled, ext.failure the first
  // rejection reason, and ext.done the callback waiting for the count to
  // reach zero (see watchLifetime).
  //
  // Events whose outcome waits for their lifetime promises (install,
  // activate, message) start with st[E_EXT] === kCollect: their promises
  // are only collected, in an array that replaces kCollect, while the
  // listeners and the microtasks they queue run. Go then reads the
  // promises' states (a listener's chain has mostly settled by then: the
  // event completes without a reaction per promise, each of which costs
  // sobek allocations, and Go sets st[E_EXT] to null: the event is
  // over), and calls watchLifetime only when some are still pending.
  const kCollect = Object.freeze({ pending: 0 });
  function addLifetime(st, promise) {
    let ext = st[E_EXT];
    if (ext === kCollect) { st[E_EXT] = [Promise.resolve(promise)]; return; }
    if (ext !== null && ext.pending === undefined) { ext.push(Promise.resolve(promise)); return; }
    if (ext === null) st[E_EXT] = ext = { pending: 0, failed: false, failure: undefined, done: null };
    ext.pending++;
    watchPromise(ext, promise);
  }
  // watchPromise counts promise down once it settles, in a microtask
  // queued then (as the spec says), so that reactions to the same promise
  // that a listener added after waitUntil() may still call waitUntil().
  function watchPromise(ext, promise) {
    host.extend(1);
    Promise.resolve(promise).then(() => { lifetimeSettledLater(ext); }, (e) => {
      if (!ext.failed) { ext.failed = true; ext.failure = e; }
      lifetimeSettledLater(ext);
    });
  }
  function lifetimeSettledLater(ext) { Promise.resolve().then(() => lifetimeSettled(ext)); }
  function lifetimeSettled(ext) {
    ext.pending--;
    host.extend(-1);
    if (ext.pending === 0 && ext.done !== null) {
      const done = ext.done;
      ext.done = null;
      done(ext.failure);
    }
  }
  class InstallEvent extends ExtendableEvent {
    registerForeignFetch(options) {
      const st = this[kState];
      if (!(st[E_F] & F_TRUSTED) || !isActive(st) || !(st[E_F] & F_INSTALLING)) {
        throw domErr('InvalidStateError', 'registerForeignFetch() must be called during the install event.');
      }
      if (options === null || typeof options !== 'object') throw new TypeError("registerForeignFetch: options must be an object with 'scopes' and 'origins'");
      const seq = (v, what) => {
        if (v === undefined || v === null || typeof v === 'string' || typeof v[Symbol.iterator] !== 'function') {
          throw new TypeError("registerForeignFetch: '" + what + "' must be a sequence of strings");
        }
        return Array.from(v, str);
      };
      const scopes = seq(options.scopes, 'scopes');
      const origins = seq(options.origins, 'origins');
      host.registerForeignFetch(scopes, origins);
    }
    // addRoutes is the Static Routing API: rules checked and kept by Go
    // (package routing), persisted with the version when it installs.
    addRoutes(rules) {
      const st = this[kState];
      let withinLimit;
      try {
        if (arguments.length === 0) throw new TypeError("Failed to execute 'addRoutes' on 'InstallEvent': 1 argument required, but only 0 present.");
        if (!(st[E_F] & F_TRUSTED) || !isActive(st) || !(st[E_F] & F_INSTALLING)) {
          throw domErr('InvalidStateError', 'addRoutes() must be called during the install event.');
        }
        const list = rules !== null && typeof rules === 'object' && typeof rules[Symbol.iterator] === 'function'
          ? Array.from(rules, routerRule) : [routerRule(rules)];
        const fetchListeners = listenersOf(global).get('fetch');
        const hasFetch = typeof fetchListeners === 'function' || !!(fetchListeners && fetchListeners.length);
        withinLimit = host.addRoutes(list, hasFetch);
      } catch (e) {
        return Promise.reject(e);
      }
      // The rules count once the event's lifetime is extended; a list over
      // the limit rejects this promise but not the install.
      this.waitUntil(Promise.resolve());
      return withinLimit ? Promise.resolve() : Promise.reject(new TypeError("Failed to execute 'addRoutes' on 'InstallEvent': the router rules exceed the limit of 1024 conditions or 10 levels of nesting."));
    }
  }
  // routerRule converts a RouterRule dictionary to plain values for Go:
  // members in WebIDL order, URLPattern objects as their Go pattern.
  function routerRule(r) {
    if (r === null || typeof r !== 'object') throw new TypeError("Failed to execute 'addRoutes' on 'InstallEvent': a rule is not a RouterRule.");
    const condition = r.condition, source = r.source;
    return { condition: routerCondition(condition, 0), source: routerSource(source) };
  }
  function routerCondition(c, depth) {
    if (c === undefined) return undefined;
    if (c === null || typeof c !== 'object') throw new TypeError("Failed to execute 'addRoutes' on 'InstallEvent': a condition is not a RouterCondition.");
    if (depth > 10) throw new TypeError("Failed to execute 'addRoutes' on 'InstallEvent': conditions are nested more than 10 levels deep.");
    const out = {};
    const not = c.not, or = c.or, dest = c.requestDestination, method = c.requestMethod, mode = c.requestMode;
    const running = c.runningStatus, pattern = c.urlPattern;
    if (not !== undefined) out.not = routerCondition(not, depth + 1);
    if (or !== undefined) {
      if (or === null || typeof or !== 'object' || typeof or[Symbol.iterator] !== 'function') throw new TypeError("Failed to execute 'addRoutes' on 'InstallEvent': or is not a sequence.");
      out.or = Array.from(or, (x) => routerCondition(x, depth + 1));
    }
    if (dest !== undefined) out.requestDestination = str(dest);
    if (method !== undefined) out.requestMethod = str(method);
    if (mode !== undefined) out.requestMode = str(mode);
    if (running !== undefined) out.runningStatus = str(running);
    if (pattern !== undefined) out.urlPattern = routerPattern(pattern);
    return out;
  }
  const patternMembers = ['baseURL', 'hash', 'hostname', 'password', 'pathname', 'port', 'protocol', 'search', 'username'];
  function routerPattern(p) {
    if (p !== null && typeof p === 'object') {
      const api = internals.patternAPI;
      if (api.loaded()) {
        const h = api().patternHandle(p);
        if (h !== undefined) return h;
      }
      const init = {};
      for (const k of patternMembers) if (p[k] !== undefined) init[k] = str(p[k]);
      return init;
    }
    return str(p);
  }
  function routerSource(s) {
    if (s === undefined) return undefined;
    if (s !== null && typeof s === 'object') {
      const name = s.cacheName;
      return name === undefined ? {} : { cacheName: str(name) };
    }
    return str(s);
  }
  // Fetch events made by Go read their client ids through the token; ones
  // made by scripts keep them in st[E_IDS].
  function clientIdOf(ev, name) {
    const st = ev[kState];
    if (st[E_TOKEN] !== 0) return host.eventField(st[E_TOKEN], name);
    return st[E_IDS] ? st[E_IDS][name] : '';
  }
  class FetchEvent extends ExtendableEvent {
    constructor(type, init) {
      if (!init || !(init.request instanceof internals.Request)) throw new TypeError("Failed to construct 'FetchEvent': required member request is undefined.");
      super(type, init);
      const st = this[kState];
      st[E_REQUEST] = init.request;
      st[E_RESPONSE] = undefined;
      st[E_IDS] = {
        clientId: init.clientId === undefined ? '' : str(init.clientId),
        resultingClientId: init.resultingClientId === undefined ? '' : str(init.resultingClientId),
        replacesClientId: init.replacesClientId === undefined ? '' : str(init.replacesClientId),
      };
      st[E_PRELOAD] = init.preloadResponse === undefined ? Promise.resolve(undefined) : init.preloadResponse;
    }
    get request() {
      const st = this[kState];
      let r = st[E_REQUEST];
      if (typeof r === 'string') {
        // An event from Go builds its Request on first use: slot E_REQUEST
        // holds the URL and slot E_IDS the method until then.
        r = internals.requestFromGo(host.requestHandle(st[E_TOKEN]), r, st[E_IDS]);
        st[E_REQUEST] = r;
        st[E_IDS] = undefined;
      }
      return r;
    }
    get clientId() { return clientIdOf(this, 'clientId'); }
    get resultingClientId() { return clientIdOf(this, 'resultingClientId'); }
    get replacesClientId() { return clientIdOf(this, 'replacesClientId'); }
    // preloadResponse is the same promise at every read; for an event
    // from Go, the navigation preload response Go started (or undefined).
    get preloadResponse() {
      const st = this[kState];
      if (st[E_PRELOAD] === undefined) {
        st[E_PRELOAD] = st[E_TOKEN] !== 0 ? host.preloadResponse(st[E_TOKEN], internals.responseFromGo) : Promise.resolve(undefined);
      }
      return st[E_PRELOAD];
    }
    get handled() {
      const st = this[kState];
      if (st[E_HANDLED] === undefined) st[E_HANDLED] = Promise.resolve(undefined);
      return st[E_HANDLED];
    }
    respondWith(r) {
      const st = this[kState];
      if (!(st[E_F] & F_DISPATCH)) throw domErr('InvalidStateError', 'respondWith() must be called synchronously while the fetch event is being dispatched.');
      if (st[E_F] & F_RESPONDED) throw domErr('InvalidStateError', 'respondWith() was already called for this event.');
      st[E_F] |= F_RESPONDED | F_STOP | F_STOP_IMM;
      st[E_RESPONSE] = r;
      if (!internals.isResponse(r)) addLifetime(st, r);
    }
  }
  class ForeignFetchEvent extends ExtendableEvent {
    constructor(type, init) {
      if (!init || !(init.request instanceof internals.Request)) throw new TypeError("Failed to construct 'ForeignFetchEvent': required member request is undefined.");
      super(type, init);
      const st = this[kState];
      st[E_REQUEST] = init.request;
      st[E_ORIGIN] = init.origin === undefined ? 'null' : str(init.origin);
      st[E_RESPONSE] = undefined;
    }
    get request() { return this[kState][E_REQUEST]; }
    get origin() { return this[kState][E_ORIGIN]; }
    respondWith(r) {
      const st = this[kState];
      if (!(st[E_F] & F_DISPATCH)) throw domErr('InvalidStateError', 'respondWith() must be called synchronously while the foreignfetch event is being dispatched.');
      if (st[E_F] & F_RESPONDED) throw domErr('InvalidStateError', 'respondWith() was already called for this event.');
      st[E_F] |= F_RESPONDED | F_STOP | F_STOP_IMM;
      st[E_RESPONSE] = r;
      addLifetime(st, r);
    }
  }
  function messageInit(st, init) {
    init = init || {};
    st[E_DATA] = init.data === undefined ? null : init.data;
    st[E_ORIGIN] = init.origin === undefined ? '' : str(init.origin);
    st[E_LASTID] = init.lastEventId === undefined ? '' : str(init.lastEventId);
    st[E_SOURCE] = init.source === undefined ? null : init.source;
    st[E_PORTS] = Object.freeze(init.ports ? Array.from(init.ports) : []);
  }
  class ExtendableMessageEvent extends ExtendableEvent {
    constructor(type, init) { super(type, init); messageInit(this[kState], init); }
  }
  class MessageEvent extends Event {
    constructor(type, init) { super(type, init); messageInit(this[kState], init); }
  }
  // The fields of both message event classes are native getters that read
  // this[kState]: they are read on every message, and a native getter
  // costs sobek no JavaScript frame.
  {
    const names = ['data', 'origin', 'lastEventId', 'source', 'ports'];
    const getters = host.stateGetters(kState, names, [E_DATA, E_ORIGIN, E_LASTID, E_SOURCE, E_PORTS]);
    for (const name of names) {
      const get = getters[name];
      Object.defineProperty(get, 'name', { value: 'get ' + name });
      Object.defineProperty(get, 'length', { value: 0 });
      for (const proto of [MessageEvent.prototype, ExtendableMessageEvent.prototype]) {
        Object.defineProperty(proto, name, { get, configurable: true, enumerable: true });
      }
    }
  }
  // CrossOriginServiceWorkerClient is the connect seed's view of a client.
  class CrossOriginServiceWorkerClient {
    constructor() { illegal(); }
    get origin() { return this[kState].origin; }
    get targetUrl() { return this[kState].targetUrl; }
    get options() { return this[kState].options; }
  }
  // event.ports of events without ports.
  const noPorts = Object.freeze([]);
  // postMessage(message, transfer) is a host function: it is the reply
  // path of every cross-origin message, and a JavaScript method that
  // checks arguments.length would pay for an arguments object per call.
  {
    const post = host.crossOriginPostMethod(CrossOriginServiceWorkerClient.prototype, noPorts, transferArg);
    Object.defineProperty(post, 'name', { value: 'postMessage' });
    Object.defineProperty(post, 'length', { value: 1 });
    Object.defineProperty(CrossOriginServiceWorkerClient.prototype, 'postMessage', { value: post, writable: true, enumerable: true, configurable: true });
  }
  function makeCrossOriginClient(id, origin, targetUrl, options) {
    const c = Object.create(CrossOriginServiceWorkerClient.prototype);
    c[kState] = { id, origin, targetUrl, options: options === undefined ? null : options };
    return c;
  }
  class CrossOriginConnectEvent extends ExtendableEvent {
    constructor(type, init) {
      super(type, init);
      this[kState][E_CLIENT] = init && init.client !== undefined ? init.client : null;
      this[kState][E_ACCEPT] = undefined;
    }
    get client() { return this[kState][E_CLIENT]; }
    acceptConnection(shouldAccept) {
      const st = this[kState];
      if (!(st[E_F] & F_TRUSTED)) throw domErr('InvalidStateError', 'acceptConnection() called on an event that was not dispatched by the user agent.');
      if (st[E_F] & F_ACCEPT_CALLED) throw domErr('InvalidStateError', 'acceptConnection() was already called for this event.');
      if (!isActive(st)) throw domErr('InvalidStateError', 'acceptConnection() must be called while the crossoriginconnect event is active.');
      st[E_F] |= F_ACCEPT_CALLED;
      st[E_ACCEPT] = Promise.resolve(shouldAccept);
      addLifetime(st, st[E_ACCEPT]);
    }
  }
  class CrossOriginMessageEvent extends MessageEvent {}
  class PromiseRejectionEvent extends Event {
    constructor(type, init) {
      if (!init || !('promise' in init)) throw new TypeError("Failed to construct 'PromiseRejectionEvent': required member promise is undefined.");
      super(type, init);
      this[kState][E_DATA] = init.promise;
      this[kState][E_SOURCE] = init.reason;
    }
    get promise() { return this[kState][E_DATA]; }
    get reason() { return this[kState][E_SOURCE]; }
  }

  expose('ExtendableEvent', ExtendableEvent);
  expose('InstallEvent', InstallEvent);
  expose('FetchEvent', FetchEvent);
  expose('ForeignFetchEvent', ForeignFetchEvent);
  expose('ExtendableMessageEvent', ExtendableMessageEvent);
  expose('MessageEvent', MessageEvent);
  expose('CrossOriginConnectEvent', CrossOriginConnectEvent);
  expose('CrossOriginMessageEvent', CrossOriginMessageEvent);
  expose('PromiseRejectionEvent', PromiseRejectionEvent);
  expose('CrossOriginServiceWorkerClient', CrossOriginServiceWorkerClient);

  Object.assign(internals, {
    CrossOriginConnectEvent, CrossOriginMessageEvent, ExtendableEvent, ExtendableMessageEvent,
    FetchEvent, ForeignFetchEvent, InstallEvent, MessageEvent, PromiseRejectionEvent, kCollect,
    makeCrossOriginClient, messageInit, noPorts, watchPromise,
  });
})
