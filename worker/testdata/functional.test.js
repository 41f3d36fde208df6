importScripts('/harness.js');

// The functional events' interfaces, written from the Push API, Background
// Synchronization, Periodic Background Synchronization and Notifications
// API specifications. The services behind them (subscriptions, tags,
// shown notifications) are the registry's; here the worker has none, so
// calls that reach them reject with NotSupportedError.

test(() => {
  for (const name of ['PushManager', 'PushSubscription', 'PushSubscriptionOptions', 'PushMessageData', 'PushEvent',
    'PushSubscriptionChangeEvent', 'SyncManager', 'SyncEvent', 'PeriodicSyncManager', 'PeriodicSyncEvent',
    'Notification', 'NotificationEvent']) {
    assert_equals(typeof self[name], 'function', name);
    assert_false(Object.keys(self).includes(name), name + ' is not enumerable');
  }
  assert_true(registration.pushManager instanceof PushManager);
  assert_equals(registration.pushManager, registration.pushManager, '[SameObject]');
  assert_true(registration.sync instanceof SyncManager);
  assert_true(registration.periodicSync instanceof PeriodicSyncManager);
  assert_equals(typeof registration.showNotification, 'function');
  assert_equals(registration.showNotification.length, 1);
  assert_equals(typeof registration.getNotifications, 'function');
  assert_throws_js(TypeError, () => new PushManager());
  assert_throws_js(TypeError, () => new PushSubscription());
  assert_throws_js(TypeError, () => new SyncManager());
  assert_array_equals(PushManager.supportedContentEncodings, ['aes128gcm']);
  assert_true(Object.isFrozen(PushManager.supportedContentEncodings));
}, 'the interfaces exist, hang off the registration, and cannot be constructed by scripts');

test(() => {
  assert_equals(new PushEvent('push').data, null);
  const e = new PushEvent('push', { data: '{"a":1}' });
  assert_true(e instanceof ExtendableEvent);
  assert_true(e.data instanceof PushMessageData);
  assert_equals(e.data.text(), '{"a":1}');
  assert_equals(e.data.json().a, 1);
  assert_equals(e.data.arrayBuffer().byteLength, 7);
  assert_true(e.data.bytes() instanceof Uint8Array);
  assert_not_equals(e.data.bytes(), e.data.bytes(), 'a new value on every read');
  const buf = new Uint8Array([0xe2, 0x82, 0xac]);
  const b = new PushEvent('push', { data: buf });
  buf[0] = 0;
  assert_equals(b.data.text(), '\u20ac', 'the data is a copy');
  assert_true(b.data.blob() instanceof Blob);
  assert_equals(b.data.blob().size, 3);
  assert_equals(new PushEvent('push', { data: '\ud800' }).data.text(), '\ufffd', 'a USVString');
  assert_throws_js(SyntaxError, () => new PushEvent('push', { data: 'not json' }).data.json());
  assert_throws_js(TypeError, () => new PushEvent());
}, 'PushEvent and PushMessageData');

test(() => {
  const e = new SyncEvent('sync', { tag: 'outbox' });
  assert_equals(e.tag, 'outbox');
  assert_false(e.lastChance);
  assert_true(new SyncEvent('sync', { tag: 't', lastChance: 1 }).lastChance);
  assert_throws_js(TypeError, () => new SyncEvent('sync'));
  assert_throws_js(TypeError, () => new SyncEvent('sync', {}));
  assert_equals(new PeriodicSyncEvent('periodicsync', { tag: 'news' }).tag, 'news');
  assert_throws_js(TypeError, () => new PeriodicSyncEvent('periodicsync', {}));
  const c = new PushSubscriptionChangeEvent('pushsubscriptionchange');
  assert_equals(c.newSubscription, null);
  assert_equals(c.oldSubscription, null);
  assert_throws_js(TypeError, () => new PushSubscriptionChangeEvent('x', { newSubscription: {} }));
}, 'SyncEvent, PeriodicSyncEvent and PushSubscriptionChangeEvent');

test(() => {
  assert_throws_js(TypeError, () => new Notification('hi'), 'a service worker has no non-persistent notifications');
  assert_equals(Notification.permission, 'granted');
  assert_equals(Notification.maxActions, 2);
  assert_throws_js(TypeError, () => new NotificationEvent('notificationclick'));
  assert_throws_js(TypeError, () => new NotificationEvent('notificationclick', {}));
  assert_throws_js(TypeError, () => new NotificationEvent('notificationclick', { notification: {} }));
}, 'Notification cannot be constructed in a service worker; NotificationEvent needs a Notification');

promise_test(async (t) => {
  await promise_rejects_js(t, TypeError, registration.showNotification());
  await promise_rejects_js(t, TypeError, registration.showNotification('t', { renotify: true }), 'renotify needs a tag');
  await promise_rejects_js(t, TypeError, registration.showNotification('t', { silent: true, vibrate: [100] }), 'silent with a vibration pattern');
  await promise_rejects_js(t, TypeError, registration.showNotification('t', { dir: 'up' }));
  await promise_rejects_js(t, TypeError, registration.showNotification('t', { actions: [{ title: 'no action' }] }));
  await promise_rejects_dom(t, 'DataCloneError', registration.showNotification('t', { data: () => 1 }));
  await promise_rejects_dom(t, 'NotSupportedError', registration.showNotification('t', { data: { ok: 1 } }), 'valid, but this worker has no notification service');
  await promise_rejects_dom(t, 'NotSupportedError', registration.getNotifications());
  await promise_rejects_js(t, TypeError, registration.getNotifications(1));
}, 'showNotification checks its options before showing (create a notification)');

promise_test(async (t) => {
  await promise_rejects_dom(t, 'NotAllowedError', registration.pushManager.subscribe({ applicationServerKey: new Uint8Array(65) }), 'userVisibleOnly must be true');
  await promise_rejects_dom(t, 'NotAllowedError', registration.pushManager.permissionState());
  assert_equals(await registration.pushManager.permissionState({ userVisibleOnly: true }), 'granted');
  await promise_rejects_dom(t, 'NotSupportedError', registration.pushManager.getSubscription());
  await promise_rejects_dom(t, 'NotSupportedError', registration.sync.register('x'));
  await promise_rejects_js(t, TypeError, registration.sync.register());
  await promise_rejects_js(t, TypeError, registration.periodicSync.register('x', { minInterval: -1 }));
  await promise_rejects_js(t, TypeError, registration.periodicSync.register('x', 7));
  await promise_rejects_dom(t, 'NotSupportedError', registration.periodicSync.getTags());
}, 'pushManager, sync and periodicSync check their arguments');

promise_test(async (t) => {
  await promise_rejects_dom(t, 'InvalidAccessError', clients.openWindow('/page'), 'only during a notificationclick');
  await promise_rejects_js(t, TypeError, clients.openWindow('about:blank'));
  await promise_rejects_js(t, TypeError, clients.openWindow('http://['));
  await promise_rejects_js(t, TypeError, clients.openWindow());
}, 'clients.openWindow needs a user activation (a notification click)');

promise_test(async (t) => {
  assert_equals(typeof WindowClient, 'function');
  assert_true(WindowClient.prototype instanceof Client);
  assert_throws_js(TypeError, () => new WindowClient());
  await promise_rejects_js(t, TypeError, WindowClient.prototype.focus.call({}));
  await promise_rejects_js(t, TypeError, WindowClient.prototype.navigate.call({}, '/x'));
  assert_throws_js(TypeError, () => Object.getOwnPropertyDescriptor(WindowClient.prototype, 'focused').get.call({}));
}, 'WindowClient: focus and navigate check their receiver');
