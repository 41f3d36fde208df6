// idb.js: the helpers the IndexedDB test files share (importScripts).
// Databases are named per test: the engine is shared by a file's tests.
let seq = 0;
function dbName(t) { return 'idb-test-' + (++seq) + '-' + t.name.replace(/\W+/g, '-'); }
function wait(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = (e) => { e.preventDefault(); reject(req.error); };
  });
}
function openDB(name, version, upgrade) {
  const req = version === undefined ? indexedDB.open(name) : indexedDB.open(name, version);
  if (upgrade) req.onupgradeneeded = (e) => upgrade(req.result, req.transaction, e);
  return wait(req);
}
function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error || new Error('aborted'));
  });
}
