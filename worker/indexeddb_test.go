package worker

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/weberr"
)

// idbScript answers /put?N (puts N records in one transaction, each a
// counter increment of record "n", responding once complete) and /get
// (the counter and the number of records).
const idbScript = `
function db() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('app', 1);
    req.onupgradeneeded = () => {
      const s = req.result.createObjectStore('s', { keyPath: 'id' });
      s.createIndex('by_blob_type', 'blob.type');
      s.put({ id: 'n', count: 0 });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  e.respondWith(db().then((db) => new Promise((resolve, reject) => {
    if (u.pathname === '/put') {
      const tx = db.transaction('s', 'readwrite');
      const s = tx.objectStore('s');
      let n = Number(u.search.slice(1));
      const step = () => {
        s.get('n').onsuccess = (ev) => {
          const rec = ev.target.result;
          rec.count++;
          s.put(rec);
          s.put({ id: 'r' + rec.count + '-' + Math.random(), blob: new Blob(['x'], { type: 'text/x' }) });
          if (--n > 0) step();
        };
      };
      step();
      tx.oncomplete = () => { db.close(); resolve(new Response('ok')); };
      tx.onabort = () => reject(tx.error);
      return;
    }
    const tx = db.transaction('s');
    const s = tx.objectStore('s');
    s.get('n').onsuccess = (ev) => {
      s.index('by_blob_type').count('text/x').onsuccess = (c) => {
        db.close();
        resolve(new Response(ev.target.result.count + ' ' + c.target.result));
      };
    };
  })));
});
`

func fetchBody(t testing.TB, w *Worker, url string) string {
	t.Helper()
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: url}, FetchEventInit{})
	if err != nil || res.Response == nil {
		t.Fatalf("%s: %v %+v", url, err, res)
	}
	return string(res.Response.Body)
}

// TestIndexedDBPersistsAndSerializes runs two workers of one origin on
// one engine over a SQLite store: their read/write transactions on the
// same store (read-modify-write of a counter) never interleave, and what
// they committed is there after the store is closed and opened again.
func TestIndexedDBPersistsAndSerializes(t *testing.T) {
	dir := t.TempDir()
	st, err := store.OpenWith(context.Background(), dir, store.Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	f := indexeddb.NewFactory(st.IndexedDB(), IDBHostCodec)
	w1 := newTestWorker(t, idbScript, Options{IndexedDB: f})
	w2 := newTestWorker(t, idbScript, Options{IndexedDB: f})
	var wg sync.WaitGroup
	const rounds, perTx = 10, 5
	for _, w := range []*Worker{w1, w2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				if got := fetchBody(t, w, fmt.Sprintf("https://app.test/put?%d", perTx)); got != "ok" {
					t.Errorf("put: %q", got)
				}
			}
		}()
	}
	wg.Wait()
	want := fmt.Sprintf("%d %d", 2*rounds*perTx, 2*rounds*perTx)
	if got := fetchBody(t, w1, "https://app.test/get"); got != want {
		t.Errorf("after both workers: %q, want %q (a lost update means interleaved transactions)", got, want)
	}
	w1.Close()
	w2.Close()
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w3 := newTestWorker(t, idbScript, Options{IndexedDB: indexeddb.NewFactory(st.IndexedDB(), IDBHostCodec)})
	if got := fetchBody(t, w3, "https://app.test/get"); got != want {
		t.Errorf("after reopening the store: %q, want %q", got, want)
	}
}

// TestIndexedDBWorkerStopClosesConnections checks that a stopped worker's
// connection no longer blocks an upgrade.
func TestIndexedDBWorkerStopClosesConnections(t *testing.T) {
	f := indexeddb.NewFactory(indexeddb.NewMemoryBackend(), IDBHostCodec)
	holder := newTestWorker(t, `
self.addEventListener('fetch', (e) => e.respondWith(new Promise((resolve) => {
  const req = indexedDB.open('held', 1);
  req.onsuccess = () => { self.db = req.result; resolve(new Response('open')); };
})));`, Options{IndexedDB: f})
	if got := fetchBody(t, holder, "https://app.test/"); got != "open" {
		t.Fatal(got)
	}
	upgrader := newTestWorker(t, `
self.addEventListener('fetch', (e) => e.respondWith(new Promise((resolve) => {
  const events = [];
  const req = indexedDB.open('held', 2);
  req.onblocked = () => events.push('blocked');
  req.onsuccess = () => resolve(new Response(events.concat('success v' + req.result.version).join(' ')));
})));`, Options{IndexedDB: f})
	done := make(chan string, 1)
	go func() { done <- fetchBody(t, upgrader, "https://app.test/") }()
	holder.Close()
	if got := <-done; !strings.HasSuffix(got, "success v2") {
		t.Errorf("upgrade after the holder stopped: %q", got)
	}
}

// TestIndexedDBFloodedTransactions: a worker that makes read/write
// transactions without end in one task (each queued behind the first)
// is interrupted by its heap ceiling, and its transactions go with it:
// another worker of the origin then writes and reads the same store.
func TestIndexedDBFloodedTransactions(t *testing.T) {
	f := indexeddb.NewFactory(indexeddb.NewMemoryBackend(), IDBHostCodec)
	flooder := newTestWorker(t, `
self.addEventListener('fetch', (e) => e.respondWith(new Promise((resolve) => {
  const req = indexedDB.open('flood', 1);
  req.onupgradeneeded = () => req.result.createObjectStore('s');
  req.onsuccess = () => {
    const db = req.result;
    for (let i = 0; ; i++) db.transaction('s', 'readwrite').objectStore('s').put(i, i);
  };
})));`, Options{IndexedDB: f, Limits: Limits{MaxHeapGrowth: 32 << 20, CPUPerTask: 30 * time.Second}})
	_, err := flooder.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Fatalf("the flooding worker: %v, want QuotaExceededError", err)
	}
	other := newTestWorker(t, `
self.addEventListener('fetch', (e) => e.respondWith(new Promise((resolve, reject) => {
  const req = indexedDB.open('flood', 1);
  req.onsuccess = () => {
    const tx = req.result.transaction('s', 'readwrite');
    tx.objectStore('s').put('after', 'k');
    const get = tx.objectStore('s').get('k');
    tx.oncomplete = () => resolve(new Response(String(get.result)));
    tx.onabort = () => reject(tx.error);
  };
  req.onerror = () => reject(req.error);
})));`, Options{IndexedDB: f})
	if got := fetchBody(t, other, "https://app.test/"); got != "after" {
		t.Fatalf("the other worker read %q", got)
	}
}
