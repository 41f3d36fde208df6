// 70_location_clients.js: WorkerLocation, WorkerNavigator,
// ServiceWorkerRegistration, Client, Clients and
// CrossOriginServiceWorkerClients, and their instances.
(function (internals, host, global) {
  'use strict';
  const {
    Event, EventTarget, dispatch, domErr, eventHandler, illegal, kState, makeCrossOriginClient, requireArgs, str, transferArg, usv
  } = internals;

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
    get onLine() { return host.online(); }
    get hardwareConcurrency() { return 1; }
    get language() { return 'en-US'; }
    get languages() { return ['en-US']; }
  }

  class ServiceWorkerRegistration extends EventTarget {
    constructor(key) { if (key !== kState) illegal(); super(); }
    get scope() { return host.registration('scope'); }
    get scopePattern() { return host.registration('scopePattern'); }
    get updateViaCache() { return host.registration('updateViaCache') || 'imports'; }
    get installing() { return slotWorker('installing'); }
    get waiting() { return slotWorker('waiting'); }
    get active() { return slotWorker('active'); }
    get navigationPreload() { return navigationPreload; }
    update() { return host.registrationUpdate(); }
    unregister() { return host.registrationUnregister(); }
  }
  const registration = new ServiceWorkerRegistration(kState);
  // ServiceWorker objects: one per service worker of the registration in
  // this realm (the specification's service worker object map), made on
  // first use. state is read from Go, which fires statechange
  // (serviceWorkerStateChanged).
  const serviceWorkers = new Map();
  class ServiceWorker extends EventTarget {
    constructor(key) { if (key !== kState) illegal(); super(); }
    get scriptURL() { return workerState(this).scriptURL; }
    get state() { return host.serviceWorkerState(workerState(this).id); }
    postMessage(message, transfer) {
      host.serviceWorkerPost(workerState(this).id, message, transferArg(transfer));
    }
  }
  Object.defineProperty(ServiceWorker.prototype, 'postMessage', {
    value: requireArgs(ServiceWorker.prototype.postMessage, 'postMessage', "Failed to execute 'postMessage' on 'ServiceWorker': 1 argument required, but only 0 present."),
    writable: true, enumerable: true, configurable: true,
  });
  Object.defineProperty(ServiceWorker.prototype, Symbol.toStringTag, { value: 'ServiceWorker', configurable: true });
  eventHandler(ServiceWorker.prototype, 'statechange');
  eventHandler(ServiceWorkerRegistration.prototype, 'updatefound');
  eventHandler(ServiceWorker.prototype, 'error');
  function workerState(w) {
    const st = w !== null && typeof w === 'object' ? w[kState] : undefined;
    if (st === undefined || st.id === undefined) throw new TypeError('Illegal invocation');
    return st;
  }
  // serviceWorkerObject returns the ServiceWorker object of id in this
  // realm (Go calls it for message sources).
  function serviceWorkerObject(id, scriptURL) {
    let w = serviceWorkers.get(id);
    if (w === undefined) {
      w = new ServiceWorker(kState);
      w[kState] = { id, scriptURL };
      serviceWorkers.set(id, w);
    }
    return w;
  }
  // serviceWorkerStateChanged fires statechange at the ServiceWorker
  // object of id in this realm, if there is one (Go calls it).
  function serviceWorkerStateChanged(id) {
    const w = serviceWorkers.get(id);
    if (w !== undefined) dispatch(w, internals.newEvent('statechange', false, false), true);
  }
  // updateFound fires updatefound at the registration; during it,
  // registration.installing is the new worker (Go calls it).
  let installingNow = null;
  function updateFound(id, scriptURL) {
    installingNow = serviceWorkerObject(id, scriptURL);
    try {
      dispatch(registration, internals.newEvent('updatefound', false, false), true);
    } finally {
      installingNow = null;
    }
  }
  function slotWorker(slot) {
    if (slot === 'installing' && installingNow !== null) return installingNow;
    const ref = host.registrationWorker(slot);
    return ref === null ? null : serviceWorkerObject(ref[0], ref[1]);
  }
  // NavigationPreloadManager: the registration's navigation preload state
  // is Go's (registry), persisted with the registration.
  class NavigationPreloadManager {
    constructor(key) { if (key !== kState) illegal(); }
    enable() { return host.navigationPreloadSet(true, undefined); }
    disable() { return host.navigationPreloadSet(false, undefined); }
    setHeaderValue(value) {
      if (arguments.length === 0) return Promise.reject(new TypeError("Failed to execute 'setHeaderValue' on 'NavigationPreloadManager': 1 argument required, but only 0 present."));
      try {
        value = str(value);
        if (!host.isHeaderValue(value)) throw new TypeError("Failed to execute 'setHeaderValue' on 'NavigationPreloadManager': The provided value '" + value + "' is not a valid header value.");
      } catch (e) {
        return Promise.reject(e);
      }
      return host.navigationPreloadSet(undefined, value);
    }
    getState() { return host.navigationPreloadState(); }
  }
  Object.defineProperty(NavigationPreloadManager.prototype, Symbol.toStringTag, { value: 'NavigationPreloadManager', configurable: true });
  const navigationPreload = new NavigationPreloadManager(kState);

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
  // WindowClient: a window client, which a worker may focus and navigate
  // (focus only while handling a notification click).
  class WindowClient extends Client {
    get focused() { return windowState(this).focused; }
    get visibilityState() { return windowState(this).visibilityState; }
    get ancestorOrigins() { return windowState(this).ancestorOrigins; }
    focus() {
      let st;
      try { st = windowState(this); } catch (e) { return Promise.reject(e); }
      return host.clientFocus(st.id, clientFromGo);
    }
    navigate(url) {
      let st;
      try {
        st = windowState(this);
        if (arguments.length === 0) throw new TypeError("Failed to execute 'navigate' on 'WindowClient': 1 argument required, but only 0 present.");
        url = usv(url);
      } catch (e) { return Promise.reject(e); }
      return host.clientNavigate(st.id, url, clientFromGo);
    }
  }
  Object.defineProperty(WindowClient.prototype, Symbol.toStringTag, { value: 'WindowClient', configurable: true });
  function windowState(c) {
    const st = c !== null && typeof c === 'object' ? c[kState] : undefined;
    if (st === undefined || !(c instanceof WindowClient)) throw new TypeError('Illegal invocation');
    return st;
  }
  const noAncestors = Object.freeze([]);
  function clientFromGo(id, url, type, frameType, focused, visibilityState) {
    const c = Object.create(type === 'window' ? WindowClient.prototype : Client.prototype);
    c[kState] = type === 'window'
      ? { id, url, type, frameType, focused: !!focused, visibilityState: visibilityState || 'visible', ancestorOrigins: noAncestors }
      : { id, url, type, frameType };
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
    // openWindow opens a window client (the agent's); only while a
    // notificationclick event is active (Go checks: InvalidAccessError
    // otherwise).
    openWindow(url) {
      if (arguments.length === 0) return Promise.reject(new TypeError("Failed to execute 'openWindow' on 'Clients': 1 argument required, but only 0 present."));
      try { url = usv(url); } catch (e) { return Promise.reject(e); }
      return host.clientsOpenWindow(url, clientFromGo);
    }
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

  Object.assign(internals, {
    Client, Clients, CrossOriginServiceWorkerClients, NavigationPreloadManager, ServiceWorker, ServiceWorkerRegistration, WindowClient, clientFromGo,
    WorkerLocation, serviceWorkerObject, serviceWorkerStateChanged, updateFound,
    WorkerNavigator, clients, crossOriginClients, location, registration,
  });
})
