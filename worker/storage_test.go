package worker

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/store"
)

// quotaScript answers /cache?N (cache.put of an N-byte body), /idb?N (one
// transaction putting two N-byte records), /idbclear (clears them),
// /estimate (navigator.storage.estimate() as JSON), each with what
// happened: "ok", or the error's name; for IndexedDB, also whether the
// put requests succeeded and the transaction's error.
const quotaScript = `
let n = 0;
function db() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('q', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  const size = Number(u.search.slice(1));
  e.respondWith((async () => {
    switch (u.pathname) {
    case '/cache': {
      const c = await caches.open('q');
      try { await c.put('/c' + (n++), new Response('x'.repeat(size))); return new Response('ok'); }
      catch (err) { return new Response(err.name); }
    }
    case '/idb':
    case '/idbclear': {
      const d = await db();
      return new Promise((resolve) => {
        const tx = d.transaction('s', 'readwrite');
        const s = tx.objectStore('s');
        const reqs = [];
        if (u.pathname === '/idbclear') reqs.push(s.clear());
        else { const k = n++; reqs.push(s.put('y'.repeat(size), k + 'a'), s.put('y'.repeat(size), k + 'b')); }
        tx.oncomplete = () => { d.close(); resolve(new Response('ok')); };
        tx.onabort = () => {
          d.close();
          resolve(new Response(reqs.map((r) => r.readyState + ':' + (r.error ? r.error.name : 'none')).join(',') + ' ' + (tx.error && tx.error.name)));
        };
      });
    }
    case '/estimate':
      return new Response(JSON.stringify(await navigator.storage.estimate()));
    }
  })());
});
`

// TestStorageQuotaShared: an origin's caches and IndexedDB databases share
// one quota, in a worker over a SQLite store: a write that would take the
// pair over it fails (cache.put rejects with QuotaExceededError, an
// IndexedDB transaction aborts with it as its error after its requests
// succeeded) and stores nothing; estimate() reports the usage, which
// stays within the quota; clearing gives room back.
func TestStorageQuotaShared(t *testing.T) {
	const quota = 256 << 10
	st, err := store.OpenWith(context.Background(), t.TempDir(), store.Options{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cs, err := cachestorage.New(st.CacheStorage(), cachestorage.Limits{MaxOriginBytes: quota}).For("https://app.test")
	if err != nil {
		t.Fatal(err)
	}
	f := indexeddb.NewFactory(st.IndexedDB(), IDBHostCodec)
	f.SetQuota(quota)
	w := newTestWorker(t, quotaScript, Options{Caches: cs, IndexedDB: f})
	type estimate struct {
		Quota        int64
		Usage        int64
		UsageDetails struct{ Caches, IndexedDB int64 }
	}
	est := func() estimate {
		var e estimate
		if err := json.Unmarshal([]byte(fetchBody(t, w, "https://app.test/estimate")), &e); err != nil {
			t.Fatal(err)
		}
		if e.Quota != quota || e.Usage != e.UsageDetails.Caches+e.UsageDetails.IndexedDB || e.Usage > quota {
			t.Fatalf("estimate %+v, want quota %d and usage within it, the sum of the details", e, quota)
		}
		return e
	}
	steps := []struct {
		path, want string
		grows      bool // the usage grows
	}{
		{"/idb?30000", "ok", true},
		{"/cache?100000", "ok", true},
		{"/idb?30000", "done:none,done:none QuotaExceededError", false},
		{"/cache?100000", "QuotaExceededError", false},
		{"/idb?10", "ok", true}, // small enough
		{"/idbclear", "ok", false},
		{"/idb?30000", "ok", true},
		{"/cache?100000", "QuotaExceededError", false}, // IndexedDB's bytes count against the caches
	}
	prev := est()
	for _, s := range steps {
		if got := fetchBody(t, w, "https://app.test"+s.path); got != s.want {
			t.Fatalf("%s: %q, want %q", s.path, got, s.want)
		}
		e := est()
		switch {
		case s.grows && e.Usage <= prev.Usage:
			t.Errorf("%s: usage %d then %d, want it to grow", s.path, prev.Usage, e.Usage)
		case s.path == "/idbclear" && e.UsageDetails.IndexedDB >= prev.UsageDetails.IndexedDB:
			t.Errorf("clear: IndexedDB usage %d then %d, want it to shrink", prev.UsageDetails.IndexedDB, e.UsageDetails.IndexedDB)
		case s.want != "ok" && e != prev:
			t.Errorf("%s failed but the estimate went from %+v to %+v", s.path, prev, e)
		}
		prev = e
	}
}
