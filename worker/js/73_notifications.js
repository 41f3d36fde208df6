// 73_notifications.js: the Notifications API as a service worker has it:
// Notification (its constructor throws in a service worker),
// registration.showNotification/getNotifications, NotificationEvent,
// built on first use. Shown notifications are Go's (registry), persisted
// with the registration; a click or a close is an event Go fires (swhost
// trigger notificationclick).
(function (internals, host, global) {
  'use strict';
  const {
    EventTarget, ExtendableEvent, ServiceWorkerRegistration, eventHandler, illegal, kState, lazy, location, str, usv
  } = internals;

  const kFields = Symbol('notification');
  function fields(o, cls) {
    const f = o !== null && typeof o === 'object' ? o[kFields] : undefined;
    if (f === undefined || !(o instanceof cls)) throw new TypeError('Illegal invocation');
    return f;
  }
  // maxActions is Chromium's.
  const maxActions = 2;
  // The Vibration API's limits, as Chromium sets them.
  const maxVibrateLength = 99, maxVibrateMillis = 10000;
  const directions = ['auto', 'ltr', 'rtl'];
  const what = "Failed to execute 'showNotification' on 'ServiceWorkerRegistration': ";

  // parseURL parses a URL against the API base URL (the worker's), or
  // gives undefined: a notification drops URLs that do not parse.
  function parseURL(v) {
    try { return new URL(usv(v), location.href).href; } catch (e) { return undefined; }
  }
  // vibratePattern is the Vibration API's "validate and normalize".
  function vibratePattern(v) {
    let p;
    if (v !== null && typeof v === 'object') {
      if (typeof v[Symbol.iterator] !== 'function') throw new TypeError(what + "The provided value cannot be converted to a sequence.");
      p = Array.from(v, x => Number(x) >>> 0);
    } else {
      p = [Number(v) >>> 0];
    }
    if (p.length > maxVibrateLength) p.length = maxVibrateLength;
    for (let i = 0; i < p.length; i++) if (p[i] > maxVibrateMillis) p[i] = maxVibrateMillis;
    if (p.length > 0 && p.length % 2 === 0) p.pop();
    return p;
  }
  // notificationRecord runs "create a notification" on title and the
  // NotificationOptions dictionary: the record Go keeps (data still a
  // JavaScript value; Go serializes it for storage).
  function notificationRecord(title, o) {
    if (o !== undefined && o !== null && typeof o !== 'object' && typeof o !== 'function') throw new TypeError(what + "The provided value is not of type 'NotificationOptions'.");
    o = o == null ? {} : o;
    // NotificationOptions members in WebIDL (lexicographic) order.
    const actionsIn = o.actions, badge = o.badge, body = o.body, data = o.data, dir = o.dir, icon = o.icon,
      image = o.image, lang = o.lang, navigate = o.navigate, renotify = o.renotify, requireInteraction = o.requireInteraction,
      silent = o.silent, tag = o.tag, timestamp = o.timestamp, vibrate = o.vibrate;
    const r = {
      title: str(title),
      dir: dir === undefined ? 'auto' : str(dir),
      lang: lang === undefined ? '' : str(lang),
      body: body === undefined ? '' : str(body),
      tag: tag === undefined ? '' : str(tag),
      renotify: !!renotify,
      silent: silent === undefined || silent === null ? null : !!silent,
      requireInteraction: !!requireInteraction,
      timestamp: timestamp === undefined ? Date.now() : Math.trunc(Number(timestamp)) || 0,
      data: data === undefined ? null : data,
      navigate: navigate === undefined ? '' : (parseURL(navigate) || ''),
      image: image === undefined ? '' : (parseURL(image) || ''),
      icon: icon === undefined ? '' : (parseURL(icon) || ''),
      badge: badge === undefined ? '' : (parseURL(badge) || ''),
      vibrate: vibrate === undefined ? [] : vibratePattern(vibrate),
      actions: [],
    };
    if (!directions.includes(r.dir)) throw new TypeError(what + "The provided value '" + r.dir + "' is not a valid enum value of type NotificationDirection.");
    if (r.silent === true && vibrate !== undefined) throw new TypeError(what + 'Silent notifications must not specify vibration patterns.');
    if (r.renotify && r.tag === '') throw new TypeError(what + 'Notifications which set the renotify flag must specify a non-empty tag.');
    if (actionsIn !== undefined && actionsIn !== null) {
      if (typeof actionsIn !== 'object' || typeof actionsIn[Symbol.iterator] !== 'function') throw new TypeError(what + 'The provided value cannot be converted to a sequence.');
      for (const a of actionsIn) {
        if (a === null || typeof a !== 'object') throw new TypeError(what + "The provided value is not of type 'NotificationAction'.");
        if (a.action === undefined) throw new TypeError(what + 'required member action is undefined.');
        if (a.title === undefined) throw new TypeError(what + 'required member title is undefined.');
        const action = { action: str(a.action), icon: a.icon === undefined ? '' : (parseURL(a.icon) || ''), navigate: a.navigate === undefined ? '' : (parseURL(a.navigate) || ''), title: str(a.title) };
        if (r.actions.length < maxActions) r.actions.push(action);
      }
    }
    return r;
  }

  const notificationAPI = lazy(['Notification', 'NotificationEvent'], () => {
    class Notification extends EventTarget {
      constructor(title) {
        // A service worker has no non-persistent notifications.
        super();
        throw new TypeError("Failed to construct 'Notification': Illegal constructor. Use ServiceWorkerRegistration.showNotification() instead.");
      }
      static get permission() { return 'granted'; }
      static get maxActions() { return maxActions; }
      get title() { return fields(this, Notification).title; }
      get dir() { return fields(this, Notification).dir; }
      get lang() { return fields(this, Notification).lang; }
      get body() { return fields(this, Notification).body; }
      get navigate() { return fields(this, Notification).navigate; }
      get tag() { return fields(this, Notification).tag; }
      get image() { return fields(this, Notification).image; }
      get icon() { return fields(this, Notification).icon; }
      get badge() { return fields(this, Notification).badge; }
      get vibrate() { return fields(this, Notification).vibrate; }
      get timestamp() { return fields(this, Notification).timestamp; }
      get renotify() { return fields(this, Notification).renotify; }
      get silent() { return fields(this, Notification).silent; }
      get requireInteraction() { return fields(this, Notification).requireInteraction; }
      get data() { return fields(this, Notification).data; }
      get actions() { return fields(this, Notification).actions; }
      close() { host.notificationClose(fields(this, Notification).id); }
    }
    Object.defineProperty(Notification.prototype, Symbol.toStringTag, { value: 'Notification', configurable: true });
    for (const t of ['click', 'show', 'error', 'close']) eventHandler(Notification.prototype, t);
    // notificationFromGo makes a Notification object of a record Go
    // returns (data already deserialized in this realm).
    function notificationFromGo(r) {
      const n = Object.create(Notification.prototype);
      n[kFields] = {
        id: r.id, title: r.title, dir: r.dir, lang: r.lang, body: r.body, navigate: r.navigate, tag: r.tag,
        image: r.image, icon: r.icon, badge: r.badge, vibrate: Object.freeze(Array.from(r.vibrate)),
        timestamp: r.timestamp, renotify: r.renotify, silent: r.silent, requireInteraction: r.requireInteraction,
        data: r.data, actions: Object.freeze(Array.from(r.actions, a => Object.freeze({ action: a.action, title: a.title, icon: a.icon, navigate: a.navigate }))),
      };
      return n;
    }
    class NotificationEvent extends ExtendableEvent {
      constructor(type, init) {
        if (arguments.length < 2) throw new TypeError("Failed to construct 'NotificationEvent': 2 arguments required, but only " + arguments.length + ' present.');
        if (init === null || typeof init !== 'object') throw new TypeError("Failed to construct 'NotificationEvent': The provided value is not of type 'NotificationEventInit'.");
        // NotificationEventInit in WebIDL order: action, notification.
        const action = init.action === undefined ? '' : str(init.action);
        const notification = init.notification;
        if (notification === undefined) throw new TypeError("Failed to construct 'NotificationEvent': required member notification is undefined.");
        if (!(notification instanceof Notification)) throw new TypeError("Failed to construct 'NotificationEvent': member notification is not of type Notification.");
        super(type, init);
        this[kFields] = { notification, action };
      }
      get notification() { return fields(this, NotificationEvent).notification; }
      get action() { return fields(this, NotificationEvent).action; }
    }
    const fromGo = {
      proto: NotificationEvent.prototype,
      init(ev, init) { ev[kFields] = { notification: notificationFromGo(init.notification), action: init.action }; },
    };
    internals.functionalEvents.notificationclick = fromGo;
    internals.functionalEvents.notificationclose = fromGo;
    return { Notification, NotificationEvent, notificationFromGo };
  });

  const showNotification = function showNotification(title, options) {
    let r;
    try {
      if (!(this instanceof ServiceWorkerRegistration)) throw new TypeError('Illegal invocation');
      if (arguments.length === 0) throw new TypeError(what + '1 argument required, but only 0 present.');
      r = notificationRecord(title, options);
      // Go serializes r.data here: a DataCloneError rejects.
      return host.notificationShow(r);
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const getNotifications = function getNotifications(filter) {
    let tag = '';
    try {
      if (!(this instanceof ServiceWorkerRegistration)) throw new TypeError('Illegal invocation');
      if (filter !== undefined && filter !== null && typeof filter !== 'object') throw new TypeError("Failed to execute 'getNotifications' on 'ServiceWorkerRegistration': The provided value is not of type 'GetNotificationOptions'.");
      if (filter != null && filter.tag !== undefined) tag = str(filter.tag);
    } catch (e) {
      return Promise.reject(e);
    }
    return host.notificationList(tag, notificationAPI().notificationFromGo);
  };
  Object.defineProperty(showNotification, 'length', { value: 1 });
  Object.defineProperty(getNotifications, 'length', { value: 0 });
  for (const [name, fn] of [['showNotification', showNotification], ['getNotifications', getNotifications]]) {
    Object.defineProperty(ServiceWorkerRegistration.prototype, name, { value: fn, writable: true, enumerable: true, configurable: true });
  }
  internals.functionalLoaders.notificationclick = notificationAPI;
  internals.functionalLoaders.notificationclose = notificationAPI;
})
