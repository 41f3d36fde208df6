package worker

import (
	"testing"

	"github.com/swhost/swhost/indexeddb"
)

// forceCloseScript opens database fc and keeps a read/write transaction
// busy (each get's success places the next) on /open; /closed answers,
// once the connection's close event has fired, what the script saw:
// the transaction's abort and its error, the close event's flags, and
// what transaction() throws afterwards.
const forceCloseScript = `
let db = null, log = [], closed = null;
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  if (u.pathname === '/open') e.respondWith(new Promise((resolve, reject) => {
    const req = indexedDB.open('fc', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      db = req.result;
      closed = new Promise((res) => {
        db.onclose = (ev) => {
          log.push('close ' + ev.bubbles + ' ' + ev.cancelable + ' ' + (ev.target === db));
          res();
        };
      });
      const tx = db.transaction('s', 'readwrite');
      tx.onabort = () => log.push('abort ' + tx.error.name);
      tx.oncomplete = () => log.push('complete');
      const s = tx.objectStore('s');
      const spin = () => {
        let r;
        try { r = s.get(1); } catch (err) { log.push('get threw ' + err.name); return; }
        r.onsuccess = spin;
        r.onerror = (ev) => { ev.preventDefault(); log.push('request error ' + r.error.name); };
      };
      spin();
      resolve(new Response('open'));
    };
  }));
  if (u.pathname === '/closed') e.respondWith(closed.then(() => {
    let threw = 'nothing';
    try { db.transaction('s'); } catch (err) { threw = err.name; }
    return new Response(log.filter((l) => !l.startsWith('get threw') && !l.startsWith('request error')).join(',') + ';' + threw);
  }));
});
`

// TestIndexedDBForcedCloseFiresClose: a connection the user agent
// closes (Factory.CloseConnections, as the admin API's deletion does)
// has its transactions aborted (AbortError), then gets a close event
// (not bubbling, not cancelable), and takes no new transactions
// (InvalidStateError): the standard's "close a database connection"
// with the forced flag.
func TestIndexedDBForcedCloseFiresClose(t *testing.T) {
	f := indexeddb.NewFactory(indexeddb.NewMemoryBackend(), IDBHostCodec)
	w := newTestWorker(t, forceCloseScript, Options{IndexedDB: f})
	if got := fetchBody(t, w, "https://app.test/open"); got != "open" {
		t.Fatal(got)
	}
	if n := f.CloseConnections("https://app.test", "fc"); n != 1 {
		t.Fatalf("CloseConnections closed %d connections, want 1", n)
	}
	want := "abort AbortError,close false false true;InvalidStateError"
	if got := fetchBody(t, w, "https://app.test/closed"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if n := f.CloseConnections("https://app.test", "fc"); n != 0 {
		t.Errorf("a second CloseConnections closed %d connections, want 0", n)
	}
}

// TestIndexedDBClosedConnectionsLeaveNoState: the worker's state of a
// connection (its IDBDatabase's listeners, its live transactions) goes
// once the connection is closed and its last transaction has finished,
// so a script that opens and closes its database around every operation
// does not grow the worker.
func TestIndexedDBClosedConnectionsLeaveNoState(t *testing.T) {
	f := indexeddb.NewFactory(indexeddb.NewMemoryBackend(), IDBHostCodec)
	w := newTestWorker(t, `
self.addEventListener('fetch', (e) => e.respondWith((async () => {
  for (let i = 0; i < 20; i++) {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('oc', 1);
      req.onupgradeneeded = () => req.result.createObjectStore('s');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('s', 'readwrite');
    tx.objectStore('s').put(i, i);
    db.onerror = () => {};
    db.close(); // before the transaction ends
    await new Promise((resolve) => { tx.oncomplete = resolve; });
  }
  return new Response('ok');
})()));`, Options{IndexedDB: f})
	if got := fetchBody(t, w, "https://app.test/"); got != "ok" {
		t.Fatal(got)
	}
	onLoop(t, w, func(in *instance) {
		if n := len(in.idb.conns); n != 0 {
			t.Errorf("%d connections kept after they closed and their transactions finished", n)
		}
	})
}
