package store

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/cputime"
	"github.com/swhost/swhost/internal/pgtest"
	"github.com/swhost/swhost/sw"
)

// cpuTime returns the CPU time (user and system) the process has used:
// on a loaded machine it is steadier than wall time, which includes
// waiting for a core.
func cpuTime() time.Duration {
	d, _ := cputime.Process()
	return d
}

// reportCPU reports the CPU time per op since start.
func reportCPU(b *testing.B, start time.Duration, n int) {
	b.ReportMetric(float64(cpuTime()-start)/float64(n), "cpu-ns/op")
}

// diskBytes returns the size of the database after a checkpoint: the
// pages in use (freelist excluded).
func diskBytes(b testing.TB, s *SQLStore) int64 {
	b.Helper()
	if _, err := s.w.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		b.Fatal(err)
	}
	var pages, free, size int64
	s.w.QueryRow("PRAGMA page_count").Scan(&pages)
	s.w.QueryRow("PRAGMA freelist_count").Scan(&free)
	s.w.QueryRow("PRAGMA page_size").Scan(&size)
	return (pages - free) * size
}

// BenchmarkCreateRegistration writes one registration with its first
// version and main script in one transaction (one fsync with FULL), and
// reports the disk bytes each idle registration takes.
func BenchmarkCreateRegistration(b *testing.B) {
	for _, bc := range []struct {
		name   string
		sync   string
		script int
	}{
		{"10KiB/sync=FULL", "FULL", 10 << 10},
		{"10KiB/sync=NORMAL", "NORMAL", 10 << 10},
		{"empty/sync=FULL", "FULL", 0},
	} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := OpenWith(ctx, b.TempDir(), Options{Synchronous: bc.sync})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			before := diskBytes(b, s)
			n := benchCreate(b, s, bc.script)
			b.ReportMetric(float64(diskBytes(b, s)-before)/float64(n), "disk-B/reg")
		})
	}
}

// benchCreate is BenchmarkCreateRegistration's loop: it returns the
// number of registrations made.
func benchCreate(b *testing.B, s *SQLStore, script int) int {
	ctx := context.Background()
	n := 0
	b.SetBytes(int64(script))
	cpu := cpuTime()
	for b.Loop() {
		key := fmt.Sprintf("https://app.test/team%d/", n)
		r := Registration{ScopeKey: key, ScopeText: key, Origin: "https://app.test"}
		v := Version{ScriptURL: key + "sw.js", State: sw.StateActivated, Slot: SlotActive}
		if err := s.CreateRegistration(ctx, &r, &v, []Script{testScript(v.ScriptURL, script)}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.StopTimer()
	reportCPU(b, cpu, n)
	return n
}

// fill stores n registrations, each with an active version and a 10 KiB
// main script, in batches of 500 per transaction.
func fill(b testing.TB, s *SQLStore, n int) {
	b.Helper()
	ctx := context.Background()
	for start := 0; start < n; start += 500 {
		err := s.Update(ctx, func(tx Tx) error {
			for i := start; i < min(start+500, n); i++ {
				key := fmt.Sprintf("https://app%d.test/team%d/", i%100, i)
				r := Registration{ScopeKey: key, ScopeText: key, Origin: fmt.Sprintf("https://app%d.test", i%100)}
				v := Version{ScriptURL: key + "sw.js", State: sw.StateActivated, Slot: SlotActive}
				if err := tx.CreateRegistration(ctx, &r, &v, []Script{testScript(v.ScriptURL, 10<<10)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRestore10k is the start-up restore of 10,000 registrations with
// their active versions: LoadRegistrations on an open store, and
// Open+LoadRegistrations+Close from a closed database (cold start of the
// process, with the file in the OS page cache).
func BenchmarkRestore10k(b *testing.B) {
	const n = 10000
	ctx := context.Background()
	dir := b.TempDir()
	s, err := OpenWith(ctx, dir, Options{Synchronous: "NORMAL"})
	if err != nil {
		b.Fatal(err)
	}
	fill(b, s, n)
	b.Logf("database with %d registrations: %d bytes (%s)", n, diskBytes(b, s), filepath.Base(s.Path()))
	check := func(all []Loaded) { checkRestore(b, all, n) }
	b.Run("load", func(b *testing.B) { benchLoad(b, s, n) })
	s.Close()
	b.Run("open+load", func(b *testing.B) {
		b.ReportAllocs()
		cpu, n := cpuTime(), 0
		for b.Loop() {
			n++
			s, err := Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			all, err := s.LoadRegistrations(ctx)
			if err != nil {
				b.Fatal(err)
			}
			check(all)
			if err := s.Close(); err != nil {
				b.Fatal(err)
			}
		}
		reportCPU(b, cpu, n)
	})
}

func checkRestore(b *testing.B, all []Loaded, n int) {
	if len(all) != n || len(all[n-1].Versions) != 1 || all[n-1].Versions[0].Slot != SlotActive {
		b.Fatalf("loaded %d registrations", len(all))
	}
}

// benchLoad is LoadRegistrations of the n registrations in s.
func benchLoad(b *testing.B, s *SQLStore, n int) {
	ctx := context.Background()
	b.ReportAllocs()
	cpu, loads := cpuTime(), 0
	for b.Loop() {
		all, err := s.LoadRegistrations(ctx)
		if err != nil {
			b.Fatal(err)
		}
		checkRestore(b, all, n)
		loads++
	}
	reportCPU(b, cpu, loads)
}

// BenchmarkScripts reads the scripts of one version (worker start).
func BenchmarkScripts(b *testing.B) { benchScripts(b, openTest(b)) }

func benchScripts(b *testing.B, s *SQLStore) {
	ctx := context.Background()
	_, v := mustCreate(b, s, 1)
	s.PutScripts(ctx, v.ID, testScript("https://app.test/lib.js", 10<<10))
	b.ReportAllocs()
	for b.Loop() {
		sc, err := s.Scripts(ctx, v.ID)
		if err != nil || len(sc) != 2 {
			b.Fatal(sc, err)
		}
	}
}

// BenchmarkKV is a 1 KiB value's Get and Put in the key-value table (the
// HTTP cache's hit and store paths).
func BenchmarkKV(b *testing.B) { benchKV(b, openTest(b, Options{Synchronous: "FULL"})) }

func benchKV(b *testing.B, s *SQLStore) {
	ctx := context.Background()
	val := make([]byte, 1<<10)
	for i := range 1000 {
		s.Put(ctx, fmt.Sprintf("httpcache/https://app.test/%d", i), val)
	}
	b.Run("get", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Get(ctx, "httpcache/https://app.test/500"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("put", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.Put(ctx, "httpcache/https://app.test/500", val); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCacheStorage matches and replaces one entry in a cache of 1,000
// entries on the SQL backend (cachestorage's BenchmarkMatch and
// BenchmarkPut run the same on the memory backend).
func BenchmarkCacheStorage(b *testing.B) {
	benchCacheStorage(b, openTest(b, Options{Synchronous: "FULL"}))
}

func benchCacheStorage(b *testing.B, s *SQLStore) {
	ctx := context.Background()
	cs, _ := cachestorage.New(s.CacheStorage(), cachestorage.Limits{}).For("https://app.test")
	c, _ := cs.Open(ctx, "v1")
	err := c.AddAll(ctx, fetch.FetcherFunc(func(_ context.Context, req *fetch.Request) (*fetch.Response, error) {
		return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: http.Header{"Content-Type": {"text/javascript"}, "Vary": {"Accept-Encoding"}}, Body: make([]byte, 512)}, nil
	}), assetRequests(1000))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("match", func(b *testing.B) {
		req := creq("https://app.test/assets/500.js?v=3", "Accept-Encoding", "gzip")
		b.ReportAllocs()
		for b.Loop() {
			if r, err := c.Match(ctx, req, cachestorage.MatchOptions{}); r == nil || err != nil {
				b.Fatal(r, err)
			}
		}
	})
	b.Run("match-ignoreSearch", func(b *testing.B) {
		req := creq("https://app.test/assets/500.js", "Accept-Encoding", "gzip")
		b.ReportAllocs()
		for b.Loop() {
			if r, err := c.Match(ctx, req, cachestorage.MatchOptions{IgnoreSearch: true}); r == nil || err != nil {
				b.Fatal(r, err)
			}
		}
	})
	b.Run("put", func(b *testing.B) {
		req, resp := creq("https://app.test/assets/500.js?v=3"), cresp("body")
		b.ReportAllocs()
		for b.Loop() {
			if err := c.Put(ctx, req, resp); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func assetRequests(n int) []*fetch.Request {
	reqs := make([]*fetch.Request, n)
	for i := range reqs {
		reqs[i] = creq(fmt.Sprintf("https://app.test/assets/%d.js?v=%d", i, i%7), "Accept-Encoding", "gzip")
	}
	return reqs
}

// BenchmarkPostgres runs the benchmarks above on PostgreSQL: a server of
// its own on this machine, over loopback TCP, with durable commits
// (fsync=on, unlike the tests' server), so that CreateRegistration,
// KV/put and CacheStorage/put compare with SQLite's synchronous=FULL.
// Restore10k/load is LoadRegistrations of 10,000 registrations.
func BenchmarkPostgres(b *testing.B) {
	srv := pgtest.NewServer(b, "fsync=on", "full_page_writes=on")
	open := func(b *testing.B) *SQLStore { return postgresBackend.openAt(b, srv.NewDatabase(b)) }
	b.Run("CreateRegistration/10KiB", func(b *testing.B) { benchCreate(b, open(b), 10<<10) })
	b.Run("CreateRegistration/empty", func(b *testing.B) { benchCreate(b, open(b), 0) })
	b.Run("Restore10k", func(b *testing.B) {
		const n = 10000
		s := open(b)
		fill(b, s, n)
		b.Run("load", func(b *testing.B) { benchLoad(b, s, n) })
	})
	b.Run("Scripts", func(b *testing.B) { benchScripts(b, open(b)) })
	b.Run("KV", func(b *testing.B) { benchKV(b, open(b)) })
	b.Run("CacheStorage", func(b *testing.B) { benchCacheStorage(b, open(b)) })
}
