importScripts('/harness.js');

// Tests written from the DOM standard's event handler rules and the
// IndexedDB specification's events: the event handler attributes of
// requests and transactions (onsuccess, onerror, oncomplete, onabort)
// alone and mixed with addEventListener, in order; the events Go fires
// at targets whose only listeners are handlers (phases, bubbling,
// cancellation, stopPropagation, exceptions); dispatchEvent by the
// script.
importScripts('/idb.js');

async function keysDB(t) {
  return openDB(dbName(t), 1, (db) => {
    const s = db.createObjectStore('s');
    s.put('one', 1);
  });
}

test(() => {
  for (const [cls, types] of [[IDBRequest, ['success', 'error']], [IDBTransaction, ['abort', 'complete', 'error']]]) {
    for (const type of types) {
      const d = Object.getOwnPropertyDescriptor(cls.prototype, 'on' + type);
      assert_equals(typeof d.get, 'function', type);
      assert_equals(typeof d.set, 'function', type);
      assert_true(d.enumerable && d.configurable, type);
      assert_equals(d.get.name, 'get on' + type);
      assert_equals(d.set.name, 'set on' + type);
      assert_throws_js(TypeError, () => d.get.call({}), type + ' on a plain object');
      assert_throws_js(TypeError, () => d.set.call({}, () => {}), type + ' set on a plain object');
    }
  }
}, 'the event handler attributes are accessors that check their receiver');

promise_test(async (t) => {
  const db = await keysDB(t);
  const tx = db.transaction('s');
  const r = tx.objectStore('s').get(1);
  assert_equals(r.onsuccess, null);
  const f = () => {};
  r.onsuccess = f;
  assert_equals(r.onsuccess, f);
  r.onsuccess = 'not a function';
  assert_equals(r.onsuccess, null, 'a non-object is null');
  const o = { handleEvent() { throw new Error('an object is not called'); } };
  r.onsuccess = o;
  assert_equals(r.onsuccess, o, 'an object is kept');
  tx.oncomplete = f;
  assert_equals(tx.oncomplete, f);
  tx.oncomplete = null;
  assert_equals(tx.oncomplete, null);
  await done(tx);
  db.close();
}, 'handlers read back as set: a function, an object, null for a non-object');

promise_test(async (t) => {
  const db = await keysDB(t);
  const tx = db.transaction('s');
  const r = tx.objectStore('s').get(1);
  const order = [];
  // A handler set before and after listeners keeps the place it got
  // when first set; setting it again replaces it in that place.
  r.addEventListener('success', () => order.push('A'));
  r.onsuccess = () => order.push('B');
  r.addEventListener('success', () => order.push('C'));
  tx.oncomplete = () => order.push('complete 1');
  tx.addEventListener('complete', () => order.push('complete listener'));
  tx.oncomplete = (e) => {
    order.push('complete 2');
    assert_equals(e.currentTarget, tx);
    assert_equals(e.eventPhase, Event.AT_TARGET);
  };
  await new Promise((resolve) => tx.addEventListener('complete', resolve));
  assert_array_equals(order, ['A', 'B', 'C', 'complete 2', 'complete listener']);
  assert_equals(r.result, 'one');
  db.close();
}, 'handlers and listeners run in the order they were added, a handler in the place it was first set');

promise_test(async (t) => {
  const db = await keysDB(t);
  const tx = db.transaction('s', 'readwrite');
  const seen = [];
  const r = tx.objectStore('s').add('again', 1);
  r.onerror = (e) => {
    seen.push(['request', e.type, e.target === r, e.currentTarget === r, e.eventPhase, e.bubbles, e.cancelable, e.isTrusted]);
  };
  tx.onerror = (e) => {
    seen.push(['transaction', e.target === r, e.currentTarget === tx, e.eventPhase]);
    return false; // cancels the event: the transaction goes on
  };
  await done(tx);
  assert_equals(seen.length, 2);
  assert_array_equals(seen[0], ['request', 'error', true, true, Event.AT_TARGET, true, true, true]);
  assert_array_equals(seen[1], ['transaction', true, true, Event.BUBBLING_PHASE]);
  assert_equals(r.error.name, 'ConstraintError');
  db.close();
}, 'an error event bubbles from the request to the transaction; a handler returning false cancels it');

promise_test(async (t) => {
  const db = await keysDB(t);
  const tx = db.transaction('s', 'readwrite');
  let txSaw = false, ev = null;
  const r = tx.objectStore('s').add('again', 1);
  r.onerror = (e) => { ev = e; e.stopPropagation(); };
  tx.onerror = () => { txSaw = true; };
  const aborted = new Promise((resolve) => { tx.onabort = resolve; });
  await aborted;
  assert_false(txSaw, 'stopPropagation keeps the event from the transaction');
  assert_equals(tx.error.name, 'ConstraintError', 'not canceled: the transaction aborts with the error');
  assert_equals(ev.eventPhase, Event.NONE, 'after dispatch');
  assert_equals(ev.currentTarget, null, 'after dispatch');
  db.close();
}, 'stopPropagation in a request handler; an error event not canceled aborts the transaction');

promise_test(async (t) => {
  const db = await keysDB(t);
  const tx = db.transaction('s');
  const r = tx.objectStore('s').get(1);
  const errors = [];
  const onError = (e) => { errors.push(e.error && e.error.message); e.preventDefault(); };
  self.addEventListener('error', onError);
  r.onsuccess = () => { throw new Error('thrown by a handler'); };
  await new Promise((resolve) => { tx.onabort = resolve; });
  self.removeEventListener('error', onError);
  assert_equals(tx.error.name, 'AbortError');
  assert_array_equals(errors, ['thrown by a handler'], 'the exception is reported');
  db.close();
}, 'a success handler that throws aborts the transaction, and the exception is reported');

promise_test(async (t) => {
  const db = await keysDB(t);
  const tx = db.transaction('s');
  const r = tx.objectStore('s').get(1);
  let calls = 0;
  r.onsuccess = (e) => { calls++; };
  // The script's own event reaches the handler Go keeps.
  r.dispatchEvent(new Event('success'));
  assert_equals(calls, 1);
  await done(tx);
  assert_equals(calls, 2, 'and the request\'s own success');
  db.close();
}, 'dispatchEvent of the script reaches a request\'s handler');

promise_test(async (t) => {
  const name = dbName(t);
  const db = await openDB(name, 1, (d) => d.createObjectStore('s'));
  db.close();
  const req = indexedDB.deleteDatabase(name);
  const got = await new Promise((resolve) => { req.onsuccess = (e) => resolve(e); });
  assert_true(got instanceof IDBVersionChangeEvent);
  assert_equals(got.oldVersion, 1);
  assert_equals(req.result, undefined);
}, 'the handlers of open and delete requests');

promise_test(async (t) => {
  const db = await keysDB(t);
  const tx = db.transaction('s');
  tx.objectStore('s').get(1);
  db.close(); // the transaction still runs to its end
  const seen = [];
  db.addEventListener('complete', (e) => seen.push([e.eventPhase, e.target === tx]), true);
  await done(tx);
  assert_equals(seen.length, 1, 'the closed connection\'s capturing listener');
  assert_array_equals(seen[0], [Event.CAPTURING_PHASE, true]);
}, 'a listener added to a closed connection sees the events of its last transaction');
