// 32_indexeddb.js: IndexedDB (package indexeddb, bind_indexeddb.go):
// keys and IDBKeyRange, DOMStringList, IDBRequest, IDBOpenDBRequest,
// IDBVersionChangeEvent and IDBFactory (indexedDB). The classes of
// 33_indexeddb_transaction.js and 34_indexeddb_store.js join them in one
// group built on first use (34_indexeddb_store.js installs it).
(function (internals, host, global) {
  'use strict';
  const {
    Event, EventTarget, define, domErr, eventHandler, illegal, kState, requireArgsOn, str
  } = internals;

  // buildIDBRequests makes the classes of this file into api.
  function buildIDBRequests(api) {
    // toKey is the standard's "convert a value to a key", throwing a
    // DataError for an invalid key; the key is a Go handle.
    function toKey(v, what) {
      const k = host.idbKey(v);
      if (k === undefined) throw domErr('DataError', (what || 'The parameter') + ' is not a valid key.');
      return k;
    }
    const kKey = Symbol('key');

    class IDBKeyRange {
      constructor(key) {
        if (key !== kState) illegal();
        this[kState] = null;
      }
      get lower() { return this[kState].lv; }
      get upper() { return this[kState].uv; }
      get lowerOpen() { return this[kState].lo; }
      get upperOpen() { return this[kState].uo; }
      includes(key) {
        if (arguments.length < 1) throw new TypeError("Failed to execute 'includes' on 'IDBKeyRange': 1 argument required, but only 0 present.");
        const k = toKey(key), st = this[kState];
        if (st.l !== null) {
          const c = host.idbCmp(st.l, k);
          if (c > 0 || (c === 0 && st.lo)) return false;
        }
        if (st.u !== null) {
          const c = host.idbCmp(st.u, k);
          if (c < 0 || (c === 0 && st.uo)) return false;
        }
        return true;
      }
      static only(value) {
        const k = toKey(value);
        return makeRange(k, k, false, false);
      }
      static lowerBound(lower, open = false) {
        return makeRange(toKey(lower), null, !!open, true);
      }
      static upperBound(upper, open = false) {
        return makeRange(null, toKey(upper), true, !!open);
      }
      static bound(lower, upper, lowerOpen = false, upperOpen = false) {
        if (arguments.length < 2) throw new TypeError("Failed to execute 'bound' on 'IDBKeyRange': 2 arguments required, but only " + arguments.length + ' present.');
        const l = toKey(lower), u = toKey(upper);
        const c = host.idbCmp(l, u);
        if (c > 0 || (c === 0 && (lowerOpen || upperOpen))) throw domErr('DataError', 'The lower key is greater than the upper key, or they are equal and a bound is open.');
        return makeRange(l, u, !!lowerOpen, !!upperOpen);
      }
    }
    requireArgsOn(IDBKeyRange, 'IDBKeyRange', ['only', 'lowerBound', 'upperBound']);
    function makeRange(l, u, lo, uo) {
      const r = new IDBKeyRange(kState);
      r[kState] = { l, u, lo, uo, lv: l === null ? undefined : host.idbKeyValue(l), uv: u === null ? undefined : host.idbKeyValue(u) };
      return r;
    }
    // rangeArg is "convert a value to a key range", as the record Go
    // reads: [lower, upper, lowerOpen, upperOpen], or, for a range of
    // one number or string key, the key itself.
    function rangeArg(v, nullDisallowed) {
      const t = typeof v;
      if (t === 'string' || (t === 'number' && v === v)) return v;
      if (v instanceof IDBKeyRange) {
        const st = v[kState];
        return [st.l, st.u, st.lo, st.uo];
      }
      if (v === undefined || v === null) {
        if (nullDisallowed) throw domErr('DataError', 'No key or key range specified.');
        return [null, null, false, false];
      }
      const k = toKey(v);
      return [k, k, false, false];
    }

    // DOMStringList is a sorted list of names (object stores, indexes).
    class DOMStringList {
      constructor(key, names) {
        if (key !== kState) illegal();
        this[kState] = names;
        for (let i = 0; i < names.length; i++) Object.defineProperty(this, i, { value: names[i], enumerable: true });
      }
      get length() { return this[kState].length; }
      item(i) { const n = this[kState]; i = Number(i) >>> 0; return i < n.length ? n[i] : null; }
      contains(s) { return this[kState].includes(str(s)); }
      [Symbol.iterator]() { return this[kState][Symbol.iterator](); }
    }
    function nameList(names) { return new DOMStringList(kState, names.slice().sort(compareNames)); }
    // compareNames orders names by UTF-16 code units, as < does.
    function compareNames(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

    // A request's state (result, error, source, transaction, readyState)
    // is Go's (bind_indexeddb_transaction.go), and so are the getters, added by
    // 33_indexeddb_transaction.js. Go makes the requests of operations;
    // open and delete requests are made here.
    // So are its event handler attributes (onsuccess, onerror).
    class IDBRequest extends EventTarget {
      constructor(key) {
        if (key !== kState) illegal();
        super();
        host.idbNewRequest(this);
      }
    }
    class IDBOpenDBRequest extends IDBRequest {
      constructor(key) { if (key !== kState) illegal(); super(kState); }
    }
    eventHandler(IDBOpenDBRequest.prototype, 'blocked');
    eventHandler(IDBOpenDBRequest.prototype, 'upgradeneeded');

    const kVersions = Symbol('versions');
    class IDBVersionChangeEvent extends Event {
      constructor(type, init) {
        if (arguments.length === 0) throw new TypeError("Failed to construct 'IDBVersionChangeEvent': 1 argument required, but only 0 present.");
        super(type, init);
        const o = init == null ? {} : init;
        const nv = o.newVersion;
        this[kVersions] = [o.oldVersion === undefined ? 0 : versionNumber(o.oldVersion), nv === undefined || nv === null ? null : versionNumber(nv)];
      }
      get oldVersion() { return this[kVersions][0]; }
      get newVersion() { return this[kVersions][1]; }
    }
    function versionNumber(v) {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) throw new TypeError('Value is outside the unsigned long long range.');
      return Math.trunc(n);
    }

    // fireOpenEvent fires a version event at an open request (or a
    // connection).
    function fireVersionEvent(target, type, oldVersion, newVersion) {
      internals.listsInJS(target, type);
      const ev = new IDBVersionChangeEvent(type, { oldVersion, newVersion });
      internals.dispatchPath([target], ev);
      return ev;
    }
    // fireSimple fires a plain event along path; null when no target of
    // it listens (the event is not made).
    function fireSimple(path, type, bubbles, cancelable) {
      for (let j = 0; j < path.length; j++) internals.listsInJS(path[j], type);
      let i = 0;
      while (i < path.length && !internals.listens(path[i], type)) i++;
      if (i === path.length) return null;
      const ev = internals.newEvent(type, bubbles, cancelable);
      internals.dispatchPath(path, ev);
      return ev;
    }

    class IDBFactory {
      constructor(key) { if (key !== kState) illegal(); }
      open(name, version) {
        if (arguments.length < 1) throw new TypeError("Failed to execute 'open' on 'IDBFactory': 1 argument required, but only 0 present.");
        name = str(name);
        let v = 0;
        if (version !== undefined) {
          const n = Number(version);
          if (!Number.isFinite(n) || n < 0 || n > Number.MAX_SAFE_INTEGER) throw new TypeError("Failed to execute 'open' on 'IDBFactory': Value is outside the 'unsigned long long' value range.");
          v = Math.trunc(n);
          if (v === 0) throw new TypeError("Failed to execute 'open' on 'IDBFactory': The version provided must not be 0.");
        }
        const req = new IDBOpenDBRequest(kState);
        let db = null;
        host.idbOpen(name, v, {
          blocked(oldV, newV) { fireVersionEvent(req, 'blocked', oldV, newV); },
          upgrade(conn, txh, oldV, schema) {
            db = api.newDatabase(conn, name, schema);
            const tx = api.upgradeTransaction(db, txh, req, oldV);
            host.idbSetRequest(req, true, db, null, tx);
            return api.fireUpgrade(tx, req, oldV, schema.version);
          },
          done(conn, oldV, err) {
            if (err !== null) {
              host.idbSetRequest(req, true, undefined, err, null);
              fireSimple([req], 'error', true, true);
              return;
            }
            if (db === null) db = api.newDatabase(conn, name, host.idbSchema(conn));
            host.idbSetRequest(req, true, db, null, null);
            fireSimple([req], 'success', false, false);
          },
          versionchange(oldV, newV) {
            if (db !== null && !api.closePending(db)) fireVersionEvent(db, 'versionchange', oldV, newV);
          },
          forceclose() { if (db !== null) api.forceClosed(db); },
        });
        return req;
      }
      deleteDatabase(name) {
        if (arguments.length < 1) throw new TypeError("Failed to execute 'deleteDatabase' on 'IDBFactory': 1 argument required, but only 0 present.");
        const req = new IDBOpenDBRequest(kState);
        host.idbDeleteDatabase(str(name), {
          blocked(oldV) { fireVersionEvent(req, 'blocked', oldV, null); },
          done(oldV, err) {
            if (err !== null) {
              host.idbSetRequest(req, true, undefined, err, null);
              fireSimple([req], 'error', true, true);
              return;
            }
            host.idbSetRequest(req, true, undefined, null, null);
            fireVersionEvent(req, 'success', oldV, null);
          },
        });
        return req;
      }
      databases() { return host.idbDatabases(); }
      cmp(first, second) {
        if (arguments.length < 2) throw new TypeError("Failed to execute 'cmp' on 'IDBFactory': 2 arguments required, but only " + arguments.length + ' present.');
        return host.idbCmp(toKey(first, 'The first parameter'), toKey(second, 'The second parameter'));
      }
    }
    const indexedDB = new IDBFactory(kState);
    Object.defineProperty(IDBKeyRange.prototype, Symbol.toStringTag, { value: 'IDBKeyRange', configurable: true });

    Object.assign(api, {
      DOMStringList, IDBFactory, IDBKeyRange, IDBOpenDBRequest, IDBRequest, IDBVersionChangeEvent,
      compareNames, fireSimple, fireVersionEvent, indexedDB, kKey, nameList, rangeArg, toKey,
    });
  }

  Object.assign(internals, { buildIDBRequests });
})
