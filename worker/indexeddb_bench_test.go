package worker

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/indexeddb"
	"github.com/swhost/swhost/store"
)

// bigRecords is the size of the store of the cursor and range benchmarks.
const bigRecords = 100_000

// idbBenchScript answers /put?N and /get?N: N small records put, each in
// its own read/write transaction (awaiting complete), or read, each with
// get in its own read-only transaction, one after the other;
// /get1tx?N: N gets one after the other in one read-only transaction;
// /burst?N: N read-only transactions with a get each, made in one task
// (N live at once), awaited together;
// /estimate?N: N navigator.storage.estimate() calls one after the other;
// /fill?N, /cursor?N, /advance?N and /range?N: see the big database
// below.
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
// big is the database of /fill, /cursor and /range: a store of
// records {i, g: i % 1000, name} under keys 0..N-1, indexed by g.
let bigp = null;
function big() {
  if (bigp === null) bigp = new Promise((resolve, reject) => {
    const req = indexedDB.open('big', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('s').createIndex('g', 'g');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return bigp;
}
let cursorAt = 0, filled = 0;
self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  const n = Number(u.search.slice(1));
  if (u.pathname === '/fill') {
    // The next n records, in transactions of 2,000 puts (a task each).
    e.respondWith(big().then(async (db) => {
      const end = filled + n;
      for (; filled < end; filled += 2000) {
        await one(db, 'readwrite', (s) => {
          for (let i = filled; i < Math.min(end, filled + 2000); i++) s.put({ i, g: i % 1000, name: 'record ' + i }, i);
        });
      }
      filled = end;
      return new Response('ok');
    }));
    return;
  }
  if (u.pathname === '/cursor' || u.pathname === '/advance') {
    // n moves of one cursor over the store (continue(), or advance(100)),
    // from where the last walk stopped (wrapping at the end), in one
    // read-only transaction.
    const move = u.pathname === '/cursor' ? (c) => c.continue() : (c) => c.advance(100);
    e.respondWith(big().then((db) => one(db, 'readonly', (s) => {
      let left = n;
      const req = s.openCursor(IDBKeyRange.lowerBound(cursorAt));
      req.onsuccess = () => {
        const c = req.result;
        if (c === null) { cursorAt = 0; if (left > 0) { const r2 = s.openCursor(); r2.onsuccess = req.onsuccess; } return; }
        cursorAt = c.key + 1;
        if (--left > 0) move(c);
      };
    })).then(() => new Response('ok')));
    return;
  }
  if (u.pathname === '/range') {
    // n index range queries (getAll of the 100 records whose g is in
    // [x, x+1)), each in its own read-only transaction.
    e.respondWith(big().then(async (db) => {
      for (let i = 0; i < n; i++) {
        let got = 0;
        await one(db, 'readonly', (s) => {
          const r = s.index('g').getAll(IDBKeyRange.bound(i % 1000, i % 1000 + 1, false, true));
          r.onsuccess = () => { got = r.result.length; };
        });
        if (got !== 100) throw new Error('range: ' + got + ' records');
      }
      return new Response('ok');
    }));
    return;
  }
  e.respondWith(db().then(async (db) => {
    if (u.pathname === '/estimate') {
      for (let i = 0; i < n; i++) await navigator.storage.estimate();
      return new Response('ok');
    }
    if (u.pathname === '/burst') {
      // n read-only transactions made in one task, a get each, all
      // live at once, then awaited together.
      const all = [];
      for (let i = 0; i < n; i++) all.push(one(db, 'readonly', (s) => s.get(i % 1000)));
      await Promise.all(all);
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
//
// js-burst-N is N read-only transactions with a get each made in one
// task and awaited together, per transaction: its cost with N live at
// once (the figures of 250 and 2,000 of one run should be alike).
//
// js-advance is advance(100) of a cursor over the same store (one
// advance an op).
//
// js-cursor is cursor steps over a store of 100,000 records (records/s:
// b.N steps), against the rows of an ordered SELECT over the same number
// of rows (sqlite-cursor); js-range is an index range query (getAll of
// the 100 records of one index key range, in its own transaction),
// against a SELECT of the same 100 rows through an index (sqlite-range).
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
	// The big store is filled before the first cursor or range run only,
	// so that a profile of the others is theirs alone.
	filled := false
	fill := func(b *testing.B) {
		if filled {
			return
		}
		filled = true
		for range bigRecords / 10_000 {
			if got := fetchBody(b, w, "https://app.test/fill?10000"); got != "ok" {
				b.Fatal(got)
			}
		}
		b.ResetTimer()
	}
	for _, op := range []string{"put", "get", "get1tx", "burst-250", "burst-2000", "estimate", "cursor", "advance", "range"} {
		b.Run("js-"+op, func(b *testing.B) {
			if op == "cursor" || op == "advance" || op == "range" {
				fill(b)
			}
			b.ReportAllocs()
			// Range queries go 100 to a fetch event, within its time
			// limit on a loaded machine.
			chunk, path := b.N, op
			switch op {
			case "range":
				chunk = 100
			case "burst-250", "burst-2000":
				// Bursts of a fixed size: a transaction's cost with that
				// many live.
				path, _, _ = strings.Cut(op, "-")
				chunk, _ = strconv.Atoi(op[len(path)+1:])
			}
			for done := 0; done < b.N; done += chunk {
				if got := fetchBody(b, w, fmt.Sprintf("https://app.test/%s?%d", path, min(chunk, b.N-done))); got != "ok" {
					b.Fatal(got)
				}
			}
			unit := "ops/s"
			if op == "cursor" {
				unit = "records/s"
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
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
	// The 100k-record table of the cursor and range peers: the same
	// records' 40-byte values, g as a column with an index.
	if _, err := db.Exec(`CREATE TABLE big (k BLOB PRIMARY KEY, g REAL NOT NULL, v BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`CREATE INDEX big_g ON big (g, k)`); err != nil {
		b.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range bigRecords {
		if _, err := tx.Exec(`INSERT INTO big (k, g, v) VALUES (?, ?, ?)`, key(i), i%1000, value); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	b.Run("sqlite-cursor", func(b *testing.B) {
		// b.N rows of one ordered walk of the table, wrapping at its end.
		var k, v []byte
		left := b.N
		for left > 0 {
			rows, err := db.Query(`SELECT k, v FROM big ORDER BY k`)
			if err != nil {
				b.Fatal(err)
			}
			for left > 0 && rows.Next() {
				if err := rows.Scan(&k, &v); err != nil {
					b.Fatal(err)
				}
				left--
			}
			rows.Close()
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("sqlite-range", func(b *testing.B) {
		var v []byte
		for i := range b.N {
			rows, err := db.Query(`SELECT v FROM big WHERE g >= ? AND g < ? ORDER BY g, k`, i%1000, i%1000+1)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				if err := rows.Scan(&v); err != nil {
					b.Fatal(err)
				}
				n++
			}
			rows.Close()
			if n != 100 {
				b.Fatalf("range: %d rows", n)
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
