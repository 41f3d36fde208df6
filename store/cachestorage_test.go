package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/cachestorage/backendtest"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

// The SQL backend must behave exactly as cachestorage's memory backend:
// these tests run the same scenarios on both and compare.

type namedBackend struct {
	name string
	new  func(t testing.TB) cachestorage.Backend
}

// backends are the memory backend, the reference, and the SQL one on each
// database.
var backends = []namedBackend{
	{"memory", func(testing.TB) cachestorage.Backend { return cachestorage.NewMemoryBackend() }},
	{"sqlite", func(t testing.TB) cachestorage.Backend { return sqliteBackend.open(t).CacheStorage() }},
	{"postgres", func(t testing.TB) cachestorage.Backend { return postgresBackend.open(t).CacheStorage() }},
}

// TestCacheBackendContract runs cachestorage's contract suite for
// backends on the SQL backend, on each database.
func TestCacheBackendContract(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		backendtest.Run(t, func(t testing.TB) cachestorage.Backend { return b.open(t).CacheStorage() })
	})
}

func creq(url string, header ...string) *fetch.Request {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return &fetch.Request{Method: "GET", URL: url, Header: h}
}

func cresp(body string, header ...string) *fetch.Response {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: h, Body: []byte(body)}
}

func centry(url string) cachestorage.Entry {
	req, resp := creq(url), cresp(url)
	return cachestorage.Entry{Request: req, Response: resp, Size: cachestorage.EntrySize("https://app.test", req, resp)}
}

// backendSnapshot describes an origin's state: caches in order with their
// entries' IDs and URLs, entry counts, and usage.
func backendSnapshot(t testing.TB, b cachestorage.Backend, origin string) string {
	t.Helper()
	var sb strings.Builder
	err := b.View(context.Background(), origin, func(tx cachestorage.Tx) error {
		infos, err := tx.Caches()
		if err != nil {
			return err
		}
		for _, info := range infos {
			es, err := tx.Entries(info.ID, cachestorage.Selector{})
			if err != nil {
				return err
			}
			n, err := tx.EntryCount(info.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(&sb, "%d:%s(%d)[", info.ID, info.Name, n)
			for _, e := range es {
				fmt.Fprintf(&sb, "%d=%s/%d ", e.ID, e.Request.URL, e.Size)
			}
			sb.WriteString("] ")
		}
		u, err := tx.Usage()
		fmt.Fprintf(&sb, "usage=%+v", u)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

// TestCacheBackendRollback is cachestorage's rollback scenario on both
// backends: changes are visible inside the transaction, gone after an
// error or a panic, and IDs of rolled-back caches are given again.
func TestCacheBackendRollback(t *testing.T) {
	ctx := context.Background()
	var snapshots []string
	for _, nb := range backends {
		t.Run(nb.name, func(t *testing.T) {
			b := nb.new(t)
			var c1 cachestorage.CacheInfo
			err := b.Update(ctx, "o", func(tx cachestorage.Tx) error {
				var err error
				if c1, err = tx.CreateCache("one"); err != nil {
					return err
				}
				if _, err := tx.CreateCache("two"); err != nil {
					return err
				}
				for _, u := range []string{"https://x/1", "https://x/2?q", "https://x/3", "https://x/2?r"} {
					if _, err := tx.AppendEntry(c1.ID, centry(u)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			before := backendSnapshot(t, b, "o")
			boom := errors.New("boom")
			mutate := func(tx cachestorage.Tx) {
				es, _ := tx.Entries(c1.ID, cachestorage.Selector{Key: "https://x/2", IgnoreSearch: true})
				for _, e := range es {
					if err := tx.DeleteEntry(c1.ID, e.ID); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := tx.AppendEntry(c1.ID, centry("https://x/2?new")); err != nil {
					t.Fatal(err)
				}
				if err := tx.DeleteEntry(c1.ID, 1); err != nil {
					t.Fatal(err)
				}
				c3, _ := tx.CreateCache("three")
				tx.AppendEntry(c3.ID, centry("https://x/9"))
				info, _, _ := tx.Cache("two")
				if ok, _ := tx.DeleteCache(info.ID); !ok {
					t.Fatal("DeleteCache(two) = false")
				}
				if n, _ := tx.EntryCount(c1.ID); n != 2 {
					t.Fatalf("EntryCount inside the transaction = %d, want 2", n)
				}
				if got, _ := tx.Entries(c1.ID, cachestorage.Selector{Key: "https://x/2", IgnoreSearch: true}); len(got) != 1 {
					t.Fatalf("index inside the transaction has %d entries, want 1", len(got))
				}
				if u, _ := tx.Usage(); u.Caches != 2 || u.Entries != 3 {
					t.Fatalf("Usage inside the transaction = %+v", u)
				}
			}
			if err := b.Update(ctx, "o", func(tx cachestorage.Tx) error { mutate(tx); return boom }); !errors.Is(err, boom) {
				t.Fatalf("Update = %v, want boom", err)
			}
			if after := backendSnapshot(t, b, "o"); after != before {
				t.Errorf("after a failed Update:\n%s\nwant\n%s", after, before)
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Error("panic in fn was swallowed")
					}
				}()
				b.Update(ctx, "o", func(tx cachestorage.Tx) error { mutate(tx); panic("bug") })
			}()
			if after := backendSnapshot(t, b, "o"); after != before {
				t.Errorf("after a panicking Update:\n%s\nwant\n%s", after, before)
			}
			b.Update(ctx, "o", func(tx cachestorage.Tx) error {
				c, err := tx.CreateCache("four")
				if err != nil || c.ID != 3 {
					t.Errorf("CreateCache after rollback = %+v, %v; want ID 3", c, err)
				}
				if _, err := tx.CreateCache("four"); err == nil {
					t.Error("CreateCache of an existing name succeeded")
				}
				// IDs are not reused after a committed delete either.
				ok, err := tx.DeleteCache(c.ID)
				if !ok || err != nil {
					t.Errorf("DeleteCache(four) = %v, %v", ok, err)
				}
				c5, _ := tx.CreateCache("five")
				if c5.ID != 4 {
					t.Errorf("cache after a deleted one got ID %d, want 4", c5.ID)
				}
				return nil
			})
			snapshots = append(snapshots, backendSnapshot(t, b, "o"))
		})
	}
	for i := 1; i < len(snapshots); i++ {
		if snapshots[i] != snapshots[0] {
			t.Errorf("backends differ:\nmemory %s\n%-6s %s", snapshots[0], backends[i].name, snapshots[i])
		}
	}
}

func TestCacheBackendReadOnlyView(t *testing.T) {
	for _, nb := range backends {
		t.Run(nb.name, func(t *testing.T) {
			b := nb.new(t)
			var id int64
			b.Update(context.Background(), "o", func(tx cachestorage.Tx) error {
				c, err := tx.CreateCache("x")
				id = c.ID
				return err
			})
			err := b.View(context.Background(), "o", func(tx cachestorage.Tx) error {
				if _, err := tx.CreateCache("y"); err == nil {
					t.Error("CreateCache in View succeeded")
				}
				if _, err := tx.AppendEntry(id, centry("https://x/")); err == nil {
					t.Error("AppendEntry in View succeeded")
				}
				if _, err := tx.DeleteCache(id); err == nil {
					t.Error("DeleteCache in View succeeded")
				}
				if err := tx.DeleteEntry(id, 1); err == nil {
					t.Error("DeleteEntry in View succeeded")
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			// A View of an origin that never stored anything.
			err = b.View(context.Background(), "empty", func(tx cachestorage.Tx) error {
				infos, err := tx.Caches()
				u, _ := tx.Usage()
				n, _ := tx.EntryCount(1)
				es, _ := tx.Entries(1, cachestorage.Selector{})
				_, ok, _ := tx.Cache("x")
				if len(infos) != 0 || u != (cachestorage.Usage{}) || n != 0 || len(es) != 0 || ok {
					t.Errorf("empty origin: %v %+v %d %v %v", infos, u, n, es, ok)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			// Appending to a missing cache fails; deleting from one does not.
			err = b.Update(context.Background(), "o", func(tx cachestorage.Tx) error {
				if _, err := tx.AppendEntry(99, centry("https://x/")); err == nil {
					t.Error("AppendEntry to a missing cache succeeded")
				}
				if _, err := tx.AppendEntry(id, cachestorage.Entry{}); err == nil {
					t.Error("AppendEntry without request succeeded")
				}
				if err := tx.DeleteEntry(99, 1); err != nil {
					t.Errorf("DeleteEntry in a missing cache = %v", err)
				}
				if ok, err := tx.DeleteCache(99); ok || err != nil {
					t.Errorf("DeleteCache(missing) = %v, %v", ok, err)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCacheBackendRoundTrip stores requests and responses with every
// field set (and nil versus empty headers and bodies) and reads them back
// equal, as the memory backend does.
func TestCacheBackendRoundTrip(t *testing.T) {
	full := cachestorage.Entry{
		Request: &fetch.Request{Method: "GET", URL: "https://a.test/x?q=1#frag",
			Header: http.Header{"Accept": {"text/html", "*/*"}, "X-Empty": {""}}, Body: []byte{0, 1, 0xff},
			Mode: fetch.ModeCORS, Credentials: fetch.CredentialsInclude, Destination: "font",
			Referrer: "https://app.test/page", ClientID: "c1", ResultingClientID: "c2", Origin: "https://app.test"},
		Response: &fetch.Response{Type: fetch.TypeCORS, URL: "https://a.test/y", URLList: []string{"https://a.test/x", "https://a.test/y"},
			Redirected: true, Status: 299, StatusText: "Fine ✓", Header: http.Header{"Content-Type": {"font/woff2"}, "Vary": {"Accept"}},
			Body: []byte("\x00body\xff"), Error: "none"},
		Size: 1234,
	}
	cases := map[string]cachestorage.Entry{
		"full": full,
		"redirect and cache modes": {Request: &fetch.Request{URL: "https://a.test/r", Redirect: fetch.Redirect("manual"), Cache: fetch.CacheMode("no-store")},
			Response: &fetch.Response{Type: fetch.TypeOpaqueRedirect, URLList: []string{}}},
		"nil headers, bodies": {Request: &fetch.Request{URL: "https://a.test/"}, Response: &fetch.Response{Type: fetch.TypeOpaque}, Size: 1},
		"empty headers, bodies": {Request: &fetch.Request{URL: "https://a.test/", Header: http.Header{}, Body: []byte{}},
			Response: &fetch.Response{Status: 200, Header: http.Header{}, Body: []byte{}}},
	}
	for name, e := range cases {
		for _, nb := range backends {
			t.Run(name+"/"+nb.name, func(t *testing.T) {
				b := nb.new(t)
				ctx := context.Background()
				err := b.Update(ctx, "o", func(tx cachestorage.Tx) error {
					c, err := tx.CreateCache("c")
					if err != nil {
						return err
					}
					_, err = tx.AppendEntry(c.ID, cachestorage.Entry{Request: e.Request.Clone(), Response: e.Response.Clone(), Size: e.Size})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				var got cachestorage.Entry
				b.View(ctx, "o", func(tx cachestorage.Tx) error {
					es, err := tx.Entries(1, cachestorage.Selector{Key: cachestorage.URLKey(e.Request.URL, true), IgnoreSearch: true})
					if err != nil || len(es) != 1 {
						t.Fatalf("%s: Entries = %v, %v", nb.name, es, err)
					}
					got = es[0]
					return nil
				})
				// Every backend keeps what it was given: the clones.
				want := cachestorage.Entry{ID: 1, Request: e.Request.Clone(), Response: e.Response.Clone(), Size: e.Size}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s read back\n%+v %+v\nwant\n%+v %+v", nb.name, *got.Request, *got.Response, *want.Request, *want.Response)
				}
			})
		}
	}
}

// TestCacheBackendDifferential applies the same random operations to both
// backends, some in transactions that fail, and compares every result and
// the final state.
func TestCacheBackendDifferential(t *testing.T) {
	seeds, steps := []uint64{1, 2, 3, 4, 5}, 150
	if testing.Short() {
		seeds, steps = seeds[:1], 60
	}
	eachBackend(t, func(t *testing.T, b backend) {
		for _, seed := range seeds {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				runDifferential(t, b, rand.New(rand.NewPCG(seed, 42)), steps)
			})
		}
	})
}

// FuzzCacheBackend is TestCacheBackendDifferential driven by the fuzzer's
// seed, on SQLite.
func FuzzCacheBackend(f *testing.F) {
	f.Add(uint64(7), uint8(30))
	f.Add(uint64(99), uint8(80))
	fuzzDifferential(f, 1, 20, runDifferential)
}

// fuzzDifferential runs a differential test, run, on SQLite for the
// fuzzer's seed (the random stream's, with stream) and number of steps
// (at most short under -short).
func fuzzDifferential(f *testing.F, stream uint64, short uint8, run func(t *testing.T, b backend, rng *rand.Rand, steps int)) {
	f.Fuzz(func(t *testing.T, seed uint64, n uint8) {
		if testing.Short() {
			n = min(n, short)
		}
		run(t, sqliteBackend, rand.New(rand.NewPCG(seed, stream)), int(n))
	})
}

func runDifferential(t *testing.T, b backend, rng *rand.Rand, steps int) {
	ctx := context.Background()
	mem, sq := cachestorage.NewMemoryBackend(), b.open(t).CacheStorage()
	origins := []string{"https://a.test", "https://b.test"}
	urls := []string{"https://a.test/x", "https://a.test/x?1", "https://a.test/x?2#f", "https://a.test/y", "https://a.test/y?", "https://a.test/z#"}
	names := []string{"v1", "v2", "v3", ""}
	boom := errors.New("rolled back")
	for step := range steps {
		origin := origins[rng.IntN(len(origins))]
		// The same operations, chosen once, applied to both backends.
		type op struct {
			kind int
			arg  int
			url  string
			name string
			sel  cachestorage.Selector
		}
		var ops []op
		for range 1 + rng.IntN(4) {
			u := urls[rng.IntN(len(urls))]
			ops = append(ops, op{kind: rng.IntN(9), arg: rng.IntN(6) + 1, url: u, name: names[rng.IntN(len(names))],
				sel: cachestorage.Selector{Key: cachestorage.URLKey(u, rng.IntN(2) == 0), IgnoreSearch: rng.IntN(2) == 0}})
		}
		fail := rng.IntN(4) == 0
		view := rng.IntN(4) == 0
		run := func(b cachestorage.Backend) string {
			var log strings.Builder
			fn := func(tx cachestorage.Tx) error {
				for _, o := range ops {
					var r any
					var err error
					switch o.kind {
					case 0:
						r, err = tx.CreateCache(o.name)
					case 1:
						r, err = tx.DeleteCache(int64(o.arg))
					case 2, 3:
						e := centry(o.url)
						r, err = tx.AppendEntry(int64(o.arg%3+1), e)
					case 4:
						err = tx.DeleteEntry(int64(o.arg%3+1), int64(o.arg))
					case 5:
						var es []cachestorage.Entry
						es, err = tx.Entries(int64(o.arg%3+1), o.sel)
						var ids []string
						for _, e := range es {
							ids = append(ids, fmt.Sprintf("%d=%s", e.ID, e.Request.URL))
						}
						r = ids
					case 6:
						r, err = tx.Usage()
					case 7:
						r, err = tx.EntryCount(int64(o.arg % 4))
					case 8:
						var info cachestorage.CacheInfo
						var ok bool
						info, ok, err = tx.Cache(o.name)
						r = fmt.Sprint(info, ok)
					}
					// Error texts differ between backends; whether there
					// was one must not.
					fmt.Fprintf(&log, "%d:%v/%v ", o.kind, r, err != nil)
				}
				if fail {
					return boom
				}
				return nil
			}
			var err error
			if view {
				err = b.View(ctx, origin, fn)
			} else {
				err = b.Update(ctx, origin, fn)
			}
			fmt.Fprintf(&log, "=> %v", err)
			return log.String()
		}
		gm, gs := run(mem), run(sq)
		if gm != gs {
			t.Fatalf("step %d (%s, view %v, fail %v): results differ\nmemory %s\nsql    %s", step, origin, view, fail, gm, gs)
		}
		for _, o := range origins {
			if sm, ss := backendSnapshot(t, mem, o), backendSnapshot(t, sq, o); sm != ss {
				t.Fatalf("step %d: %s differs\nmemory %s\nsql    %s", step, o, sm, ss)
			}
		}
	}
	for _, o := range origins {
		t.Logf("final state of %s: %s", o, backendSnapshot(t, sq, o))
	}
}

// TestCacheStorageOnSQL drives cachestorage's public API on the SQL
// backend: limits, persistence across a reopen, and isolation of origins.
func TestCacheStorageOnSQL(t *testing.T) { eachBackend(t, testCacheStorageOnSQL) }

func testCacheStorageOnSQL(t *testing.T, b backend) {
	ctx := context.Background()
	dir := b.location(t)
	s, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	store := cachestorage.New(s.CacheStorage(), cachestorage.Limits{MaxCaches: 2, MaxEntriesPerCache: 3, MaxOriginBytes: 8000})
	app, _ := store.For("https://app.test")
	other, _ := store.For("https://other.test")
	c, err := app.Open(ctx, "v1")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := c.Put(ctx, creq(fmt.Sprintf("https://app.test/%d", i)), cresp("x")); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Put(ctx, creq("https://app.test/3"), cresp("x")); weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Errorf("fourth entry: %v, want QuotaExceededError", err)
	}
	if err := c.Put(ctx, creq("https://app.test/0"), cresp("replaced")); err != nil {
		t.Errorf("replacing an entry at the limit: %v", err)
	}
	c2, err := app.Open(ctx, "v2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Open(ctx, "v3"); weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Errorf("third cache: %v, want QuotaExceededError", err)
	}
	if err := c2.Put(ctx, creq("https://app.test/big"), cresp(strings.Repeat("b", 8000))); weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Errorf("entry over the origin's bytes: %v, want QuotaExceededError", err)
	}
	oc, _ := other.Open(ctx, "v1")
	if err := oc.Put(ctx, creq("https://other.test/0"), cresp("other")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Everything is there after a reopen.
	s2, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	store2 := cachestorage.New(s2.CacheStorage(), cachestorage.Limits{})
	app2, _ := store2.For("https://app.test")
	keys, _ := app2.Keys(ctx)
	if !slices.Equal(keys, []string{"v1", "v2"}) {
		t.Errorf("caches after reopen: %v", keys)
	}
	r, err := app2.Match(ctx, creq("https://app.test/0"), cachestorage.MatchOptions{})
	if err != nil || r == nil || string(r.Body) != "replaced" {
		t.Errorf("Match after reopen = %v, %v", r, err)
	}
	if r, _ := app2.Match(ctx, creq("https://other.test/0"), cachestorage.MatchOptions{}); r != nil {
		t.Errorf("app.test sees other.test's entry: %v", r)
	}
}

// TestCacheStorageSuiteOnSQL runs the Cache Storage behaviour suite (matching
// rules, concurrent workers of two origins) over the SQL backend.
func TestCacheStorageSuiteOnSQL(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		backendtest.RunStore(t, func(t testing.TB) cachestorage.Backend { return b.open(t).CacheStorage() })
	})
}

// FuzzEntryEncoding checks that a stored request and response read back
// equal to what was stored, whatever their contents, and that decoding
// damaged metadata fails without panicking.
func FuzzEntryEncoding(f *testing.F) {
	f.Add("https://a.test/x?q#f", "Accept", "text/html", []byte("body"), 200, true, `{"URL":"x"}`)
	f.Add("", "", "", []byte(nil), 0, false, `{`)
	f.Add("\xff\x00", "X-\xff", "\x00", []byte{}, -1, true, `{"Header":{"A":[1]}}`)
	f.Fuzz(func(t *testing.T, url, hname, hvalue string, body []byte, status int, nilHeader bool, damaged string) {
		req := &fetch.Request{Method: "GET", URL: url, Body: body, Referrer: hvalue}
		resp := &fetch.Response{Status: status, URL: url, StatusText: hvalue, Body: body, URLList: []string{url, hname}}
		if !nilHeader {
			req.Header = http.Header{hname: {hvalue}}
			resp.Header = http.Header{hname: {hvalue, ""}}
		}
		rj, rb, err := encodeRequest(req)
		if err != nil {
			t.Fatal(err)
		}
		sj, sb, err := encodeResponse(resp)
		if err != nil {
			t.Fatal(err)
		}
		gotReq, err := decodeRequest(rj, rb)
		if err != nil {
			t.Fatal(err)
		}
		gotResp, err := decodeResponse(sj, sb)
		if err != nil {
			t.Fatal(err)
		}
		// JSON keeps strings as valid UTF-8: compare with what that makes
		// of the inputs.
		wantReq, wantResp := jsonRoundTrip(t, req), jsonRoundTrip(t, resp)
		wantReq.Body, wantResp.Body = req.Body, resp.Body
		if !reflect.DeepEqual(gotReq, wantReq) {
			t.Errorf("request read back %+v, want %+v", gotReq, wantReq)
		}
		if !reflect.DeepEqual(gotResp, wantResp) {
			t.Errorf("response read back %+v, want %+v", gotResp, wantResp)
		}
		// Damaged metadata: an error or a value, never a panic.
		decodeRequest(damaged, body)
		decodeResponse(damaged, body)
	})
}

// jsonRoundTrip returns v as encoding/json reads back its own output.
func jsonRoundTrip[T any](t *testing.T, v *T) *T {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out := new(T)
	if err := json.Unmarshal(j, out); err != nil {
		t.Fatal(err)
	}
	return out
}
