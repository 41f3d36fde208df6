// 02_event.js: Event and EventTarget (DOM standard): listeners,
// dispatch, event handler attributes (on<type>), and the sole-listener
// slots the entry points use to reach a global scope's single listener.
(function (internals, host, global) {
  'use strict';
  const {
    define, domErr, expose, kListeners, kState, str
  } = internals;

  // The boolean flags of an event live in one bit set.
  // Common flag combinations stay below 256 so that the engine does not
  // allocate a boxed integer for them.
  const F_DISPATCH = 1, F_TRUSTED = 2, F_RESPONDED = 4, F_STOP = 8, F_STOP_IMM = 16, F_CANCELED = 32,
    F_INSTALLING = 64, F_ACCEPT_CALLED = 128, F_BUBBLES = 256, F_CANCELABLE = 512, F_COMPOSED = 1024,
    F_THREW = 2048;
  // Event state is an array (cheaper than an object in sobek): the common
  // slots, then per-interface ones from E_REQUEST on.
  const E_TYPE = 0, E_F = 1, E_TARGET = 2, E_TIME = 3, E_EXT = 4, E_TOKEN = 5;
  const E_REQUEST = 6, E_RESPONSE = 7, E_IDS = 8, E_HANDLED = 9, E_ORIGIN = 10, E_PRELOAD = 11;
  const E_CLIENT = 6, E_ACCEPT = 7;
  const E_DATA = 6, E_SOURCE = 7, E_PORTS = 8, E_LASTID = 9;
  function eventState(type, init) {
    let f = 0;
    if (init !== undefined && init !== null) {
      if (init.bubbles) f |= F_BUBBLES;
      if (init.cancelable) f |= F_CANCELABLE;
      if (init.composed) f |= F_COMPOSED;
    }
    return newState(type, f);
  }
  function newState(type, f) { return [type, f, null, host.now(), null, 0, undefined, undefined]; }
  class Event {
    constructor(type, init) {
      if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      this[kState] = eventState(str(type), init);
    }
    get type() { return this[kState][E_TYPE]; }
    get target() { return this[kState][E_TARGET]; }
    get srcElement() { return this[kState][E_TARGET]; }
    get currentTarget() {
      const st = this[kState];
      return st[E_F] & F_DISPATCH ? (st.cur !== undefined ? st.cur : st[E_TARGET]) : null;
    }
    get eventPhase() { const st = this[kState]; return st[E_F] & F_DISPATCH ? (st.phase || 2) : 0; }
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
    initEvent(type, bubbles, cancelable) {
      if (arguments.length === 0) throw new TypeError("Failed to execute 'initEvent' on 'Event': 1 argument required, but only 0 present.");
      initializeEvent(this, str(type), !!bubbles, !!cancelable);
    }
  }
  // initializeEvent is the DOM standard's "initialize" of an event by the
  // legacy init methods (initEvent, initCustomEvent): nothing happens
  // while the event is being dispatched.
  function initializeEvent(ev, type, bubbles, cancelable) {
    const st = ev[kState];
    if (st[E_F] & F_DISPATCH) return false;
    st[E_F] = (st[E_F] & ~(F_STOP | F_STOP_IMM | F_CANCELED | F_TRUSTED | F_BUBBLES | F_CANCELABLE)) |
      (bubbles ? F_BUBBLES : 0) | (cancelable ? F_CANCELABLE : 0);
    st[E_TARGET] = null;
    st[E_TYPE] = type;
    return true;
  }
  define(Event, { NONE: 0, CAPTURING_PHASE: 1, AT_TARGET: 2, BUBBLING_PHASE: 3 });
  // newEvent is `new Event(type, { bubbles, cancelable })` for the host's
  // own events (IndexedDB's success and error, abort, close): the same
  // object without the constructor's argument checks, whose `arguments`
  // object costs more than the rest of the event in sobek.
  function newEvent(type, bubbles, cancelable) {
    const ev = Object.create(Event.prototype);
    ev[kState] = newState(type, (bubbles ? F_BUBBLES : 0) | (cancelable ? F_CANCELABLE : 0));
    return ev;
  }

  // reportException is the HTML standard's "report an exception": an
  // error event at the global scope (05_error_event.js), then, unless a
  // listener canceled it, the console and the host log.
  function reportException(err) {
    const fire = internals.fireErrorEvent;
    if (fire !== undefined && !fire(err)) return;
    host.reportException(err);
  }

  class EventTarget {
    // The listener map is made by the first addEventListener
    // (listenersOf): most targets (IndexedDB requests and transactions)
    // never get one.
    constructor() {}
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
      const m = this[kListeners];
      const list = m === undefined ? undefined : listenerRecords(m, type);
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
        if (signal !== undefined && !(signal instanceof internals.AbortSignal)) throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type AbortSignal.");
        if (signal && signal.aborted) return;
      }
    }
    const map = listenersOf(target);
    let list = listenerRecords(map, type);
    if (list === undefined) { list = []; map.set(type, list); }
    // An event handler Go keeps joins the list first, before the listener.
    listsInJS(target, type);
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
  // (the fast path of its addEventListener), kept as the bare function,
  // and an event handler attribute set on a type without listeners,
  // kept as its bare record: the array is made here when something needs
  // it (invokeAt and dispatch read a bare record as it is).
  function listenerRecords(map, type) {
    const v = map.get(type);
    if (v === undefined || (typeof v !== 'function' && v.length !== undefined)) return v;
    const list = [typeof v === 'function' ? { callback: v, capture: false, once: false, removed: false } : v];
    map.set(type, list);
    return list;
  }
  // invocationList is what dispatching type calls at a target whose
  // listener map is m: null for nothing, the record when there is one,
  // else a copy of the records (listeners added meanwhile are not
  // called).
  function invocationList(m, type) {
    let v = m.get(type);
    if (v === undefined) return null;
    if (typeof v === 'function') v = listenerRecords(m, type);
    if (v.length === undefined) return v;
    return v.length === 0 ? null : v.length === 1 ? v[0] : v.slice();
  }
  // listens reports whether target has a listener for type: an event
  // fired along a path none of whose targets listens is not observable,
  // and need not be made (IndexedDB's success events).
  function listens(target, type) {
    const m = target[kListeners];
    if (m === undefined) return false;
    const v = m.get(type);
    return v !== undefined && (typeof v === 'function' || v.length !== 0); // a bare record has no length
  }
  // listenersOf returns target's listener map, made on first use (an
  // own symbol property, as kState is).
  function listenersOf(t) {
    let m = t[kListeners];
    if (!m) {
      m = new Map();
      t[kListeners] = m;
    }
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
    listsInJS(target, st[E_TYPE]);
    st[E_F] = (st[E_F] | F_DISPATCH | (trusted ? F_TRUSTED : 0)) & ~(trusted ? 0 : F_TRUSTED);
    st[E_TARGET] = target;
    const m = target[kListeners];
    const ls = m === undefined ? null : invocationList(m, st[E_TYPE]);
    if (ls !== null) {
      const one = ls.length === undefined, n = one ? 1 : ls.length;
      for (let i = 0; i < n; i++) {
        const l = one ? ls : ls[i];
        if (l.removed) continue;
        if (l.once) target.removeEventListener(st[E_TYPE], l.callback, { capture: l.capture });
        try {
          const cb = l.callback;
          if (cb === runHandler) runHandler(l, target, event);
          else if (typeof cb === 'function') {
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
  // dispatchPath dispatches a trusted event along path (the target first,
  // then its parents, as "get the parent" gives them: IndexedDB's request,
  // transaction, database): capture listeners from the top down, the
  // target's listeners, then, when the event bubbles, the parents'
  // non-capture listeners. F_THREW records that a listener threw (which
  // aborts an IndexedDB transaction).
  function dispatchPath(path, event) {
    const st = event[kState];
    st[E_F] |= F_DISPATCH | F_TRUSTED;
    st[E_TARGET] = path[0];
    for (let i = path.length - 1; i > 0 && !(st[E_F] & F_STOP); i--) invokeAt(path[i], event, 1);
    if (!(st[E_F] & F_STOP)) invokeAt(path[0], event, 2);
    if (st[E_F] & F_BUBBLES) {
      for (let i = 1; i < path.length && !(st[E_F] & F_STOP); i++) invokeAt(path[i], event, 3);
    }
    if (st.phase) {
      st.cur = undefined;
      st.phase = 0;
    }
    st[E_F] &= ~F_DISPATCH;
    return !(st[E_F] & F_CANCELED);
  }
  // invokeAt runs target's listeners for event in phase (1 capturing, 2
  // at the target, 3 bubbling).
  function invokeAt(target, event, phase) {
    const st = event[kState];
    const m = target[kListeners];
    const ls = m === undefined ? null : invocationList(m, st[E_TYPE]);
    if (ls === null) return;
    // At the target, cur and phase stay unset (the getters' defaults)
    // unless a capturing parent set them: most events reach only their
    // target, and their state array gets no named properties.
    if (phase !== 2) {
      st.cur = target;
      st.phase = phase;
    } else if (st.phase) {
      st.cur = undefined;
      st.phase = 2;
    }
    const one = ls.length === undefined, n = one ? 1 : ls.length;
    for (let i = 0; i < n; i++) {
      const l = one ? ls : ls[i];
      if (l.removed || (phase === 1 && !l.capture) || (phase === 3 && l.capture)) continue;
      if (l.once) target.removeEventListener(st[E_TYPE], l.callback, { capture: l.capture });
      try {
        const cb = l.callback;
        if (cb === runHandler) runHandler(l, target, event);
        else if (typeof cb === 'function') cb.call(target, event);
        else if (cb && typeof cb.handleEvent === 'function') cb.handleEvent(event);
      } catch (e) {
        st[E_F] |= F_THREW;
        reportException(e);
      }
      if (st[E_F] & F_STOP_IMM) break;
    }
  }
  // Event handler attributes (on<type>); classes declare the accessors
  // in their bodies (much cheaper in sobek than defineProperty with
  // closures), and eventHandler adds them to a prototype afterwards. On a
  // target other than the global scope, a handler is its own listener
  // record, {callback: runHandler, ..., fn}, found by scanning the type's
  // listeners (a handful): no holder, map or closure per handler. The
  // global scope keeps one holder per type in a map, read by a listener
  // function (its addEventListener warns of late listeners and keeps the
  // sole-listener slots).
  const kHandlers = Symbol('handlers');
  function handlerRecord(target, type) {
    const m = target[kListeners];
    const list = m === undefined ? undefined : m.get(type);
    if (list === undefined || typeof list === 'function') return undefined;
    if (list.length === undefined) return list.callback === runHandler ? list : undefined;
    for (let i = 0; i < list.length; i++) if (list[i].callback === runHandler) return list[i];
    return undefined;
  }
  function getHandler(target, type) {
    if (target !== global) {
      const r = handlerRecord(target, type);
      return r === undefined ? null : r.fn;
    }
    const m = target[kHandlers];
    const h = m === undefined ? undefined : m.get(type);
    return h === undefined ? null : h.fn;
  }
  function setHandler(target, type, fn) {
    if (typeof fn !== 'function' && (typeof fn !== 'object' || fn === null)) fn = null;
    if (target !== global) {
      const r = handlerRecord(target, type);
      if (r !== undefined) { r.fn = fn; return; }
      if (fn === null) return;
      const map = listenersOf(target);
      const rec = Object.create(handlerDefaults);
      rec.fn = fn;
      if (map.get(type) === undefined) map.set(type, rec); // bare, until a listener joins it
      else listenerRecords(map, type).push(rec);
      if (target[kOnHandlerSet]) target[kOnHandlerSet](type);
      if (target[kOnListen] !== undefined) target[kOnListen](type, false);
      return;
    }
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
      let r;
      if (type === 'error' && this === global && internals.isErrorEvent(ev)) {
        // The global scope's onerror is an OnErrorEventHandler: it gets
        // the event's fields, and returning true cancels the event.
        r = f.call(this, ev.message, ev.filename, ev.lineno, ev.colno, ev.error);
        if (r === true) ev.preventDefault();
        return;
      }
      // On the global scope, a method call (see dispatch) instead of
      // Function.prototype.call.
      if (this === global && globalCallee) {
        global[kHandlerCallee] = f;
        r = global[kHandlerCallee](ev);
      } else {
        r = f.call(this, ev);
      }
      // An event handler that returns false cancels the event.
      if (r === false) ev.preventDefault();
    });
    if (target[kOnHandlerSet]) target[kOnHandlerSet](type);
  }
  // handlerDefaults is the prototype of a handler's listener record: its
  // fields but fn (and removed, once set) are the prototype's, so that a
  // record costs one property.
  const handlerDefaults = { callback: runHandler, capture: false, once: false, removed: false };
  // runHandler is the listener of an event handler attribute on a target
  // other than the global scope: dispatch and invokeAt call it with its
  // record. An event handler that returns false cancels the event.
  function runHandler(record, target, ev) {
    const f = record.fn;
    if (typeof f !== 'function') return;
    if (f.call(target, ev) === false) ev.preventDefault();
  }
  function eventHandler(proto, type) {
    Object.defineProperty(proto, 'on' + type, {
      configurable: true, enumerable: true,
      get() { return getHandler(this, type); },
      set(fn) { setHandler(this, type, fn); },
    });
  }
  const kOnHandlerSet = Symbol('onHandlerSet');
  // kOnListen names a method of event targets whose events Go fires
  // (IndexedDB's): target[kOnListen](type, inJS) is called when an event
  // handler is set (inJS false), and before the listener list of type is
  // used here (inJS true: addEventListener, dispatchEvent), so that Go
  // makes no event nobody listens to, and moves an event handler it keeps
  // into the list before that.
  const kOnListen = Symbol('onListen');
  // listsInJS is kOnListen(type, true): target's listener list of type is
  // about to be used here.
  function listsInJS(target, type) {
    if (target[kOnListen] !== undefined) target[kOnListen](type, true);
  }
  expose('Event', Event);
  expose('EventTarget', EventTarget);

  // Events from Go reach a global scope that has one plain function
  // listener for their type (most workers: the seed's echo service, most
  // fetch handlers) without the generic dispatch: the entry points call
  // that listener, kept in its soleSlots property by refreshSole, as a
  // method of the global scope themselves, so that no helper frame sits
  // under the listener (sobek regrows its VM stack for every event, to
  // the depth of the frames under it) and nothing is looked up but the
  // slot. soleListener returns undefined, and the caller uses
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

  Object.assign(internals, {
    E_ACCEPT, E_CLIENT, E_DATA, E_EXT, E_F, E_HANDLED, E_IDS, E_LASTID, E_ORIGIN, E_PORTS, E_PRELOAD,
    E_REQUEST, E_RESPONSE, E_SOURCE, E_TOKEN, Event, EventTarget, F_ACCEPT_CALLED, F_CANCELED, F_DISPATCH,
    F_INSTALLING, F_RESPONDED, F_STOP, F_STOP_IMM, F_THREW, F_TRUSTED, addListener, dispatch, dispatchPath, eventHandler,
    getHandler, initializeEvent, kOnHandlerSet, kOnListen, listens, listsInJS, listenersOf, newEvent, reportException, setHandler, setSole, soleListener,
    soleSlots,
  });
})
