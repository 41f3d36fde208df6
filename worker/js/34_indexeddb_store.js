// 34_indexeddb_store.js: IndexedDB's IDBObjectStore, IDBIndex, IDBCursor
// and IDBCursorWithValue, and the global names of the whole API, built on
// first use.
(function (internals, host, global) {
  'use strict';
  const {
    define, domErr, illegal, kState, lazy, requireArgsOn, str
  } = internals;

  function buildIDBStores(api) {
    const { checkActive, nameList, rangeArg, toKey, upgradeOfTx } = api;

    function need(args, n, cls, method) {
      if (args.length < n) throw new TypeError("Failed to execute '" + method + "' on '" + cls + "': " + n + ' argument' + (n > 1 ? 's' : '') + ' required, but only ' + args.length + ' present.');
    }
    function count(v) {
      if (v === undefined) return 0;
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0 || n > 4294967295) throw new TypeError("Value is outside the 'unsigned long' value range.");
      return Math.trunc(n);
    }
    function direction(v) {
      const d = v === undefined ? 'next' : str(v);
      if (d !== 'next' && d !== 'nextunique' && d !== 'prev' && d !== 'prevunique') throw new TypeError("The provided value '" + d + "' is not a valid enum value of type IDBCursorDirection.");
      return d;
    }
    // keyPathValue returns a key path as the keyPath attributes show it
    // (the same array object every time).
    function keyPathValue(st) {
      const kp = st.meta.keyPath;
      if (!Array.isArray(kp)) return kp;
      if (st.kpArray === undefined) st.kpArray = kp.slice();
      return st.kpArray;
    }

    class IDBObjectStore {
      constructor(key) { if (key !== kState) illegal(); this[kState] = null; }
      get name() { return this[kState].meta.name; }
      set name(v) {
        v = str(v);
        const st = this[kState];
        if (host.idbTxMode(st.tx) !== 'versionchange') throw domErr('InvalidStateError', 'Not in a version change transaction.');
        if (st.meta.deleted) throw domErr('InvalidStateError', 'The object store has been deleted.');
        checkActive(st.tx);
        if (st.meta.name === v) return;
        const stores = host.idbTxDb(st.tx)[kState].stores;
        if (stores.has(v)) throw domErr('ConstraintError', 'An object store with the specified name already exists.');
        stores.delete(st.meta.name);
        host.idbKeepHandle(st.tx, st.meta.name, undefined);
        st.meta.name = v;
        stores.set(v, st.meta);
        host.idbKeepHandle(st.tx, v, this);
        host.idbSchemaOp(st.tx, 'renameStore', st.meta.id, 0, v, api.schemaDone(st.tx));
      }
      get keyPath() { return keyPathValue(this[kState]); }
      get indexNames() { return nameList(Array.from(this[kState].meta.indexes.keys())); }
      get transaction() { return this[kState].tx; }
      get autoIncrement() { return this[kState].meta.autoIncrement; }
      // WebIDL: an optional argument passed as undefined is missing.
      put(value, key) { return store(this, value, key, key !== undefined, false); }
      add(value, key) { return store(this, value, key, key !== undefined, true); }
      delete(query) {
        const st = writable(this);
        const r = rangeArg(query, true);
        return host.idbDelete(st.tx, st.meta.id, r, this);
      }
      clear() {
        const st = writable(this);
        return host.idbClear(st.tx, st.meta.id, this);
      }
      get(query) { return read(this, 'get', query, true, 0); }
      getKey(query) { return read(this, 'getKey', query, true, 0); }
      getAll(query, n) { return readMany(this, 'getAll', query, count(n)); }
      getAllKeys(query, n) { return readMany(this, 'getAllKeys', query, count(n)); }
      getAllRecords(options) { return getAllRecords(this, options); }
      count(query) { return read(this, 'count', query, false, 0); }
      openCursor(query, dir) { return openCursor(this, query, dir, false); }
      openKeyCursor(query, dir) { return openCursor(this, query, dir, true); }
      index(name) {
        name = str(name);
        const st = this[kState];
        if (st.meta.deleted) throw domErr('InvalidStateError', 'The object store has been deleted.');
        if (host.idbTxFinished(st.tx)) throw domErr('InvalidStateError', 'The transaction has finished.');
        let h = st.indexes === null ? undefined : st.indexes.get(name);
        if (h !== undefined) return h;
        const meta = st.meta.indexes.get(name);
        if (meta === undefined) throw domErr('NotFoundError', 'The specified index was not found.');
        h = new IDBIndex(kState);
        h[kState] = { store: this, meta, tx: st.tx };
        if (st.indexes === null) st.indexes = new Map();
        st.indexes.set(name, h);
        const up = upgradeOfTx(st.tx);
        if (up !== undefined) up.handles.push(h);
        return h;
      }
      createIndex(name, keyPath, options) {
        need(arguments, 2, 'IDBObjectStore', 'createIndex');
        name = str(name);
        keyPath = api.normalizeKeyPath(keyPath);
        const o = options == null ? {} : options;
        const multiEntry = !!o.multiEntry, unique = !!o.unique;
        const st = this[kState];
        if (host.idbTxMode(st.tx) !== 'versionchange') throw domErr('InvalidStateError', 'Not in a version change transaction.');
        if (st.meta.deleted) throw domErr('InvalidStateError', 'The object store has been deleted.');
        checkActive(st.tx);
        if (st.meta.indexes.has(name)) throw domErr('ConstraintError', 'An index with the specified name already exists.');
        if (keyPath === null || !host.idbValidKeyPath(keyPath)) throw domErr('SyntaxError', 'The keyPath argument contains an invalid key path.');
        if (multiEntry && Array.isArray(keyPath)) throw domErr('InvalidAccessError', 'The keyPath argument was an array and the multiEntry option is true.');
        const id = host.idbCreateIndex(st.tx, st.meta.id, name, keyPath, unique, multiEntry, api.schemaDone(st.tx));
        st.meta.indexes.set(name, { id, name, keyPath, unique, multiEntry, deleted: false });
        return this.index(name);
      }
      deleteIndex(name) {
        need(arguments, 1, 'IDBObjectStore', 'deleteIndex');
        name = str(name);
        const st = this[kState];
        if (host.idbTxMode(st.tx) !== 'versionchange') throw domErr('InvalidStateError', 'Not in a version change transaction.');
        if (st.meta.deleted) throw domErr('InvalidStateError', 'The object store has been deleted.');
        checkActive(st.tx);
        const meta = st.meta.indexes.get(name);
        if (meta === undefined) throw domErr('NotFoundError', 'The specified index was not found.');
        st.meta.indexes.delete(name);
        meta.deleted = true;
        if (st.indexes !== null) st.indexes.delete(name);
        host.idbSchemaOp(st.tx, 'deleteIndex', st.meta.id, meta.id, '', api.schemaDone(st.tx));
      }
    }
    requireArgsOn(IDBObjectStore.prototype, 'IDBObjectStore', ['put', 'add', 'delete', 'get', 'getKey', 'index']);
    // An object store handle's state is {tx, meta, indexes, kpArray}:
    // indexes, the index handles by name, made on first index(). Go makes
    // handles (idbObjectStore, idbStoreHandle), their state an object of
    // this prototype.
    host.idbInitStores({
      storeProto: IDBObjectStore.prototype,
      storeStateProto: { indexes: null, kpArray: undefined },
      upgradeHandle(tx, h) { upgradeOfTx(tx).handles.push(h); },
    });
    // revertHandles is the part of "abort an upgrade transaction" about
    // handles: every object store and index handle of the upgrade whose
    // store or index was not created by it gets its name (and the rest
    // of its metadata) back from the schema the upgrade started with.
    // Handles of what the upgrade created keep theirs.
    function revertHandles(up) {
      const stores = new Map(), indexes = new Map();
      for (const m of up.stores.values()) {
        stores.set(m.id, m);
        for (const ix of m.indexes.values()) indexes.set(ix.id, ix);
      }
      for (const h of up.handles) {
        const hs = h[kState];
        const orig = (h instanceof IDBIndex ? indexes : stores).get(hs.meta.id);
        if (orig !== undefined) {
          hs.meta = orig;
        }
      }
    }
    // usable returns a handle's state after the checks of a request on
    // it, in the standard's order: the store deleted, the transaction
    // not active, then (write) a read-only transaction.
    function usable(st, write) {
      if (st.meta.deleted) throw domErr('InvalidStateError', 'The object store has been deleted.');
      host.idbTxCheck(st.tx, write === true);
      return st;
    }
    function writable(s) { return usable(s[kState], true); }
    // store is put and add: the checks the standard makes before
    // cloning, then Go clones and extracts the in-line key.
    function store(s, value, key, hasKey, noOverwrite) {
      const st = writable(s), meta = st.meta;
      if (meta.keyPath !== null && hasKey) throw domErr('DataError', 'The object store uses in-line keys and the key parameter was provided.');
      if (meta.keyPath === null && !meta.autoIncrement && !hasKey) throw domErr('DataError', 'The object store uses out-of-line keys and has no key generator and the key parameter was not provided.');
      // A number or string key goes to Go as it is (no handle).
      const k = !hasKey ? undefined : typeof key === 'string' || (typeof key === 'number' && key === key) ? key : toKey(key);
      // Go clones the value with the transaction inactive (getters may
      // run), and places the request once that succeeded.
      return host.idbPut(st.tx, meta.id, meta.keyPath, meta.autoIncrement, value, k, noOverwrite, undefined, s);
    }
    function read(s, kind, query, nullDisallowed, n) {
      const st = usable(s[kState]);
      const r = rangeArg(query, nullDisallowed);
      return readRange(s, st, kind, r, n, undefined, undefined);
    }
    // readRange queues a read; wrap, when given, makes the request's
    // result from the records (getAllRecords).
    function readRange(s, st, kind, r, n, dir, wrap) {
      const isIndex = s instanceof IDBIndex;
      const idx = isIndex ? st.meta.id : 0;
      const storeId = isIndex ? st.store[kState].meta.id : st.meta.id;
      return host.idbRead(st.tx, kind, storeId, idx, r, n, dir, s, wrap);
    }
    // getAllOptions is WebIDL's conversion of a value to an
    // IDBGetAllOptions dictionary ({query, count, direction}; count
    // undefined when absent), its members read in lexicographic order.
    function getAllOptions(v) {
      if (v === undefined || v === null) return { query: null, count: undefined, direction: 'next' };
      if (typeof v !== 'object' && typeof v !== 'function') throw new TypeError("The provided value is not of type 'IDBGetAllOptions'.");
      const n = v.count === undefined ? undefined : count(v.count);
      const d = direction(v.direction);
      const q = v.query;
      return { query: q === undefined ? null : q, count: n, direction: d };
    }
    // potentiallyRange is "is a potentially valid key range": a key
    // range, or a value that converting to a key does not call an
    // invalid type.
    function potentiallyRange(v) {
      if (v instanceof api.IDBKeyRange) return true;
      const t = typeof v;
      if (t === 'number' || t === 'string') return true;
      if (t !== 'object' || v === null) return false;
      return v instanceof Date || Array.isArray(v) || v instanceof ArrayBuffer || ArrayBuffer.isView(v) ||
        (typeof SharedArrayBuffer === 'function' && v instanceof SharedArrayBuffer);
    }
    // readMany is "create a request to retrieve multiple items" (getAll,
    // getAllKeys, getAllRecords): a query and a count, or an
    // IDBGetAllOptions in their place. options is getAllRecords'
    // dictionary, already converted.
    function readMany(s, kind, queryOrOptions, n, options, wrap) {
      const st = usable(s[kState]);
      if (options === undefined && potentiallyRange(queryOrOptions)) {
        return readRange(s, st, kind, rangeArg(queryOrOptions, false), n, 'next', wrap);
      }
      // The dictionary's count, when it has one, replaces the argument:
      // getAll(undefined, n) and getAll(null, n) keep their count.
      const o = options === undefined ? getAllOptions(queryOrOptions) : options;
      return readRange(s, st, kind, rangeArg(o.query, false), o.count === undefined ? n : o.count, o.direction, wrap);
    }
    function getAllRecords(s, options) {
      return readMany(s, 'getAllRecords', undefined, 0, getAllOptions(options), recordList);
    }
    function recordList(list) { return list.map((t) => newRecord(t[0], t[1], t[2])); }
    class IDBRecord {
      constructor(key) { if (key !== kState) illegal(); this[kState] = null; }
      get key() { return this[kState][0]; }
      get primaryKey() { return this[kState][1]; }
      get value() { return this[kState][2]; }
    }
    Object.defineProperty(IDBRecord.prototype, Symbol.toStringTag, { value: 'IDBRecord', configurable: true });
    function newRecord(key, primaryKey, value) {
      const r = new IDBRecord(kState);
      r[kState] = [key, primaryKey, value];
      return r;
    }
    function openCursor(s, query, dir, keysOnly) {
      const st = usable(s[kState]);
      const r = rangeArg(query, false);
      const d = direction(dir);
      const isIndex = s instanceof IDBIndex;
      const storeId = isIndex ? st.store[kState].meta.id : st.meta.id;
      const h = host.idbOpenCursor(storeId, isIndex ? st.meta.id : 0, r, d, keysOnly);
      const cursor = new (keysOnly ? IDBCursor : IDBCursorWithValue)(kState);
      cursor[kState] = { source: s, tx: st.tx, h, dir: d, keysOnly, req: null, got: false, key: undefined, pk: undefined, value: undefined, kh: null, pkh: null, index: isIndex };
      const req = host.idbCursorStep(st.tx, h, undefined, undefined, 1, undefined, s, cursor);
      cursor[kState].req = req;
      return req;
    }
    // cursorStep is the result of a cursor request's step: the cursor,
    // moved to the step's record (Go handles the end and errors).
    function cursorStep(cursor, res) {
      const cs = cursor[kState];
      cs.key = res[0];
      cs.pk = res[1];
      cs.value = res[2];
      cs.kh = res[3];
      cs.pkh = res[4];
      cs.got = true;
      return cursor;
    }

    class IDBIndex {
      constructor(key) { if (key !== kState) illegal(); this[kState] = null; }
      get name() { return this[kState].meta.name; }
      set name(v) {
        v = str(v);
        const st = this[kState], sm = st.store[kState].meta;
        if (host.idbTxMode(st.tx) !== 'versionchange') throw domErr('InvalidStateError', 'Not in a version change transaction.');
        if (st.meta.deleted || sm.deleted) throw domErr('InvalidStateError', 'The index has been deleted.');
        checkActive(st.tx);
        if (st.meta.name === v) return;
        if (sm.indexes.has(v)) throw domErr('ConstraintError', 'An index with the specified name already exists.');
        const ss = st.store[kState];
        if (ss.indexes === null) ss.indexes = new Map();
        sm.indexes.delete(st.meta.name);
        ss.indexes.delete(st.meta.name);
        st.meta.name = v;
        sm.indexes.set(v, st.meta);
        ss.indexes.set(v, this);
        host.idbSchemaOp(st.tx, 'renameIndex', sm.id, st.meta.id, v, api.schemaDone(st.tx));
      }
      get objectStore() { return this[kState].store; }
      get keyPath() { return keyPathValue(this[kState]); }
      get multiEntry() { return this[kState].meta.multiEntry; }
      get unique() { return this[kState].meta.unique; }
      get(query) { return read(this, 'get', query, true, 0); }
      getKey(query) { return read(this, 'getKey', query, true, 0); }
      getAll(query, n) { return readMany(this, 'getAll', query, count(n)); }
      getAllKeys(query, n) { return readMany(this, 'getAllKeys', query, count(n)); }
      getAllRecords(options) { return getAllRecords(this, options); }
      count(query) { return read(this, 'count', query, false, 0); }
      openCursor(query, dir) { return openCursor(this, query, dir, false); }
      openKeyCursor(query, dir) { return openCursor(this, query, dir, true); }
    }
    requireArgsOn(IDBIndex.prototype, 'IDBIndex', ['get', 'getKey']);

    class IDBCursor {
      constructor(key) { if (key !== kState) illegal(); this[kState] = null; }
      get source() { return this[kState].source; }
      get direction() { return this[kState].dir; }
      get key() { return this[kState].key; }
      get primaryKey() { return this[kState].pk; }
      get request() { return this[kState].req; }
      advance(n) {
        need(arguments, 1, 'IDBCursor', 'advance');
        const c = Number(n);
        if (!Number.isFinite(c) || c < 0 || c > 4294967295) throw new TypeError("Value is outside the 'unsigned long' value range.");
        if (Math.trunc(c) === 0) throw new TypeError("Failed to execute 'advance' on 'IDBCursor': A count argument with value 0 (zero) was supplied, must be greater than 0.");
        iterate(this, undefined, undefined, Math.trunc(c));
      }
      continue(key) {
        const cs = this[kState];
        checkCursor(cs);
        let k;
        if (key !== undefined) {
          k = toKey(key);
          const c = host.idbCmp(k, cs.kh);
          const fwd = cs.dir === 'next' || cs.dir === 'nextunique';
          if (fwd ? c <= 0 : c >= 0) throw domErr('DataError', 'The parameter is not past the cursor position in its direction.');
        }
        iterate(this, k, undefined, 1, true);
      }
      continuePrimaryKey(key, primaryKey) {
        need(arguments, 2, 'IDBCursor', 'continuePrimaryKey');
        const cs = this[kState];
        checkCursor(cs, true);
        if (!cs.index) throw domErr('InvalidAccessError', 'The cursor source is not an index.');
        if (cs.dir !== 'next' && cs.dir !== 'prev') throw domErr('InvalidAccessError', 'The cursor direction is unique.');
        const k = toKey(key), pk = toKey(primaryKey);
        const c = host.idbCmp(k, cs.kh), fwd = cs.dir === 'next';
        if (fwd ? c < 0 : c > 0) throw domErr('DataError', 'The key is behind the cursor position.');
        const pc = host.idbCmp(pk, cs.pkh);
        if (c === 0 && (fwd ? pc <= 0 : pc >= 0)) throw domErr('DataError', 'The primary key is not past the cursor position.');
        iterate(this, k, pk, 1, true);
      }
      update(value) {
        need(arguments, 1, 'IDBCursor', 'update');
        const cs = this[kState];
        const st = writableCursor(cs);
        const meta = st.meta;
        return host.idbPut(cs.tx, meta.id, meta.keyPath, false, value,
          meta.keyPath === null ? cs.pkh : undefined, false, meta.keyPath === null ? undefined : cs.pkh, this);
      }
      delete() {
        const cs = this[kState];
        const st = writableCursor(cs);
        return host.idbDelete(cs.tx, st.meta.id, [cs.pkh, cs.pkh, false, false], this);
      }
    }
    function effectiveStore(cs) { return cs.index ? cs.source[kState].store[kState] : cs.source[kState]; }
    function checkCursor(cs, primary) {
      checkActive(cs.tx);
      const st = cs.source[kState];
      if (st.meta.deleted || (cs.index && st.store[kState].meta.deleted)) throw domErr('InvalidStateError', 'The cursor source has been deleted.');
      if (!cs.got) throw domErr('InvalidStateError', 'The cursor is being iterated or has iterated past its end.');
    }
    function writableCursor(cs) {
      host.idbTxCheck(cs.tx, true);
      const st = effectiveStore(cs);
      if (st.meta.deleted || cs.source[kState].meta.deleted) throw domErr('InvalidStateError', 'The cursor source has been deleted.');
      if (!cs.got) throw domErr('InvalidStateError', 'The cursor is being iterated or has iterated past its end.');
      if (cs.keysOnly) throw domErr('InvalidStateError', 'The cursor is a key cursor.');
      return st;
    }
    function iterate(cursor, key, pk, n, checked) {
      const cs = cursor[kState];
      if (!checked) checkCursor(cs);
      cs.got = false;
      host.idbCursorStep(cs.tx, cs.h, key, pk, n, cs.req, undefined, undefined);
    }
    class IDBCursorWithValue extends IDBCursor {
      get value() { return this[kState].value; }
    }

    Object.defineProperty(IDBObjectStore.prototype, Symbol.toStringTag, { value: 'IDBObjectStore', configurable: true });
    Object.assign(api, { IDBCursor, IDBCursorWithValue, IDBIndex, IDBObjectStore, IDBRecord, cursorStep, revertHandles });
  }

  const names = ['indexedDB', 'IDBFactory', 'IDBDatabase', 'IDBTransaction', 'IDBObjectStore', 'IDBIndex', 'IDBCursor',
    'IDBCursorWithValue', 'IDBKeyRange', 'IDBRecord', 'IDBRequest', 'IDBOpenDBRequest', 'IDBVersionChangeEvent', 'DOMStringList'];
  lazy(names, () => {
    const api = {};
    internals.buildIDBRequests(api);
    internals.buildIDBTransactions(api);
    buildIDBStores(api);
    return api;
  });
})
