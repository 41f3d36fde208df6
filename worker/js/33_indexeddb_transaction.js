// 33_indexeddb_transaction.js: IndexedDB's IDBDatabase and
// IDBTransaction. A transaction's state and life, and its requests',
// are Go's (bind_indexeddb_transaction.go): the classes here are their
// WebIDL surface, with the connection's schema mirror and the hooks Go
// calls.
(function (internals, host, global) {
  'use strict';
  const {
    EventTarget, F_THREW, domErr, eventHandler, illegal, kOnListen, kState, requireArgsOn, str
  } = internals;

  // buildIDBTransactions makes the classes of this file into api.
  function buildIDBTransactions(api) {
    const { fireSimple, nameList } = api;
    // An upgrade's state is a symbol slot of its transaction object; a
    // transaction's other state, its store handles included, is Go's, in
    // kState.
    const kUpgrade = Symbol('upgrade');

    // mirror is the bootstrap's copy of a schema: stores by name, each
    // {id, name, keyPath, autoIncrement, deleted, indexes: Map}.
    function mirror(schema) {
      const stores = new Map();
      for (const s of schema.stores) {
        const indexes = new Map();
        for (const ix of s.indexes) indexes.set(ix.name, { id: ix.id, name: ix.name, keyPath: ix.keyPath, unique: ix.unique, multiEntry: ix.multiEntry, deleted: false });
        stores.set(s.name, { id: s.id, name: s.name, keyPath: s.keyPath, autoIncrement: s.autoIncrement, deleted: false, indexes });
      }
      return stores;
    }
    function copyStores(stores) {
      const out = new Map();
      for (const [n, m] of stores) {
        const indexes = new Map();
        for (const [k, ix] of m.indexes) indexes.set(k, Object.assign({}, ix));
        out.set(n, Object.assign({}, m, { indexes }));
      }
      return out;
    }

    class IDBDatabase extends EventTarget {
      constructor(key) {
        if (key !== kState) illegal();
        super();
        this[kState] = null;
      }
      get name() { return this[kState].name; }
      get version() { return this[kState].version; }
      get objectStoreNames() { return nameList(Array.from(this[kState].stores.keys())); }
      createObjectStore(name, options) {
        if (arguments.length < 1) throw new TypeError("Failed to execute 'createObjectStore' on 'IDBDatabase': 1 argument required, but only 0 present.");
        name = str(name);
        const o = options == null ? {} : options;
        const autoIncrement = !!o.autoIncrement;
        let keyPath = o.keyPath === undefined ? null : o.keyPath;
        const tx = upgradeOf(this);
        checkActive(tx);
        keyPath = normalizeKeyPath(keyPath);
        if (keyPath !== null && !host.idbValidKeyPath(keyPath)) throw domErr('SyntaxError', 'The keyPath option is not a valid key path.');
        const st = this[kState];
        if (st.stores.has(name)) throw domErr('ConstraintError', 'An object store with the specified name already exists.');
        if (autoIncrement && (keyPath === '' || Array.isArray(keyPath))) throw domErr('InvalidAccessError', 'The autoIncrement option was set but the keyPath option is empty or an array.');
        const id = host.idbCreateStore(tx, name, keyPath, autoIncrement, schemaDone(tx));
        const meta = { id, name, keyPath, autoIncrement, deleted: false, indexes: new Map() };
        st.stores.set(name, meta);
        return host.idbStoreHandle(tx, meta);
      }
      deleteObjectStore(name) {
        if (arguments.length < 1) throw new TypeError("Failed to execute 'deleteObjectStore' on 'IDBDatabase': 1 argument required, but only 0 present.");
        name = str(name);
        const tx = upgradeOf(this);
        checkActive(tx);
        const st = this[kState];
        const meta = st.stores.get(name);
        if (meta === undefined) throw domErr('NotFoundError', 'The specified object store was not found.');
        st.stores.delete(name);
        meta.deleted = true;
        for (const ix of meta.indexes.values()) ix.deleted = true;
        host.idbKeepHandle(tx, name, undefined);
        host.idbSchemaOp(tx, 'deleteStore', meta.id, 0, '', schemaDone(tx));
      }
      transaction(storeNames, mode = 'readonly', options = undefined) {
        mode = str(mode);
        if (mode !== 'readonly' && mode !== 'readwrite' && mode !== 'versionchange') throw new TypeError("Failed to execute 'transaction' on 'IDBDatabase': The provided value '" + mode + "' is not a valid enum value of type IDBTransactionMode.");
        let durability = 'default';
        if (options != null && options.durability !== undefined) {
          durability = str(options.durability);
          if (durability !== 'default' && durability !== 'strict' && durability !== 'relaxed') throw new TypeError("Failed to execute 'transaction' on 'IDBDatabase': The provided value '" + durability + "' is not a valid enum value of type IDBTransactionDurability.");
        }
        const one = typeof storeNames === 'string' || storeNames == null || typeof storeNames[Symbol.iterator] !== 'function';
        const names = one ? str(storeNames) : Array.from(storeNames, str);
        const st = this[kState];
        if (st.upgradeTx !== null) throw domErr('InvalidStateError', 'A version change transaction is running.');
        if (st.closePending) throw domErr('InvalidStateError', 'The database connection is closing.');
        const scope = one ? names : Array.from(new Set(names)).sort(api.compareNames);
        if (one ? !st.stores.has(scope) : !scope.every((n) => st.stores.has(n))) throw domErr('NotFoundError', 'One of the specified object stores was not found.');
        if (scope.length === 0 && !one) throw domErr('InvalidAccessError', 'The storeNames parameter was empty.');
        if (mode === 'versionchange') throw new TypeError("Failed to execute 'transaction' on 'IDBDatabase': The mode versionchange is not allowed.");
        return host.idbTransaction(st.conn, scope, mode === 'readwrite', durability, this);
      }
      close() {
        const st = this[kState];
        if (st.closePending) return;
        st.closePending = true;
        host.idbClose(st.conn);
      }
    }
    for (const t of ['abort', 'close', 'error', 'versionchange']) eventHandler(IDBDatabase.prototype, t);
    requireArgsOn(IDBDatabase.prototype, 'IDBDatabase', ['transaction']);

    function normalizeKeyPath(kp) {
      if (kp === null) return null;
      if (typeof kp !== 'string' && kp !== null && typeof kp === 'object' && typeof kp[Symbol.iterator] === 'function') return Array.from(kp, str);
      return str(kp);
    }
    function upgradeOf(db) {
      const tx = db[kState].upgradeTx;
      if (tx === null || host.idbTxFinished(tx)) throw domErr('InvalidStateError', 'The database is not running a version change transaction.');
      return tx;
    }
    // schemaDone is the callback of a schema operation: a failure (a
    // unique index its records break) aborts the upgrade.
    function schemaDone(tx) {
      return (_, err) => { if (err !== null) host.idbTxAbortWith(tx, err); };
    }
    // checkActive throws a TransactionInactiveError unless tx takes
    // requests.
    function checkActive(tx) { host.idbTxCheck(tx, false); }

    class IDBTransaction extends EventTarget {
      constructor(key) {
        if (key !== kState) illegal();
        super();
      }
      get objectStoreNames() {
        if (host.idbTxMode(this) === 'versionchange') return nameList(Array.from(host.idbTxDb(this)[kState].stores.keys()));
        return nameList(host.idbTxScope(this));
      }
      objectStore(name) { return host.idbObjectStore(this, str(name)); }
      commit() { host.idbTxCommit(this); }
      abort() { host.idbTxAbort(this); }
    }
    requireArgsOn(IDBTransaction.prototype, 'IDBTransaction', ['objectStore']);

    // upgradeOfTx is an upgrade transaction's state: the open request,
    // the schema to go back to on abort, the old version, and the store
    // and index handles made during the upgrade, whose names revert.
    function upgradeOfTx(tx) { return tx[kUpgrade]; }

    function newDatabase(conn, name, schema) {
      const db = new IDBDatabase(kState);
      db[kState] = { conn, name, version: schema.version, stores: mirror(schema), upgradeTx: null, closePending: false };
      return db;
    }
    function upgradeTransaction(db, h, req, oldVersion) {
      const st = db[kState];
      const tx = host.idbUpgradeTx(st.conn, h, db, req);
      tx[kUpgrade] = { req, oldVersion, stores: copyStores(st.stores), handles: [] };
      st.upgradeTx = tx;
      return tx;
    }
    function fireUpgrade(tx, req, oldVersion, newVersion) {
      const ev = new api.IDBVersionChangeEvent('upgradeneeded', { oldVersion, newVersion });
      host.idbUpgradeBegin(tx);
      internals.dispatchPath([req], ev);
      return () => { host.idbUpgradeEnd(tx, (ev[kState][1] & F_THREW) !== 0); };
    }

    // The hooks Go calls (bind_indexeddb_transaction.go, idbHooks).
    host.idbInit({
      kState,
      txProto: IDBTransaction.prototype,
      reqProto: api.IDBRequest.prototype,
      evProto: internals.Event.prototype,
      getHandler: internals.getHandler,
      setHandler: internals.setHandler,
      fire(type, bubbles, cancelable, a, b, c) {
        const path = c !== undefined ? [a, b, c] : b !== undefined ? [a, b] : [a];
        const ev = internals.newEvent(type, bubbles, cancelable);
        const notCanceled = internals.dispatchPath(path, ev);
        return (notCanceled ? 1 : 0) | (ev[kState][1] & F_THREW ? 2 : 0);
      },
      cursorStep: (cursor, res) => api.cursorStep(cursor, res),
      // Abort of an upgrade: the connection's schema and version, and
      // the names of the handles the upgrade used, go back.
      upgradeAborted(tx) {
        const up = tx[kUpgrade], dst = host.idbTxDb(tx)[kState];
        dst.stores = up.stores;
        dst.version = up.oldVersion;
        for (const m of dst.stores.values()) m.deleted = false;
        api.revertHandles(up);
      },
      upgradeEnded(tx) { host.idbTxDb(tx)[kState].upgradeTx = null; },
    });
    // IDBTransaction's attributes but objectStoreNames are native
    // getters of its Go state, as are IDBRequest's (a native getter costs
    // sobek no JavaScript frame).
    {
      const getters = host.idbGetters();
      for (const [cls, names] of [[api.IDBRequest, ['result', 'error', 'source', 'transaction', 'readyState']], [IDBTransaction, ['mode', 'durability', 'db', 'error']]]) {
        const g = getters[cls === IDBTransaction ? 'transaction' : 'request'];
        for (const name of names) {
          const get = g[name];
          Object.defineProperty(get, 'name', { value: 'get ' + name });
          Object.defineProperty(get, 'length', { value: 0 });
          Object.defineProperty(cls.prototype, name, { get, configurable: true, enumerable: true });
        }
      }
      // The event handler attributes of requests and transactions are
      // Go's too (handlers nothing else listens beside are called by Go).
      const handlers = host.idbHandlers();
      for (const [cls, types] of [[api.IDBRequest, ['success', 'error']], [IDBTransaction, ['abort', 'complete', 'error']]]) {
        const hs = handlers[cls === IDBTransaction ? 'transaction' : 'request'];
        for (const type of types) {
          const [get, set] = hs[type];
          Object.defineProperty(get, 'name', { value: 'get on' + type });
          Object.defineProperty(set, 'name', { value: 'set on' + type });
          Object.defineProperty(set, 'length', { value: 1 });
          Object.defineProperty(cls.prototype, 'on' + type, { get, set, configurable: true, enumerable: true });
        }
      }
      // Go learns which of the events it fires have listeners.
      for (const cls of [api.IDBRequest, IDBTransaction, IDBDatabase]) {
        Object.defineProperty(cls.prototype, kOnListen, { value: host.idbListen });
      }
    }

    // forceClosed is the end of "close a database connection" with the
    // forced flag, the engine having aborted the connection's
    // transactions: the script's transactions abort (their abort events
    // queued first), then the close event.
    function forceClosed(db) {
      const st = db[kState];
      st.closePending = true;
      host.idbAbortLive(st.conn);
      host.idbTask(() => { fireSimple([db], 'close', false, false); });
    }

    Object.assign(api, {
      IDBDatabase, IDBTransaction, checkActive, closePending: (db) => db[kState].closePending, forceClosed,
      fireUpgrade, newDatabase, normalizeKeyPath, schemaDone, upgradeOfTx, upgradeTransaction,
    });
  }

  Object.assign(internals, { buildIDBTransactions });
})
