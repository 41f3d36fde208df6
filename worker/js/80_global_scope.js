// 80_global_scope.js: ServiceWorkerGlobalScope: the global object's
// prototype, its attributes (self, location, registration, ...),
// addEventListener's fast path, importScripts, timers, queueMicrotask,
// atob, btoa and reportError.
(function (internals, host, global) {
  'use strict';
  const {
    Client, Clients, CrossOriginServiceWorkerClients, DOMException, EventTarget, WindowClient,
    ServiceWorker, ServiceWorkerRegistration, WorkerLocation, WorkerNavigator, addListener, clients,
    crossOriginClients, define, expose, getHandler, illegal, kListeners, kOnHandlerSet, kState,
    location, registration, reportException, serviceWorkerObject, setHandler, setSole, soleSlots, str
  } = internals;

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
      // that case skips addListener's checks and keeps the bare function
      // until its record is needed (listenerRecords: two objects fewer a
      // listener).
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
    serviceWorker: () => { const ref = host.selfWorker(); return ref === null ? null : serviceWorkerObject(ref[0], ref[1]); },
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
  expose('ServiceWorker', ServiceWorker);
  expose('Client', Client);
  expose('WindowClient', WindowClient);
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

  Object.assign(internals, {
    scriptState,
  });
})
