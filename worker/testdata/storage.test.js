importScripts('/harness.js');

// The Storage standard's API section: NavigatorStorage on WorkerNavigator,
// StorageManager [Exposed=(Window,Worker)] with persisted() and
// estimate() (persist() is [Exposed=Window]), StorageEstimate.

test(() => {
  const s = navigator.storage;
  assert_true(s instanceof StorageManager);
  assert_equals(navigator.storage, s, '[SameObject]');
  assert_equals(Object.prototype.toString.call(s), '[object StorageManager]');
  const d = Object.getOwnPropertyDescriptor(WorkerNavigator.prototype, 'storage');
  assert_true(d.enumerable && d.configurable && typeof d.get === 'function' && d.set === undefined, 'a readonly attribute');
  assert_throws_js(TypeError, () => d.get.call({}));
  assert_throws_js(TypeError, () => new StorageManager());
  assert_false(Object.getOwnPropertyDescriptor(self, 'StorageManager').enumerable, 'interface objects are not enumerable');
  for (const m of ['estimate', 'persisted']) {
    const md = Object.getOwnPropertyDescriptor(StorageManager.prototype, m);
    assert_true(md.enumerable && md.writable && md.configurable && typeof md.value === 'function', m + ' is an operation');
  }
  assert_false('persist' in s, 'persist() is exposed on Window only');
  assert_false('getDirectory' in s, 'no origin private file system');
}, 'navigator.storage is the realm\'s StorageManager, with the operations workers have');

promise_test(async () => {
  assert_equals(await navigator.storage.persisted(), false);
  await promise_rejects_js(null, TypeError, StorageManager.prototype.persisted.call({}));
  await promise_rejects_js(null, TypeError, StorageManager.prototype.estimate.call(undefined));
}, 'persisted() resolves to false (best-effort storage); a call on another object rejects with TypeError');

promise_test(async () => {
  const before = await navigator.storage.estimate();
  assert_array_equals(Object.keys(before), ['quota', 'usage', 'usageDetails']);
  assert_equals(before.quota, 256 * 1024 * 1024, 'the default quota');
  assert_true(Number.isInteger(before.usage) && before.usage >= 0);
  const base = before.usageDetails;

  const cache = await caches.open('estimate');
  await cache.put('/big', new Response('x'.repeat(100000)));
  const afterCache = await navigator.storage.estimate();
  assert_true(afterCache.usage >= before.usage + 100000, 'usage counts the stored body: ' + before.usage + ' then ' + afterCache.usage);
  assert_true(afterCache.usageDetails.caches >= (base.caches || 0) + 100000, 'usageDetails.caches');
  assert_equals(afterCache.usageDetails.indexedDB, base.indexedDB);
  assert_equals(afterCache.usage, (afterCache.usageDetails.caches || 0) + (afterCache.usageDetails.indexedDB || 0));

  const db = await new Promise((resolve, reject) => {
    const req = indexedDB.open('estimate', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  await new Promise((resolve, reject) => {
    const tx = db.transaction('s', 'readwrite');
    tx.objectStore('s').put('y'.repeat(50000), 1);
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error);
  });
  const afterIDB = await navigator.storage.estimate();
  assert_true(afterIDB.usageDetails.indexedDB >= (base.indexedDB || 0) + 50000, 'usageDetails.indexedDB');
  assert_equals(afterIDB.usageDetails.caches, afterCache.usageDetails.caches);

  db.close();
  await new Promise((resolve, reject) => {
    const req = indexedDB.deleteDatabase('estimate');
    req.onsuccess = resolve;
    req.onerror = () => reject(req.error);
  });
  await caches.delete('estimate');
  const after = await navigator.storage.estimate();
  assert_equals(after.usage, before.usage, 'deleting gives the bytes back');
  assert_equals(JSON.stringify(after.usageDetails), JSON.stringify(base));
}, 'estimate() reports the origin\'s caches and IndexedDB databases, in usage and usageDetails, and what deleting gives back');
