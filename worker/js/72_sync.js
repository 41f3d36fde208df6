// 72_sync.js: Background Synchronization and Periodic Background
// Synchronization: registration.sync (SyncManager), SyncEvent,
// registration.periodicSync (PeriodicSyncManager), PeriodicSyncEvent,
// built on first use. The tags are Go's (registry), persisted with the
// registration, which fires sync when the origin is online and retries it
// as Chromium does.
(function (internals, host, global) {
  'use strict';
  const {
    ExtendableEvent, ServiceWorkerRegistration, illegal, kState, lazy, str
  } = internals;

  const kFields = Symbol('sync');
  function fields(o, cls) {
    const f = o !== null && typeof o === 'object' ? o[kFields] : undefined;
    if (f === undefined || !(o instanceof cls)) throw new TypeError('Illegal invocation');
    return f;
  }
  function requireTag(init, name) {
    if (init === undefined || init === null || typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError("Failed to construct '" + name + "': 2 arguments required, but only 1 present.");
    }
    if (init.tag === undefined) throw new TypeError("Failed to construct '" + name + "': required member tag is undefined.");
    return str(init.tag);
  }

  const syncAPI = lazy(['SyncManager', 'SyncEvent', 'PeriodicSyncManager', 'PeriodicSyncEvent'], () => {
    class SyncManager {
      constructor(key) { if (key !== kState) illegal(); }
      register(tag) {
        if (arguments.length === 0) return Promise.reject(new TypeError("Failed to execute 'register' on 'SyncManager': 1 argument required, but only 0 present."));
        try { tag = str(tag); } catch (e) { return Promise.reject(e); }
        return host.syncRegister(tag);
      }
      getTags() { return host.syncTags(false); }
    }
    Object.defineProperty(SyncManager.prototype, Symbol.toStringTag, { value: 'SyncManager', configurable: true });
    class PeriodicSyncManager {
      constructor(key) { if (key !== kState) illegal(); }
      register(tag, options) {
        let minInterval = 0;
        try {
          if (arguments.length === 0) throw new TypeError("Failed to execute 'register' on 'PeriodicSyncManager': 1 argument required, but only 0 present.");
          tag = str(tag);
          if (options !== undefined && options !== null && typeof options !== 'object') throw new TypeError("Failed to execute 'register' on 'PeriodicSyncManager': The provided value is not of type 'BackgroundSyncOptions'.");
          if (options != null && options.minInterval !== undefined) {
            // [EnforceRange] unsigned long long.
            const n = Number(options.minInterval);
            if (!Number.isFinite(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) throw new TypeError("Failed to execute 'register' on 'PeriodicSyncManager': Value is outside the 'unsigned long long' value range.");
            minInterval = Math.trunc(n);
          }
        } catch (e) {
          return Promise.reject(e);
        }
        return host.periodicSyncRegister(tag, minInterval);
      }
      unregister(tag) {
        if (arguments.length === 0) return Promise.reject(new TypeError("Failed to execute 'unregister' on 'PeriodicSyncManager': 1 argument required, but only 0 present."));
        try { tag = str(tag); } catch (e) { return Promise.reject(e); }
        return host.periodicSyncUnregister(tag);
      }
      getTags() { return host.syncTags(true); }
    }
    Object.defineProperty(PeriodicSyncManager.prototype, Symbol.toStringTag, { value: 'PeriodicSyncManager', configurable: true });

    class SyncEvent extends ExtendableEvent {
      constructor(type, init) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'SyncEvent': 2 arguments required, but only 0 present.");
        const tag = requireTag(init, 'SyncEvent');
        const lastChance = !!init.lastChance;
        super(type, init);
        this[kFields] = { tag, lastChance };
      }
      get tag() { return fields(this, SyncEvent).tag; }
      get lastChance() { return fields(this, SyncEvent).lastChance; }
    }
    class PeriodicSyncEvent extends ExtendableEvent {
      constructor(type, init) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'PeriodicSyncEvent': 2 arguments required, but only 0 present.");
        const tag = requireTag(init, 'PeriodicSyncEvent');
        super(type, init);
        this[kFields] = { tag };
      }
      get tag() { return fields(this, PeriodicSyncEvent).tag; }
    }
    internals.functionalEvents.sync = {
      proto: SyncEvent.prototype,
      init(ev, init) { ev[kFields] = { tag: init.tag, lastChance: init.lastChance }; },
    };
    internals.functionalEvents.periodicsync = {
      proto: PeriodicSyncEvent.prototype,
      init(ev, init) { ev[kFields] = { tag: init.tag }; },
    };
    return {
      PeriodicSyncEvent, PeriodicSyncManager, SyncEvent, SyncManager,
      sync: new SyncManager(kState), periodicSync: new PeriodicSyncManager(kState),
    };
  });
  for (const name of ['sync', 'periodicSync']) {
    Object.defineProperty(ServiceWorkerRegistration.prototype, name, {
      get() {
        if (!(this instanceof ServiceWorkerRegistration)) throw new TypeError('Illegal invocation');
        return syncAPI()[name];
      },
      configurable: true, enumerable: true,
    });
  }
  internals.functionalLoaders.sync = syncAPI;
  internals.functionalLoaders.periodicsync = syncAPI;
})
