// 74_storage.js: StorageManager (Storage standard) and navigator.storage,
// built on first use. Workers get estimate() and persisted(); persist()
// is exposed on Window only, and getDirectory() (File System standard)
// is absent because swhost has no origin private file system, so that
// feature detection tells the truth.
(function (internals, host, global) {
  'use strict';
  const { WorkerNavigator, illegal, kState, lazy } = internals;

  const storageAPI = lazy(['StorageManager'], () => {
    let manager = null;
    class StorageManager {
      constructor(key) { if (key !== kState) illegal(); }
    }
    // brand rejects a call on anything but this realm's StorageManager:
    // WebIDL turns the TypeError of a promise-returning operation into
    // a rejection.
    const brand = (self) => self === manager ? null : Promise.reject(new TypeError('Illegal invocation'));
    const methods = {
      persisted() { return brand(this) || host.storagePersisted(); },
      // The dictionary's members in WebIDL order (quota, usage), then
      // Chromium's usageDetails, which lists the APIs using storage.
      estimate() {
        return brand(this) || host.storageEstimate().then((r) => {
          const details = {};
          if (r[2] > 0) details.caches = r[2];
          if (r[3] > 0) details.indexedDB = r[3];
          return { quota: r[1], usage: r[0], usageDetails: details };
        });
      },
    };
    for (const name of ['persisted', 'estimate']) {
      Object.defineProperty(StorageManager.prototype, name, { value: methods[name], writable: true, enumerable: true, configurable: true });
    }
    Object.defineProperty(StorageManager.prototype, Symbol.toStringTag, { value: 'StorageManager', configurable: true });
    manager = new StorageManager(kState);
    return { StorageManager, manager };
  });

  // NavigatorStorage: [SameObject] readonly attribute storage.
  Object.defineProperty(WorkerNavigator.prototype, 'storage', {
    get: Object.defineProperty(function () {
      if (!(this instanceof WorkerNavigator)) throw new TypeError('Illegal invocation');
      return storageAPI().manager;
    }, 'name', { value: 'get storage' }),
    enumerable: true, configurable: true,
  });
})
