package worker

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/store"
)

// idbBenchScript answers /put?N and /get?N: N small records put, each in
// its own read/write transaction (awaiting complete), or read, each with
// get in its own read-only transaction, one after the other;
// /get1tx?N: N gets one after the other in one read-only transaction; and
// /estimate?N: N navigator.storage.estimate() calls one after the other.
const idbBenchScript = `
let dbp = null;
function db() {
  if (dbp === null) dbp = new Promise((resolve, reject) => {
    const req = indexedDB.open('bench', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbp;
}
function one(db, mode, fn) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('s', mode);
    fn(tx.objectStore('s'));
    tx.oncomplete = resolve;
    tx.onabort = () => reject(tx.error);
  });
}
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  const n = Number(u.search.slice(1));
  e.respondWith(db().then(async (db) => {
    if (u.pathname === '/estimate') {
      for (let i = 0; i < n; i++) await navigator.storage.estimate();
      return new Response('ok');
    }
    if (u.pathname === '/get1tx') {
      await one(db, 'readonly', (s) => {
        let i = 0;
        const next = () => { if (i < n) s.get(i++ % 1000).onsuccess = next; };
        next();
      });
      return new Response('ok');
    }
    for (let i = 0; i < n; i++) {
      if (u.pathname === '/put') await one(db, 'readwrite', (s) => s.put({ i, name: 'record ' + i }, i));
      else await one(db, 'readonly', (s) => s.get(i % 1000));
    }
    return new Response('ok');
  }));
});
`

// BenchmarkIndexedDB measures put and get of small records through the
// JavaScript API on a SQLite store (synchronous=FULL, as swhost runs),
// next to the same operations on SQLite directly from Go: one
// transaction per put (INSERT ... ON CONFLICT DO UPDATE of a 40-byte
// value under a BLOB key) and one query per get. js-estimate is
// navigator.storage.estimate() (the origin's usage from the store's
// running figures, and its quota), to compare with js-put, whose commit
// checks the quota.
func BenchmarkIndexedDB(b *testing.B) {
	dir := b.TempDir()
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	caches, err := cachestorage.New(st.CacheStorage(), cachestorage.Limits{}).For("https://app.test")
	if err != nil {
		b.Fatal(err)
	}
	w := newTestWorker(b, idbBenchScript, Options{IndexedDB: indexeddb.NewFactory(st.IndexedDB(), IDBHostCodec), Caches: caches})
	if got := fetchBody(b, w, "https://app.test/put?1000"); got != "ok" {
		b.Fatal(got)
	}
	for _, op := range []string{"put", "get", "get1tx", "estimate"} {
		b.Run("js-"+op, func(b *testing.B) {
			b.ReportAllocs()
			if got := fetchBody(b, w, fmt.Sprintf("https://app.test/%s?%d", op, b.N)); got != "ok" {
				b.Fatal(got)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
		})
	}
	path := filepath.Join(b.TempDir(), "direct.db")
	u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String() + "?_journal_mode=WAL&_synchronous=FULL&_txlock=immediate"
	db, err := sql.Open("sqlite", u)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE r (k BLOB PRIMARY KEY, v BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	value := make([]byte, 40)
	key := func(i int) []byte { return indexeddb.Number(float64(i)).Encode() }
	put := func(i int) error {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO r (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v`, key(i), value); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	for i := range 1000 {
		if err := put(i); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("sqlite-put", func(b *testing.B) {
		for i := range b.N {
			if err := put(i); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	})
	b.Run("sqlite-get", func(b *testing.B) {
		var v []byte
		for i := range b.N {
			if err := db.QueryRow(`SELECT v FROM r WHERE k = ?`, key(i%1000)).Scan(&v); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
	})
}
