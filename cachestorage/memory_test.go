package cachestorage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

func entry(url string) Entry {
	req, resp := get(url), ok(url)
	return Entry{Request: req, Response: resp, Size: EntrySize(req, resp)}
}

// snapshot describes an origin's state: caches in order, each with its
// entries' URLs, plus usage.
func snapshot(t *testing.T, b Backend, origin string) string {
	t.Helper()
	var s string
	err := b.View(context.Background(), origin, func(tx Tx) error {
		infos, err := tx.Caches()
		if err != nil {
			return err
		}
		for _, info := range infos {
			es, err := tx.Entries(info.ID, Selector{})
			if err != nil {
				return err
			}
			s += fmt.Sprintf("%d:%s[", info.ID, info.Name)
			for _, e := range es {
				s += fmt.Sprintf("%d=%s ", e.ID, e.Request.URL)
			}
			s += "] "
		}
		u, err := tx.Usage()
		s += fmt.Sprintf("usage=%+v", u)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMemoryBackendRollback(t *testing.T) {
	ctx := context.Background()
	b := NewMemoryBackend()
	var c1 CacheInfo
	err := b.Update(ctx, "o", func(tx Tx) error {
		var err error
		if c1, err = tx.CreateCache("one"); err != nil {
			return err
		}
		if _, err := tx.CreateCache("two"); err != nil {
			return err
		}
		for _, u := range []string{"https://x/1", "https://x/2?q", "https://x/3", "https://x/2?r"} {
			if _, err := tx.AppendEntry(c1.ID, entry(u)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, b, "o")
	boom := errors.New("boom")
	mutate := func(tx Tx) {
		es, _ := tx.Entries(c1.ID, Selector{Key: "https://x/2", IgnoreSearch: true})
		for _, e := range es {
			if err := tx.DeleteEntry(c1.ID, e.ID); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := tx.AppendEntry(c1.ID, entry("https://x/2?new")); err != nil {
			t.Fatal(err)
		}
		if err := tx.DeleteEntry(c1.ID, 1); err != nil {
			t.Fatal(err)
		}
		c3, _ := tx.CreateCache("three")
		tx.AppendEntry(c3.ID, entry("https://x/9"))
		info, _, _ := tx.Cache("two")
		if ok, _ := tx.DeleteCache(info.ID); !ok {
			t.Fatal("DeleteCache(two) = false")
		}
		// Inside the transaction the changes are visible.
		if n, _ := tx.EntryCount(c1.ID); n != 2 {
			t.Fatalf("EntryCount inside the transaction = %d, want 2", n)
		}
		if got, _ := tx.Entries(c1.ID, Selector{Key: "https://x/2", IgnoreSearch: true}); len(got) != 1 {
			t.Fatalf("index inside the transaction has %d entries, want 1", len(got))
		}
	}
	if err := b.Update(ctx, "o", func(tx Tx) error { mutate(tx); return boom }); !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if after := snapshot(t, b, "o"); after != before {
		t.Errorf("state after a failed Update:\n%s\nwant\n%s", after, before)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic in fn was swallowed")
			}
		}()
		b.Update(ctx, "o", func(tx Tx) error { mutate(tx); panic("bug") })
	}()
	if after := snapshot(t, b, "o"); after != before {
		t.Errorf("state after a panicking Update:\n%s\nwant\n%s", after, before)
	}
	// The indexes were restored too.
	b.View(ctx, "o", func(tx Tx) error {
		es, _ := tx.Entries(c1.ID, Selector{Key: "https://x/2", IgnoreSearch: true})
		if len(es) != 2 || es[0].Request.URL != "https://x/2?q" || es[1].Request.URL != "https://x/2?r" {
			t.Errorf("searchless index after rollback: %v", es)
		}
		return nil
	})
	// A new cache after a rolled-back one gets a fresh ID.
	b.Update(ctx, "o", func(tx Tx) error {
		c, err := tx.CreateCache("four")
		if err != nil || c.ID != 3 {
			t.Errorf("CreateCache after rollback = %+v, %v; want ID 3", c, err)
		}
		if _, err := tx.CreateCache("four"); err == nil {
			t.Error("CreateCache of an existing name succeeded")
		}
		return nil
	})
}

func TestMemoryBackendReadOnlyView(t *testing.T) {
	b := NewMemoryBackend()
	err := b.View(context.Background(), "o", func(tx Tx) error {
		if _, err := tx.CreateCache("x"); err == nil {
			t.Error("CreateCache in View succeeded")
		}
		if _, err := tx.AppendEntry(1, entry("https://x/")); err == nil {
			t.Error("AppendEntry in View succeeded")
		}
		if _, err := tx.DeleteCache(1); err == nil {
			t.Error("DeleteCache in View succeeded")
		}
		if err := tx.DeleteEntry(1, 1); err == nil {
			t.Error("DeleteEntry in View succeeded")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentWorkers runs several "workers" of one origin, and one of
// another origin, against one store at once (run with -race).
func TestConcurrentWorkers(t *testing.T) {
	ctx := context.Background()
	store := New(NewMemoryBackend(), Limits{})
	const workers, rounds = 8, 100
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := range workers {
		origin := "https://app.test"
		if w == workers-1 {
			origin = "https://other.test"
		}
		wg.Go(func() {
			cs, err := store.For(origin)
			if err != nil {
				errs <- err
				return
			}
			for i := range rounds {
				name := fmt.Sprintf("c%d", i%3)
				c, err := cs.Open(ctx, name)
				if err != nil {
					errs <- err
					return
				}
				url := fmt.Sprintf("https://app.test/r%d?w=%d", i%10, w)
				switch i % 5 {
				case 0, 1:
					err = c.Put(ctx, get(url), ok(url))
				case 2:
					_, err = c.Match(ctx, get(url), MatchOptions{IgnoreSearch: true})
				case 3:
					_, err = c.Delete(ctx, get(url), MatchOptions{})
				case 4:
					_, err = cs.Match(ctx, get(url), MatchOptions{})
					if err == nil && i%20 == 4 {
						_, err = cs.Delete(ctx, name)
						if err == nil {
							// The cache may be gone: a later Put may fail
							// with InvalidStateError, which is fine here.
							_ = c.Put(ctx, get(url), ok(url))
						}
					}
				}
				// Another worker may have deleted the cache c refers to.
				if err != nil && weberr.NameOf(err) != weberr.InvalidStateError {
					errs <- fmt.Errorf("worker %d round %d: %w", w, i, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Every surviving entry is consistent: its response is the one put for
	// its request.
	for _, origin := range []string{"https://app.test", "https://other.test"} {
		cs, _ := store.For(origin)
		names, _ := cs.Keys(ctx)
		for _, n := range names {
			c, _ := cs.Open(ctx, n)
			keys, _ := c.Keys(ctx, nil, MatchOptions{})
			resps, _ := c.MatchAll(ctx, nil, MatchOptions{})
			if len(keys) != len(resps) {
				t.Fatalf("%s %s: %d keys, %d responses", origin, n, len(keys), len(resps))
			}
			seen := map[string]bool{}
			for i := range keys {
				if string(resps[i].Body) != keys[i].URL {
					t.Errorf("%s: entry %s holds %q", n, keys[i].URL, resps[i].Body)
				}
				if seen[keys[i].URL] {
					t.Errorf("%s: %s stored twice", n, keys[i].URL)
				}
				seen[keys[i].URL] = true
			}
		}
	}
}

// FuzzQuery checks that the backend's URL index selects exactly what a
// full scan with Request Matches Cached Item selects, for any URLs.
func FuzzQuery(f *testing.F) {
	f.Add("https://a/x?1#f", "https://a/x?2", "https://a/x", true, false)
	f.Add("https://a/x?", "https://a/x#", "https://a/x", false, true)
	f.Add("http://a/#?", "http://a/?#", "http://a/", true, true)
	f.Fuzz(func(t *testing.T, u1, u2, q string, ignoreSearch, ignoreVary bool) {
		ctx := context.Background()
		c := openCache(t, newTestStorage(t, Limits{}), "f")
		var stored []Entry
		for _, u := range []string{"https://a/" + u1, "https://a/" + u2, u1, u2} {
			req, resp := get(u, "Accept", u1), ok(u, "Vary", u2)
			if err := c.Put(ctx, req, resp); err != nil {
				continue
			}
		}
		err := c.view(ctx, func(tx Tx) error {
			var err error
			stored, err = tx.Entries(c.id, Selector{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		opts := MatchOptions{IgnoreSearch: ignoreSearch, IgnoreVary: ignoreVary}
		for _, query := range []string{q, "https://a/" + q, u1, u2} {
			qr := get(query, "Accept", q)
			var want []string
			for _, e := range stored {
				if requestMatches(qr, e.Request, e.Response, opts) {
					want = append(want, string(e.Response.Body))
				}
			}
			got, err := c.MatchAll(ctx, qr, opts)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(bodies(got)) != fmt.Sprint(append([]string{}, want...)) {
				t.Fatalf("query %q %+v: indexed %q, scan %q", query, opts, bodies(got), want)
			}
		}
	})
}

// BenchmarkMatch matches one URL in a cache of 1,000 entries, with and
// without ignoreSearch and a Vary header to compare.
func BenchmarkMatch(b *testing.B) {
	ctx := context.Background()
	cs, _ := New(NewMemoryBackend(), Limits{}).For("https://app.test")
	c, _ := cs.Open(ctx, "v1")
	for i := range 1000 {
		u := fmt.Sprintf("https://app.test/assets/%d.js?v=%d", i, i%7)
		resp := &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: http.Header{"Content-Type": {"text/javascript"}, "Vary": {"Accept-Encoding"}}, Body: make([]byte, 512)}
		if err := c.Put(ctx, get(u, "Accept-Encoding", "gzip"), resp); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name string
		opts MatchOptions
		url  string
	}{
		{"exact", MatchOptions{}, "https://app.test/assets/500.js?v=3"},
		{"ignoreSearch", MatchOptions{IgnoreSearch: true}, "https://app.test/assets/500.js"},
		{"miss", MatchOptions{}, "https://app.test/assets/none.js"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := get(bc.url, "Accept-Encoding", "gzip")
			b.ReportAllocs()
			for b.Loop() {
				r, err := c.Match(ctx, req, bc.opts)
				if err != nil || (r == nil) != (bc.name == "miss") {
					b.Fatalf("Match = %v, %v", r, err)
				}
			}
		})
	}
	b.Run("CacheStorage", func(b *testing.B) {
		req := get("https://app.test/assets/999.js?v=5", "Accept-Encoding", "gzip")
		b.ReportAllocs()
		for b.Loop() {
			if r, err := cs.Match(ctx, req, MatchOptions{}); r == nil || err != nil {
				b.Fatalf("Match = %v, %v", r, err)
			}
		}
	})
}

// BenchmarkPut replaces one entry of a cache of 1,000 entries.
func BenchmarkPut(b *testing.B) {
	ctx := context.Background()
	cs, _ := New(NewMemoryBackend(), Limits{}).For("https://app.test")
	c, _ := cs.Open(ctx, "v1")
	for i := range 1000 {
		c.Put(ctx, get(fmt.Sprintf("https://app.test/%d", i)), ok("x"))
	}
	req, resp := get("https://app.test/500"), ok("body")
	b.ReportAllocs()
	for b.Loop() {
		if err := c.Put(ctx, req, resp); err != nil {
			b.Fatal(err)
		}
	}
}
