// The IndexedDB crash test's worker (e2e/idbcrash_test.go). GET /loop?round=R
// answers at once and, for as long as the process lives, commits
// read/write transactions one after another, each putting two records
// (ID-a and ID-b, ID = R-i), and logs "committed ID" once a transaction's
// complete event fired. GET /keys answers every key of the store as JSON.
function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('crash', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  if (u.pathname === '/loop') {
    const round = u.searchParams.get('round');
    e.waitUntil(open().then((db) => new Promise(() => {
      let i = 0;
      const step = () => {
        const id = round + '-' + i;
        const tx = db.transaction('s', 'readwrite');
        const s = tx.objectStore('s');
        s.put({ id, half: 'a', pad: 'p'.repeat(2000) }, id + '-a');
        s.put({ id, half: 'b', pad: 'q'.repeat(2000) }, id + '-b');
        tx.oncomplete = () => { console.log('committed ' + id); i++; step(); };
        tx.onabort = () => console.error('aborted ' + id + ': ' + tx.error);
      };
      step();
    })));
    e.respondWith(new Response('started'));
    return;
  }
  if (u.pathname === '/keys') {
    e.respondWith(open().then((db) => new Promise((resolve, reject) => {
      const req = db.transaction('s').objectStore('s').getAllKeys();
      req.onsuccess = () => { db.close(); resolve(new Response(JSON.stringify(req.result))); };
      req.onerror = () => reject(req.error);
    })));
  }
});
