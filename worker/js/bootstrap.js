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
  for (const [n, c] of Object.entries(legacyCodes)) {
    const constName = n.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase().replace(/_ERROR$/, '_ERR');
    Object.defineProperty(DOMException, constName, { value: c, enumerable: true });
  }
  const domErr = (name, msg) => new DOMException(msg, name);
  expose('DOMException', DOMException);
  host.setErrorFactory((name, msg) => name === 'TypeError' ? new TypeError(msg) : name === 'RangeError' ? new RangeError(msg) : name === 'SyntaxError' && msg.startsWith('JS:') ? new SyntaxError(msg.slice(3)) : domErr(name, msg));

  // ---------------------------------------------------------------- Event / EventTarget
  class Event {
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required");
      init = init || {};
      this[kState] = {
        type: str(type), bubbles: !!init.bubbles, cancelable: !!init.cancelable, composed: !!init.composed,
        defaultPrevented: false, stop: false, stopImmediate: false, target: null, currentTarget: null,
        phase: 0, dispatching: false, timeStamp: host.now(), trusted: false,
      };
    }
    get type() { return this[kState].type; }
    get target() { return this[kState].target; }
    get srcElement() { return this[kState].target; }
    get currentTarget() { return this[kState].currentTarget; }
    get eventPhase() { return this[kState].phase; }
    get bubbles() { return this[kState].bubbles; }
    get cancelable() { return this[kState].cancelable; }
    get composed() { return this[kState].composed; }
    get defaultPrevented() { return this[kState].defaultPrevented; }
    get returnValue() { return !this[kState].defaultPrevented; }
    get timeStamp() { return this[kState].timeStamp; }
    get isTrusted() { return this[kState].trusted; }
    get cancelBubble() { return this[kState].stop; }
    set cancelBubble(v) { if (v) this[kState].stop = true; }
    composedPath() { return this[kState].currentTarget ? [this[kState].currentTarget] : []; }
    preventDefault() { if (this[kState].cancelable) this[kState].defaultPrevented = true; }
    stopPropagation() { this[kState].stop = true; }
    stopImmediatePropagation() { this[kState].stop = true; this[kState].stopImmediate = true; }
  }
  define(Event, { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 });

  // reportException reports an exception thrown by a listener: console,
  // host log, and the error event, as a browser does.
  function reportException(err) {
    host.reportException(err);
  }

  class EventTarget {
    constructor() { this[kListeners] = new Map(); }
    addEventListener(type, callback, options) {
      if (callback === null || callback === undefined) return;
      if (typeof callback !== 'function' && (typeof callback !== 'object')) throw new TypeError("Failed to execute 'addEventListener': parameter 2 is not of type 'EventListener'");
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const once = !!(options && typeof options === 'object' && options.once);
      const signal = options && typeof options === 'object' ? options.signal : undefined;
      if (signal && signal.aborted) return;
      const map = listenersOf(this);
      type = str(type);
      let list = map.get(type);
      if (!list) { list = []; map.set(type, list); }
      for (const l of list) if (l.callback === callback && l.capture === capture) return;
      const entry = { callback, capture, once, removed: false };
      list.push(entry);
      if (signal) signal.addEventListener('abort', () => this.removeEventListener(type, callback, { capture }));
    }
    removeEventListener(type, callback, options) {
      const capture = typeof options === 'boolean' ? options : !!(options && options.capture);
      const list = listenersOf(this).get(str(type));
      if (!list) return;
      const i = list.findIndex(l => l.callback === callback && l.capture === capture);
      if (i >= 0) { list[i].removed = true; list.splice(i, 1); }
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) throw new TypeError("Failed to execute 'dispatchEvent': parameter 1 is not of type 'Event'");
      const st = event[kState];
      if (st.dispatching) throw domErr('InvalidStateError', 'The event is already being dispatched.');
      return dispatch(this, event, false);
    }
  }
  function listenersOf(t) {
    let m = t[kListeners];
    if (!m) { m = new Map(); Object.defineProperty(t, kListeners, { value: m }); }
    return m;
  }
  // dispatch runs the target's listeners for event in registration order.
  // Exceptions are reported and do not stop the other listeners.
  function dispatch(target, event, trusted) {
    const st = event[kState];
    st.dispatching = true; st.trusted = trusted; st.target = target; st.currentTarget = target; st.phase = 2;
    const list = listenersOf(target).get(st.type);
    if (list && list.length) {
      for (const l of list.slice()) {
        if (l.removed) continue;
        if (l.once) target.removeEventListener(st.type, l.callback, { capture: l.capture });
        try {
          if (typeof l.callback === 'function') l.callback.call(target, event);
          else if (l.callback && typeof l.callback.handleEvent === 'function') l.callback.handleEvent(event);
        } catch (e) {
          reportException(e);
          if (st.onException) st.onException(e);
        }
        if (st.stopImmediate) break;
      }
    }
    st.dispatching = false; st.currentTarget = null; st.phase = 0;
    return !st.defaultPrevented;
  }
  // eventHandler defines an on<type> attribute on proto.
  function eventHandler(proto, type) {
    const key = Symbol('on' + type);
    Object.defineProperty(proto, 'on' + type, {
      configurable: true, enumerable: true,
      get() { const h = this[key]; return h ? h.fn : null; },
      set(fn) {
        const h = this[key];
        if (typeof fn !== 'function' && (typeof fn !== 'object' || fn === null)) fn = null;
        if (h) { h.fn = fn; return; }
        if (fn === null) return;
        const holder = { fn };
        Object.defineProperty(this, key, { value: holder, configurable: true });
        this.addEventListener(type, function (ev) {
          const f = holder.fn;
          if (typeof f === 'function') return f.call(this, ev);
        });
        if (this[kOnHandlerSet]) this[kOnHandlerSet](type);
      },
    });
  }
  const kOnHandlerSet = Symbol('onHandlerSet');
  expose('Event', Event);
  expose('EventTarget', EventTarget);

  // ---------------------------------------------------------------- Extendable events
  class ExtendableEvent extends Event {
    constructor(type, init) {
      super(type, init);
      this[kState].extend = [];
      this[kState].pending = 0;
      this[kState].active = false;
    }
    waitUntil(promise) {
      const st = this[kState];
      if (!st.trusted) throw domErr('InvalidStateError', 'waitUntil() called on an event that was not dispatched by the user agent.');
      if (!st.dispatching && st.pending === 0) throw domErr('InvalidStateError', 'waitUntil() called after the event handler finished and no lifetime promises are pending.');
      addLifetime(st, promise);
    }
  }
  function addLifetime(st, promise) {
    st.pending++;
    host.extend(1);
    const p = Promise.resolve(promise).finally(() => {
      // Keep the event active until microtasks queued by the settlement ran.
      Promise.resolve().then(() => { st.pending--; host.extend(-1); });
    });
    st.extend.push(p);
  }
  class InstallEvent extends ExtendableEvent {
    registerForeignFetch(options) {
      const st = this[kState];
      if (!st.trusted || !(st.dispatching || st.pending > 0) || !st.installing) {
        throw domErr('InvalidStateError', 'registerForeignFetch() must be called during the install event.');
      }
      if (options === null || typeof options !== 'object') throw new TypeError("registerForeignFetch: options must be an object with 'scopes' and 'origins'");
      const seq = (v, what) => {
        if (v === undefined || v === null || typeof v[Symbol.iterator] !== 'function' || typeof v === 'string') {
          throw new TypeError("registerForeignFetch: '" + what + "' must be a sequence of strings");
        }
        return Array.from(v, str);
      };
      const scopes = seq(options.scopes, 'scopes');
      const origins = seq(options.origins, 'origins');
      host.registerForeignFetch(scopes, origins);
    }
  }
  class FetchEvent extends ExtendableEvent {
    constructor(type, init) {
      if (!init || !(init.request instanceof Request)) throw new TypeError("Failed to construct 'FetchEvent': required member request is undefined.");
      super(type, init);
      const st = this[kState];
      st.request = init.request;
      st.clientId = init.clientId === undefined ? '' : str(init.clientId);
      st.resultingClientId = init.resultingClientId === undefined ? '' : str(init.resultingClientId);
      st.replacesClientId = init.replacesClientId === undefined ? '' : str(init.replacesClientId);
      st.handled = Promise.resolve(undefined);
      st.respondWithCalled = false;
    }
    get request() { return this[kState].request; }
    get clientId() { return this[kState].clientId; }
    get resultingClientId() { return this[kState].resultingClientId; }
    get replacesClientId() { return this[kState].replacesClientId; }
    get preloadResponse() { return Promise.resolve(undefined); }
    get handled() { return this[kState].handled; }
    respondWith(r) {
      const st = this[kState];
      if (!st.dispatching) throw domErr('InvalidStateError', 'respondWith() must be called synchronously while the fetch event is being dispatched.');
      if (st.respondWithCalled) throw domErr('InvalidStateError', 'respondWith() was already called for this event.');
      st.respondWithCalled = true;
      st.stop = true; st.stopImmediate = true;
      st.response = r;
      if (!(r instanceof Response)) addLifetime(st, r);
    }
  }
  class ForeignFetchEvent extends ExtendableEvent {
    constructor(type, init) {
      if (!init || !(init.request instanceof Request)) throw new TypeError("Failed to construct 'ForeignFetchEvent': required member request is undefined.");
      super(type, init);
      const st = this[kState];
      st.request = init.request;
      st.origin = init.origin === undefined ? 'null' : str(init.origin);
      st.respondWithCalled = false;
    }
    get request() { return this[kState].request; }
    get origin() { return this[kState].origin; }
    respondWith(r) {
      const st = this[kState];
      if (!st.dispatching) throw domErr('InvalidStateError', 'respondWith() must be called synchronously while the foreignfetch event is being dispatched.');
      if (st.respondWithCalled) throw domErr('InvalidStateError', 'respondWith() was already called for this event.');
      st.respondWithCalled = true;
      st.stop = true; st.stopImmediate = true;
      st.response = r;
      addLifetime(st, r);
    }
  }
  class ExtendableMessageEvent extends ExtendableEvent {
    constructor(type, init) {
      super(type, init);
      init = init || {};
      const st = this[kState];
      st.data = init.data === undefined ? null : init.data;
      st.origin = init.origin === undefined ? '' : str(init.origin);
      st.lastEventId = init.lastEventId === undefined ? '' : str(init.lastEventId);
      st.source = init.source === undefined ? null : init.source;
      st.ports = Object.freeze(init.ports ? Array.from(init.ports) : []);
    }
    get data() { return this[kState].data; }
    get origin() { return this[kState].origin; }
    get lastEventId() { return this[kState].lastEventId; }
    get source() { return this[kState].source; }
    get ports() { return this[kState].ports; }
  }
  class MessageEvent extends Event {
    constructor(type, init) {
      super(type, init);
      init = init || {};
      const st = this[kState];
      st.data = init.data === undefined ? null : init.data;
      st.origin = init.origin === undefined ? '' : str(init.origin);
      st.lastEventId = init.lastEventId === undefined ? '' : str(init.lastEventId);
      st.source = init.source === undefined ? null : init.source;
      st.ports = Object.freeze(init.ports ? Array.from(init.ports) : []);
    }
    get data() { return this[kState].data; }
    get origin() { return this[kState].origin; }
    get lastEventId() { return this[kState].lastEventId; }
    get source() { return this[kState].source; }
    get ports() { return this[kState].ports; }
  }
  // CrossOriginServiceWorkerClient is the seed's view of a connecting client.
  class CrossOriginServiceWorkerClient {
    constructor() { illegal(); }
    get origin() { return this[kState].origin; }
    get targetUrl() { return this[kState].targetUrl; }
    get options() { return this[kState].options; }
    get id() { return this[kState].id; }
    postMessage(message, transfer) {
      const st = this[kState];
      if (arguments.length === 0) throw new TypeError("Failed to execute 'postMessage': 1 argument required");
      const opts = Array.isArray(transfer) ? { transfer } : (transfer || {});
      const data = structuredClone(message, opts);
      host.crossOriginPostMessage(st.id, data, (opts.transfer || []).filter(p => p instanceof MessagePort));
    }
  }
  function makeCrossOriginClient(id, origin, targetUrl, options) {
    const c = Object.create(CrossOriginServiceWorkerClient.prototype);
    c[kState] = { id, origin, targetUrl, options: options === undefined ? null : options };
    return c;
  }
  class CrossOriginConnectEvent extends ExtendableEvent {
    constructor(type, init) {
      super(type, init);
      this[kState].client = init && init.client !== undefined ? init.client : null;
      this[kState].accepted = undefined;
    }
    get client() { return this[kState].client; }
    acceptConnection(shouldAccept) {
      const st = this[kState];
      if (!st.trusted) throw domErr('InvalidStateError', 'acceptConnection() called on an event that was not dispatched by the user agent.');
      if (st.acceptCalled) throw domErr('InvalidStateError', 'acceptConnection() was already called for this event.');
      if (!st.dispatching) throw domErr('InvalidStateError', 'acceptConnection() must be called while the crossoriginconnect event is being dispatched.');
      st.acceptCalled = true;
      st.accept = Promise.resolve(shouldAccept);
      addLifetime(st, st.accept);
    }
  }
  class CrossOriginMessageEvent extends MessageEvent {}

  for (const [n, c] of Object.entries({
    ExtendableEvent, InstallEvent, FetchEvent, ForeignFetchEvent, ExtendableMessageEvent, MessageEvent,
    CrossOriginConnectEvent, CrossOriginMessageEvent, CrossOriginServiceWorkerClient,
  })) expose(n, c);

  // ---------------------------------------------------------------- Headers
  const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
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
  const privilegedNoCORS = new Set(['range']);
  function normalizeValue(v) { return str(v).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, ''); }
  function validateHeader(name, value) {
    if (!tokenRe.test(name)) throw new TypeError("Invalid header name: '" + name + "'");
    if (/[\0\r\n]/.test(value)) throw new TypeError("Invalid header value for '" + name + "'");
  }

  class Headers {
    constructor(init) {
      this[kState] = { list: [], guard: 'none', lazy: null };
      if (init !== undefined && init !== null) fillHeaders(this, init);
    }
    append(name, value) { headersAppend(this, str(name), normalizeValue(value)); }
    delete(name) {
      const st = hstate(this);
      name = str(name);
      if (!tokenRe.test(name)) throw new TypeError("Invalid header name: '" + name + "'");
      const lname = name.toLowerCase();
      if (guardForbids(st, lname, '')) return;
      if (st.guard === 'request-no-cors' && !noCORSSafelistedNames.has(lname) && !privilegedNoCORS.has(lname)) return;
      st.list = st.list.filter(([n]) => n !== lname);
      if (st.guard === 'request-no-cors') removePrivilegedNoCORS(st);
    }
    get(name) {
      const st = hstate(this);
      name = str(name);
      if (!tokenRe.test(name)) throw new TypeError("Invalid header name: '" + name + "'");
      const lname = name.toLowerCase();
      let out = null;
      for (const [n, v] of st.list) if (n === lname) out = out === null ? v : out + ', ' + v;
      return out;
    }
    getSetCookie() {
      return hstate(this).list.filter(([n]) => n === 'set-cookie').map(([, v]) => v);
    }
    has(name) {
      name = str(name);
      if (!tokenRe.test(name)) throw new TypeError("Invalid header name: '" + name + "'");
      const lname = name.toLowerCase();
      return hstate(this).list.some(([n]) => n === lname);
    }
    set(name, value) {
      const st = hstate(this);
      name = str(name); value = normalizeValue(value);
      validateHeader(name, value);
      const lname = name.toLowerCase();
      if (guardForbids(st, lname, value)) return;
      if (st.guard === 'request-no-cors' && !isCORSSafelistedRequestHeader(lname, value)) return;
      const i = st.list.findIndex(([n]) => n === lname);
      if (i < 0) st.list.push([lname, value]);
      else {
        st.list[i] = [lname, value];
        st.list = st.list.filter(([n], j) => j <= i || n !== lname);
      }
      if (st.guard === 'request-no-cors') removePrivilegedNoCORS(st);
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
  function hstate(h) {
    const st = h[kState];
    if (!st || !st.list) throw new TypeError('Illegal invocation');
    if (st.lazy !== null) { const l = st.lazy; st.lazy = null; st.list = host.requestHeaders(l); }
    return st;
  }
  function guardForbids(st, lname, value) {
    if (st.guard === 'immutable') throw new TypeError('Headers are immutable');
    if (st.guard === 'request' && isForbiddenRequestHeader(lname, value)) return true;
    if (st.guard === 'response' && (lname === 'set-cookie' || lname === 'set-cookie2')) return true;
    return false;
  }
  function removePrivilegedNoCORS(st) { st.list = st.list.filter(([n]) => !privilegedNoCORS.has(n)); }
  function headersAppend(h, name, value) {
    const st = hstate(h);
    validateHeader(name, value);
    const lname = name.toLowerCase();
    if (guardForbids(st, lname, value)) return;
    if (st.guard === 'request-no-cors') {
      let combined = value;
      for (const [n, v] of st.list) if (n === lname) combined = v + ', ' + value;
      if (!isCORSSafelistedRequestHeader(lname, combined)) return;
    }
    st.list.push([lname, value]);
    if (st.guard === 'request-no-cors') removePrivilegedNoCORS(st);
  }
  function fillHeaders(h, init) {
    if (typeof init !== 'object' && typeof init !== 'function') throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
    if (init instanceof Headers) {
      for (const [n, v] of hstate(init).list) headersAppend(h, n, v);
      return;
    }
    if (typeof init[Symbol.iterator] === 'function') {
      for (const pair of init) {
        if (pair === null || typeof pair !== 'object' || typeof pair[Symbol.iterator] !== 'function') throw new TypeError("Failed to construct 'Headers': The provided value cannot be converted to a sequence.");
        const p = Array.from(pair);
        if (p.length !== 2) throw new TypeError("Failed to construct 'Headers': Invalid value: a header pair must have exactly two items.");
        headersAppend(h, str(p[0]), normalizeValue(p[1]));
      }
      return;
    }
    for (const k of Reflect.ownKeys(init)) {
      const d = Reflect.getOwnPropertyDescriptor(init, k);
      if (!d || !d.enumerable) continue;
      if (typeof k === 'symbol') throw new TypeError('Header name must not be a Symbol');
      headersAppend(h, k, normalizeValue(init[k]));
    }
  }
  function* sortedCombined(h) {
    const list = hstate(h).list;
    const names = [...new Set(list.map(([n]) => n))].sort();
    for (const n of names) {
      if (n === 'set-cookie') { for (const [m, v] of list) if (m === n) yield [n, v]; continue; }
      let out = null;
      for (const [m, v] of list) if (m === n) out = out === null ? v : out + ', ' + v;
      yield [n, out];
    }
  }
  function newHeaders(guard, list) {
    const h = Object.create(Headers.prototype);
    h[kState] = { list: list || [], guard, lazy: null };
    return h;
  }
  expose('Headers', Headers);

  // ---------------------------------------------------------------- bytes helpers
  function toBytes(v) {
    if (v instanceof ArrayBuffer) return new Uint8Array(v.slice(0));
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    return null;
  }
  function encodeUTF8(s) { return new Uint8Array(host.encodeUTF8(s)); }
  function decodeUTF8(bytes) { return host.decodeUTF8(bytes, false, false); }

  // ---------------------------------------------------------------- Blob
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
  expose('Blob', Blob);

  // ---------------------------------------------------------------- Body mixin
  // A body is null, a string (not yet encoded) or a Uint8Array.
  function extractBody(init) {
    if (init === null || init === undefined) return { body: null, type: null };
    if (typeof init === 'string') return { body: init, type: 'text/plain;charset=UTF-8' };
    if (init instanceof ArrayBuffer || ArrayBuffer.isView(init)) return { body: toBytes(init), type: null };
    if (init instanceof Blob) return { body: init[kState].bytes.slice(), type: init.type || null };
    if (init instanceof URLSearchParams) return { body: init.toString(), type: 'application/x-www-form-urlencoded;charset=UTF-8' };
    if (typeof init === 'object' && typeof init.getReader === 'function') throw new TypeError('ReadableStream bodies are not supported by swhost');
    return { body: str(init), type: 'text/plain;charset=UTF-8' };
  }
  function consume(obj) {
    const st = obj[kState];
    if (st.bodyUsed) return Promise.reject(new TypeError('Body has already been consumed.'));
    st.bodyUsed = true;
    return Promise.resolve(st.body);
  }
  const bodyMixin = {
    get bodyUsed() { return this[kState].bodyUsed; },
    text() { return consume(this).then(b => b === null ? '' : typeof b === 'string' ? b : decodeUTF8(b)); },
    json() { return this.text().then(t => JSON.parse(t)); },
    arrayBuffer() { return consume(this).then(b => bodyBytes(b).buffer); },
    bytes() { return consume(this).then(b => bodyBytes(b)); },
    blob() {
      const type = this.headers.get('content-type') || '';
      return consume(this).then(b => {
        const out = Object.create(Blob.prototype);
        out[kState] = { bytes: bodyBytes(b), type: /[^\x20-\x7e]/.test(type) ? '' : type.toLowerCase() };
        return out;
      });
    },
    formData() { return Promise.reject(domErr('NotSupportedError', 'formData() is not supported by swhost')); },
  };
  function bodyBytes(b) { return b === null ? new Uint8Array(0) : typeof b === 'string' ? encodeUTF8(b) : b.slice(); }
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

  class Request {
    constructor(input, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.");
      init = init === undefined || init === null ? {} : init;
      if (typeof init !== 'object') throw new TypeError("Failed to construct 'Request': The provided value is not of type 'RequestInit'.");
      let src;
      if (input instanceof Request) {
        src = reqState(input);
      } else {
        const href = host.parseURL(str(input), location.href);
        if (href === null) throw new TypeError("Failed to construct 'Request': Invalid URL '" + str(input) + "'");
        if (/^[a-z][a-z0-9+.\-]*:\/\/[^/?#]*@/i.test(href)) throw new TypeError("Failed to construct 'Request': Request cannot be constructed from a URL that includes credentials: " + href);
        src = null;
      }
      const st = {
        method: src ? src.method : 'GET',
        url: src ? src.url : host.parseURL(str(input), location.href).replace(/#.*$/, ''),
        mode: src ? src.mode : 'cors',
        credentials: src ? src.credentials : 'same-origin',
        cache: src ? src.cache : 'default',
        redirect: src ? src.redirect : 'follow',
        referrer: src ? src.referrer : 'about:client',
        referrerPolicy: src ? src.referrerPolicy : '',
        integrity: src ? src.integrity : '',
        keepalive: src ? src.keepalive : false,
        destination: src ? src.destination : '',
        duplex: 'half',
        signal: null,
        headers: null,
        body: src ? src.body : null,
        bodyUsed: false,
        handle: src ? src.handle : 0,
      };
      const initKeys = Object.keys(init).length > 0;
      if (initKeys && st.mode === 'navigate') st.mode = 'same-origin';
      if (init.referrer !== undefined) {
        const r = str(init.referrer);
        if (r === '') st.referrer = '';
        else {
          const parsed = host.parseURL(r, location.href);
          if (parsed === null) throw new TypeError("Failed to construct 'Request': Invalid referrer URL '" + r + "'");
          st.referrer = parsed;
        }
      }
      if (init.referrerPolicy !== undefined) st.referrerPolicy = enumOf(referrerPolicies, init.referrerPolicy, 'ReferrerPolicy');
      if (init.mode !== undefined) {
        const m = enumOf(requestModes, init.mode, 'RequestMode');
        if (m === 'navigate') throw new TypeError("Failed to construct 'Request': Cannot construct a Request with a RequestInit whose mode member is set as 'navigate'.");
        st.mode = m;
      }
      if (init.credentials !== undefined) st.credentials = enumOf(credentialsModes, init.credentials, 'RequestCredentials');
      if (init.cache !== undefined) {
        st.cache = enumOf(cacheModes, init.cache, 'RequestCache');
        if (st.cache === 'only-if-cached' && st.mode !== 'same-origin') throw new TypeError("Failed to construct 'Request': 'only-if-cached' can be set only with 'same-origin' mode");
      }
      if (init.redirect !== undefined) st.redirect = enumOf(redirectModes, init.redirect, 'RequestRedirect');
      if (init.integrity !== undefined) st.integrity = str(init.integrity);
      if (init.keepalive !== undefined) st.keepalive = !!init.keepalive;
      if (init.method !== undefined) {
        let m = str(init.method);
        if (!tokenRe.test(m)) throw new TypeError("Failed to construct 'Request': '" + m + "' is not a valid HTTP method.");
        const up = m.toUpperCase();
        if (forbiddenMethodOverride.has(up)) throw new TypeError("Failed to construct 'Request': '" + m + "' HTTP method is unsupported.");
        if (normalMethods.has(up)) m = up;
        st.method = m;
      }
      const parentSignal = init.signal !== undefined ? init.signal : (input instanceof Request ? input.signal : null);
      if (parentSignal !== null && parentSignal !== undefined && !(parentSignal instanceof AbortSignal)) throw new TypeError("Failed to construct 'Request': member signal is not of type AbortSignal.");
      st.signal = parentSignal ? AbortSignal.any([parentSignal]) : new AbortSignal(kState);
      this[kState] = st;
      const guard = st.mode === 'no-cors' ? 'request-no-cors' : 'request';
      if (st.mode === 'no-cors' && !normalMethods.has(st.method) || (st.mode === 'no-cors' && !['GET', 'HEAD', 'POST'].includes(st.method))) {
        throw new TypeError("Failed to construct 'Request': '" + st.method + "' is unsupported in no-cors mode.");
      }
      const h = newHeaders(guard);
      if (init.headers !== undefined) fillHeaders(h, init.headers);
      else if (src) { h[kState].list = hstate(input.headers).list.map(p => p.slice()); }
      st.headers = h;
      const inputBody = src ? src.body : null;
      if ((init.body !== undefined && init.body !== null || inputBody !== null) && (st.method === 'GET' || st.method === 'HEAD')) {
        throw new TypeError("Failed to construct 'Request': Request with GET/HEAD method cannot have body.");
      }
      if (init.body !== undefined && init.body !== null) {
        const { body, type } = extractBody(init.body);
        st.body = body;
        if (type !== null && !h.has('content-type')) headersAppend(h, 'content-type', type);
      } else if (src) {
        if (input.bodyUsed) throw new TypeError("Failed to construct 'Request': Cannot construct a Request with a Request object that has already been used.");
        if (src.body !== null) src.bodyUsed = true;
      }
    }
    get method() { return this[kState].method; }
    get url() { return this[kState].url; }
    get headers() {
      const st = this[kState];
      if (st.headers === null) {
        st.headers = newHeaders('immutable');
        st.headers[kState].lazy = st.handle;
      }
      return st.headers;
    }
    get destination() { return lazyField(this, 'destination'); }
    get referrer() {
      const r = lazyField(this, 'referrer');
      return r === 'about:client' ? 'about:client' : r;
    }
    get referrerPolicy() { return this[kState].referrerPolicy; }
    get mode() { return lazyField(this, 'mode'); }
    get credentials() { return lazyField(this, 'credentials'); }
    get cache() { return this[kState].cache; }
    get redirect() { return this[kState].redirect; }
    get integrity() { return this[kState].integrity; }
    get keepalive() { return this[kState].keepalive; }
    get isReloadNavigation() { return false; }
    get isHistoryNavigation() { return false; }
    get signal() {
      const st = this[kState];
      if (st.signal === null) st.signal = new AbortSignal(kState);
      return st.signal;
    }
    get duplex() { return 'half'; }
    get body() { lazyBody(this); return null; }
    clone() {
      const st = reqState(this);
      if (st.bodyUsed) throw new TypeError("Failed to execute 'clone' on 'Request': Request body is already used");
      const c = Object.create(Request.prototype);
      const h = newHeaders(this.headers[kState].guard, hstate(this.headers).list.map(p => p.slice()));
      c[kState] = Object.assign({}, st, { headers: h, signal: null, bodyUsed: false });
      return c;
    }
    get [Symbol.toStringTag]() { return 'Request'; }
  }
  mixBody(Request.prototype);
  // A request that came from Go keeps a handle; its rarely used fields are
  // read from Go on first access.
  function lazyField(req, name) {
    const st = req[kState];
    if (st[name] === undefined) st[name] = host.requestField(st.handle, name);
    return st[name];
  }
  function lazyBody(req) {
    const st = req[kState];
    if (st.body === undefined) st.body = host.requestBody(st.handle);
  }
  function reqState(req) {
    const st = req[kState];
    if (!st || st.method === undefined) throw new TypeError('Illegal invocation');
    for (const f of ['mode', 'credentials', 'destination', 'referrer']) if (st[f] === undefined) lazyField(req, f);
    lazyBody(req);
    if (st.headers === null) req.headers;
    return st;
  }
  const origRequestBodyMixin = {};
  for (const k of ['text', 'json', 'arrayBuffer', 'bytes', 'blob']) {
    origRequestBodyMixin[k] = Request.prototype[k];
    define(Request.prototype, { [k]: function () { lazyBody(this); return origRequestBodyMixin[k].call(this); } });
  }
  // requestFromGo builds a Request for an incoming event. Only the hot
  // fields are passed; the rest are read lazily through the handle.
  function requestFromGo(handle, url, method) {
    const r = Object.create(Request.prototype);
    r[kState] = {
      method, url, handle, headers: null, body: undefined, bodyUsed: false, signal: null,
      mode: undefined, credentials: undefined, destination: undefined, referrer: undefined,
      cache: 'default', redirect: 'follow', referrerPolicy: '', integrity: '', keepalive: false,
    };
    return r;
  }
  // exportRequest flattens a Request for Go (fetch, cache keys).
  function exportRequest(req) {
    const st = reqState(req);
    const flat = [];
    for (const [n, v] of hstate(st.headers).list) flat.push(n, v);
    return [st.method, st.url, flat, st.body, st.mode, st.credentials, st.redirect, st.destination, st.referrer === 'about:client' ? '' : st.referrer, st.cache];
  }
  expose('Request', Request);

  // ---------------------------------------------------------------- Response
  const nullBodyStatus = new Set([101, 103, 204, 205, 304]);
  const redirectStatus = new Set([301, 302, 303, 307, 308]);
  const reasonPhraseRe = /^[\t\x20-\x7e\x80-\xff]*$/;
  function initResponse(st, init, body) {
    init = init === undefined || init === null ? {} : init;
    if (typeof init !== 'object') throw new TypeError("Failed to construct 'Response': The provided value is not of type 'ResponseInit'.");
    const status = init.status === undefined ? 200 : Number(init.status);
    if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError("Failed to construct 'Response': The status provided (" + init.status + ') is outside the range [200, 599].');
    const statusText = init.statusText === undefined ? '' : str(init.statusText);
    if (!reasonPhraseRe.test(statusText) || /[\r\n]/.test(statusText)) throw new TypeError("Failed to construct 'Response': Invalid statusText");
    st.status = status; st.statusText = statusText;
    if (init.headers !== undefined) fillHeaders(st.headers, init.headers);
    if (body !== null) {
      if (nullBodyStatus.has(status)) throw new TypeError("Failed to construct 'Response': Response with null body status cannot have body");
      st.body = body.body;
      if (body.type !== null && !st.headers.has('content-type')) headersAppend(st.headers, 'content-type', body.type);
    }
  }
  function newResponseState() {
    return { type: 'default', url: '', urlList: [], redirected: false, status: 200, statusText: '', headers: newHeaders('response'), body: null, bodyUsed: false, error: '' };
  }
  class Response {
    constructor(body, init) {
      const st = newResponseState();
      this[kState] = st;
      initResponse(st, init, body === undefined || body === null ? null : extractBody(body));
    }
    static error() {
      const r = Object.create(Response.prototype);
      const st = newResponseState();
      st.type = 'error'; st.status = 0; st.headers = newHeaders('immutable');
      r[kState] = st;
      return r;
    }
    static redirect(url, status) {
      const href = host.parseURL(str(url), location.href);
      if (href === null) throw new TypeError("Failed to execute 'redirect' on 'Response': Invalid URL");
      status = status === undefined ? 302 : Number(status);
      if (!redirectStatus.has(status)) throw new RangeError("Failed to execute 'redirect' on 'Response': Invalid status code");
      const r = Object.create(Response.prototype);
      const st = newResponseState();
      st.status = status;
      headersAppend(st.headers, 'location', href);
      st.headers[kState].guard = 'immutable';
      r[kState] = st;
      return r;
    }
    static json(data, init) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("Failed to execute 'json' on 'Response': The data is not JSON serializable");
      const r = Object.create(Response.prototype);
      const st = newResponseState();
      r[kState] = st;
      initResponse(st, init, { body: text, type: 'application/json' });
      return r;
    }
    get type() { return this[kState].type; }
    get url() { return this[kState].url; }
    get redirected() { return this[kState].redirected; }
    get status() { return this[kState].status; }
    get ok() { const s = this[kState].status; return s >= 200 && s <= 299; }
    get statusText() { return this[kState].statusText; }
    get headers() { return this[kState].headers; }
    get body() { return null; }
    clone() {
      const st = this[kState];
      if (st.bodyUsed) throw new TypeError("Failed to execute 'clone' on 'Response': Response body is already used");
      const c = Object.create(Response.prototype);
      c[kState] = Object.assign({}, st, { headers: newHeaders(st.headers[kState].guard, hstate(st.headers).list.map(p => p.slice())), bodyUsed: false });
      return c;
    }
    get [Symbol.toStringTag]() { return 'Response'; }
  }
  mixBody(Response.prototype);
  // exportResponse flattens a Response for Go; a used body is an error.
  function exportResponse(r) {
    if (!(r instanceof Response)) return null;
    const st = r[kState];
    if (st.bodyUsed) throw new TypeError('The response body was already used.');
    const list = hstate(st.headers).list;
    let flat = null;
    if (list.length > 0) {
      flat = [];
      for (const [n, v] of list) flat.push(n, v);
    }
    return host.responseRecord(st.status, st.statusText, flat, st.body, st.type, st.url, st.redirected);
  }
  // responseFromGo builds a Response from a Go record (fetch, cache).
  function responseFromGo(status, statusText, flat, body, type, url, redirected) {
    const r = Object.create(Response.prototype);
    const st = newResponseState();
    st.status = status; st.statusText = statusText; st.type = type; st.url = url; st.redirected = redirected;
    for (let i = 0; i < flat.length; i += 2) st.headers[kState].list.push([flat[i], flat[i + 1]]);
    st.headers[kState].guard = 'immutable';
    st.body = body;
    if (type === 'error') { st.headers[kState].guard = 'immutable'; }
    r[kState] = st;
    return r;
  }
  expose('Response', Response);

  // ---------------------------------------------------------------- fetch
  function fetch(input, init) {
    let req;
    try {
      req = new Request(input, init);
    } catch (e) {
      return Promise.reject(e);
    }
    const signal = req.signal;
    if (signal.aborted) return Promise.reject(signal.reason);
    const p = host.fetch(exportRequest(req), responseFromGo);
    if (init && init.signal || input instanceof Request) {
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    }
    return p;
  }
  expose('fetch', fetch);

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
    get aborted() { return this[kState].aborted; }
    get reason() { return this[kState].reason; }
    throwIfAborted() { if (this[kState].aborted) throw this[kState].reason; }
  }
  eventHandler(AbortSignal.prototype, 'abort');
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
      let bytes;
      if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
      else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
      else throw new TypeError("Failed to execute 'decode' on 'TextDecoder': The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
      return host.decodeUTF8(bytes, this[kState].fatal, this[kState].ignoreBOM);
    }
  }
  expose('TextEncoder', TextEncoder);
  expose('TextDecoder', TextDecoder);

  // ---------------------------------------------------------------- crypto
  const integerArrays = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    typeof BigInt64Array === 'function' ? BigInt64Array : Int8Array, typeof BigUint64Array === 'function' ? BigUint64Array : Int8Array];
  class Crypto {
    constructor(key) { if (key !== kState) illegal(); }
    getRandomValues(array) {
      if (!ArrayBuffer.isView(array) || !integerArrays.some(c => array instanceof c)) {
        throw domErr('TypeMismatchError', "Failed to execute 'getRandomValues' on 'Crypto': The provided ArrayBufferView is not an integer array type.");
      }
      if (array.byteLength > 65536) throw domErr('QuotaExceededError', "Failed to execute 'getRandomValues' on 'Crypto': The ArrayBufferView's byte length (" + array.byteLength + ') exceeds the number of bytes of entropy available via this API (65536).');
      host.randomFill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      return array;
    }
    randomUUID() { return host.randomUUID(); }
    get subtle() { throw domErr('NotSupportedError', 'crypto.subtle is not supported by swhost'); }
  }
  expose('Crypto', Crypto);
  expose('crypto', new Crypto(kState));

  // ---------------------------------------------------------------- structuredClone
  function cloneError(what) { return domErr('DataCloneError', what + ' could not be cloned.'); }
  const errorCtors = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };
  function structuredClone(value, options) {
    const transfer = options && options.transfer ? Array.from(options.transfer) : [];
    const memory = new Map();
    for (const t of transfer) {
      if (t instanceof MessagePort) {
        if (memory.has(t)) throw cloneError('A duplicate MessagePort');
        memory.set(t, transferPort(t));
      } else if (t instanceof ArrayBuffer) {
        if (memory.has(t)) throw cloneError('A duplicate ArrayBuffer');
        memory.set(t, t.slice(0));
      } else throw cloneError('A value in the transfer list');
    }
    return cloneValue(value, memory);
  }
  function cloneValue(v, memory) {
    if (v === null || typeof v !== 'object' && typeof v !== 'function' && typeof v !== 'symbol') return v;
    if (typeof v === 'symbol') throw cloneError('Symbol()');
    if (typeof v === 'function') throw cloneError(String(v).slice(0, 40));
    if (memory.has(v)) return memory.get(v);
    let out;
    const tag = Object.prototype.toString.call(v);
    if (v instanceof MessagePort) throw cloneError('A MessagePort that is not in the transfer list');
    if (tag === '[object Boolean]') out = Object(Boolean.prototype.valueOf.call(v));
    else if (tag === '[object Number]') out = Object(Number.prototype.valueOf.call(v));
    else if (tag === '[object String]') out = Object(String.prototype.valueOf.call(v));
    else if (tag === '[object BigInt]') out = Object(BigInt.prototype.valueOf.call(v));
    else if (v instanceof Date) out = new Date(v.getTime());
    else if (v instanceof RegExp) out = new RegExp(v.source, v.flags);
    else if (v instanceof ArrayBuffer) out = v.slice(0);
    else if (ArrayBuffer.isView(v)) {
      const buf = cloneValue(v.buffer, memory);
      out = v instanceof DataView ? new DataView(buf, v.byteOffset, v.byteLength) : new v.constructor(buf, v.byteOffset, v.length);
    } else if (v instanceof Map) {
      out = new Map(); memory.set(v, out);
      for (const [k, x] of v) out.set(cloneValue(k, memory), cloneValue(x, memory));
      return out;
    } else if (v instanceof Set) {
      out = new Set(); memory.set(v, out);
      for (const x of v) out.add(cloneValue(x, memory));
      return out;
    } else if (v instanceof Error) {
      const name = errorCtors[v.name] ? v.name : 'Error';
      out = new errorCtors[name](v.message === undefined ? undefined : String(v.message));
      memory.set(v, out);
      if (typeof v.stack === 'string') Object.defineProperty(out, 'stack', { value: v.stack, writable: true, configurable: true });
      if (hasOwn.call(v, 'cause')) out.cause = cloneValue(v.cause, memory);
      return out;
    } else if (v instanceof Blob) {
      out = v.slice(0, v.size, v.type);
    } else if (Array.isArray(v)) {
      out = new Array(v.length); memory.set(v, out);
      for (const k of Object.keys(v)) out[k] = cloneValue(v[k], memory);
      return out;
    } else if (tag === '[object Object]' || Object.getPrototypeOf(v) === null || typeof v === 'object' && !(kState in v)) {
      if (tag === '[object Promise]' || tag === '[object WeakMap]' || tag === '[object WeakSet]') throw cloneError('#<' + tag.slice(8, -1) + '>');
      out = {}; memory.set(v, out);
      for (const k of Object.keys(v)) out[k] = cloneValue(v[k], memory);
      return out;
    } else {
      throw cloneError('#<' + ((v.constructor && v.constructor.name) || 'Object') + '>');
    }
    memory.set(v, out);
    return out;
  }
  expose('structuredClone', function structuredClone_(value, options) {
    if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.");
    return structuredClone(value, options);
  });

  // ---------------------------------------------------------------- MessageChannel / MessagePort
  class MessagePort extends EventTarget {
    constructor(key) {
      if (key !== kState) illegal();
      super();
      this[kState] = { other: null, started: false, closed: false, queue: [], goID: 0 };
      this[kOnHandlerSet] = (type) => { if (type === 'message') this.start(); };
    }
    postMessage(message, transfer) {
      const st = this[kState];
      if (arguments.length === 0) throw new TypeError("Failed to execute 'postMessage' on 'MessagePort': 1 argument required, but only 0 present.");
      const opts = Array.isArray(transfer) ? { transfer } : (transfer || {});
      const list = opts.transfer ? Array.from(opts.transfer) : [];
      if (list.includes(this)) throw domErr('DataCloneError', 'A MessagePort cannot transfer itself.');
      const data = structuredClone(message, opts);
      const ports = list.filter(p => p instanceof MessagePort).map(p => data === p ? p : p);
      if (st.closed) return;
      if (st.goID) { host.portPost(st.goID, data, ports.map(p => transferredPortOf(p))); return; }
      const target = st.other;
      if (!target) return;
      host.queueTask(() => deliver(target, data, ports.map(p => transferredPortOf(p))));
    }
    start() {
      const st = this[kState];
      if (st.started) return;
      st.started = true;
      const q = st.queue; st.queue = [];
      for (const m of q) host.queueTask(() => deliver(this, m.data, m.ports));
    }
    close() {
      const st = this[kState];
      if (st.closed) return;
      st.closed = true;
      if (st.goID) host.portClose(st.goID);
      const other = st.other;
      st.other = null;
      if (other) {
        other[kState].other = null;
        host.queueTask(() => dispatch(other, new Event('close'), true));
      }
    }
  }
  eventHandler(MessagePort.prototype, 'message');
  eventHandler(MessagePort.prototype, 'messageerror');
  eventHandler(MessagePort.prototype, 'close');
  const transferredPorts = new WeakMap();
  // transferPort moves a port's entanglement to a fresh port object, as a
  // transfer does; the old object becomes unusable.
  function transferPort(p) {
    const old = p[kState];
    if (old.transferred) throw cloneError('A transferred MessagePort');
    const np = new MessagePort(kState);
    const ns = np[kState];
    ns.other = old.other; ns.goID = old.goID; ns.queue = old.queue;
    if (ns.other) ns.other[kState].other = np;
    old.other = null; old.closed = true; old.transferred = true; old.goID = 0;
    transferredPorts.set(p, np);
    return np;
  }
  function transferredPortOf(p) { return transferredPorts.get(p) || p; }
  function deliver(port, data, ports) {
    const st = port[kState];
    if (st.closed) return;
    if (!st.started) { st.queue.push({ data, ports }); return; }
    dispatch(port, new MessageEvent('message', { data, ports }), true);
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
  // portFromGo wraps a port whose other end lives in Go.
  function portFromGo(id) {
    const p = new MessagePort(kState);
    p[kState].goID = id;
    return p;
  }
  function portToGo(p) {
    const st = p[kState];
    if (st.goID) return st.goID;
    return host.bridgePort((data, ports) => {
      const other = st.other;
      if (other) deliver(other, data, ports.map(portFromGo));
    });
  }
  expose('MessagePort', MessagePort);
  expose('MessageChannel', MessageChannel);

  // ---------------------------------------------------------------- console
  function inspect(v, depth, seen) {
    if (typeof v === 'string') return depth === 0 ? v : JSON.stringify(v);
    if (v === null || typeof v !== 'object' && typeof v !== 'function') return typeof v === 'bigint' ? v + 'n' : String(v);
    if (typeof v === 'function') return '[Function: ' + (v.name || '(anonymous)') + ']';
    if (v instanceof Error) return v.stack || String(v);
    if (seen.includes(v)) return '[Circular]';
    if (depth > 2) return Array.isArray(v) ? '[Array]' : '[Object]';
    seen = seen.concat([v]);
    if (Array.isArray(v)) return '[ ' + v.map(x => inspect(x, depth + 1, seen)).join(', ') + ' ]';
    if (v instanceof Map) return 'Map(' + v.size + ') { ' + [...v].map(([k, x]) => inspect(k, depth + 1, seen) + ' => ' + inspect(x, depth + 1, seen)).join(', ') + ' }';
    if (v instanceof Set) return 'Set(' + v.size + ') { ' + [...v].map(x => inspect(x, depth + 1, seen)).join(', ') + ' }';
    if (v instanceof Date) return v.toISOString();
    if (v instanceof Request || v instanceof Response) return v[Symbol.toStringTag] + ' { ' + (v instanceof Request ? v.method + ' ' + v.url : v.status + ' ' + v.url) + ' }';
    const ctor = v.constructor && v.constructor !== Object ? v.constructor.name + ' ' : '';
    const keys = Object.keys(v);
    if (keys.length === 0) return ctor + '{}';
    return ctor + '{ ' + keys.map(k => k + ': ' + inspect(v[k], depth + 1, seen)).join(', ') + ' }';
  }
  function format(args) {
    if (args.length === 0) return '';
    let first = args[0];
    let i = 1;
    if (typeof first === 'string' && first.includes('%')) {
      first = first.replace(/%[sdifoOjc%]/g, m => {
        if (m === '%%') return '%';
        if (i >= args.length) return m;
        const a = args[i++];
        switch (m) {
          case '%s': return typeof a === 'string' ? a : inspect(a, 1, []);
          case '%d': case '%i': return typeof a === 'object' ? 'NaN' : String(m === '%i' ? parseInt(a) : Number(a));
          case '%f': return String(parseFloat(a));
          case '%c': return '';
          default: return inspect(a, 1, []);
        }
      });
    } else first = inspect(first, 0, []);
    const rest = [];
    for (; i < args.length; i++) rest.push(inspect(args[i], 0, []));
    return rest.length ? first + ' ' + rest.join(' ') : first;
  }
  const counts = new Map();
  const timersByLabel = new Map();
  const consoleObj = {
    log: (...a) => host.log('log', format(a)),
    info: (...a) => host.log('info', format(a)),
    debug: (...a) => host.log('debug', format(a)),
    warn: (...a) => host.log('warn', format(a)),
    error: (...a) => host.log('error', format(a)),
    trace: (...a) => host.log('debug', 'Trace: ' + format(a) + '\n' + new Error().stack.split('\n').slice(2).join('\n')),
    dir: (v) => host.log('log', inspect(v, 0, [])),
    assert: (cond, ...a) => { if (!cond) host.log('error', 'Assertion failed' + (a.length ? ': ' + format(a) : '')); },
    count: (label = 'default') => { const n = (counts.get(label) || 0) + 1; counts.set(label, n); host.log('log', label + ': ' + n); },
    countReset: (label = 'default') => { counts.delete(label); },
    time: (label = 'default') => { timersByLabel.set(label, host.now()); },
    timeLog: (label = 'default', ...a) => { const t = timersByLabel.get(label); if (t !== undefined) host.log('log', label + ': ' + (host.now() - t).toFixed(3) + ' ms' + (a.length ? ' ' + format(a) : '')); },
    timeEnd: (label = 'default') => { const t = timersByLabel.get(label); if (t !== undefined) { timersByLabel.delete(label); host.log('log', label + ': ' + (host.now() - t).toFixed(3) + ' ms'); } },
    group: (...a) => { if (a.length) host.log('log', format(a)); },
    groupEnd: () => {},
    table: (v) => host.log('log', inspect(v, 0, [])),
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
      if (arguments.length === 0) throw new TypeError("Failed to execute 'postMessage' on 'Client': 1 argument required, but only 0 present.");
      const opts = Array.isArray(transfer) ? { transfer } : (transfer || {});
      const data = structuredClone(message, opts);
      host.clientPostMessage(this[kState].id, data);
    }
  }
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
  class ServiceWorkerGlobalScope extends WorkerGlobalScope {}
  for (const t of ['install', 'activate', 'fetch', 'foreignfetch', 'message', 'messageerror', 'crossoriginconnect', 'crossoriginmessage', 'error', 'unhandledrejection', 'rejectionhandled']) {
    eventHandler(ServiceWorkerGlobalScope.prototype, t);
  }
  const globalProto = Object.create(ServiceWorkerGlobalScope.prototype);
  Object.setPrototypeOf(global, ServiceWorkerGlobalScope.prototype);
  Object.defineProperty(global, kListeners, { value: new Map() });
  global[kOnHandlerSet] = (type) => host.handlerAdded(type);
  void globalProto;
  const origAdd = EventTarget.prototype.addEventListener;
  define(ServiceWorkerGlobalScope.prototype, {
    addEventListener(type, callback, options) {
      if (this === global && host.isEvaluated() && ['install', 'activate', 'fetch', 'foreignfetch', 'message', 'crossoriginconnect', 'crossoriginmessage'].includes(str(type))) {
        host.warnLateListener(str(type));
      }
      return origAdd.call(this, type, callback, options);
    },
    skipWaiting() { return host.skipWaiting(); },
  });
  for (const [n, get] of Object.entries({
    self: () => global, globalThis: () => global, location: () => location, navigator: () => navigatorObj,
    registration: () => registration, clients: () => clients, crossOriginClients: () => crossOriginClients,
    origin: () => host.urlPart('origin'), isSecureContext: () => host.isSecureContext(),
    serviceWorker: () => null,
  })) {
    if (n === 'globalThis') continue;
    Object.defineProperty(global, n, { get, configurable: true, enumerable: true });
  }
  const navigatorObj = new WorkerNavigator(kState);
  for (const [n, c] of Object.entries({
    WorkerGlobalScope, ServiceWorkerGlobalScope, WorkerLocation, WorkerNavigator, ServiceWorkerRegistration,
    Client, Clients, CrossOriginServiceWorkerClients,
  })) expose(n, c);
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
  function fire(ev) { return dispatch(global, ev, true); }
  function settleLifetime(st) {
    // Waits until every lifetime promise, including ones added while
    // waiting, has settled. Resolves to the first rejection reason or null.
    let failure = null;
    const loop = () => {
      const list = st.extend.splice(0);
      if (list.length === 0) return failure;
      return Promise.all(list.map(p => p.then(() => {}, e => { if (failure === null) failure = { reason: e }; }))).then(loop);
    };
    return Promise.resolve().then(loop);
  }
  const internals = {
    // lifecycle(type, token): install or activate; calls host.done(token, failure, threw).
    lifecycle(type, token) {
      const ev = type === 'install' ? new InstallEvent('install') : new ExtendableEvent(type);
      const st = ev[kState];
      st.installing = type === 'install';
      let threw = null;
      st.onException = (e) => { if (threw === null) threw = e; };
      fire(ev);
      settleLifetime(st).then(f => { st.installing = false; host.done(token, f === null ? undefined : f.reason, threw === null ? undefined : threw); });
    },
    // fetch returns the Response (respondWith with a Response), undefined
    // (no respondWith) or null (the answer comes later through host.done).
    fetch(token, url, method) {
      const req = requestFromGo(token, url, method);
      const ev = new FetchEvent('fetch', { request: req, clientId: host.eventField(token, 'clientId'), resultingClientId: host.eventField(token, 'resultingClientId'), replacesClientId: '' });
      const st = ev[kState];
      st.onException = (e) => { if (!st.respondWithCalled) host.listenerError(token, e); };
      fire(ev);
      if (!st.respondWithCalled) return undefined;
      const r = st.response;
      if (r instanceof Response) return exportResponse(r);
      Promise.resolve(r).then(v => {
        if (!(v instanceof Response)) throw new TypeError('The value passed to respondWith() resolved to ' + (v === null ? 'null' : typeof v) + ', not a Response.');
        host.done(token, exportResponse(v));
      }).catch(e => host.done(token, undefined, e));
      return null;
    },
    foreignfetch(token, url, method, origin) {
      const req = requestFromGo(token, url, method);
      const ev = new ForeignFetchEvent('foreignfetch', { request: req, origin });
      const st = ev[kState];
      st.onException = (e) => { if (!st.respondWithCalled) host.listenerError(token, e); };
      fire(ev);
      if (!st.respondWithCalled) return undefined;
      Promise.resolve(st.response).then(v => {
        if (v === null || typeof v !== 'object') throw new TypeError('The value passed to respondWith() on a foreignfetch event must resolve to an object with a response member.');
        if (!(v.response instanceof Response)) throw new TypeError("The object passed to respondWith() on a foreignfetch event has no Response in its 'response' member.");
        const origin = v.origin === undefined || v.origin === null ? undefined : str(v.origin);
        const headers = v.headers === undefined || v.headers === null ? undefined : Array.from(v.headers, str);
        host.done(token, exportResponse(v.response), undefined, origin, headers);
      }).catch(e => host.done(token, undefined, e));
      return null;
    },
    message(token, data, origin, source, ports) {
      const ev = new ExtendableMessageEvent('message', { data, origin, source: source === undefined ? null : source, ports: ports.map(portFromGo) });
      const st = ev[kState];
      let threw = null;
      st.onException = (e) => { if (threw === null) threw = e; };
      fire(ev);
      settleLifetime(st).then(f => host.done(token, f === null ? undefined : f.reason, threw === null ? undefined : threw));
    },
    crossoriginconnect(token, id, origin, targetUrl, options) {
      const client = makeCrossOriginClient(id, origin, targetUrl, options);
      const ev = new CrossOriginConnectEvent('crossoriginconnect', { client });
      const st = ev[kState];
      let threw = null;
      st.onException = (e) => { if (threw === null) threw = e; };
      fire(ev);
      if (!st.acceptCalled) { host.done(token, false, threw === null ? undefined : threw); return; }
      st.accept.then(v => host.done(token, v === true, undefined), e => host.done(token, false, e));
    },
    crossoriginmessage(token, id, origin, targetUrl, data, ports) {
      const client = makeCrossOriginClient(id, origin, targetUrl, undefined);
      const ev = new CrossOriginMessageEvent('crossoriginmessage', { data, origin, source: client, ports: ports.map(portFromGo) });
      const st = ev[kState];
      let threw = null;
      st.onException = (e) => { if (threw === null) threw = e; };
      fire(ev);
      host.done(token, undefined, threw === null ? undefined : threw);
    },
    hasListeners(type) {
      const list = listenersOf(global).get(type);
      return !!(list && list.length);
    },
    exportRequest, exportResponse, responseFromGo, portToGo, portFromGo,
    isRequest: (v) => v instanceof Request,
    isResponse: (v) => v instanceof Response,
    newRequest: (input, init) => new Request(input, init),
  };
  return internals;
})
