// 33_indexeddb_transaction.js: IndexedDB's IDBDatabase and
// IDBTransaction, and the life of requests: placing them, firing their
// success and error events with the transaction active, auto-commit when
// none is pending, abort.
(function (internals, host, global) {
  'use strict';
  const {
    EventTarget, F_THREW, domErr, eventHandler, illegal, kState, listens, requireArgsOn, str
  } = internals;

  // buildIDBTransactions makes the classes of this file into api.
  function buildIDBTransactions(api) {
    const { fireSimple, nameList } = api;
    // Transactions created in the current task, made inactive (and
    // committed if they have no request) at its end.
    // The cleanup swaps it with spare, an empty list.
    let created = [], spare = [];
    host.idbInit(() => {
      const list = created;
      created = spare;
      for (let i = 0; i < list.length; i++) {
        const tx = list[i], ts = tx[kState];
        if (ts.state === 'active') ts.state = 'inactive';
        maybeCommit(tx);
      }
      list.length = 0;
      spare = list;
    }, { deliver, settle, committed });

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
        if (tx[kState].state !== 'active') throw domErr('TransactionInactiveError', 'The upgrade transaction is not active.');
        keyPath = normalizeKeyPath(keyPath);
        if (keyPath !== null && !host.idbValidKeyPath(keyPath)) throw domErr('SyntaxError', 'The keyPath option is not a valid key path.');
        const st = this[kState];
        if (st.stores.has(name)) throw domErr('ConstraintError', 'An object store with the specified name already exists.');
        if (autoIncrement && (keyPath === '' || Array.isArray(keyPath))) throw domErr('InvalidAccessError', 'The autoIncrement option was set but the keyPath option is empty or an array.');
        const ts = tx[kState];
        const id = host.idbCreateStore(ts.h, name, keyPath, autoIncrement, schemaDone(tx));
        const meta = { id, name, keyPath, autoIncrement, deleted: false, indexes: new Map() };
        st.stores.set(name, meta);
        return api.storeHandle(tx, meta);
      }
      deleteObjectStore(name) {
        if (arguments.length < 1) throw new TypeError("Failed to execute 'deleteObjectStore' on 'IDBDatabase': 1 argument required, but only 0 present.");
        name = str(name);
        const tx = upgradeOf(this);
        const ts = tx[kState];
        if (ts.state !== 'active') throw domErr('TransactionInactiveError', 'The upgrade transaction is not active.');
        const st = this[kState];
        const meta = st.stores.get(name);
        if (meta === undefined) throw domErr('NotFoundError', 'The specified object store was not found.');
        st.stores.delete(name);
        meta.deleted = true;
        for (const ix of meta.indexes.values()) ix.deleted = true;
        keepHandle(ts, name, undefined);
        host.idbSchemaOp(ts.h, 'deleteStore', meta.id, 0, '', schemaDone(tx));
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
        const h = host.idbTransaction(st.conn, scope, mode === 'readwrite');
        const tx = newTransaction(this, h, mode, scope, durability);
        created.push(tx);
        return tx;
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
      if (tx === null || tx[kState].state === 'finished') throw domErr('InvalidStateError', 'The database is not running a version change transaction.');
      return tx;
    }
    // schemaDone is the callback of a schema operation: a failure (a
    // unique index its records break) aborts the upgrade.
    function schemaDone(tx) {
      return (_, err) => { if (err !== null) abortTx(tx, err); };
    }

    class IDBTransaction extends EventTarget {
      constructor(key) {
        if (key !== kState) illegal();
        super();
        this[kState] = null;
      }
      get objectStoreNames() {
        const ts = this[kState];
        return nameList(ts.mode === 'versionchange' ? Array.from(ts.db[kState].stores.keys()) : typeof ts.names === 'string' ? [ts.names] : ts.names);
      }
      get mode() { return this[kState].mode; }
      get durability() { return this[kState].durability; }
      get db() { return this[kState].db; }
      get error() { return this[kState].error; }
      objectStore(name) {
        name = str(name);
        const ts = this[kState];
        if (ts.state === 'finished') throw domErr('InvalidStateError', 'The transaction has finished.');
        const h = handleOf(ts, name);
        if (h !== undefined) return h;
        const meta = ts.db[kState].stores.get(name);
        if (meta === undefined || (ts.mode !== 'versionchange' && (typeof ts.names === 'string' ? ts.names !== name : !ts.names.includes(name)))) throw domErr('NotFoundError', 'The specified object store was not found.');
        return api.storeHandle(this, meta);
      }
      commit() {
        const ts = this[kState];
        if (ts.state !== 'active') throw domErr('InvalidStateError', 'The transaction is not active.');
        ts.state = 'committing';
        maybeCommit(this);
      }
      abort() {
        const ts = this[kState];
        if (ts.state === 'committing' || ts.state === 'finished') throw domErr('InvalidStateError', 'The transaction has finished or is committing.');
        abortTx(this, null);
      }
    }
    for (const t of ['abort', 'complete', 'error']) eventHandler(IDBTransaction.prototype, t);
    requireArgsOn(IDBTransaction.prototype, 'IDBTransaction', ['objectStore']);

    // A transaction's state: db, h (the engine's transaction), mode,
    // names (the scope: a store name, or a sorted array of them), state,
    // requests (from head on, the pending ones), and the fields of
    // txDefaults, the prototype of every state, which become own
    // properties when set (a state's few properties stay in one small
    // table): handles is the object store handles made by objectStore, a
    // handle or a Map of them by name.
    const txDefaults = { durability: 'default', head: 0, error: null, handles: null, commitQueued: false, upgrade: null };
    function newTransaction(db, h, mode, names, durability) {
      const tx = Object.create(IDBTransaction.prototype);
      const ts = Object.create(txDefaults);
      ts.db = db;
      ts.h = h;
      ts.mode = mode;
      ts.names = names;
      ts.state = 'active';
      ts.requests = [];
      if (durability !== 'default') ts.durability = durability;
      tx[kState] = ts;
      db[kState].live.add(tx);
      return tx;
    }

    // handleOf is the object store handle named name that tx (whose
    // state is ts) made, or undefined; keepHandle sets it (undefined:
    // forgets it). A transaction of one store keeps its handle as it is.
    function handleOf(ts, name) {
      const hs = ts.handles;
      if (hs === null) return undefined;
      if (hs instanceof Map) return hs.get(name);
      return hs[kState].meta.name === name ? hs : undefined;
    }
    function keepHandle(ts, name, h) {
      let hs = ts.handles;
      if (hs === null || (!(hs instanceof Map) && hs[kState].meta.name === name)) {
        ts.handles = h === undefined ? null : h;
        return;
      }
      if (!(hs instanceof Map)) {
        const one = hs;
        hs = ts.handles = new Map();
        hs.set(one[kState].meta.name, one);
      }
      if (h === undefined) hs.delete(name);
      else hs.set(name, h);
    }

    function newDatabase(conn, name, schema, oldVersion) {
      const db = new IDBDatabase(kState);
      db[kState] = { conn, name, version: schema.version, stores: mirror(schema), upgradeTx: null, closePending: false, live: new Set() };
      return db;
    }
    function upgradeTransaction(db, h, req, oldVersion) {
      const st = db[kState];
      const tx = newTransaction(db, h, 'versionchange', [], 'default');
      // stores: the schema to go back to on abort; handles: the store
      // and index handles made during the upgrade, whose names revert.
      tx[kState].upgrade = { req, oldVersion, stores: copyStores(st.stores), handles: [] };
      st.upgradeTx = tx;
      return tx;
    }
    function fireUpgrade(tx, req, oldVersion, newVersion) {
      const ts = tx[kState];
      const ev = new api.IDBVersionChangeEvent('upgradeneeded', { oldVersion, newVersion });
      ts.state = 'active';
      internals.dispatchPath([req], ev);
      return () => {
        if (ts.state === 'active') ts.state = 'inactive';
        if (ev[kState][1] & F_THREW) abortTx(tx, domErr('AbortError', 'An upgradeneeded listener threw an exception.'));
        else maybeCommit(tx);
      };
    }

    // place places a request on tx, a new one (from source) or req (a
    // cursor's, iterated again), and returns it; the caller then passes
    // it to the host function that queues its operation, whose result
    // Go hands to deliver, as a task, then to settle once the task's
    // microtasks have run. ts.requests[ts.head:] are the pending
    // requests, in the order their results arrive.
    function place(tx, source, req) {
      const ts = tx[kState];
      if (req === undefined) {
        req = Object.create(api.IDBRequest.prototype);
        req[kState] = api.requestState(source, tx);
      }
      ts.requests.push(req);
      return req;
    }
    // unqueue takes req off its transaction's pending requests; false
    // when it is not there (the transaction aborted: its error event is on
    // its way).
    function unqueue(ts, req) {
      const q = ts.requests;
      let i = ts.head;
      if (q[i] !== req) {
        i = q.indexOf(req, i);
        if (i < 0) return false;
        q.splice(i, 1);
        return true;
      }
      q[i] = undefined;
      ts.head = ++i;
      if (i === q.length) {
        q.length = 0;
        ts.head = 0;
      } else if (i > 64 && i * 2 > q.length) {
        q.splice(0, i);
        ts.head = 0;
      }
      return true;
    }
    // deliver is a request's result (or error) arriving: its success (or
    // error) event fires with the transaction active. It returns true when
    // settle is to follow, or, after an error event, the function that
    // ends its task instead.
    function deliver(req, result, err) {
      const rs = req[kState], tx = rs.tx, ts = tx[kState];
      if (ts.state === 'finished' || !unqueue(ts, req)) return false;
      rs.done = true;
      const db = ts.db;
      if (rs.cursor !== null) result = api.cursorStep(rs.cursor, result, err);
      if (err !== null) {
        rs.result = undefined;
        rs.error = err;
        const ev = internals.newEvent('error', true, true);
        if (ts.state !== 'committing') ts.state = 'active';
        const notCanceled = internals.dispatchPath([req, tx, db], ev);
        return () => {
          if (ts.state === 'active') ts.state = 'inactive';
          if (ev[kState][1] & F_THREW) abortTx(tx, domErr('AbortError', 'An error listener threw an exception.'));
          else if (notCanceled) abortTx(tx, err);
          else maybeCommit(tx);
        };
      }
      rs.result = typeof result === 'function' ? result() : result;
      if (rs.wrap !== undefined) rs.result = rs.wrap(rs.result);
      rs.error = null;
      if (ts.state !== 'committing') ts.state = 'active';
      // A success event nobody listens to is not made, and its task ends
      // here: no script ran, so no microtask is due before settle.
      if (!listens(req, 'success') && !listens(tx, 'success') && !listens(db, 'success')) {
        settle(req);
        return false;
      }
      const ev = internals.newEvent('success', false, false);
      internals.dispatchPath([req, tx, db], ev);
      if (ev[kState][1] & F_THREW) rs.threw = true;
      return true;
    }
    // settle ends the task of a success: the transaction goes inactive,
    // and aborts when a listener threw, or commits when nothing is left.
    function settle(req) {
      const rs = req[kState], tx = rs.tx, ts = tx[kState];
      if (ts.state === 'active') ts.state = 'inactive';
      if (rs.threw) {
        rs.threw = false;
        abortTx(tx, domErr('AbortError', 'A success listener threw an exception.'));
      } else maybeCommit(tx);
    }
    function maybeCommit(tx) {
      const ts = tx[kState];
      if (ts.requests.length !== ts.head || ts.commitQueued || (ts.state !== 'inactive' && ts.state !== 'committing')) return;
      ts.state = 'committing';
      ts.commitQueued = true;
      host.idbCommit(ts.h, tx);
    }
    // committed is the end of tx's commit: complete, or abort with err.
    function committed(tx, err) {
      const ts = tx[kState];
      if (ts.state === 'finished') return;
      if (err !== null) return abortTx(tx, err);
      ts.state = 'finished';
      const db = ts.db;
      db[kState].live.delete(tx);
      if (ts.mode === 'versionchange') db[kState].upgradeTx = null;
      fireSimple([tx, db], 'complete', false, false);
    }
    // abortTx is "abort a transaction" with error (null for abort()).
    function abortTx(tx, error) {
      const ts = tx[kState];
      if (ts.state === 'finished') return;
      host.idbAbort(ts.h);
      ts.state = 'finished';
      if (error !== null) ts.error = error;
      const db = ts.db, dst = db[kState];
      dst.live.delete(tx);
      if (ts.upgrade !== null) {
        dst.stores = ts.upgrade.stores;
        dst.version = ts.upgrade.oldVersion;
        for (const m of dst.stores.values()) m.deleted = false;
        api.revertHandles(ts.upgrade);
      }
      const reqs = ts.requests.slice(ts.head);
      ts.requests = [];
      ts.head = 0;
      for (const r of reqs) {
        const rs = r[kState];
        rs.done = true;
        rs.result = undefined;
        rs.error = domErr('AbortError', 'The transaction was aborted.');
        host.idbTask(() => { fireSimple([r, tx, db], 'error', true, true); });
      }
      host.idbTask(() => {
        if (ts.upgrade !== null) dst.upgradeTx = null;
        fireSimple([tx, db], 'abort', true, false);
        if (ts.upgrade !== null) ts.upgrade.req[kState].tx = null;
      });
    }
    // checkActive throws unless tx takes requests.
    function checkActive(tx) {
      if (tx[kState].state !== 'active') throw domErr('TransactionInactiveError', 'The transaction is not active.');
    }

    // forceClosed is the end of "close a database connection" with the
    // forced flag, the engine having aborted the connection's
    // transactions: the script's transactions abort (their abort events
    // queued first), then the close event.
    function forceClosed(db) {
      const st = db[kState];
      st.closePending = true;
      for (const tx of Array.from(st.live)) abortTx(tx, domErr('AbortError', 'The connection was closed.'));
      host.idbTask(() => { fireSimple([db], 'close', false, false); });
    }

    Object.assign(api, {
      IDBDatabase, IDBTransaction, abortTx, checkActive, keepHandle, closePending: (db) => db[kState].closePending, forceClosed,
      fireUpgrade, newDatabase, normalizeKeyPath, place, schemaDone, upgradeTransaction,
    });
  }

  Object.assign(internals, { buildIDBTransactions });
})
