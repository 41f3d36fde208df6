// 71_push.js: the Push API: registration.pushManager (PushManager),
// PushSubscription, PushSubscriptionOptions, PushMessageData, PushEvent
// and PushSubscriptionChangeEvent, built on first use. The registration's
// subscription is Go's (registry), persisted with the registration; a
// push message is an event Go fires (swhost trigger push).
(function (internals, host, global) {
  'use strict';
  const {
    ExtendableEvent, ServiceWorkerRegistration, blobAPI, bufferBytes, decodeUTF8, domErr, encodeUTF8,
    illegal, kState, lazy, str
  } = internals;

  // The functional events' registry, filled by this file and the next
  // ones: functionalLoaders[type] loads the group that defines the event,
  // functionalEvents[type] = {proto, init(ev, goInit)} makes its fields
  // from what Go passes (see entryPoints.functional).
  Object.assign(internals, { functionalEvents: {}, functionalLoaders: {} });
  const kFields = Symbol('push');
  function fields(o, cls) {
    const f = o !== null && typeof o === 'object' ? o[kFields] : undefined;
    if (f === undefined || !(o instanceof cls)) throw new TypeError('Illegal invocation');
    return f;
  }
  function copyBuffer(u8) { return u8.slice().buffer; }

  const pushAPI = lazy(['PushManager', 'PushSubscription', 'PushSubscriptionOptions', 'PushMessageData', 'PushEvent', 'PushSubscriptionChangeEvent'], () => {
    class PushSubscriptionOptions {
      constructor() { illegal(); }
      get userVisibleOnly() { return fields(this, PushSubscriptionOptions).userVisibleOnly; }
      // applicationServerKey is the same ArrayBuffer on every read, as
      // [SameObject] says.
      get applicationServerKey() { return fields(this, PushSubscriptionOptions).key; }
    }
    class PushSubscription {
      constructor() { illegal(); }
      get endpoint() { return fields(this, PushSubscription).endpoint; }
      get expirationTime() { return fields(this, PushSubscription).expirationTime; }
      get options() { return fields(this, PushSubscription).options; }
      getKey(name) {
        const f = fields(this, PushSubscription);
        if (arguments.length === 0) throw new TypeError("Failed to execute 'getKey' on 'PushSubscription': 1 argument required, but only 0 present.");
        name = str(name);
        if (name === 'p256dh') return copyBuffer(f.p256dh);
        if (name === 'auth') return copyBuffer(f.auth);
        throw new TypeError("Failed to execute 'getKey' on 'PushSubscription': The provided value '" + name + "' is not a valid enum value of type PushEncryptionKeyName.");
      }
      unsubscribe() {
        let f;
        try { f = fields(this, PushSubscription); } catch (e) { return Promise.reject(e); }
        return host.pushUnsubscribe(f.endpoint);
      }
      toJSON() {
        const f = fields(this, PushSubscription);
        return { endpoint: f.endpoint, expirationTime: f.expirationTime, keys: { p256dh: host.base64url(f.p256dh), auth: host.base64url(f.auth) } };
      }
    }
    Object.defineProperty(PushSubscription.prototype, Symbol.toStringTag, { value: 'PushSubscription', configurable: true });
    Object.defineProperty(PushSubscriptionOptions.prototype, Symbol.toStringTag, { value: 'PushSubscriptionOptions', configurable: true });
    // subscriptionFromGo makes a PushSubscription of the record Go
    // returns: {endpoint, expirationTime, userVisibleOnly, key, p256dh,
    // auth}, the last three Uint8Arrays.
    function subscriptionFromGo(r) {
      if (r === null || r === undefined) return null;
      const options = Object.create(PushSubscriptionOptions.prototype);
      options[kFields] = { userVisibleOnly: r.userVisibleOnly, key: r.key === null ? null : copyBuffer(r.key) };
      const s = Object.create(PushSubscription.prototype);
      s[kFields] = { endpoint: r.endpoint, expirationTime: r.expirationTime, options, p256dh: r.p256dh, auth: r.auth };
      return s;
    }

    class PushManager {
      constructor(key) { if (key !== kState) illegal(); }
      static get supportedContentEncodings() { return supported; }
      subscribe(options) {
        let visible, key;
        try {
          if (options !== undefined && options !== null && typeof options !== 'object') throw new TypeError("Failed to execute 'subscribe' on 'PushManager': The provided value is not of type 'PushSubscriptionOptionsInit'.");
          // PushSubscriptionOptionsInit in WebIDL order: applicationServerKey,
          // userVisibleOnly.
          key = options == null ? undefined : options.applicationServerKey;
          visible = options == null ? false : !!options.userVisibleOnly;
          requireVisible(visible, 'subscribe');
          if (key === undefined || key === null) key = null;
          else if (typeof key === 'string') key = str(key);
          else {
            const b = bufferBytes(key);
            if (b === null) key = str(key);
            else key = b.slice();
          }
        } catch (e) {
          return Promise.reject(e);
        }
        return host.pushSubscribe(visible, key, subscriptionFromGo);
      }
      getSubscription() { return host.pushSubscription(subscriptionFromGo); }
      permissionState(options) {
        if (options !== undefined && options !== null && typeof options !== 'object') return Promise.reject(new TypeError("Failed to execute 'permissionState' on 'PushManager': The provided value is not of type 'PushSubscriptionOptionsInit'."));
        try { requireVisible(options != null && !!options.userVisibleOnly, 'permissionState'); } catch (e) { return Promise.reject(e); }
        return Promise.resolve('granted');
      }
    }
    const supported = Object.freeze(['aes128gcm']);
    // requireVisible: as in Chromium, every push must show a notification
    // (userVisibleOnly: true); the specification lets a user agent refuse
    // the other kind.
    function requireVisible(visible, what) {
      if (!visible) throw domErr('NotAllowedError', "Failed to execute '" + what + "' on 'PushManager': only subscriptions with userVisibleOnly: true are supported (every push message must show a notification).");
    }
    Object.defineProperty(PushManager.prototype, Symbol.toStringTag, { value: 'PushManager', configurable: true });
    const pushManager = new PushManager(kState);

    // PushMessageData: the push message's bytes; every read returns a new
    // value.
    class PushMessageData {
      constructor() { illegal(); }
      arrayBuffer() { return copyBuffer(fields(this, PushMessageData).bytes); }
      bytes() { return fields(this, PushMessageData).bytes.slice(); }
      blob() { return new (blobAPI().Blob)([fields(this, PushMessageData).bytes]); }
      json() { return JSON.parse(decodeUTF8(fields(this, PushMessageData).bytes)); }
      text() { return decodeUTF8(fields(this, PushMessageData).bytes); }
    }
    Object.defineProperty(PushMessageData.prototype, Symbol.toStringTag, { value: 'PushMessageData', configurable: true });
    function messageData(bytes) {
      const d = Object.create(PushMessageData.prototype);
      d[kFields] = { bytes };
      return d;
    }
    // pushData converts PushMessageDataInit (BufferSource or USVString).
    function pushData(v) {
      if (v === undefined || v === null) return null;
      const b = bufferBytes(v);
      return messageData(b === null ? encodeUTF8(host.toUSV(str(v))) : b.slice());
    }
    class PushEvent extends ExtendableEvent {
      constructor(type, init) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'PushEvent': 1 argument required, but only 0 present.");
        if (init !== undefined && init !== null && typeof init !== 'object') throw new TypeError("Failed to construct 'PushEvent': The provided value is not of type 'PushEventInit'.");
        super(type, init);
        this[kFields] = { data: pushData(init == null ? undefined : init.data) };
      }
      get data() { return fields(this, PushEvent).data; }
    }
    class PushSubscriptionChangeEvent extends ExtendableEvent {
      constructor(type, init) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'PushSubscriptionChangeEvent': 1 argument required, but only 0 present.");
        if (init !== undefined && init !== null && typeof init !== 'object') throw new TypeError("Failed to construct 'PushSubscriptionChangeEvent': The provided value is not of type 'PushSubscriptionChangeEventInit'.");
        const check = (v, what) => {
          if (v === undefined || v === null) return null;
          if (!(v instanceof PushSubscription)) throw new TypeError("Failed to construct 'PushSubscriptionChangeEvent': member " + what + ' is not of type PushSubscription.');
          return v;
        };
        const newSubscription = check(init == null ? undefined : init.newSubscription, 'newSubscription');
        const oldSubscription = check(init == null ? undefined : init.oldSubscription, 'oldSubscription');
        super(type, init);
        this[kFields] = { newSubscription, oldSubscription };
      }
      get newSubscription() { return fields(this, PushSubscriptionChangeEvent).newSubscription; }
      get oldSubscription() { return fields(this, PushSubscriptionChangeEvent).oldSubscription; }
    }
    // Events Go fires (the functional entry point): their fields from
    // Go's init, {data: Uint8Array|null} for push, {newSubscription,
    // oldSubscription} subscription records for pushsubscriptionchange.
    internals.functionalEvents.push = {
      proto: PushEvent.prototype,
      init(ev, init) { ev[kFields] = { data: init.data === null ? null : messageData(init.data) }; },
    };
    internals.functionalEvents.pushsubscriptionchange = {
      proto: PushSubscriptionChangeEvent.prototype,
      init(ev, init) {
        ev[kFields] = { newSubscription: subscriptionFromGo(init.newSubscription), oldSubscription: subscriptionFromGo(init.oldSubscription) };
      },
    };
    return { PushEvent, PushManager, PushMessageData, PushSubscription, PushSubscriptionChangeEvent, PushSubscriptionOptions, pushManager };
  });
  Object.defineProperty(ServiceWorkerRegistration.prototype, 'pushManager', {
    get() {
      if (!(this instanceof ServiceWorkerRegistration)) throw new TypeError('Illegal invocation');
      return pushAPI().pushManager;
    },
    configurable: true, enumerable: true,
  });
  internals.functionalLoaders.push = pushAPI;
  internals.functionalLoaders.pushsubscriptionchange = pushAPI;
})
