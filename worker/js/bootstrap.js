// bootstrap.js defines the service-worker global scope on top of a few
// host functions. It is compiled once per process and run once per runtime
// as a function of the host object; nothing here is reachable from worker
// scripts except what it installs on the global object.
(function (host, global) {
  'use strict';

  const kState = Symbol('state');
  const kListeners = Symbol('listeners');
  const hasOwn = Object.prototype.hasOwnProperty;

  function define(obj, props) {
    for (const k of Object.keys(props)) {
      Object.defineProperty(obj, k, { value: props[k], writable: true, configurable: true, enumerable: false });
    }
  }
  function expose(name, value) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  }
  function readonly(obj, name, get) {
    Object.defineProperty(obj, name, { get, configurable: true, enumerable: true });
  }
  function illegal() { throw new TypeError('Illegal constructor'); }
  function str(v) { return typeof v === 'symbol' ? (() => { throw new TypeError('Cannot convert a Symbol to a string'); })() : String(v); }

  // lazy defines global names whose values are built on first use. Most
  // scripts use few of these APIs, and creating classes is most of a
  // runtime's start-up cost. The returned function loads the group.
  function lazy(names, init) {
    let api = null;
    const getters = [];
    const load = () => {
      if (api === null) {
        api = init();
        for (let i = 0; i < names.length; i++) {
          const d = Object.getOwnPropertyDescriptor(global, names[i]);
          // Replace the getter by the value; on a global scope a script
          // froze, the getter stays and keeps answering from api.
          if (d && d.get === getters[i] && d.configurable) expose(names[i], api[names[i]]);
        }
      }
      return api;
    };
    for (let i = 0; i < names.length; i++) {
      const n = names[i];
      const get = function () { return load()[n]; };
      getters.push(get);
      Object.defineProperty(global, n, {
        get, configurable: true, enumerable: false,
        set(v) { Object.defineProperty(global, n, { value: v, writable: true, configurable: true, enumerable: false }); },
      });
    }
    load.loaded = () => api !== null;
    return load;
  }
  function usv(v) { return host.toUSV(str(v)); }
  const noArg = Symbol('no argument');

  // ---------------------------------------------------------------- DOMException
  const legacyCodes = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
    QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
  };
  class DOMException extends Error {
    constructor(message = '', name = 'Error') {
      super(str(message));
      Object.defineProperty(this, 'name', { value: str(name), writable: true, configurable: true, enumerable: false });
    }
    get code() { return legacyCodes[this.name] || 0; }
  }
  Object.defineProperties(DOMException, { INDEX_SIZE_ERR: { value: 1, enumerable: true }, HIERARCHY_REQUEST_ERR: { value: 3, enumerable: true }, WRONG_DOCUMENT_ERR: { value: 4, enumerable: true }, INVALID_CHARACTER_ERR: { value: 5, enumerable: true }, NO_MODIFICATION_ALLOWED_ERR: { value: 7, enumerable: true }, NOT_FOUND_ERR: { value: 8, enumerable: true }, NOT_SUPPORTED_ERR: { value: 9, enumerable: true }, INVALID_STATE_ERR: { value: 11, enumerable: true }, SYNTAX_ERR: { value: 12, enumerable: true }, INVALID_MODIFICATION_ERR: { value: 13, enumerable: true }, NAMESPACE_ERR: { value: 14, enumerable: true }, INVALID_ACCESS_ERR: { value: 15, enumerable: true }, TYPE_MISMATCH_ERR: { value: 17, enumerable: true }, SECURITY_ERR: { value: 18, enumerable: true }, NETWORK_ERR: { value: 19, enumerable: true }, ABORT_ERR: { value: 20, enumerable: true }, URLMISMATCH_ERR: { value: 21, enumerable: true }, QUOTA_EXCEEDED_ERR: { value: 22, enumerable: true }, TIMEOUT_ERR: { value: 23, enumerable: true }, INVALID_NODE_TYPE_ERR: { value: 24, enumerable: true }, DATA_CLONE_ERR: { value: 25, enumerable: true } });
  const domErr = (name, msg) => new DOMException(msg, name);
  expose('DOMException', DOMException);
  host.setErrorFactory((name, msg) => name === 'TypeError' ? new TypeError(msg) : name === 'RangeError' ? new RangeError(msg) : name === 'SyntaxError' && msg.startsWith('JS:') ? new SyntaxError(msg.slice(3)) : domErr(name, msg));

  // ---------------------------------------------------------------- Event / EventTarget
  // The boolean flags of an event live in one bit set.
  // Common flag combinations stay below 256 so that the engine does not
  // allocate a boxed integer for them.
  const F_DISPATCH = 1, F_TRUSTED = 2, F_RESPONDED = 4, F_STOP = 8, F_STOP_IMM = 16, F_CANCELED = 32,
    F_INSTALLING = 64, F_ACCEPT_CALLED = 128, F_BUBBLES = 256, F_CANCELABLE = 512, F_COMPOSED = 1024;
  // Event state is an array (cheaper than an object in sobek): the common
  // slots, then per-interface ones from E_REQUEST on.
  const E_TYPE = 0, E_F = 1, E_TARGET = 2, E_TIME = 3, E_EXT = 4, E_TOKEN = 5;
  const E_REQUEST = 6, E_RESPONSE = 7, E_IDS = 8, E_HANDLED = 9, E_ORIGIN = 10;
  const E_CLIENT = 6, E_ACCEPT = 7;
  const E_DATA = 6, E_SOURCE = 7, E_PORTS = 8, E_LASTID = 9;
  function eventState(type, init) {
    let f = 0;
    if (init !== undefined && init !== null) {
      if (init.bubbles) f |= F_BUBBLES;
      if (init.cancelable) f |= F_CANCELABLE;
      if (init.composed) f |= F_COMPOSED;
    }
    return [type, f, null, host.now(), null, 0, undefined, undefined];
  }
  class Event {
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      this[kState] = eventState(str(type), init);
    }
    get type() { return this[kState][E_TYPE]; }
    get target() { return this[kState][E_TARGET]; }
    get srcElement() { return this[kState][E_TARGET]; }
    get currentTarget() { const st = this[kState]; return st[E_F] & F_DISPATCH ? st[E_TARGET] : null; }
    get eventPhase() { return this[kState][E_F] & F_DISPATCH ? 2 : 0; }
    get bubbles() { return !!(this[kState][E_F] & F_BUBBLES); }
    get cancelable() { return !!(this[kState][E_F] & F_CANCELABLE); }
    get composed() { return !!(this[kState][E_F] & F_COMPOSED); }
    get defaultPrevented() { return !!(this[kState][E_F] & F_CANCELED); }
    get returnValue() { return !(this[kState][E_F] & F_CANCELED); }
    get timeStamp() {
      const st = this[kState];
      return st[E_TOKEN] !== 0 ? host.eventTime(st[E_TOKEN]) : st[E_TIME];
    }
    get isTrusted() { return !!(this[kState][E_F] & F_TRUSTED); }
    get cancelBubble() { return !!(this[kState][E_F] & F_STOP); }
    set cancelBubble(v) { if (v) this[kState][E_F] |= F_STOP; }
    composedPath() { const st = this[kState]; return st[E_F] & F_DISPATCH ? [st[E_TARGET]] : []; }
    preventDefault() { const st = this[kState]; if (st[E_F] & F_CANCELABLE) st[E_F] |= F_CANCELED; }
    stopPropagation() { this[kState][E_F] |= F_STOP; }
    stopImmediatePropagation() { this[kState][E_F] |= F_STOP | F_STOP_IMM; }
  }
  define(Event, { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 });

  // reportException reports an exception thrown by a listener: console and
  // host log, as a browser does.
  function reportException(err) {
    host.reportException(err);
  }

  class EventTarget {
    constructor() { Object.defineProperty(this, kListeners, { value: new Map() }); }
    addEventListener(type, callback, options) {
      // A bare addEventListener(...) call in a worker script passes no
      // receiver: the global scope is meant, as WebIDL says.
      if (this === undefined || this === null) return global.addEventListener(type, callback, options);
      addListener(this, type, callback, options);
    }
    removeEventListener(type, callback, options) {
      if (this === undefined || this === null) return global.removeEventListener(type, callback, options);
      if (typeof type !== 'string') type = str(type);
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const list = listenerRecords(listenersOf(this), type);
      if (!list) return;
      const i = list.findIndex(l => l.callback === callback && l.capture === capture);
      if (i >= 0) {
        list[i].removed = true;
        list.splice(i, 1);
        if (this === global) refreshSole(type, list);
      }
    }
    dispatchEvent(event) {
      if (this === undefined || this === null) return global.dispatchEvent(event);
      if (!(event instanceof Event)) throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      if (event[kState][E_F] & F_DISPATCH) throw domErr('InvalidStateError', 'The event is already being dispatched.');
      return dispatch(this, event, false);
    }
  }
  // addListener is EventTarget's addEventListener for a known target.
  // The type is converted first, as WebIDL converts arguments in order.
  function addListener(target, type, callback, options) {
    if (typeof type !== 'string') type = str(type);
    if (callback === null || callback === undefined) return;
    if (typeof callback !== 'function' && typeof callback !== 'object') throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': parameter 2 is not of type 'Object'.");
    let capture = false, once = false, signal;
    if (options !== undefined) {
      capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      if (options !== null && typeof options === 'object') {
        once = !!options.once;
        signal = options.signal;
        if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type AbortSignal.");
        if (signal && signal.aborted) return;
      }
    }
    const map = listenersOf(target);
    let list = listenerRecords(map, type);
    if (list === undefined) { list = []; map.set(type, list); }
    for (let i = 0; i < list.length; i++) if (list[i].callback === callback && list[i].capture === capture) return;
    list.push({ callback, capture, once, removed: false });
    if (target === global && soleSlots[type] !== undefined) refreshSole(type, list);
    if (signal) removeOnAbort(signal, target, type, callback, capture);
  }
  // removeOnAbort is addEventListener's signal option; a closure of its
  // own, so that addListener's variables are not captured on every call.
  function removeOnAbort(signal, target, type, callback, capture) {
    signal.addEventListener('abort', () => target.removeEventListener(type, callback, { capture }));
  }
  // listenerRecords returns the listener records of type in a target's
  // listener map. The map holds an array of records per type, except for
  // the first plain function listener of a type added to the global scope
  // (the fast path of its addEventListener): that one is kept as the bare
  // function, and its record made here when something needs it.
  function listenerRecords(map, type) {
    const v = map.get(type);
    if (typeof v !== 'function') return v;
    const list = [{ callback: v, capture: false, once: false, removed: false }];
    map.set(type, list);
    return list;
  }
  function listenersOf(t) {
    let m = t[kListeners];
    if (!m) { m = new Map(); Object.defineProperty(t, kListeners, { value: m }); }
    return m;
  }
  const kCallee = Symbol('callee');
  Object.defineProperty(global, kCallee, { value: undefined, writable: true });
  // soleSlots names, for each event type Go dispatches, a property of the
  // global scope that holds its listener while it has exactly one plain
  // function listener, and undefined otherwise: refreshSole keeps it so
  // on every change, and the entry points below call it as a method of
  // the global scope (see soleListener).
  const soleSlots = { __proto__: null };
  for (const type of ['install', 'activate', 'fetch', 'crossoriginmessage']) {
    soleSlots[type] = Symbol(type);
    Object.defineProperty(global, soleSlots[type], { value: undefined, writable: true });
  }
  const kHandlerCallee = Symbol('handlerCallee');
  Object.defineProperty(global, kHandlerCallee, { value: undefined, writable: true });
  let globalCallee = true; // false once a script froze the global scope
  // dispatch runs the target's listeners for event in registration order.
  // Exceptions are reported (and, for events from Go, recorded on the Go
  // event) and do not stop the other listeners.
  function dispatch(target, event, trusted) {
    const st = event[kState];
    st[E_F] = (st[E_F] | F_DISPATCH | (trusted ? F_TRUSTED : 0)) & ~(trusted ? 0 : F_TRUSTED);
    st[E_TARGET] = target;
    const list = listenerRecords(listenersOf(target), st[E_TYPE]);
    if (list !== undefined && list.length > 0) {
      const snapshot = list.length === 1 ? null : list.slice();
      const n = list.length;
      for (let i = 0; i < n; i++) {
        const l = snapshot === null ? list[0] : snapshot[i];
        if (l.removed) continue;
        if (l.once) target.removeEventListener(st[E_TYPE], l.callback, { capture: l.capture });
        try {
          const cb = l.callback;
          if (typeof cb === 'function') {
            // On the global scope, a method call gives the listener its
            // this without Function.prototype.call (a native frame in
            // sobek, and a fresh VM stack): the fetch hot path.
            let viaCallee = false;
            if (target === global && globalCallee) {
              try { global[kCallee] = cb; viaCallee = true; } catch (_) { globalCallee = false; }
            }
            if (viaCallee) global[kCallee](event);
            else cb.call(target, event);
          } else if (cb && typeof cb.handleEvent === 'function') cb.handleEvent(event);
        } catch (e) {
          reportException(e);
          if (st[E_TOKEN] !== 0) host.listenerError(st[E_TOKEN], e);
        }
        if (st[E_F] & F_STOP_IMM) break;
      }
    }
    if (target === global && globalCallee) {
      try { global[kCallee] = undefined; } catch (_) { globalCallee = false; } // a listener froze the global scope
    }
    st[E_F] &= ~F_DISPATCH;
    return !(st[E_F] & F_CANCELED);
  }
  // Event handler attributes (on<type>): getHandler and setHandler keep
  // one holder per type in a map on the target; classes declare the
  // accessors in their bodies (much cheaper in sobek than defineProperty
  // with closures), and eventHandler adds them to a prototype afterwards.
  const kHandlers = Symbol('handlers');
  function getHandler(target, type) {
    const m = target[kHandlers];
    const h = m === undefined ? undefined : m.get(type);
    return h === undefined ? null : h.fn;
  }
  function setHandler(target, type, fn) {
    if (typeof fn !== 'function' && (typeof fn !== 'object' || fn === null)) fn = null;
    let m = target[kHandlers];
    if (m === undefined) {
      m = new Map();
      Object.defineProperty(target, kHandlers, { value: m });
    }
    const h = m.get(type);
    if (h !== undefined) { h.fn = fn; return; }
    if (fn === null) return;
    const holder = { fn };
    m.set(type, holder);
    target.addEventListener(type, function (ev) {
      const f = holder.fn;
      if (typeof f !== 'function') return;
      // On the global scope, a method call (see dispatch) instead of
      // Function.prototype.call.
      if (this === global && globalCallee) {
        global[kHandlerCallee] = f;
        return global[kHandlerCallee](ev);
      }
      return f.call(this, ev);
    });
    if (target[kOnHandlerSet]) target[kOnHandlerSet](type);
  }
  function eventHandler(proto, type) {
    Object.defineProperty(proto, 'on' + type, {
      configurable: true, enumerable: true,
      get() { return getHandler(this, type); },
      set(fn) { setHandler(this, type, fn); },
    });
  }
  const kOnHandlerSet = Symbol('onHandlerSet');
  expose('Event', Event);
  expose('EventTarget', EventTarget);

  // ---------------------------------------------------------------- Extendable events
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
  // event completes without a reaction per promise, which costs sobek
  // dozens of allocations, and Go sets st[E_EXT] to null: the event is
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
      if (!init || !(init.request instanceof Request)) throw new TypeError("Failed to construct 'FetchEvent': required member request is undefined.");
      super(type, init);
      const st = this[kState];
      st[E_REQUEST] = init.request;
      st[E_RESPONSE] = undefined;
      st[E_IDS] = {
        clientId: init.clientId === undefined ? '' : str(init.clientId),
        resultingClientId: init.resultingClientId === undefined ? '' : str(init.resultingClientId),
        replacesClientId: init.replacesClientId === undefined ? '' : str(init.replacesClientId),
      };
    }
    get request() {
      const st = this[kState];
      let r = st[E_REQUEST];
      if (typeof r === 'string') {
        // An event from Go builds its Request on first use: slot E_REQUEST
        // holds the URL and slot E_IDS the method until then.
        r = requestFromGo(host.requestHandle(st[E_TOKEN]), r, st[E_IDS]);
        st[E_REQUEST] = r;
        st[E_IDS] = undefined;
      }
      return r;
    }
    get clientId() { return clientIdOf(this, 'clientId'); }
    get resultingClientId() { return clientIdOf(this, 'resultingClientId'); }
    get replacesClientId() { return clientIdOf(this, 'replacesClientId'); }
    get preloadResponse() { return Promise.resolve(undefined); }
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
      if (!isResponse(r)) addLifetime(st, r);
    }
  }
  class ForeignFetchEvent extends ExtendableEvent {
    constructor(type, init) {
      if (!init || !(init.request instanceof Request)) throw new TypeError("Failed to construct 'ForeignFetchEvent': required member request is undefined.");
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
    const post = host.crossOriginPostMethod(kState, CrossOriginServiceWorkerClient.prototype, noPorts, transferArg);
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

  // ---------------------------------------------------------------- Headers
  // Token checks run in Go: sobek allocates a wrapper object for every
  // method call on a string, so character loops and regexps are dear.
  const tokenRe = { test: (v) => host.isToken(v) };
  const forbiddenRequestHeaders = new Set([
    'accept-charset', 'accept-encoding', 'access-control-request-headers', 'access-control-request-method',
    'connection', 'content-length', 'cookie', 'cookie2', 'date', 'dnt', 'expect', 'host', 'keep-alive',
    'origin', 'referer', 'set-cookie', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'via',
  ]);
  const forbiddenMethodOverride = new Set(['CONNECT', 'TRACE', 'TRACK']);
  function isForbiddenRequestHeader(name, value) {
    if (forbiddenRequestHeaders.has(name) || name.startsWith('proxy-') || name.startsWith('sec-')) return true;
    if (name === 'x-http-method' || name === 'x-http-method-override' || name === 'x-method-override') {
      for (const m of value.split(',')) if (forbiddenMethodOverride.has(m.trim().toUpperCase())) return true;
    }
    return false;
  }
  const corsUnsafeByte = /[\x00-\x08\x0a-\x1f"():<>?@\[\\\]{}\x7f]/;
  function isCORSSafelistedRequestHeader(name, value) {
    if (value.length > 128) return false;
    switch (name) {
      case 'accept': return !corsUnsafeByte.test(value);
      case 'accept-language': case 'content-language': return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
      case 'content-type': {
        if (corsUnsafeByte.test(value)) return false;
        const essence = value.split(';')[0].trim().toLowerCase();
        return essence === 'application/x-www-form-urlencoded' || essence === 'multipart/form-data' || essence === 'text/plain';
      }
      case 'range': return /^bytes=\d*-\d*$/.test(value) && value !== 'bytes=-';
      default: return false;
    }
  }
  const noCORSSafelistedNames = new Set(['accept', 'accept-language', 'content-language', 'content-type']);
  function normalizeValue(v) { return host.trimHTTPSpace(str(v)); }

  // A header list is flat: [name0, value0, name1, value1, ...], names
  // lower-cased. Headers state: l (the list), g (the guard), h (the Go
  // event token whose request headers are not read yet, or 0).
  class Headers {
    constructor(init) {
      this[kState] = { l: [], g: 'none', h: 0 };
      if (init !== undefined && init !== null) fillHeaders(this, init);
    }
    append(name, value) { headersAppend(this, str(name), normalizeValue(value)); }
    delete(name) {
      const st = hstate(this);
      name = str(name);
      if (!tokenRe.test(name)) throw new TypeError("Failed to execute 'delete' on 'Headers': Invalid name '" + name + "'");
      const lname = name.toLowerCase();
      if (guardForbids(st, lname, '')) return;
      if (st.g === 'request-no-cors' && !noCORSSafelistedNames.has(lname) && lname !== 'range') return;
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
    forEach(callback, thisArg) {
      if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
      for (const [n, v] of sortedCombined(this)) callback.call(thisArg, v, n, this);
    }
    *entries() { yield* sortedCombined(this); }
    *keys() { for (const [n] of sortedCombined(this)) yield n; }
    *values() { for (const [, v] of sortedCombined(this)) yield v; }
    [Symbol.iterator]() { return this.entries(); }
    get [Symbol.toStringTag]() { return 'Headers'; }
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
  function listWithout(l, lname) {
    const out = [];
    for (let i = 0; i < l.length; i += 2) if (l[i] !== lname) out.push(l[i], l[i + 1]);
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
    if (st.g === 'response' && (lname === 'set-cookie' || lname === 'set-cookie2')) return true;
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
    if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
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
  function* sortedCombined(h) {
    const l = hstate(h).l;
    const seen = new Set();
    for (let i = 0; i < l.length; i += 2) seen.add(l[i]);
    const names = [...seen].sort();
    for (const n of names) {
      if (n === 'set-cookie') {
        for (let i = 0; i < l.length; i += 2) if (l[i] === n) yield [n, l[i + 1]];
        continue;
      }
      yield [n, listGet(l, n)];
    }
  }
  function newHeaders(guard, list) {
    const h = Object.create(Headers.prototype);
    h[kState] = { l: list, g: guard, h: 0 };
    return h;
  }
  expose('Headers', Headers);

  // ---------------------------------------------------------------- bytes helpers
  // bufferBytes returns a Uint8Array over the bytes an ArrayBuffer or an
  // ArrayBufferView holds (shared, not copied), or null for anything else.
  // A detached buffer holds no bytes: WebIDL reads it as an empty byte
  // sequence, so a body or Blob part made of one is empty and
  // TextDecoder.decode gives ''.
  function bufferBytes(v) {
    if (v instanceof ArrayBuffer) return v.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(v);
    if (ArrayBuffer.isView(v)) {
      const buf = v.buffer;
      return buf.byteLength === 0 ? new Uint8Array(0) : new Uint8Array(buf, v.byteOffset, v.byteLength);
    }
    return null;
  }
  // toBytes is bufferBytes, copied.
  function toBytes(v) {
    const b = bufferBytes(v);
    return b === null ? null : b.slice();
  }
  function encodeUTF8(s) { return new Uint8Array(host.encodeUTF8(s)); }
  function decodeUTF8(bytes) { return host.decodeUTF8(bytes, false, false); }

  // ---------------------------------------------------------------- Blob
  const blobAPI = lazy(['Blob'], () => {
    class Blob {
      constructor(parts, options) {
        const chunks = [];
        if (parts !== undefined) {
          if (parts === null || typeof parts !== 'object' || typeof parts[Symbol.iterator] !== 'function') throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.");
          for (const p of parts) {
            if (p instanceof Blob) chunks.push(p[kState].bytes);
            else chunks.push(toBytes(p) || encodeUTF8(str(p)));
          }
        }
        let type = options && options.type !== undefined ? str(options.type) : '';
        if (/[^\x20-\x7e]/.test(type)) type = '';
        this[kState] = { bytes: concatBytes(chunks), type: type.toLowerCase() };
      }
      get size() { return this[kState].bytes.length; }
      get type() { return this[kState].type; }
      text() { return Promise.resolve(decodeUTF8(this[kState].bytes)); }
      arrayBuffer() { return Promise.resolve(this[kState].bytes.slice().buffer); }
      bytes() { return Promise.resolve(this[kState].bytes.slice()); }
      slice(start, end, type) {
        const b = this[kState].bytes;
        const n = b.length;
        const rel = (x, d) => x === undefined ? d : (x < 0 ? Math.max(n + Math.trunc(x), 0) : Math.min(Math.trunc(x), n));
        const s = rel(start, 0), e = rel(end, n);
        const out = Object.create(Blob.prototype);
        out[kState] = { bytes: b.slice(s, Math.max(s, e)), type: type === undefined ? '' : str(type).toLowerCase() };
        return out;
      }
      get [Symbol.toStringTag]() { return 'Blob'; }
    }
    function concatBytes(chunks) {
      let n = 0;
      for (const c of chunks) n += c.length;
      host.checkSize(n);
      const out = new Uint8Array(n);
      let o = 0;
      for (const c of chunks) { out.set(c, o); o += c.length; }
      return out;
    }
    return { Blob };
  });

  // ---------------------------------------------------------------- Body mixin
  // Request and Response state are arrays (much cheaper than objects in
  // sobek), sharing the body slots.
  const B_BODY = 0, B_USED = 1;
  const R_METHOD = 2, R_URL = 3, R_H = 4, R_X = 5, R_TOKEN = 6, R_SIGNAL = 7;
  const P_STATUS = 2, P_TEXT = 3, P_H = 4, P_TYPE = 5, P_META = 6, P_CT = 7;
  // A body is null, a string (not yet encoded) or a Uint8Array; a request
  // from Go has undefined until its body is first needed. extractBody sets
  // extractedType to the Content-Type the body implies (or null).
  let extractedType = null;
  // bodyLimit mirrors the worker's body limit (internals.configure), so
  // that small bodies need no call into Go to be checked.
  let bodyLimit = 0;
  function extractBody(init) {
    extractedType = null;
    if (init === null || init === undefined) return null;
    if (typeof init === 'string') { extractedType = 'text/plain;charset=UTF-8'; if (init.length > bodyLimit) host.checkSize(init.length); return init; }
    const bytes = bufferBytes(init);
    if (bytes !== null) { if (bytes.length > bodyLimit) host.checkSize(bytes.length); return bytes.slice(); }
    if (blobAPI.loaded() && init instanceof blobAPI().Blob) { extractedType = init.type || null; return init[kState].bytes.slice(); }
    if (urlAPI.loaded() && init instanceof urlAPI().URLSearchParams) { extractedType = 'application/x-www-form-urlencoded;charset=UTF-8'; return init.toString(); }
    if (typeof init === 'object' && typeof init.getReader === 'function') throw new TypeError('ReadableStream bodies are not supported by swhost');
    extractedType = 'text/plain;charset=UTF-8';
    return str(init);
  }
  function consume(obj) {
    const st = rstate(obj);
    if (st === undefined || st[B_USED] === undefined) return Promise.reject(new TypeError('Illegal invocation'));
    if (st[B_USED]) return Promise.reject(new TypeError('Body has already been consumed.'));
    if (st[B_BODY] === undefined) st[B_BODY] = host.requestBody(st[R_TOKEN]);
    st[B_USED] = true;
    return Promise.resolve(st[B_BODY]);
  }
  function bodyBytes(b) { return b === null ? new Uint8Array(0) : typeof b === 'string' ? encodeUTF8(b) : b.slice(); }
  const bodyMixin = {
    get bodyUsed() { return rstate(this)[B_USED]; },
    text() { return consume(this).then(b => b === null ? '' : typeof b === 'string' ? b : decodeUTF8(b)); },
    json() { return this.text().then(t => JSON.parse(t)); },
    arrayBuffer() { return consume(this).then(b => bodyBytes(b).buffer); },
    bytes() { return consume(this).then(b => bodyBytes(b)); },
    blob() {
      const type = this.headers.get('content-type') || '';
      return consume(this).then(b => {
        const out = Object.create(blobAPI().Blob.prototype);
        out[kState] = { bytes: bodyBytes(b), type: /[^\x20-\x7e]/.test(type) ? '' : type.toLowerCase() };
        return out;
      });
    },
    formData() { return Promise.reject(domErr('NotSupportedError', 'formData() is not supported by swhost')); },
    get body() { return null; },
  };
  function mixBody(proto) {
    for (const k of Object.getOwnPropertyNames(bodyMixin)) {
      Object.defineProperty(proto, k, Object.getOwnPropertyDescriptor(bodyMixin, k));
    }
  }

  // ---------------------------------------------------------------- Request
  const requestModes = new Set(['navigate', 'same-origin', 'no-cors', 'cors']);
  const credentialsModes = new Set(['omit', 'same-origin', 'include']);
  const cacheModes = new Set(['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached']);
  const redirectModes = new Set(['follow', 'error', 'manual']);
  const referrerPolicies = new Set(['', 'no-referrer', 'no-referrer-when-downgrade', 'same-origin', 'origin', 'strict-origin', 'origin-when-cross-origin', 'strict-origin-when-cross-origin', 'unsafe-url']);
  const normalMethods = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
  function enumOf(set, v, what) {
    v = str(v);
    if (!set.has(v)) throw new TypeError("Failed to construct 'Request': The provided value '" + v + "' is not a valid enum value of type " + what + '.');
    return v;
  }
  // The rarely used fields of a Request, an array (x) in its state.
  const X_MODE = 0, X_CREDENTIALS = 1, X_DESTINATION = 2, X_REFERRER = 3, X_CACHE = 4, X_REDIRECT = 5,
    X_POLICY = 6, X_INTEGRITY = 7, X_KEEPALIVE = 8;
  const emptyInit = Object.freeze({});
  // Request state: method, url, h (Headers, or null for a Go request not
  // yet read), body, used, x (the rarely used fields, or null for a Go
  // request not yet read), token (the Go event, or 0), signal.
  function reqExtra(st) {
    if (st[R_X] === null) {
      const f = host.requestFields(st[R_TOKEN]);
      if (f[3] === '') f[3] = 'about:client';
      f.push('default', 'follow', '', '', false);
      st[R_X] = f;
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
        if (src[B_BODY] === undefined) src[B_BODY] = host.requestBody(src[R_TOKEN]);
        href = src[R_URL];
      } else {
        href = host.parseURL(str(input), location.href);
        if (href === null) throw new TypeError("Failed to construct 'Request': Failed to parse URL from " + str(input));
        if (/^[a-z][a-z0-9+.\-]*:\/\/[^/?#]*@/i.test(href)) throw new TypeError("Failed to construct 'Request': Request cannot be constructed from a URL that includes credentials: " + href);
        const hash = href.indexOf('#');
        if (hash >= 0) href = href.slice(0, hash);
      }
      const sx = src ? reqExtra(src) : null;
      const x = sx ? sx.slice() : ['cors', 'same-origin', '', 'about:client', 'default', 'follow', '', '', false];
      const st = [src ? src[B_BODY] : null, false, src ? src[R_METHOD] : 'GET', href, null, x, 0, null];
      if (init !== emptyInit) for (const k in init) { hasInit = true; break; } // eslint-disable-line no-unused-vars
      if (hasInit && x[X_MODE] === 'navigate') x[X_MODE] = 'same-origin';
      if (hasInit) x[X_REFERRER] = 'about:client';
      if (init.referrer !== undefined) {
        const r = str(init.referrer);
        if (r === '') x[X_REFERRER] = '';
        else {
          const parsed = host.parseURL(r, location.href);
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
        const up = m.toUpperCase();
        if (forbiddenMethodOverride.has(up)) throw new TypeError("Failed to construct 'Request': '" + m + "' HTTP method is unsupported.");
        if (normalMethods.has(up)) m = up;
        st[R_METHOD] = m;
      }
      let parentSignal = init.signal !== undefined ? init.signal : (src ? src[R_SIGNAL] : null);
      if (parentSignal !== null && parentSignal !== undefined && !(parentSignal instanceof AbortSignal)) throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
      st[R_SIGNAL] = parentSignal ? AbortSignal.any([parentSignal]) : null;
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
        if (extractedType !== null && !h.has('content-type')) headersAppend(h, 'content-type', extractedType);
      } else if (src) {
        if (src[B_USED]) throw new TypeError("Failed to construct 'Request': Cannot construct a Request with a Request object that has already been used.");
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
      if (st[R_SIGNAL] === null) st[R_SIGNAL] = new AbortSignal(kState);
      return st[R_SIGNAL];
    }
    get duplex() { return 'half'; }
    clone() {
      const st = this[kState];
      if (!Array.isArray(st)) throw new TypeError('Illegal invocation');
      if (st[B_USED]) throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
      if (st[B_BODY] === undefined) st[B_BODY] = host.requestBody(st[R_TOKEN]);
      const hs = hstate(reqHeaders(st));
      const c = Object.create(Request.prototype);
      c[kState] = [st[B_BODY], false, st[R_METHOD], st[R_URL], newHeaders(hs.g, hs.l.slice()), reqExtra(st).slice(), 0, st[R_SIGNAL] ? AbortSignal.any([st[R_SIGNAL]]) : null];
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
  // exportRequest flattens a Request for Go (fetch, cache keys):
  // [method, url, flatHeaders, body, mode, credentials, redirect,
  // destination, referrer, cache].
  function exportRequest(req) {
    if (!(req instanceof Request)) throw new TypeError('Illegal invocation');
    const st = req[kState];
    if (st[B_BODY] === undefined) st[B_BODY] = host.requestBody(st[R_TOKEN]);
    const x = reqExtra(st);
    return [st[R_METHOD], st[R_URL], hstate(reqHeaders(st)).l, st[B_BODY], x[X_MODE], x[X_CREDENTIALS], x[X_REDIRECT], x[X_DESTINATION], x[X_REFERRER] === 'about:client' ? '' : x[X_REFERRER], x[X_CACHE]];
  }
  expose('Request', Request);

  // ---------------------------------------------------------------- Response
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
      if (extractedType !== null) {
        if (st[P_H] === null) st[P_CT] = extractedType;
        else {
          const l = respList(st);
          if (listGet(l, 'content-type') === null) l.push('content-type', extractedType);
        }
      }
    }
  }
  // rstate returns a Response's (or Request's) state array. A Response
  // made by new Response(text) holds just the text until something needs
  // more than exporting it: one array fewer for the common case, and a
  // shallower VM stack (sobek regrows it for every event).
  function rstate(r) {
    const st = r[kState];
    if (typeof st !== 'string') return st;
    const full = [st, false, 200, '', null, 'default', null, 'text/plain;charset=UTF-8'];
    r[kState] = full;
    return full;
  }
  function newResponseState() {
    return [null, false, 200, '', null, 'default', null, null];
  }
  class Response {
    constructor(body, init) {
      if (init === undefined && typeof body === 'string' && body.length <= bodyLimit) {
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
      const href = host.parseURL(str(url), location.href);
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
      extractedType = 'application/json';
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
      if (st[B_USED]) throw new TypeError("Failed to execute 'clone' on 'Response': Response body is already used");
      const c = Object.create(Response.prototype);
      const h = st[P_H] === null ? null : Array.isArray(st[P_H]) ? st[P_H].slice() : newHeaders(hstate(st[P_H]).g, hstate(st[P_H]).l.slice());
      c[kState] = [st[B_BODY], false, st[P_STATUS], st[P_TEXT], h, st[P_TYPE], st[P_META], st[P_CT]];
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
  // used body is a TypeError.
  function exportResponse(r) {
    const st = r[kState];
    if (typeof st === 'string') return host.responseRecord(200, '', null, st, 'default', '', false, 'text/plain;charset=UTF-8', null);
    if (st[B_USED]) throw new TypeError('The Response body was already used.');
    const m = st[P_META];
    const h = st[P_H];
    // Headers from Go that no script listed go back as their handle.
    const handle = h !== null && !Array.isArray(h) && h[kState].h !== 0 ? h[kState].h : null;
    return host.responseRecord(st[P_STATUS], st[P_TEXT], h === null || handle !== null ? null : respList(st), st[B_BODY], st[P_TYPE], m === null ? '' : m.url, m !== null && m.redirected, st[P_CT], handle);
  }
  // responseFromGo builds a Response from a Go record (fetch, cache); its
  // headers stay in Go (handle) until a script lists them.
  function responseFromGo(status, statusText, handle, body, type, url, redirected) {
    const r = Object.create(Response.prototype);
    const h = newHeaders('immutable', null);
    h[kState].h = handle;
    r[kState] = [body, false, status, statusText, h, type, { url, redirected, immutable: true }, null];
    return r;
  }
  expose('Response', Response);

  // ---------------------------------------------------------------- URL / URLSearchParams
  const urlAPI = lazy(['URL', 'URLSearchParams'], () => {
    // Parsing and setters are the Go WHATWG URL parser's (internal/weburl);
    // a URL's state is its component record:
    // [href, origin, protocol, username, password, host, hostname, port, pathname, search, hash].
    const U_HREF = 0, U_ORIGIN = 1, U_PROTOCOL = 2, U_USERNAME = 3, U_PASSWORD = 4, U_HOST = 5, U_HOSTNAME = 6,
      U_PORT = 7, U_PATHNAME = 8, U_SEARCH = 9, U_HASH = 10;
    const kParams = Symbol('searchParams');
    function urlState(u) {
      const st = u !== null && typeof u === 'object' ? u[kState] : undefined;
      if (!Array.isArray(st) || st.length !== 11) throw new TypeError('Illegal invocation');
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

  // ---------------------------------------------------------------- URLPattern
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
    function patternState(p) {
      const st = p !== null && typeof p === 'object' ? p[kState] : undefined;
      if (!st || st.pattern === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    class URLPattern {
      constructor(input, baseURL, options) {
        if (baseURL !== undefined && baseURL !== null && typeof baseURL === 'object') { options = baseURL; baseURL = undefined; }
        const [isInit, value] = patternInput(input, 'constructor');
        const ignoreCase = !!(options && options.ignoreCase);
        this[kState] = { pattern: host.urlpatternNew(isInit, value, baseURL === undefined ? undefined : usv(baseURL), ignoreCase) };
      }
      test(input, baseURL) {
        const st = patternState(this);
        const [isInit, value] = patternInput(input, 'test');
        return host.urlpatternMatch(st.pattern, isInit, value, baseURL === undefined ? undefined : usv(baseURL), false);
      }
      exec(input, baseURL) {
        const st = patternState(this);
        const [isInit, value] = patternInput(input, 'exec');
        const json = host.urlpatternMatch(st.pattern, isInit, value, baseURL === undefined ? undefined : usv(baseURL), true);
        return json === null ? null : JSON.parse(json);
      }
      get hasRegExpGroups() { return host.urlpatternPart(patternState(this).pattern, 'hasRegExpGroups'); }
      get [Symbol.toStringTag]() { return 'URLPattern'; }
    }
    for (const part of ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash']) {
      Object.defineProperty(URLPattern.prototype, part, {
        get() { return host.urlpatternPart(patternState(this).pattern, part); }, configurable: true, enumerable: true,
      });
    }
    return { URLPattern };
  });

  // ---------------------------------------------------------------- fetch
  function fetch(input, init) {
    let req, flat;
    if (init === undefined && input instanceof Request) {
      // fetch(request), as in respondWith(fetch(event.request)): the copy
      // new Request(request) would make is never seen by the script, so
      // the request itself is sent, with the copy's effects: a used body
      // is a TypeError, and a body is used by sending it.
      const st = input[kState];
      if (st[B_USED]) return Promise.reject(new TypeError("Failed to execute 'fetch': Cannot construct a Request with a Request object that has already been used."));
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

  // ---------------------------------------------------------------- Cache Storage
  const cachesAPI = lazy(['Cache', 'CacheStorage', 'caches'], () => {
    // Backed by the Go cachestorage package; a Cache object holds the Go
    // cache's handle.
    function toRequest(input) {
      if (input instanceof Request) return input;
      return new Request(input);
    }
    function queryOptions(o) {
      if (o === undefined || o === null) return [false, false, false, undefined];
      return [!!o.ignoreSearch, !!o.ignoreMethod, !!o.ignoreVary, o.cacheName === undefined ? undefined : str(o.cacheName)];
    }
    function requestFromRecord(method, url, flat) {
      const r = Object.create(Request.prototype);
      const x = ['cors', 'same-origin', '', 'about:client', 'default', 'follow', '', '', false];
      r[kState] = [null, false, method, url, newHeaders('request', flat), x, 0, null];
      return r;
    }
    function cacheState(c) {
      const st = c !== null && typeof c === 'object' ? c[kState] : undefined;
      if (!st || st.cacheID === undefined) throw new TypeError('Illegal invocation');
      return st;
    }
    function async(fn) {
      return function (...args) {
        try { return fn.apply(this, args); } catch (e) { return Promise.reject(e); }
      };
    }
    class Cache {
      constructor(key) { if (key !== kState) illegal(); }
    }
    define(Cache.prototype, {
      match: async(function (request, options) {
        const st = cacheState(this);
        return host.cacheMatch(st.cacheID, exportRequest(toRequest(request)), queryOptions(options), responseFromGo, false);
      }),
      matchAll: async(function (request, options) {
        const st = cacheState(this);
        const rec = request === undefined ? null : exportRequest(toRequest(request));
        return host.cacheMatch(st.cacheID, rec, queryOptions(options), responseFromGo, true);
      }),
      add: async(function (request) {
        if (arguments.length === 0) throw new TypeError("Failed to execute 'add' on 'Cache': 1 argument required, but only 0 present.");
        return this.addAll([request]);
      }),
      addAll: async(function (requests) {
        const st = cacheState(this);
        if (requests === null || typeof requests !== 'object' || typeof requests[Symbol.iterator] !== 'function') throw new TypeError("Failed to execute 'addAll' on 'Cache': The provided value cannot be converted to a sequence.");
        const recs = [];
        for (const r of requests) {
          const req = toRequest(r);
          const u = req.url;
          if (!/^https?:/i.test(u) || req.method !== 'GET') throw new TypeError("Failed to execute 'addAll' on 'Cache': Request scheme '" + u.split(':')[0] + "' is unsupported or method is not GET");
          recs.push(exportRequest(req));
        }
        return host.cacheAddAll(st.cacheID, recs);
      }),
      put: async(function (request, response) {
        const st = cacheState(this);
        const req = toRequest(request);
        if (!(response instanceof Response)) throw new TypeError("Failed to execute 'put' on 'Cache': parameter 2 is not of type 'Response'.");
        const rs = rstate(response);
        if (rs[B_USED]) throw new TypeError("Failed to execute 'put' on 'Cache': Response body is already used");
        const reqRec = exportRequest(req);
        exportResponse(response);
        if (rs[B_BODY] !== null) rs[B_USED] = true;
        return host.cachePut(st.cacheID, reqRec);
      }),
      delete: async(function (request, options) {
        const st = cacheState(this);
        return host.cacheDelete(st.cacheID, exportRequest(toRequest(request)), queryOptions(options));
      }),
      keys: async(function (request, options) {
        const st = cacheState(this);
        const rec = request === undefined ? null : exportRequest(toRequest(request));
        return host.cacheKeys(st.cacheID, rec, queryOptions(options), requestFromRecord);
      }),
    });
    class CacheStorage {
      constructor(key) { if (key !== kState) illegal(); }
    }
    function makeCache(id) {
      const c = Object.create(Cache.prototype);
      c[kState] = { cacheID: id };
      return c;
    }
    define(CacheStorage.prototype, {
      open: async(function (name) { return host.cachesOpen(str(name), makeCache); }),
      has: async(function (name) { return host.cachesHas(str(name)); }),
      delete: async(function (name) { return host.cachesDelete(str(name)); }),
      keys: async(function () { return host.cachesKeys(); }),
      match: async(function (request, options) {
        return host.cachesMatch(exportRequest(toRequest(request)), queryOptions(options), responseFromGo);
      }),
    });
    const caches = new CacheStorage(kState);
    return { Cache, CacheStorage, caches };
  });

  // ---------------------------------------------------------------- AbortController / AbortSignal
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
    const ev = new Event('abort');
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

  // ---------------------------------------------------------------- TextEncoder / TextDecoder
  const encodingAPI = lazy(['TextEncoder', 'TextDecoder'], () => {
    class TextEncoder {
      get encoding() { return 'utf-8'; }
      encode(input = '') { return encodeUTF8(str(input)); }
      encodeInto(source, destination) {
        if (!(destination instanceof Uint8Array)) throw new TypeError("Failed to execute 'encodeInto' on 'TextEncoder': parameter 2 is not of type 'Uint8Array'.");
        return host.encodeInto(str(source), destination);
      }
    }
    const utf8Labels = new Set(['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']);
    class TextDecoder {
      constructor(label = 'utf-8', options) {
        const l = str(label).trim().toLowerCase();
        if (!utf8Labels.has(l)) throw new RangeError("Failed to construct 'TextDecoder': The encoding label provided ('" + label + "') is invalid or not supported by swhost (only UTF-8 is).");
        options = options || {};
        this[kState] = { fatal: !!options.fatal, ignoreBOM: !!options.ignoreBOM };
      }
      get encoding() { return 'utf-8'; }
      get fatal() { return this[kState].fatal; }
      get ignoreBOM() { return this[kState].ignoreBOM; }
      decode(input, options) {
        if (input === undefined || input === null) return '';
        const bytes = bufferBytes(input);
        if (bytes === null) throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
        return host.decodeUTF8(bytes, this[kState].fatal, this[kState].ignoreBOM);
      }
    }
    return { TextEncoder, TextDecoder };
  });

  // ---------------------------------------------------------------- crypto
  const cryptoAPI = lazy(['Crypto', 'crypto'], () => {
    const integerArrays = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
      typeof BigInt64Array === 'function' ? BigInt64Array : Int8Array, typeof BigUint64Array === 'function' ? BigUint64Array : Int8Array];
    class Crypto {
      constructor(key) { if (key !== kState) illegal(); }
      getRandomValues(array) {
        if (!ArrayBuffer.isView(array) || !integerArrays.some(c => array instanceof c)) {
          throw domErr('TypeMismatchError', "Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is not an integer array type.");
        }
        if (array.byteLength > 65536) throw domErr('QuotaExceededError', "Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (" + array.byteLength + ') exceeds the number of bytes of entropy available via this API (65536).');
        host.randomFill(bufferBytes(array));
        return array;
      }
      randomUUID() { return host.randomUUID(); }
      // No subtle: swhost has no Web Crypto yet. As in a browser's
      // non-secure context, Crypto has no subtle attribute at all, so
      // crypto.subtle is undefined and feature tests ('subtle' in crypto,
      // if (crypto.subtle)) see it missing.
    }
    const crypto = new Crypto(kState);
    return { Crypto, crypto };
  });

  // ---------------------------------------------------------------- structuredClone
  // Structured clone is Go's (internal/structuredclone, host.clone); so is
  // the crossing of MessagePorts to and from Go. A port's state: other (the
  // entangled port of this runtime) or link (the id of the Go channel end
  // it is entangled with), the queue of messages not yet dispatched, and
  // started/closed/detached.
  function transferArg(transfer) {
    if (transfer === undefined || transfer === null) return undefined;
    if (Array.isArray(transfer)) return transfer.length === 0 ? undefined : transfer;
    if (typeof transfer !== 'object') throw new TypeError("Failed to execute 'postMessage': The provided value is not of type 'StructuredSerializeOptions'.");
    const t = transfer.transfer;
    if (t === undefined) return undefined;
    if (t === null || typeof t !== 'object' || typeof t[Symbol.iterator] !== 'function') throw new TypeError("Failed to execute 'postMessage': The provided value cannot be converted to a sequence.");
    return Array.from(t);
  }
  function requireArgs(fn, name, message) {
    const f = host.requireArgs(fn, message);
    Object.defineProperty(f, 'name', { value: name });
    Object.defineProperty(f, 'length', { value: 1 });
    return f;
  }
  const messagingAPI = lazy(['structuredClone', 'MessageChannel', 'MessagePort'], () => {
    // Methods that must tell a missing argument from undefined are
    // wrapped by host.requireArgs instead of reading arguments.length: an
    // arguments object costs more than the rest of a message in sobek.
    const structuredClonePublic = requireArgs(function (value, options) {
      return host.clone(value, transferArg(options));
    }, 'structuredClone', "Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
    const links = new Map();
    function newState() { return { other: null, link: 0, started: false, closed: false, detached: false, draining: false, queue: [] }; }
    // MessageChannel / MessagePort
    class MessagePort extends EventTarget {
      constructor(key) {
        if (key !== kState) illegal();
        super();
        this[kState] = newState();
        this[kOnHandlerSet] = (type) => { if (type === 'message') this.start(); };
      }
      postMessage(message, transfer) {
        const st = this[kState];
        const list = transferArg(transfer);
        if (list !== undefined && list.includes(this)) throw domErr('DataCloneError', 'A MessagePort cannot transfer itself.');
        if (st.link !== 0) { host.portPost(st.link, message, list); return; }
        const target = st.other;
        let data, ports = [];
        if (list === undefined) data = host.clone(message, undefined);
        else {
          // Clone the message with the transfer list; the transferred
          // ports come back, as the receiver gets them, at the end.
          const both = host.clone([message, list], list);
          data = both[0];
          for (const p of both[1]) if (p instanceof MessagePort) ports.push(p);
        }
        if (st.closed || target === null) return;
        enqueue(target, data, ports);
      }
      start() {
        const st = this[kState];
        if (st.started || st.detached) return;
        st.started = true;
        if (st.queue.length > 0) scheduleDrain(this);
      }
      close() {
        const st = this[kState];
        if (st.closed) return;
        st.closed = true;
        if (st.link !== 0) { links.delete(st.link); host.portClose(st.link); st.link = 0; return; }
        const other = st.other;
        st.other = null;
        if (other) {
          other[kState].other = null;
          host.queueTask(() => dispatch(other, new Event('close'), true));
        }
      }
    }
    Object.defineProperty(MessagePort.prototype, 'postMessage', {
      value: requireArgs(MessagePort.prototype.postMessage, 'postMessage', "Failed to execute 'postMessage' on 'MessagePort': 1 argument required, but only 0 present."),
      writable: true, enumerable: true, configurable: true,
    });
    eventHandler(MessagePort.prototype, 'message');
    eventHandler(MessagePort.prototype, 'messageerror');
    eventHandler(MessagePort.prototype, 'close');
    const closeMark = {};
    // enqueue adds a message to a port's queue; a started port dispatches
    // each queued message as its own task.
    function enqueue(port, data, ports) {
      const st = port[kState];
      st.queue.push(data, ports);
      if (st.started && !st.draining) scheduleDrain(port);
    }
    function scheduleDrain(port) {
      const st = port[kState];
      st.draining = true;
      host.queueTask(() => drainOne(port));
    }
    function drainOne(port) {
      const st = port[kState];
      st.draining = false;
      if (st.queue.length === 0 || st.detached) return;
      const data = st.queue.shift(), ports = st.queue.shift();
      if (st.queue.length > 0) scheduleDrain(port);
      if (data === closeMark) { dispatch(port, new Event('close'), true); return; }
      if (st.closed) return;
      dispatch(port, portEvent(data, ports), true);
    }
    // portEvent is new MessageEvent('message', {data, ports}) without the
    // constructor's argument checks and init dictionary.
    function portEvent(data, ports) {
      return {
        __proto__: MessageEvent.prototype,
        [kState]: ['message', 0, null, host.now(), null, 0, data, null, ports.length === 0 ? noPorts : Object.freeze(ports), '', ''],
      };
    }
    class MessageChannel {
      constructor() {
        const a = new MessagePort(kState), b = new MessagePort(kState);
        a[kState].other = b; b[kState].other = a;
        this[kState] = { port1: a, port2: b };
      }
      get port1() { return this[kState].port1; }
      get port2() { return this[kState].port2; }
    }
    function newPort() { return new MessagePort(kState); }
    host.msgInit(kState, MessagePort.prototype, {
      // portIn makes a port entangled with the Go channel end link.
      portIn(link) {
        const p = newPort();
        p[kState].link = link;
        links.set(link, p);
        return p;
      },
      // portMessage delivers a message from Go; Go calls it in its own
      // task, so a started port with nothing queued dispatches at once.
      portMessage(link, data, ports) {
        const p = links.get(link);
        if (p === undefined) return;
        const st = p[kState];
        ports = ports === undefined ? [] : ports;
        if (st.started && st.queue.length === 0 && !st.closed) dispatch(p, portEvent(data, ports), true);
        else enqueue(p, data, ports);
      },
      // portClosed: the Go end closed.
      portClosed(link) {
        const p = links.get(link);
        if (p === undefined) return;
        links.delete(link);
        const st = p[kState];
        st.link = 0;
        if (st.started && st.queue.length === 0) dispatch(p, new Event('close'), true);
        else enqueue(p, closeMark, null);
      },
      // portDetach detaches a transferred port. Without link it returns a
      // new port of this runtime that takes over the entanglement and the
      // queue (a transfer within the runtime). With link (the port leaves
      // the runtime), a partner of this runtime becomes entangled with Go
      // link, and it returns [hasPartner, data, ports, ...]: the messages
      // the port had not dispatched.
      portDetach(port, link) {
        const st = port[kState];
        const queue = st.queue;
        st.queue = [];
        st.detached = true; st.closed = true;
        if (link === undefined) {
          const np = newPort();
          const ns = np[kState];
          ns.other = st.other; ns.link = st.link; ns.queue = queue;
          if (ns.other !== null) ns.other[kState].other = np;
          if (ns.link !== 0) links.set(ns.link, np);
          st.other = null; st.link = 0;
          return np;
        }
        const out = [false];
        if (st.link !== 0) {
          links.delete(st.link);
          st.link = 0;
        } else if (st.other !== null) {
          const o = st.other;
          o[kState].other = null;
          o[kState].link = link;
          links.set(link, o);
          st.other = null;
          out[0] = true;
        }
        for (let i = 0; i < queue.length; i += 2) {
          if (queue[i] === closeMark) continue;
          out.push(queue[i], queue[i + 1]);
        }
        return out;
      },
      // hostKind says what a platform object is for structured clone:
      // ['Blob', bytes, type], or its interface name (not serializable).
      hostKind(v) {
        if (blobAPI.loaded() && v instanceof blobAPI().Blob) { const b = v[kState]; return ['Blob', b.bytes, b.type]; }
        return (v.constructor && v.constructor.name) || 'Object';
      },
      makeBlob(buffer, type) {
        const B = blobAPI().Blob;
        const out = Object.create(B.prototype);
        out[kState] = { bytes: new Uint8Array(buffer), type };
        return out;
      },
    });
    return { structuredClone: structuredClonePublic, MessageChannel, MessagePort, transferArg };
  });

  // ---------------------------------------------------------------- console
  // Console output is written into a ConsoleOut of at most
  // host.consoleLimit() characters (Go caps the bytes again): a string is
  // cut, never copied whole, and a structure stops being walked once the
  // budget is spent, so formatting a huge value costs no more than the
  // limit. cut counts the characters left out; unknown is set when
  // formatting stopped before it could know how many.
  class ConsoleOut {
    constructor(max) { this.parts = []; this.len = 0; this.max = max; this.cut = 0; this.unknown = false; }
    get full() { return this.len >= this.max; }
    // put writes s[start, end) (all of s by default), as much as fits.
    put(s, start = 0, end = s.length) {
      let n = end - start;
      if (n <= 0) return;
      let room = this.max - this.len;
      if (n > room) {
        // Keep a surrogate pair whole.
        const c = room > 0 ? s.charCodeAt(start + room - 1) : 0;
        if (c >= 0xd800 && c <= 0xdbff) room--;
        this.cut += n - Math.max(room, 0);
        n = Math.max(room, 0);
        this.len = this.max;
      } else this.len += n;
      if (n > 0) this.parts.push(start === 0 && n === s.length ? s : s.slice(start, start + n));
    }
    text() { return this.parts.join(''); }
  }
  // quote writes a string nested in a structure as a JSON string literal.
  function quote(s, out) {
    const room = out.max - out.len;
    if (s.length > room) { s = s.slice(0, room); out.unknown = true; }
    out.put(JSON.stringify(s));
  }
  function inspect(v, depth, seen, out) {
    if (typeof v === 'string') {
      if (depth === 0) out.put(v); else quote(v, out);
      return;
    }
    if (out.full) { out.unknown = true; return; }
    if (v === null || typeof v !== 'object' && typeof v !== 'function') { out.put(typeof v === 'bigint' ? v + 'n' : String(v)); return; }
    if (typeof v === 'function') { out.put('[Function: '); out.put(v.name || '(anonymous)'); out.put(']'); return; }
    if (v instanceof Error) { out.put(v.stack || String(v)); return; }
    if (seen.includes(v)) { out.put('[Circular]'); return; }
    if (depth > 2) { out.put(Array.isArray(v) ? '[Array]' : '[Object]'); return; }
    seen = seen.concat([v]);
    // list writes the items of an iterable between open and close,
    // stopping once the output is full.
    const list = (open, items, each, close) => {
      out.put(open);
      let first = true;
      for (const x of items) {
        if (out.full) { out.unknown = true; return; }
        if (!first) out.put(', ');
        first = false;
        each(x);
      }
      out.put(close);
    };
    const item = x => inspect(x, depth + 1, seen, out);
    if (Array.isArray(v)) {
      out.put('[ ');
      for (let i = 0; i < v.length; i++) {
        if (out.full) { out.unknown = true; return; }
        if (i) out.put(', ');
        if (i in v) item(v[i]);
      }
      out.put(' ]');
      return;
    }
    if (v instanceof Map) { list('Map(' + v.size + ') { ', v, ([k, x]) => { item(k); out.put(' => '); item(x); }, ' }'); return; }
    if (v instanceof Set) { list('Set(' + v.size + ') { ', v, item, ' }'); return; }
    if (v instanceof Date) { out.put(v.toISOString()); return; }
    if (v instanceof Request || v instanceof Response) {
      out.put(v[Symbol.toStringTag] + ' { ' + (v instanceof Request ? v.method + ' ' : v.status + ' '));
      out.put(v.url);
      out.put(' }');
      return;
    }
    const ctor = v.constructor && v.constructor !== Object ? v.constructor.name + ' ' : '';
    const keys = Object.keys(v);
    if (keys.length === 0) { out.put(ctor + '{}'); return; }
    list(ctor + '{ ', keys, k => { out.put(k); out.put(': '); item(v[k]); }, ' }');
  }
  // format writes console arguments: a first string argument is a format
  // string (%s %d %i %f %o %O %j %c %%), the others follow after spaces.
  function format(args, out) {
    if (args.length === 0) return;
    const first = args[0];
    let i = 1;
    if (typeof first === 'string' && first.includes('%')) {
      const re = /%[sdifoOjc%]/g;
      let last = 0;
      let m;
      while ((m = re.exec(first)) !== null) {
        if (out.full) { out.unknown = true; return; }
        out.put(first, last, m.index);
        last = m.index + 2;
        const spec = m[0];
        if (spec === '%%') { out.put('%'); continue; }
        if (i >= args.length) { out.put(spec); continue; }
        const a = args[i++];
        switch (spec) {
          case '%s': if (typeof a === 'string') out.put(a); else inspect(a, 1, [], out); break;
          case '%d': case '%i': out.put(typeof a === 'object' ? 'NaN' : String(spec === '%i' ? parseInt(a) : Number(a))); break;
          case '%f': out.put(String(parseFloat(a))); break;
          case '%c': break;
          default: inspect(a, 1, [], out);
        }
      }
      out.put(first, last);
    } else inspect(first, 0, [], out);
    for (; i < args.length; i++) {
      out.put(' ');
      inspect(args[i], 0, [], out);
    }
  }
  // emit formats a console message from its parts (strings written as
  // they are, argument lists formatted, functions called with the output)
  // and hands it to Go, with the number of characters left out (-1:
  // unknown).
  function emit(level, ...parts) {
    const out = new ConsoleOut(host.consoleLimit());
    for (const p of parts) {
      if (typeof p === 'string') out.put(p);
      else if (typeof p === 'function') p(out);
      else format(p, out);
    }
    host.log(level, out.text(), out.unknown ? -1 : out.cut);
  }
  const counts = new Map();
  const timersByLabel = new Map();
  const ms = t => (host.now() - t).toFixed(3) + ' ms';
  const consoleObj = {
    log: (...a) => emit('log', a),
    info: (...a) => emit('info', a),
    debug: (...a) => emit('debug', a),
    warn: (...a) => emit('warn', a),
    error: (...a) => emit('error', a),
    trace: (...a) => emit('debug', 'Trace: ', a, '\n', new Error().stack.split('\n').slice(2).join('\n')),
    dir: (v) => emit('log', out => inspect(v, 0, [], out)),
    assert: (cond, ...a) => { if (!cond) { if (a.length) emit('error', 'Assertion failed: ', a); else emit('error', 'Assertion failed'); } },
    count: (label = 'default') => { const n = (counts.get(label) || 0) + 1; counts.set(label, n); emit('log', '' + label, ': ' + n); },
    countReset: (label = 'default') => { counts.delete(label); },
    time: (label = 'default') => { timersByLabel.set(label, host.now()); },
    timeLog: (label = 'default', ...a) => { const t = timersByLabel.get(label); if (t !== undefined) { if (a.length) emit('log', '' + label, ': ' + ms(t) + ' ', a); else emit('log', '' + label, ': ' + ms(t)); } },
    timeEnd: (label = 'default') => { const t = timersByLabel.get(label); if (t !== undefined) { timersByLabel.delete(label); emit('log', '' + label, ': ' + ms(t)); } },
    group: (...a) => { if (a.length) emit('log', a); },
    groupEnd: () => {},
    table: (v) => emit('log', out => inspect(v, 0, [], out)),
  };
  expose('console', consoleObj);

  // ---------------------------------------------------------------- location, registration, clients
  class WorkerLocation {
    constructor(key) { if (key !== kState) illegal(); }
    get href() { return host.urlPart('href'); }
    get origin() { return host.urlPart('origin'); }
    get protocol() { return host.urlPart('protocol'); }
    get host() { return host.urlPart('host'); }
    get hostname() { return host.urlPart('hostname'); }
    get port() { return host.urlPart('port'); }
    get pathname() { return host.urlPart('pathname'); }
    get search() { return host.urlPart('search'); }
    get hash() { return host.urlPart('hash'); }
    toString() { return host.urlPart('href'); }
  }
  const location = new WorkerLocation(kState);
  class WorkerNavigator {
    constructor(key) { if (key !== kState) illegal(); }
    get userAgent() { return 'swhost'; }
    get onLine() { return true; }
    get hardwareConcurrency() { return 1; }
    get language() { return 'en-US'; }
    get languages() { return ['en-US']; }
  }

  class ServiceWorkerRegistration extends EventTarget {
    constructor(key) { if (key !== kState) illegal(); super(); }
    get scope() { return host.registration('scope'); }
    get scopePattern() { return host.registration('scopePattern'); }
    get updateViaCache() { return host.registration('updateViaCache') || 'imports'; }
    get installing() { return null; }
    get waiting() { return null; }
    get active() { return null; }
    update() { return host.registrationUpdate(); }
    unregister() { return host.registrationUnregister(); }
  }
  const registration = new ServiceWorkerRegistration(kState);

  class Client {
    constructor(key) { if (key !== kState) illegal(); }
    get id() { return this[kState].id; }
    get url() { return this[kState].url; }
    get type() { return this[kState].type; }
    get frameType() { return this[kState].frameType; }
    postMessage(message, transfer) {
      host.clientPostMessage(this[kState].id, message, transferArg(transfer));
    }
  }
  Object.defineProperty(Client.prototype, 'postMessage', {
    value: requireArgs(Client.prototype.postMessage, 'postMessage', "Failed to execute 'postMessage' on 'Client': 1 argument required, but only 0 present."),
    writable: true, enumerable: true, configurable: true,
  });
  function clientFromGo(id, url, type, frameType) {
    const c = Object.create(Client.prototype);
    c[kState] = { id, url, type, frameType };
    return c;
  }
  class Clients {
    constructor(key) { if (key !== kState) illegal(); }
    get(id) { return host.clientsGet(str(id), clientFromGo); }
    matchAll(options) {
      options = options || {};
      const type = options.type === undefined ? 'window' : str(options.type);
      if (!['window', 'worker', 'sharedworker', 'all'].includes(type)) return Promise.reject(new TypeError("Failed to execute 'matchAll' on 'Clients': The provided value '" + type + "' is not a valid enum value of type ClientType."));
      return host.clientsMatchAll(!!options.includeUncontrolled, type, clientFromGo);
    }
    claim() { return host.clientsClaim(); }
    openWindow() { return Promise.reject(domErr('NotSupportedError', 'clients.openWindow() is not supported by swhost')); }
  }
  const clients = new Clients(kState);

  class CrossOriginServiceWorkerClients {
    constructor(key) { if (key !== kState) illegal(); }
    getAll(options) {
      const targetUrl = options && options.targetUrl !== undefined ? str(options.targetUrl) : '';
      return host.crossOriginClients(targetUrl, makeCrossOriginClient);
    }
  }
  const crossOriginClients = new CrossOriginServiceWorkerClients(kState);

  // ---------------------------------------------------------------- the global scope
  class WorkerGlobalScope extends EventTarget {
    constructor(key) { if (key !== kState) illegal(); super(); }
  }
  class ServiceWorkerGlobalScope extends WorkerGlobalScope {
    get oninstall() { return getHandler(this, 'install'); }
    set oninstall(f) { setHandler(this, 'install', f); }
    get onactivate() { return getHandler(this, 'activate'); }
    set onactivate(f) { setHandler(this, 'activate', f); }
    get onfetch() { return getHandler(this, 'fetch'); }
    set onfetch(f) { setHandler(this, 'fetch', f); }
    get onforeignfetch() { return getHandler(this, 'foreignfetch'); }
    set onforeignfetch(f) { setHandler(this, 'foreignfetch', f); }
    get onmessage() { return getHandler(this, 'message'); }
    set onmessage(f) { setHandler(this, 'message', f); }
    get onmessageerror() { return getHandler(this, 'messageerror'); }
    set onmessageerror(f) { setHandler(this, 'messageerror', f); }
    get oncrossoriginconnect() { return getHandler(this, 'crossoriginconnect'); }
    set oncrossoriginconnect(f) { setHandler(this, 'crossoriginconnect', f); }
    get oncrossoriginmessage() { return getHandler(this, 'crossoriginmessage'); }
    set oncrossoriginmessage(f) { setHandler(this, 'crossoriginmessage', f); }
    get onerror() { return getHandler(this, 'error'); }
    set onerror(f) { setHandler(this, 'error', f); }
    get onunhandledrejection() { return getHandler(this, 'unhandledrejection'); }
    set onunhandledrejection(f) { setHandler(this, 'unhandledrejection', f); }
    get onrejectionhandled() { return getHandler(this, 'rejectionhandled'); }
    set onrejectionhandled(f) { setHandler(this, 'rejectionhandled', f); }
  }
  const globalProto = Object.create(ServiceWorkerGlobalScope.prototype);
  Object.setPrototypeOf(global, ServiceWorkerGlobalScope.prototype);
  const globalListeners = new Map();
  Object.defineProperty(global, kListeners, { value: globalListeners });
  Object.defineProperty(global, kOnHandlerSet, { value: (type) => host.handlerAdded(type) });
  void globalProto;
  const lateListenerTypes = { __proto__: null, install: true, activate: true, fetch: true, foreignfetch: true, message: true, crossoriginconnect: true, crossoriginmessage: true };
  // scriptState.evaluated turns true when the script's top-level
  // evaluation has ended: Go sets it (a property write from Go costs a
  // start less than a native call from every addEventListener).
  // scriptState.messagesBegun counts the crossoriginmessage calls that
  // got past their first step. Go reads it only when a call was
  // interrupted, to tell a message whose dispatch began (it counts as
  // dispatched) from one that never started (the caller gives it to the
  // next instance).
  const scriptState = { __proto__: null, evaluated: false, messagesBegun: 0 };
  define(ServiceWorkerGlobalScope.prototype, {
    addEventListener(type, callback, options) {
      const target = this === undefined || this === null ? global : this;
      if (typeof type !== 'string') type = str(type);
      if (target === global && scriptState.evaluated && lateListenerTypes[type] === true) host.warnLateListener(type);
      // The first listener of a type on the global scope, with no
      // options, is most of what worker scripts add while they start:
      // that case skips addListener's checks (sobek charges about 0.4 us
      // a call) and keeps the bare function until its record is needed
      // (listenerRecords: two objects fewer a listener, 1-1.5 us each).
      if (target === global && options === undefined && typeof callback === 'function' && globalListeners.get(type) === undefined) {
        globalListeners.set(type, callback);
        if (soleSlots[type] !== undefined) setSole(type, callback);
        return;
      }
      addListener(target, type, callback, options);
    },
    skipWaiting() { return host.skipWaiting(); },
  });
  Object.defineProperty(host.globalSelf, 'name', { value: 'get self' });
  for (const [n, get] of Object.entries({
    self: host.globalSelf, globalThis: () => global, location: () => location, navigator: () => navigatorObj,
    registration: () => registration, clients: () => clients, crossOriginClients: () => crossOriginClients,
    origin: () => host.urlPart('origin'), isSecureContext: () => host.isSecureContext(),
    serviceWorker: () => null,
  })) {
    if (n === 'globalThis') continue;
    Object.defineProperty(global, n, { get, configurable: true, enumerable: true });
  }
  const navigatorObj = new WorkerNavigator(kState);
  expose('WorkerGlobalScope', WorkerGlobalScope);
  expose('ServiceWorkerGlobalScope', ServiceWorkerGlobalScope);
  expose('WorkerLocation', WorkerLocation);
  expose('WorkerNavigator', WorkerNavigator);
  expose('ServiceWorkerRegistration', ServiceWorkerRegistration);
  expose('Client', Client);
  expose('Clients', Clients);
  expose('CrossOriginServiceWorkerClients', CrossOriginServiceWorkerClients);
  expose('importScripts', function importScripts(...urls) {
    const resolved = urls.map(u => {
      const href = host.parseURL(str(u), location.href);
      if (href === null) throw new DOMException("Failed to execute 'importScripts': The URL '" + str(u) + "' is invalid.", 'SyntaxError');
      return href;
    });
    for (const u of resolved) host.importScript(u);
  });
  expose('setTimeout', host.setTimeout);
  expose('setInterval', host.setInterval);
  expose('clearTimeout', host.clearTimer);
  expose('clearInterval', host.clearTimer);
  expose('queueMicrotask', function queueMicrotask(cb) {
    if (typeof cb !== 'function') throw new TypeError("Failed to execute 'queueMicrotask': parameter 1 is not of type 'Function'.");
    Promise.resolve().then(() => { try { cb(); } catch (e) { reportException(e); } });
  });
  expose('atob', host.atob);
  expose('btoa', host.btoa);
  expose('reportError', (e) => reportException(e));

  // ---------------------------------------------------------------- dispatch entry points for Go
  // Listener exceptions of events from Go reach Go through
  // host.listenerError(token, e) (see dispatch); results come back either
  // as return values (the synchronous fast path) or through host.done.
  function fire(ev) { return dispatch(global, ev, true); }
  function newEvent(proto, type, token) {
    const ev = Object.create(proto);
    ev[kState] = [type, 0, null, 0, null, token];
    return ev;
  }
  // Events from Go reach a global scope that has one plain function
  // listener for their type (most workers: the seed's echo service, most
  // fetch handlers) without the generic dispatch, which costs sobek about
  // 6 us and 900 bytes an event: the entry points call that listener,
  // kept in its soleSlots property by refreshSole, as a method of the
  // global scope themselves, so that no helper frame sits under the
  // listener (sobek regrows its VM stack for every event; one frame fewer
  // keeps it a size smaller: a kilobyte a message) and nothing is looked
  // up but the slot. soleListener returns undefined, and the caller uses
  // dispatch, for anything else or a frozen global scope. The caller makes
  // the event's state F_DISPATCH | F_TRUSTED with the global scope as its
  // target, and clears F_DISPATCH after.
  function refreshSole(type, list) {
    setSole(type, list.length === 1 && !list[0].once && typeof list[0].callback === 'function' ? list[0].callback : undefined);
  }
  function setSole(type, cb) {
    const slot = soleSlots[type];
    if (slot === undefined || !globalCallee) return;
    try {
      global[slot] = cb;
    } catch (e) {
      globalCallee = false; // a frozen global scope: the slots are stale
    }
  }
  function soleListener(slot) { return globalCallee ? global[slot] : undefined; }
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
        rec = exportResponse(v);
      } catch (e) {
        host.done(token, undefined, e);
        return;
      }
      host.done(token, rec);
    }, e => host.done(token, undefined, e));
  }
  const internals = {
    // configure passes the worker's limits once the runtime is bound.
    configure(maxBody) { bodyLimit = maxBody; },
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
    // crossoriginconnect: host.done(token, accepted, failure).
    crossoriginconnect(token, id, origin, targetUrl, options) {
      const ev = newEvent(CrossOriginConnectEvent.prototype, 'crossoriginconnect', token);
      const st = ev[kState];
      st[E_CLIENT] = makeCrossOriginClient(id, origin, targetUrl, options);
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
    scriptState,
    // loadMessaging loads the MessagePort API (its init calls host.msgInit).
    loadMessaging() { messagingAPI(); },
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
  return internals;
})
