importScripts('/harness.js');

// Tests written from the IndexedDB 3.0 specification. Databases are
// named per test: the in-memory engine is shared by the process.
importScripts('/idb.js');

test(() => {
  for (const name of ['indexedDB', 'IDBFactory', 'IDBDatabase', 'IDBTransaction', 'IDBObjectStore', 'IDBIndex', 'IDBCursor',
    'IDBCursorWithValue', 'IDBKeyRange', 'IDBRequest', 'IDBOpenDBRequest', 'IDBVersionChangeEvent', 'DOMStringList']) {
    assert_true(name in self, name);
  }
  assert_true(indexedDB instanceof IDBFactory);
  assert_throws_js(TypeError, () => new IDBFactory());
}, 'the interfaces are exposed');

test(() => {
  const order = [-Infinity, -1, 0, 1, Infinity, new Date(0), new Date(1), '', 'a', 'b', '\ud800', '\ud83d\ude00', '\ue000',
    new Uint8Array([]).buffer, new Uint8Array([0]), new Uint8Array([1]), [], [0], [0, 0], [''], [[]]];
  for (let i = 0; i < order.length; i++) {
    for (let j = 0; j < order.length; j++) {
      assert_equals(indexedDB.cmp(order[i], order[j]), Math.sign(i - j), 'cmp(' + i + ', ' + j + ')');
    }
  }
  assert_equals(indexedDB.cmp(-0, 0), 0);
  for (const bad of [NaN, null, undefined, true, {}, new Date(NaN), [1, {}], Symbol('s')]) {
    assert_throws_dom('DataError', () => indexedDB.cmp(bad, 1));
  }
  const cyclic = [];
  cyclic.push(cyclic);
  assert_throws_dom('DataError', () => indexedDB.cmp(cyclic, 1));
  assert_throws_dom('DataError', () => indexedDB.cmp([1, , 2], 1), 'a hole');
}, 'cmp orders keys: numbers, dates, strings by code unit, binary, arrays');

test(() => {
  const r = IDBKeyRange.bound(1, 5, true, false);
  assert_equals(r.lower, 1);
  assert_equals(r.upper, 5);
  assert_true(r.lowerOpen);
  assert_false(r.upperOpen);
  assert_false(r.includes(1));
  assert_true(r.includes(5));
  assert_false(r.includes('1'));
  assert_throws_dom('DataError', () => IDBKeyRange.bound(2, 1));
  assert_throws_dom('DataError', () => IDBKeyRange.bound(1, 1, true, false));
  assert_throws_dom('DataError', () => IDBKeyRange.only(null));
  const lb = IDBKeyRange.lowerBound('a');
  assert_equals(lb.upper, undefined);
  assert_true(lb.upperOpen);
  assert_true(lb.includes('zzz'));
  assert_equals(IDBKeyRange.only([1, 'a']).lower.length, 2);
  assert_throws_js(TypeError, () => new IDBKeyRange());
}, 'IDBKeyRange');

promise_test(async (t) => {
  const name = dbName(t);
  const events = [];
  const db = await openDB(name, 2, (db, tx, e) => {
    events.push('upgradeneeded ' + e.oldVersion + '→' + e.newVersion);
    assert_equals(tx.mode, 'versionchange');
    assert_true(e instanceof IDBVersionChangeEvent);
    const s = db.createObjectStore('books', { keyPath: 'isbn' });
    s.createIndex('by_title', 'title', { unique: true });
    s.createIndex('by_author', 'author');
    s.put({ title: 'Quarry Memories', author: 'Fred', isbn: 123456 });
    s.put({ title: 'Water Buffaloes', author: 'Fred', isbn: 234567 });
    s.put({ title: 'Bedrock Nights', author: 'Barney', isbn: 345678 });
    tx.oncomplete = () => events.push('complete');
  });
  events.push('success');
  assert_array_equals(events, ['upgradeneeded 0→2', 'complete', 'success']);
  assert_equals(db.version, 2);
  assert_array_equals(Array.from(db.objectStoreNames), ['books']);
  const tx = db.transaction('books');
  const store = tx.objectStore('books');
  assert_equals(store.keyPath, 'isbn');
  assert_array_equals(Array.from(store.indexNames), ['by_author', 'by_title']);
  const byTitle = await wait(store.index('by_title').get('Bedrock Nights'));
  assert_equals(byTitle.isbn, 345678);
  const freds = await wait(store.index('by_author').getAll('Fred'));
  assert_array_equals(freds.map(b => b.isbn), [123456, 234567]);
  assert_equals(await wait(store.count()), 3);
  assert_array_equals(await wait(store.getAllKeys(IDBKeyRange.lowerBound(200000))), [234567, 345678]);
  assert_equals(await wait(store.index('by_author').getKey('Barney')), 345678);
  await done(tx);
  db.close();
}, 'the specification\'s library example: upgrade, indexes, reads');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => {
    db.createObjectStore('s', { autoIncrement: true });
    db.createObjectStore('inline', { keyPath: 'foo.bar.baz', autoIncrement: true });
  });
  const tx = db.transaction(['s', 'inline'], 'readwrite');
  const s = tx.objectStore('s');
  const keys = [];
  for (const [v, k] of [['a'], ['b', 3], ['c'], ['d', -10], ['e'], ['f', 6.00001], ['g'], ['h', 'foo'], ['i'], ['j', [1000]], ['k']]) {
    keys.push(await wait(k === undefined ? s.put(v) : s.put(v, k)));
  }
  assert_array_equals(keys.slice(0, 9), [1, 3, 4, -10, 5, 6.00001, 7, 'foo', 8]);
  assert_equals(keys[10], 9);
  const inline = tx.objectStore('inline');
  const k = await wait(inline.put({ zip: {} }));
  assert_equals(k, 1);
  const v = await wait(inline.get(1));
  assert_equals(v.foo.bar.baz, 1);
  assert_equals(await wait(inline.put({ foo: { bar: { baz: 10 } } })), 10);
  assert_throws_dom('DataError', () => inline.put({ foo: 4 }));
  assert_throws_dom('DataError', () => inline.put({ foo: { bar: { baz: {} } } }));
  assert_throws_dom('DataError', () => inline.put({}, 1));
  await done(tx);
  db.close();
}, 'key generators and in-line keys, as the specification\'s examples say');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('s', { autoIncrement: true }); });
  const tx1 = db.transaction('s', 'readwrite');
  tx1.objectStore('s').put('a');
  tx1.objectStore('s').put('b');
  const events = [];
  const r = tx1.objectStore('s').put('c');
  r.onerror = (e) => events.push('error ' + r.error.name + ' ' + e.bubbles + ' ' + e.cancelable);
  tx1.onerror = () => events.push('tx error');
  tx1.onabort = () => events.push('abort');
  tx1.abort();
  assert_equals(r.readyState, 'done');
  assert_equals(r.error.name, 'AbortError');
  assert_throws_dom('InvalidStateError', () => tx1.abort());
  await new Promise(resolve => { db.onabort = resolve; });
  // Each of the three pending requests gets an error event, which
  // bubbles to the transaction; then the transaction gets abort.
  assert_array_equals(events, ['tx error', 'tx error', 'error AbortError true true', 'tx error', 'abort']);
  assert_equals(tx1.error, null);
  const tx2 = db.transaction('s', 'readwrite');
  assert_equals(await wait(tx2.objectStore('s').put('c')), 1, 'the aborted keys are generated again');
  await done(tx2);
  db.close();
}, 'abort: pending requests fail with AbortError, then abort; the key generator reverts');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => {
    const s = db.createObjectStore('s', { keyPath: 'id' });
    s.createIndex('u', 'u', { unique: true });
  });
  let tx = db.transaction('s', 'readwrite');
  const s = tx.objectStore('s');
  s.add({ id: 1, u: 'x' });
  const dup = s.add({ id: 1, u: 'y' });
  const clash = s.put({ id: 2, u: 'x' });
  const events = [];
  dup.onerror = (e) => { events.push('dup ' + dup.error.name); e.preventDefault(); };
  clash.onerror = (e) => { events.push('clash ' + clash.error.name); e.preventDefault(); };
  s.put({ id: 3, u: 'z' }).onsuccess = () => events.push('ok');
  await done(tx);
  assert_array_equals(events, ['dup ConstraintError', 'clash ConstraintError', 'ok']);
  // An error not prevented aborts the transaction with that error.
  tx = db.transaction('s', 'readwrite');
  tx.objectStore('s').add({ id: 1, u: 'q' });
  tx.objectStore('s').put({ id: 9, u: 'w' });
  const err = await done(tx).then(() => null, e => e);
  assert_equals(err && err.name, 'ConstraintError');
  tx = db.transaction('s');
  assert_array_equals(await wait(tx.objectStore('s').getAllKeys()), [1, 3]);
  db.close();
}, 'constraint errors: preventDefault keeps the transaction, otherwise it aborts with the error');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('s'); });
  const tx = db.transaction('s');
  assert_throws_dom('ReadOnlyError', () => tx.objectStore('s').put(1, 1));
  assert_throws_dom('NotFoundError', () => tx.objectStore('nope'));
  assert_throws_dom('NotFoundError', () => db.transaction('nope'));
  assert_throws_dom('InvalidAccessError', () => db.transaction([]));
  assert_throws_js(TypeError, () => db.transaction('s', 'versionchange'));
  assert_throws_js(TypeError, () => db.transaction('s', 'bogus'));
  assert_throws_dom('InvalidStateError', () => db.createObjectStore('x'));
  await done(tx);
  assert_throws_dom('InvalidStateError', () => tx.objectStore('s'), 'finished');
  db.close();
  assert_throws_dom('InvalidStateError', () => db.transaction('s'), 'closed');
}, 'errors thrown synchronously');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('s'); });
  const tx = db.transaction('s', 'readwrite');
  const store = tx.objectStore('s');
  await new Promise(r => setTimeout(r, 0));
  assert_throws_dom('TransactionInactiveError', () => store.put(1, 1));
  db.close();
}, 'a transaction is inactive after the task that created it');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => {
    const s = db.createObjectStore('s');
    for (let i = 0; i < 10; i++) s.put('v' + i, i);
  });
  const tx = db.transaction('s', 'readwrite');
  const s = tx.objectStore('s');
  const seen = [];
  await new Promise((resolve, reject) => {
    const req = s.openCursor(IDBKeyRange.bound(2, 8));
    req.onerror = reject;
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return resolve();
      assert_true(c instanceof IDBCursorWithValue);
      seen.push(c.key + ':' + c.value);
      if (c.key === 2) c.continue(5);
      else if (c.key === 5) { c.update('five'); c.advance(2); }
      else if (c.key === 7) { c.delete(); c.continue(); }
      else c.continue();
    };
  });
  assert_array_equals(seen, ['2:v2', '5:v5', '7:v7', '8:v8']);
  assert_equals(await wait(s.get(5)), 'five');
  assert_equals(await wait(s.get(7)), undefined);
  const back = [];
  await new Promise((resolve) => {
    s.openKeyCursor(null, 'prev').onsuccess = (e) => {
      const c = e.target.result;
      if (!c) return resolve();
      assert_false('value' in c);
      back.push(c.primaryKey);
      c.continue();
    };
  });
  assert_array_equals(back, [9, 8, 6, 5, 4, 3, 2, 1, 0]);
  await done(tx);
  db.close();
}, 'cursors: continue(key), advance, update, delete, a reverse key cursor');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => {
    const s = db.createObjectStore('s', { keyPath: 'id' });
    s.createIndex('tag', 'tags', { multiEntry: true });
    s.createIndex('k', 'k');
    s.put({ id: 1, tags: ['a', 'b', 'a'], k: 'x' });
    s.put({ id: 2, tags: ['b'], k: 'x' });
    s.put({ id: 3, tags: 'c', k: 'y' });
    s.put({ id: 4, k: 'x' });
  });
  const tx = db.transaction('s');
  const tag = tx.objectStore('s').index('tag');
  assert_array_equals(await wait(tag.getAllKeys('b')), [1, 2]);
  assert_equals(await wait(tag.count()), 4);
  const uniq = [];
  await new Promise((resolve) => {
    tx.objectStore('s').index('k').openCursor(null, 'prevunique').onsuccess = (e) => {
      const c = e.target.result;
      if (!c) return resolve();
      uniq.push(c.key + c.primaryKey);
      c.continue();
    };
  });
  assert_array_equals(uniq, ['y3', 'x1']);
  const cp = [];
  await new Promise((resolve) => {
    tx.objectStore('s').index('k').openCursor().onsuccess = (e) => {
      const c = e.target.result;
      if (!c) return resolve();
      cp.push(c.primaryKey);
      if (c.primaryKey === 1) c.continuePrimaryKey('x', 4);
      else c.continue();
    };
  });
  assert_array_equals(cp, [1, 4, 3]);
  db.close();
}, 'multiEntry indexes, prevunique, continuePrimaryKey');

promise_test(async (t) => {
  const name = dbName(t);
  const db1 = await openDB(name, 1, (db) => { db.createObjectStore('s'); });
  const events = [];
  db1.onversionchange = (e) => { events.push('versionchange ' + e.oldVersion + '→' + e.newVersion); };
  const req = indexedDB.open(name, 2);
  req.onblocked = (e) => { events.push('blocked ' + e.oldVersion + '→' + e.newVersion); db1.close(); };
  req.onupgradeneeded = (e) => {
    events.push('upgradeneeded');
    req.result.createObjectStore('t');
  };
  const db2 = await wait(req);
  assert_array_equals(events, ['versionchange 1→2', 'blocked 1→2', 'upgradeneeded']);
  assert_array_equals(Array.from(db2.objectStoreNames), ['s', 't']);
  db2.onversionchange = () => db2.close();
  const del = indexedDB.deleteDatabase(name);
  const ev = await new Promise((resolve, reject) => { del.onsuccess = resolve; del.onerror = reject; });
  assert_equals(ev.oldVersion, 2);
  assert_equals(ev.newVersion, null);
  assert_false((await indexedDB.databases()).some(d => d.name === name));
}, 'versionchange and blocked between two connections; deleteDatabase');

promise_test(async (t) => {
  const name = dbName(t);
  const req = indexedDB.open(name, 3);
  req.onupgradeneeded = () => {
    req.result.createObjectStore('s');
    req.transaction.abort();
  };
  const err = await wait(req).then(() => null, e => e);
  assert_equals(err && err.name, 'AbortError');
  assert_false((await indexedDB.databases()).some(d => d.name === name), 'no database after an aborted first upgrade');
  const db = await openDB(name, 1, (db) => { db.createObjectStore('s', { keyPath: 'a' }).put({ a: 1 }); db.createObjectStore('u'); });
  db.close();
  const db2 = await openDB(name, 2, (db, tx) => { db.deleteObjectStore('u'); tx.objectStore('s').createIndex('a', 'a', { unique: true }); });
  assert_array_equals(Array.from(db2.objectStoreNames), ['s']);
  db2.close();
  const verror = await wait(indexedDB.open(name, 1)).then(() => null, e => e);
  assert_equals(verror && verror.name, 'VersionError');
  assert_throws_js(TypeError, () => indexedDB.open(name, 0));
  assert_throws_js(TypeError, () => indexedDB.open(name, -1));
}, 'an aborted upgrade, deleting a store, VersionError, bad versions');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('s'); });
  const tx = db.transaction('s', 'readwrite');
  const order = [];
  tx.objectStore('s').put('x', 1).onsuccess = () => order.push('put');
  tx.commit();
  assert_throws_dom('TransactionInactiveError', () => tx.objectStore('s').put('y', 2));
  assert_throws_dom('InvalidStateError', () => tx.commit());
  await new Promise(r => { tx.oncomplete = () => { order.push('complete'); r(); }; });
  assert_array_equals(order, ['put', 'complete']);
  db.close();
}, 'commit(): pending requests finish, then complete; no new requests');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('s'); });
  const tx = db.transaction('s', 'readwrite');
  const s = tx.objectStore('s');
  const blob = new Blob(['hello'], { type: 'text/plain' });
  const date = new Date(5);
  s.put({ blob, date, map: new Map([[1, 2]]), buf: new Uint8Array([1, 2, 3]) }, 'v');
  s.put('bin', new Uint8Array([9, 9]));
  s.put('date', date);
  await done(tx);
  const r = db.transaction('s').objectStore('s');
  const v = await wait(r.get('v'));
  assert_true(v.blob instanceof Blob);
  assert_equals(await v.blob.text(), 'hello');
  assert_equals(v.blob.type, 'text/plain');
  assert_equals(v.date.getTime(), 5);
  assert_equals(v.map.get(1), 2);
  assert_array_equals(Array.from(v.buf), [1, 2, 3]);
  assert_equals(await wait(r.get(new Uint8Array([9, 9]))), 'bin');
  const keys = await wait(r.getAllKeys());
  assert_true(keys[0] instanceof Date && keys[1] === 'v' && keys[2] instanceof ArrayBuffer);
  assert_throws_dom('DataCloneError', () => db.transaction('s', 'readwrite').objectStore('s').put(() => 1, 'f'));
  db.close();
}, 'values by structured clone (Blob, Date, Map, typed arrays); date and binary keys');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('s'); });
  const tx = db.transaction('s', 'readwrite');
  const s = tx.objectStore('s');
  // Requests placed from promise continuations of a success event
  // still find the transaction active (as the idb library needs).
  await wait(s.put('a', 1));
  await wait(s.put('b', 2));
  assert_array_equals(await wait(s.getAll()), ['a', 'b']);
  await done(tx);
  db.close();
}, 'the transaction stays active in microtasks of its request events');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('a'); db.createObjectStore('b'); });
  const order = [];
  const t1 = db.transaction('a', 'readwrite');
  const t2 = db.transaction(['a', 'b'], 'readwrite');
  const t3 = db.transaction('b', 'readonly');
  t1.objectStore('a').put(1, 'k').onsuccess = () => order.push('t1');
  t2.objectStore('a').get('k').onsuccess = (e) => order.push('t2 sees ' + e.target.result);
  t3.objectStore('b').count().onsuccess = () => order.push('t3');
  await Promise.all([done(t1), done(t2), done(t3)]);
  assert_equals(order.indexOf('t1') < order.indexOf('t2 sees 1'), true, order.join());
  assert_true(order.indexOf('t2 sees 1') < order.indexOf('t3'), 'the read-only transaction waits for the read/write one created before it: ' + order.join());
  db.close();
}, 'transactions with overlapping scopes run in creation order');

promise_test(async (t) => {
  // WebIDL: a required argument missing is a TypeError (checked before
  // anything else), an optional one passed as undefined is missing, and
  // an operation's length counts its required arguments.
  const db = await openDB(dbName(t), 1, (db) => {
    db.createObjectStore('inline', { keyPath: 'id' }).createIndex('by', 'id');
    db.createObjectStore('outline');
  });
  const tx = db.transaction(['inline', 'outline'], 'readwrite');
  const inline = tx.objectStore('inline'), outline = tx.objectStore('outline');
  await wait(inline.put({ id: 1 }, undefined));
  await wait(inline.add({ id: 2 }, undefined));
  assert_throws_dom('DataError', () => outline.put('v', undefined), 'an out-of-line store needs a key: undefined is none');
  assert_throws_dom('DataError', () => outline.get(undefined), 'get(undefined) is a key conversion, not a missing argument');
  for (const [what, fn] of [
    ['IDBDatabase.transaction', () => db.transaction()],
    ['IDBTransaction.objectStore', () => tx.objectStore()],
    ['IDBObjectStore.put', () => inline.put()],
    ['IDBObjectStore.add', () => inline.add()],
    ['IDBObjectStore.delete', () => inline.delete()],
    ['IDBObjectStore.get', () => inline.get()],
    ['IDBObjectStore.getKey', () => inline.getKey()],
    ['IDBObjectStore.index', () => inline.index()],
    ['IDBIndex.get', () => inline.index('by').get()],
    ['IDBIndex.getKey', () => inline.index('by').getKey()],
    ['IDBKeyRange.only', () => IDBKeyRange.only()],
    ['IDBKeyRange.lowerBound', () => IDBKeyRange.lowerBound()],
    ['IDBKeyRange.upperBound', () => IDBKeyRange.upperBound()],
  ]) {
    assert_throws_js(TypeError, fn, what + '()');
  }
  for (const [o, names] of [
    [IDBObjectStore.prototype, ['put', 'add', 'delete', 'get', 'getKey', 'index']],
    [IDBIndex.prototype, ['get', 'getKey']],
    [IDBKeyRange, ['only', 'lowerBound', 'upperBound']],
    [IDBDatabase.prototype, ['transaction']],
    [IDBTransaction.prototype, ['objectStore']],
  ]) {
    for (const n of names) {
      assert_equals(o[n].length, 1, n + '.length');
      assert_equals(o[n].name, n, n + '.name');
    }
  }
  assert_throws_js(TypeError, () => IDBObjectStore.prototype.get.call({}, 1), 'a foreign receiver');
  await done(tx);
  assert_equals((await wait(db.transaction('inline').objectStore('inline').getAll())).length, 2);
  db.close();
}, 'required and optional arguments of the hot operations follow WebIDL');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('s'); });
  const tx = db.transaction('s', 'readwrite');
  const s = tx.objectStore('s');
  s.put(1, 'k');
  // A success event only its target listens to: at the target, phase 2.
  const r1 = s.get('k');
  const seen = [];
  r1.onsuccess = (e) => seen.push(['success', e.eventPhase, e.currentTarget === r1, e.target === r1]);
  // An error event (bubbles) with capturing and bubbling listeners on the
  // transaction and the database: each sees its own phase and itself as
  // currentTarget, the request at the target.
  const r2 = s.add(2, 'k');
  const who = (x) => (x === db ? 'db' : x === tx ? 'tx' : x === r2 ? 'req' : '?');
  const log = (label) => (e) => seen.push([label, e.eventPhase, who(e.currentTarget), who(e.target)]);
  db.addEventListener('error', log('db capture'), true);
  tx.addEventListener('error', log('tx capture'), true);
  r2.addEventListener('error', (e) => { log('req')(e); e.preventDefault(); });
  tx.addEventListener('error', log('tx bubble'));
  db.addEventListener('error', log('db bubble'));
  let after;
  r2.addEventListener('error', (e) => { queueMicrotask(() => { after = [e.eventPhase, e.currentTarget]; }); });
  await done(tx);
  assert_array_equals(seen.map(String), [
    'success,2,true,true',
    'db capture,1,db,req', 'tx capture,1,tx,req', 'req,2,req,req', 'tx bubble,3,tx,req', 'db bubble,3,db,req',
  ].map(String));
  assert_array_equals(after, [0, null], 'after dispatch: no phase, no currentTarget');
  db.close();
}, 'event phases and currentTarget along the request, transaction, database path');

promise_test(async (t) => {
  const db = await openDB(dbName(t), 1, (db) => { db.createObjectStore('a'); db.createObjectStore('b'); });
  const one = db.transaction('a');
  assert_equals(one.objectStore('a'), one.objectStore('a'), 'one store: the same handle');
  assert_throws_dom('NotFoundError', () => one.objectStore('b'), 'outside the scope');
  assert_array_equals(Array.from(one.objectStoreNames), ['a']);
  const two = db.transaction(['b', 'a', 'b']);
  const a = two.objectStore('a'), b = two.objectStore('b');
  assert_not_equals(a, b);
  assert_equals(two.objectStore('a'), a);
  assert_equals(two.objectStore('b'), b);
  assert_array_equals(Array.from(two.objectStoreNames), ['a', 'b']);
  assert_equals(two.durability, 'default');
  assert_equals(db.transaction('a', 'readonly', { durability: 'relaxed' }).durability, 'relaxed');
  assert_throws_dom('NotFoundError', () => db.transaction(['a', 'c']));
  assert_throws_dom('InvalidAccessError', () => db.transaction([]));
  await Promise.all([done(one), done(two)]);
  db.close();
  // In an upgrade, a renamed store keeps its handle under its new name,
  // and a store made again under a deleted one's name gets a new handle.
  const db2 = await openDB(db.name, 2, (db, tx) => {
    const a = tx.objectStore('a');
    a.name = 'c';
    assert_equals(tx.objectStore('c'), a);
    assert_throws_dom('NotFoundError', () => tx.objectStore('a'));
    const b = tx.objectStore('b');
    db.deleteObjectStore('b');
    const b2 = db.createObjectStore('b');
    assert_not_equals(b2, b);
    assert_equals(tx.objectStore('b'), b2);
    assert_equals(tx.objectStore('c'), a);
  });
  assert_array_equals(Array.from(db2.objectStoreNames), ['b', 'c']);
  db2.close();
}, 'objectStore gives one handle a store in a transaction, across renames and scopes');
