// Package backendtest checks that a [cachestorage.Backend] keeps the
// interface's contract, so every implementation (the in-memory one, the
// SQL store) is held to the same tests:
//
//	func TestBackendContract(t *testing.T) {
//		backendtest.Run(t, func(t testing.TB) cachestorage.Backend { return newMyBackend(t) })
//	}
package backendtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
)

// Run runs the contract tests as subtests of t, each on a new backend from
// newBackend.
func Run(t *testing.T, newBackend func(t testing.TB) cachestorage.Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b cachestorage.Backend)
	}{
		{"Empty", testEmpty},
		{"Caches", testCaches},
		{"Names", testNames},
		{"Entries", testEntries},
		{"Selectors", testSelectors},
		{"Usage", testUsage},
		{"CacheSizes", testCacheSizes},
		{"Rollback", testRollback},
		{"Panic", testPanic},
		{"ReadOnlyView", testReadOnlyView},
		{"Cancelled", testCancelled},
		{"Origins", testOrigins},
		{"ConcurrentUpdates", testConcurrentUpdates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newBackend(t)) })
	}
}

const origin = "https://app.test"

// Entry returns an entry for a GET of url whose response body is url.
func Entry(url string) cachestorage.Entry {
	req := &fetch.Request{Method: "GET", URL: url, Header: http.Header{"Accept": {"*/*"}}}
	resp := &fetch.Response{Type: fetch.TypeBasic, Status: 200, StatusText: "OK",
		Header: http.Header{"Content-Type": {"text/plain"}, "Vary": {"Accept"}}, Body: []byte(url), URLList: []string{url}}
	return cachestorage.Entry{Request: req, Response: resp, Size: cachestorage.EntrySize(origin, req, resp)}
}

func update(t *testing.T, b cachestorage.Backend, o string, fn func(tx cachestorage.Tx) error) {
	t.Helper()
	if err := b.Update(context.Background(), o, fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, b cachestorage.Backend, o string, fn func(tx cachestorage.Tx) error) {
	t.Helper()
	if err := b.View(context.Background(), o, fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// snapshot describes an origin's visible state.
func snapshot(t *testing.T, b cachestorage.Backend, o string) string {
	t.Helper()
	var s string
	view(t, b, o, func(tx cachestorage.Tx) error {
		infos, err := tx.Caches()
		if err != nil {
			return err
		}
		for _, info := range infos {
			es, err := tx.Entries(info.ID, cachestorage.Selector{})
			if err != nil {
				return err
			}
			s += fmt.Sprintf("%s[", info.Name)
			for _, e := range es {
				s += e.Request.URL + " "
			}
			for _, key := range []string{"https://x/2", "https://x/1"} {
				byKey, err := tx.Entries(info.ID, cachestorage.Selector{Key: key, IgnoreSearch: true})
				if err != nil {
					return err
				}
				s += fmt.Sprintf("%s:%d ", key, len(byKey))
			}
			n, err := tx.EntryCount(info.ID)
			if err != nil {
				return err
			}
			s += fmt.Sprintf("count=%d] ", n)
		}
		u, err := tx.Usage()
		// The caches' own figures; IndexedDB's share is the backend's
		// (0 for one without IndexedDB), checked by its own tests.
		s += fmt.Sprintf("usage={Caches:%d Entries:%d Bytes:%d}", u.Caches, u.Entries, u.Bytes)
		return err
	})
	return s
}

func testEmpty(t *testing.T, b cachestorage.Backend) {
	view(t, b, origin, func(tx cachestorage.Tx) error {
		if infos := must[[]cachestorage.CacheInfo](t)(tx.Caches()); len(infos) != 0 {
			t.Errorf("Caches = %v, want none", infos)
		}
		if _, ok, err := tx.Cache("x"); ok || err != nil {
			t.Errorf("Cache(x) = %v, %v", ok, err)
		}
		if es := must[[]cachestorage.Entry](t)(tx.Entries(1, cachestorage.Selector{})); len(es) != 0 {
			t.Errorf("Entries of a missing cache = %v", es)
		}
		if u := must[cachestorage.Usage](t)(tx.Usage()); u != (cachestorage.Usage{}) {
			t.Errorf("Usage = %+v", u)
		}
		if n := must[int](t)(tx.EntryCount(1)); n != 0 {
			t.Errorf("EntryCount = %d", n)
		}
		return nil
	})
}

func testCaches(t *testing.T, b cachestorage.Backend) {
	var ids []int64
	update(t, b, origin, func(tx cachestorage.Tx) error {
		for _, name := range []string{"b", "a", "", "c"} {
			info, err := tx.CreateCache(name)
			if err != nil {
				return err
			}
			if info.Name != name {
				t.Errorf("CreateCache(%q) = %+v", name, info)
			}
			ids = append(ids, info.ID)
		}
		if _, err := tx.CreateCache("a"); err == nil {
			t.Error("CreateCache of an existing name succeeded")
		}
		return nil
	})
	if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
		t.Errorf("cache IDs %v are not increasing", ids)
	}
	update(t, b, origin, func(tx cachestorage.Tx) error {
		infos := must[[]cachestorage.CacheInfo](t)(tx.Caches())
		var names []string
		for _, i := range infos {
			names = append(names, i.Name)
		}
		if want := []string{"b", "a", "", "c"}; !slices.Equal(names, want) {
			t.Errorf("Caches = %q, want %q (creation order)", names, want)
		}
		info, ok, err := tx.Cache("a")
		if !ok || err != nil || info.ID != ids[1] {
			t.Errorf("Cache(a) = %+v, %v, %v", info, ok, err)
		}
		if _, err := tx.AppendEntry(info.ID, Entry("https://x/1")); err != nil {
			return err
		}
		if ok, err := tx.DeleteCache(info.ID); !ok || err != nil {
			t.Errorf("DeleteCache(a) = %v, %v", ok, err)
		}
		if ok, err := tx.DeleteCache(info.ID); ok || err != nil {
			t.Errorf("second DeleteCache(a) = %v, %v", ok, err)
		}
		if es := must[[]cachestorage.Entry](t)(tx.Entries(info.ID, cachestorage.Selector{})); len(es) != 0 {
			t.Errorf("a deleted cache still has %d entries", len(es))
		}
		if _, err := tx.AppendEntry(info.ID, Entry("https://x/1")); err == nil {
			t.Error("AppendEntry to a deleted cache succeeded")
		}
		return nil
	})
	update(t, b, origin, func(tx cachestorage.Tx) error {
		info := must[cachestorage.CacheInfo](t)(tx.CreateCache("a"))
		if slices.Contains(ids, info.ID) || info.ID < ids[len(ids)-1] {
			t.Errorf("re-created cache got ID %d, used before: %v", info.ID, ids)
		}
		infos := must[[]cachestorage.CacheInfo](t)(tx.Caches())
		if infos[len(infos)-1].Name != "a" {
			t.Errorf("re-created cache is not last: %v", infos)
		}
		return nil
	})
}

// testNames checks that names are kept byte for byte: WTF-8 names (lone
// surrogates "\ud800" and "\udc00", not valid UTF-8) stay distinct from
// each other and from U+FFFD, and come back unchanged.
func testNames(t *testing.T, b cachestorage.Backend) {
	names := []string{"\uFFFD", "\xED\xA0\x80", "\xED\xB0\x80", "a\xED\xA0\x80b", "\xff"}
	ids := map[string]int64{}
	update(t, b, origin, func(tx cachestorage.Tx) error {
		for _, name := range names {
			info, err := tx.CreateCache(name)
			if err != nil {
				return fmt.Errorf("CreateCache(%q): %w", name, err)
			}
			ids[name] = info.ID
		}
		return nil
	})
	view(t, b, origin, func(tx cachestorage.Tx) error {
		infos, err := tx.Caches()
		if err != nil {
			return err
		}
		var got []string
		for _, info := range infos {
			got = append(got, info.Name)
		}
		if !slices.Equal(got, names) {
			t.Errorf("Caches() names = %q, want %q", got, names)
		}
		for _, name := range names {
			info, ok, err := tx.Cache(name)
			if err != nil || !ok || info.ID != ids[name] || info.Name != name {
				t.Errorf("Cache(%q) = %+v, %v, %v; want ID %d", name, info, ok, err, ids[name])
			}
		}
		if _, ok, err := tx.Cache("\xED\xA0"); ok || err != nil {
			t.Errorf("Cache of a prefix of a name: found %v, %v", ok, err)
		}
		return nil
	})
}

func testEntries(t *testing.T, b cachestorage.Backend) {
	var id int64
	var eids []int64
	update(t, b, origin, func(tx cachestorage.Tx) error {
		id = must[cachestorage.CacheInfo](t)(tx.CreateCache("c")).ID
		for _, u := range []string{"https://x/1", "https://x/2", "https://x/3", "https://x/1"} {
			eids = append(eids, must[int64](t)(tx.AppendEntry(id, Entry(u))))
		}
		return nil
	})
	if !slices.IsSorted(eids) || len(slices.Compact(slices.Clone(eids))) != len(eids) {
		t.Errorf("entry IDs %v are not increasing", eids)
	}
	update(t, b, origin, func(tx cachestorage.Tx) error {
		if err := tx.DeleteEntry(id, eids[1]); err != nil {
			return err
		}
		if err := tx.DeleteEntry(id, eids[1]); err != nil {
			t.Errorf("deleting a missing entry: %v", err)
		}
		eids = append(eids, must[int64](t)(tx.AppendEntry(id, Entry("https://x/2"))))
		return nil
	})
	view(t, b, origin, func(tx cachestorage.Tx) error {
		es := must[[]cachestorage.Entry](t)(tx.Entries(id, cachestorage.Selector{}))
		var got []string
		var gotIDs []int64
		for _, e := range es {
			got = append(got, e.Request.URL)
			gotIDs = append(gotIDs, e.ID)
		}
		if want := []string{"https://x/1", "https://x/3", "https://x/1", "https://x/2"}; !slices.Equal(got, want) {
			t.Errorf("Entries = %q, want %q (insertion order)", got, want)
		}
		if want := []int64{eids[0], eids[2], eids[3], eids[4]}; !slices.Equal(gotIDs, want) {
			t.Errorf("entry IDs = %v, want %v", gotIDs, want)
		}
		// Values come back intact.
		want := Entry("https://x/3")
		e := es[1]
		if e.Request.Method != "GET" || e.Request.Header.Get("Accept") != "*/*" || e.Response.Status != 200 ||
			e.Response.StatusText != "OK" || e.Response.Header.Get("Vary") != "Accept" || string(e.Response.Body) != "https://x/3" ||
			e.Response.Type != fetch.TypeBasic || !slices.Equal(e.Response.URLList, want.Response.URLList) || e.Size != want.Size {
			t.Errorf("stored entry came back as %+v %+v", e.Request, e.Response)
		}
		return nil
	})
}

func testSelectors(t *testing.T, b cachestorage.Backend) {
	var id int64
	urls := []string{"https://x/a?1", "https://x/a", "https://x/a?2#f", "https://x/a#g", "https://x/ab", "https://x/a?"}
	update(t, b, origin, func(tx cachestorage.Tx) error {
		id = must[cachestorage.CacheInfo](t)(tx.CreateCache("c")).ID
		for _, u := range urls {
			must[int64](t)(tx.AppendEntry(id, Entry(u)))
		}
		return nil
	})
	tests := []struct {
		sel  cachestorage.Selector
		want []string
	}{
		{cachestorage.Selector{}, urls},
		{cachestorage.Selector{Key: "https://x/a"}, []string{"https://x/a", "https://x/a#g"}},
		{cachestorage.Selector{Key: "https://x/a?2"}, []string{"https://x/a?2#f"}},
		{cachestorage.Selector{Key: "https://x/a?"}, []string{"https://x/a?"}},
		{cachestorage.Selector{Key: "https://x/a", IgnoreSearch: true}, []string{"https://x/a?1", "https://x/a", "https://x/a?2#f", "https://x/a#g", "https://x/a?"}},
		{cachestorage.Selector{Key: "https://x/zz", IgnoreSearch: true}, nil},
	}
	view(t, b, origin, func(tx cachestorage.Tx) error {
		for _, tt := range tests {
			var got []string
			for _, e := range must[[]cachestorage.Entry](t)(tx.Entries(id, tt.sel)) {
				got = append(got, e.Request.URL)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Entries(%+v) = %q, want %q", tt.sel, got, tt.want)
			}
		}
		return nil
	})
}

func testUsage(t *testing.T, b cachestorage.Backend) {
	e1, e2 := Entry("https://x/1"), Entry("https://x/22")
	names := cachestorage.CacheSize(origin, "one") + cachestorage.CacheSize(origin, "two")
	update(t, b, origin, func(tx cachestorage.Tx) error {
		c1 := must[cachestorage.CacheInfo](t)(tx.CreateCache("one"))
		c2 := must[cachestorage.CacheInfo](t)(tx.CreateCache("two"))
		must[int64](t)(tx.AppendEntry(c1.ID, e1))
		eid := must[int64](t)(tx.AppendEntry(c2.ID, e2))
		must[int64](t)(tx.AppendEntry(c2.ID, e1))
		if u := must[cachestorage.Usage](t)(tx.Usage()); u != (cachestorage.Usage{Caches: 2, Entries: 3, Bytes: names + 2*e1.Size + e2.Size}) {
			t.Errorf("Usage inside the transaction = %+v", u)
		}
		if n := must[int](t)(tx.EntryCount(c2.ID)); n != 2 {
			t.Errorf("EntryCount = %d, want 2", n)
		}
		return tx.DeleteEntry(c2.ID, eid)
	})
	view(t, b, origin, func(tx cachestorage.Tx) error {
		if u := must[cachestorage.Usage](t)(tx.Usage()); u != (cachestorage.Usage{Caches: 2, Entries: 2, Bytes: names + 2*e1.Size}) {
			t.Errorf("Usage = %+v", u)
		}
		return nil
	})
	update(t, b, origin, func(tx cachestorage.Tx) error {
		info, _, _ := tx.Cache("two")
		must[bool](t)(tx.DeleteCache(info.ID))
		if u := must[cachestorage.Usage](t)(tx.Usage()); u != (cachestorage.Usage{Caches: 1, Entries: 1, Bytes: cachestorage.CacheSize(origin, "one") + e1.Size}) {
			t.Errorf("Usage after DeleteCache = %+v", u)
		}
		return nil
	})
}

// testCacheSizes: an origin's bytes count each cache's CacheSize from its
// creation to its deletion, whatever its name, and a rolled back creation
// or deletion counts as it was before.
func testCacheSizes(t *testing.T, b cachestorage.Backend) {
	long := strings.Repeat("n", 64<<10)
	tests := []struct {
		name string
		want int64 // the bytes of the origin's caches once created
	}{
		{"", 0},
		{"v1", 0},
		{"é\u00e9 😀", 0},
		{long, 0},
	}
	var total int64
	for i := range tests {
		total += cachestorage.CacheSize(origin, tests[i].name)
		tests[i].want = total
	}
	for _, tt := range tests {
		update(t, b, origin, func(tx cachestorage.Tx) error {
			must[cachestorage.CacheInfo](t)(tx.CreateCache(tt.name))
			if u := must[cachestorage.Usage](t)(tx.Usage()); u.Bytes != tt.want {
				t.Errorf("after creating a cache named %.20q: Bytes = %d, want %d", tt.name, u.Bytes, tt.want)
			}
			return nil
		})
	}
	if n := cachestorage.CacheSize(origin, long); n < 2*int64(len(long)) {
		t.Errorf("CacheSize of a %d-byte name = %d, less than the name stored twice", len(long), n)
	}
	errRollback := errors.New("roll back")
	err := b.Update(context.Background(), origin, func(tx cachestorage.Tx) error {
		must[cachestorage.CacheInfo](t)(tx.CreateCache("rolled back"))
		info, _, _ := tx.Cache(long)
		must[bool](t)(tx.DeleteCache(info.ID))
		return errRollback
	})
	if err != errRollback {
		t.Fatalf("Update = %v", err)
	}
	view(t, b, origin, func(tx cachestorage.Tx) error {
		if u := must[cachestorage.Usage](t)(tx.Usage()); u.Bytes != total {
			t.Errorf("after a rolled back transaction: Bytes = %d, want %d", u.Bytes, total)
		}
		return nil
	})
	update(t, b, origin, func(tx cachestorage.Tx) error {
		info, _, _ := tx.Cache(long)
		must[int64](t)(tx.AppendEntry(info.ID, Entry("https://x/1")))
		must[bool](t)(tx.DeleteCache(info.ID))
		return nil
	})
	view(t, b, origin, func(tx cachestorage.Tx) error {
		if u, want := must[cachestorage.Usage](t)(tx.Usage()), total-cachestorage.CacheSize(origin, long); u.Bytes != want {
			t.Errorf("after deleting the long-named cache and its entry: Bytes = %d, want %d", u.Bytes, want)
		}
		return nil
	})
}

// mutate makes every kind of change, for the rollback tests.
func mutate(t *testing.T, tx cachestorage.Tx) {
	info, ok, err := tx.Cache("one")
	if !ok || err != nil {
		t.Fatalf("Cache(one) = %v, %v", ok, err)
	}
	for _, e := range must[[]cachestorage.Entry](t)(tx.Entries(info.ID, cachestorage.Selector{Key: "https://x/2", IgnoreSearch: true})) {
		if err := tx.DeleteEntry(info.ID, e.ID); err != nil {
			t.Fatal(err)
		}
	}
	must[int64](t)(tx.AppendEntry(info.ID, Entry("https://x/2?new")))
	c3 := must[cachestorage.CacheInfo](t)(tx.CreateCache("three"))
	must[int64](t)(tx.AppendEntry(c3.ID, Entry("https://x/9")))
	two, _, _ := tx.Cache("two")
	if ok := must[bool](t)(tx.DeleteCache(two.ID)); !ok {
		t.Fatal("DeleteCache(two) = false")
	}
}

func seed(t *testing.T, b cachestorage.Backend) {
	update(t, b, origin, func(tx cachestorage.Tx) error {
		one := must[cachestorage.CacheInfo](t)(tx.CreateCache("one"))
		two := must[cachestorage.CacheInfo](t)(tx.CreateCache("two"))
		for _, u := range []string{"https://x/1", "https://x/2?q", "https://x/3", "https://x/2?r"} {
			must[int64](t)(tx.AppendEntry(one.ID, Entry(u)))
		}
		must[int64](t)(tx.AppendEntry(two.ID, Entry("https://x/1")))
		return nil
	})
}

func testRollback(t *testing.T, b cachestorage.Backend) {
	seed(t, b)
	before := snapshot(t, b, origin)
	boom := errors.New("boom")
	if err := b.Update(context.Background(), origin, func(tx cachestorage.Tx) error { mutate(t, tx); return boom }); !errors.Is(err, boom) {
		t.Fatalf("Update = %v, want boom", err)
	}
	if after := snapshot(t, b, origin); after != before {
		t.Errorf("state after a failed Update:\n%s\nwant\n%s", after, before)
	}
	// The same changes commit when fn succeeds.
	update(t, b, origin, func(tx cachestorage.Tx) error { mutate(t, tx); return nil })
	if after := snapshot(t, b, origin); after == before {
		t.Error("a successful Update changed nothing")
	}
}

func testPanic(t *testing.T, b cachestorage.Backend) {
	seed(t, b)
	before := snapshot(t, b, origin)
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic in fn did not reach the caller")
			}
		}()
		b.Update(context.Background(), origin, func(tx cachestorage.Tx) error { mutate(t, tx); panic("bug") })
	}()
	if after := snapshot(t, b, origin); after != before {
		t.Errorf("state after a panicking Update:\n%s\nwant\n%s", after, before)
	}
}

func testReadOnlyView(t *testing.T, b cachestorage.Backend) {
	seed(t, b)
	before := snapshot(t, b, origin)
	b.View(context.Background(), origin, func(tx cachestorage.Tx) error {
		one, _, _ := tx.Cache("one")
		if _, err := tx.CreateCache("x"); err == nil {
			t.Error("CreateCache in View succeeded")
		}
		if _, err := tx.AppendEntry(one.ID, Entry("https://x/")); err == nil {
			t.Error("AppendEntry in View succeeded")
		}
		if _, err := tx.DeleteCache(one.ID); err == nil {
			t.Error("DeleteCache in View succeeded")
		}
		if err := tx.DeleteEntry(one.ID, 1); err == nil {
			t.Error("DeleteEntry in View succeeded")
		}
		return nil
	})
	if after := snapshot(t, b, origin); after != before {
		t.Errorf("View changed the state:\n%s\nwant\n%s", after, before)
	}
}

func testCancelled(t *testing.T, b cachestorage.Backend) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := b.Update(ctx, origin, func(tx cachestorage.Tx) error {
		_, err := tx.CreateCache("x")
		return err
	})
	if err == nil {
		t.Error("Update with a cancelled context succeeded")
	}
	if s := snapshot(t, b, origin); s != "usage={Caches:0 Entries:0 Bytes:0}" {
		t.Errorf("cancelled Update left %s", s)
	}
}

func testOrigins(t *testing.T, b cachestorage.Backend) {
	seed(t, b)
	other := "https://other.test"
	if s := snapshot(t, b, other); s != "usage={Caches:0 Entries:0 Bytes:0}" {
		t.Errorf("another origin sees %s", s)
	}
	update(t, b, other, func(tx cachestorage.Tx) error {
		c := must[cachestorage.CacheInfo](t)(tx.CreateCache("one")) // same name, other origin
		must[int64](t)(tx.AppendEntry(c.ID, Entry("https://x/other")))
		return nil
	})
	view(t, b, origin, func(tx cachestorage.Tx) error {
		one, _, _ := tx.Cache("one")
		for _, e := range must[[]cachestorage.Entry](t)(tx.Entries(one.ID, cachestorage.Selector{})) {
			if e.Request.URL == "https://x/other" {
				t.Error("an origin sees another origin's entry")
			}
		}
		if u := must[cachestorage.Usage](t)(tx.Usage()); u.Caches != 2 || u.Entries != 5 {
			t.Errorf("Usage = %+v, want 2 caches, 5 entries", u)
		}
		return nil
	})
}

// testConcurrentUpdates checks that Updates of one origin are serialized:
// each reads the count and appends an entry named after it, so a lost
// update would show as a duplicate name.
func testConcurrentUpdates(t *testing.T, b cachestorage.Backend) {
	var id int64
	update(t, b, origin, func(tx cachestorage.Tx) error {
		id = must[cachestorage.CacheInfo](t)(tx.CreateCache("c")).ID
		return nil
	})
	const workers, each = 4, 10
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				err := b.Update(context.Background(), origin, func(tx cachestorage.Tx) error {
					n, err := tx.EntryCount(id)
					if err != nil {
						return err
					}
					_, err = tx.AppendEntry(id, Entry(fmt.Sprintf("https://x/%d", n)))
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				_ = b.View(context.Background(), origin, func(tx cachestorage.Tx) error {
					_, err := tx.Entries(id, cachestorage.Selector{})
					return err
				})
			}
		})
	}
	wg.Wait()
	view(t, b, origin, func(tx cachestorage.Tx) error {
		es := must[[]cachestorage.Entry](t)(tx.Entries(id, cachestorage.Selector{}))
		seen := map[string]bool{}
		for _, e := range es {
			if seen[e.Request.URL] {
				t.Errorf("lost update: %s appended twice", e.Request.URL)
			}
			seen[e.Request.URL] = true
		}
		if len(es) != workers*each {
			t.Errorf("%d entries, want %d", len(es), workers*each)
		}
		return nil
	})
}
