importScripts('/harness.js');

// Tests written from the IndexedDB 3.0 specification: getAllRecords and
// the IDBGetAllOptions forms of getAll and getAllKeys, the names of
// store and index handles after an aborted upgrade, and the close event
// of a connection the user agent closes.
importScripts('/idb.js');

// A store 's' with out-of-line keys 'a'..'e' and values {v: letter,
// g: group}, indexed by g: groups x (a, b), y (c, d, e).
async function lettersDB(t) {
  return openDB(dbName(t), 1, (db) => {
    const s = db.createObjectStore('s');
    s.createIndex('g', 'g');
    for (const [k, g] of [['a', 'x'], ['b', 'x'], ['c', 'y'], ['d', 'y'], ['e', 'y']]) s.put({ v: k, g }, k);
  });
}
const letters = (list) => list.map((v) => v.v).join('');

test(() => {
  assert_equals(typeof IDBRecord, 'function');
  assert_throws_js(TypeError, () => new IDBRecord());
  for (const m of ['key', 'primaryKey', 'value']) assert_true(m in IDBRecord.prototype, m);
  assert_equals(typeof IDBObjectStore.prototype.getAllRecords, 'function');
  assert_equals(typeof IDBIndex.prototype.getAllRecords, 'function');
}, 'IDBRecord and getAllRecords are exposed');

promise_test(async (t) => {
  const db = await lettersDB(t);
  const s = db.transaction('s').objectStore('s');
  // A key or key range first: the query, with the count.
  assert_equals(letters(await wait(s.getAll('c'))), 'c');
  assert_equals(letters(await wait(s.getAll(IDBKeyRange.lowerBound('b'), 2))), 'bc');
  // An options dictionary: query, count and direction.
  assert_equals(letters(await wait(s.getAll({ query: IDBKeyRange.bound('b', 'd'), direction: 'prev' }))), 'dcb');
  assert_equals(letters(await wait(s.getAll({ count: 2, direction: 'prev' }))), 'ed');
  assert_equals(letters(await wait(s.getAll({}))), 'abcde');
  assert_equals(letters(await wait(s.getAll({ query: 'a' }))), 'a');
  // The dictionary's count, when present, replaces the positional one.
  assert_equals(letters(await wait(s.getAll({ direction: 'prev' }, 1))), 'e');
  assert_equals(letters(await wait(s.getAll({ count: 2 }, 1))), 'ab');
  // null and undefined are an unbounded range either way.
  assert_equals(letters(await wait(s.getAll(null, 1))), 'a');
  assert_equals(letters(await wait(s.getAll(undefined, 1))), 'a');
  assert_array_equals(await wait(s.getAllKeys({ query: IDBKeyRange.upperBound('c', true), direction: 'prevunique' })), ['b', 'a']);
  assert_array_equals(await wait(s.getAllKeys({ count: 1, direction: 'prev' })), ['e']);
  // Bad dictionaries: TypeError; a Date of NaN is a potentially valid key
  // range that fails to convert (DataError), not an empty dictionary.
  assert_throws_js(TypeError, () => s.getAll({ direction: 'sideways' }));
  assert_throws_js(TypeError, () => s.getAll({ count: -1 }));
  assert_throws_js(TypeError, () => s.getAllKeys(true));
  assert_throws_dom('DataError', () => s.getAll(new Date(NaN)));
  assert_throws_dom('DataError', () => s.getAll({ query: NaN }));
  db.close();
}, 'getAll and getAllKeys take a key range or an IDBGetAllOptions');

promise_test(async (t) => {
  const db = await lettersDB(t);
  const tx = db.transaction('s');
  const s = tx.objectStore('s');
  const all = await wait(s.getAllRecords());
  assert_equals(all.length, 5);
  assert_true(all[0] instanceof IDBRecord);
  assert_equals(String(all[0]), '[object IDBRecord]');
  assert_equals(all[0].key, 'a');
  assert_equals(all[0].primaryKey, 'a');
  assert_equals(all[0].value.v, 'a');
  const rev = await wait(s.getAllRecords({ query: IDBKeyRange.bound('b', 'e', false, true), direction: 'prev', count: 2 }));
  assert_array_equals(rev.map((r) => r.primaryKey), ['d', 'c']);
  // On an index: key is the index key, primaryKey the record's key.
  const g = s.index('g');
  const byGroup = await wait(g.getAllRecords({ query: 'y' }));
  assert_array_equals(byGroup.map((r) => r.key), ['y', 'y', 'y']);
  assert_array_equals(byGroup.map((r) => r.primaryKey), ['c', 'd', 'e']);
  assert_equals(letters(byGroup.map((r) => r.value)), 'cde');
  const prev = await wait(g.getAllRecords({ direction: 'prev' }));
  assert_array_equals(prev.map((r) => r.primaryKey), ['e', 'd', 'c', 'b', 'a']);
  // The unique directions give each index key once, with its record of
  // the lowest primary key, as a cursor in that direction does.
  const nu = await wait(g.getAllRecords({ direction: 'nextunique' }));
  assert_array_equals(nu.map((r) => r.key + r.primaryKey), ['xa', 'yc']);
  const pu = await wait(g.getAllRecords({ direction: 'prevunique' }));
  assert_array_equals(pu.map((r) => r.key + r.primaryKey), ['yc', 'xa']);
  assert_array_equals(await wait(g.getAllKeys({ direction: 'prevunique' })), ['c', 'a']);
  assert_equals(letters(await wait(g.getAll({ query: 'x', direction: 'prev' }))), 'ba');
  assert_equals((await wait(g.getAllRecords({ count: 1 })))[0].primaryKey, 'a');
  assert_throws_js(TypeError, () => g.getAllRecords({ direction: 'up' }));
  assert_throws_js(TypeError, () => s.getAllRecords(1));
  await done(tx);
  assert_throws_dom('TransactionInactiveError', () => s.getAllRecords());
  db.close();
}, 'getAllRecords on stores and indexes: key, primaryKey and value, in every direction');

promise_test(async (t) => {
  const name = dbName(t);
  const db0 = await openDB(name, 1, (db) => {
    db.createObjectStore('books').createIndex('by_title', 't');
    db.createObjectStore('gone');
  });
  db0.close();
  const req = indexedDB.open(name, 2);
  const seen = {};
  req.onupgradeneeded = () => {
    const db = req.result, tx = req.transaction;
    const store = seen.store = tx.objectStore('books');
    const index = seen.index = store.index('by_title');
    store.name = 'renamed';
    index.name = 'by_t';
    seen.created = db.createObjectStore('new');
    seen.created.name = 'newer';
    seen.createdIndex = store.createIndex('fresh', 'f');
    seen.createdIndex.name = 'fresher';
    seen.gone = tx.objectStore('gone');
    db.deleteObjectStore('gone');
    assert_equals(store.name, 'renamed');
    assert_equals(index.name, 'by_t');
    tx.abort();
    // "Abort an upgrade transaction" runs within abort().
    assert_equals(store.name, 'books', 'a renamed store handle after abort()');
    assert_equals(index.name, 'by_title', 'a renamed index handle after abort()');
    assert_array_equals(Array.from(db.objectStoreNames), ['books', 'gone']);
    assert_equals(db.version, 1);
  };
  const err = await wait(req).then(() => null, (e) => e);
  assert_equals(err && err.name, 'AbortError');
  assert_equals(seen.store.name, 'books');
  assert_equals(seen.index.name, 'by_title');
  assert_equals(seen.gone.name, 'gone', 'a deleted store handle keeps its name');
  // What the aborted upgrade created keeps the name it was given.
  assert_equals(seen.created.name, 'newer');
  assert_equals(seen.createdIndex.name, 'fresher');
  const db = await openDB(name);
  assert_equals(db.version, 1);
  assert_array_equals(Array.from(db.objectStoreNames), ['books', 'gone']);
  assert_array_equals(Array.from(db.transaction('books').objectStore('books').indexNames), ['by_title']);
  db.close();
}, 'store and index handles take back their names when their upgrade aborts');

promise_test(async (t) => {
  // Store names are DOMStrings: a lone surrogate is its own name.
  const names = ['\ud800', '\udc00', 'plain'];
  const db = await openDB(dbName(t), 1, (d) => { for (const n of names) d.createObjectStore(n); });
  const tx = db.transaction(['\ud800', 'plain'], 'readwrite');
  assert_array_equals(Array.from(tx.objectStoreNames), ['plain', '\ud800']);
  tx.objectStore('\ud800').put('high', 1);
  assert_throws_dom('NotFoundError', () => tx.objectStore('\udc00'));
  await done(tx);
  const one = db.transaction('\ud800');
  assert_array_equals(Array.from(one.objectStoreNames), ['\ud800']);
  assert_equals(await wait(one.objectStore('\ud800').get(1)), 'high');
  db.close();
}, 'store names with lone surrogates in a transaction\'s scope');
