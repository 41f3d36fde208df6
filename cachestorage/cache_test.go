package cachestorage

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

const testOrigin = "https://app.test"

func newTestStorage(t testing.TB, limits Limits) *CacheStorage {
	t.Helper()
	cs, err := New(NewMemoryBackend(), limits).For(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func openCache(t testing.TB, cs *CacheStorage, name string) *Cache {
	t.Helper()
	c, err := cs.Open(context.Background(), name)
	if err != nil {
		t.Fatalf("Open(%q): %v", name, err)
	}
	return c
}

func get(url string, header ...string) *fetch.Request {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return &fetch.Request{Method: "GET", URL: url, Header: h}
}

func ok(body string, header ...string) *fetch.Response {
	h := http.Header{}
	for i := 0; i+1 < len(header); i += 2 {
		h.Add(header[i], header[i+1])
	}
	return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: h, Body: []byte(body)}
}

func bodies(resps []*fetch.Response) []string {
	out := []string{}
	for _, r := range resps {
		out = append(out, string(r.Body))
	}
	return out
}

func mustPut(t testing.TB, c *Cache, req *fetch.Request, resp *fetch.Response) {
	t.Helper()
	if err := c.Put(context.Background(), req, resp); err != nil {
		t.Fatalf("Put(%s): %v", req.URL, err)
	}
}

func TestPutRejects(t *testing.T) {
	tests := []struct {
		name string
		req  *fetch.Request
		resp *fetch.Response
		want string
	}{
		{"ok", get("https://app.test/a"), ok("x"), ""},
		{"http ok", get("http://app.test/a"), ok("x"), ""},
		{"empty method is GET", &fetch.Request{URL: "https://app.test/a"}, ok("x"), ""},
		{"404 may be put", get("https://app.test/a"), &fetch.Response{Status: 404}, ""},
		{"POST", &fetch.Request{Method: "POST", URL: "https://app.test/a"}, ok("x"), weberr.TypeError},
		{"HEAD", &fetch.Request{Method: "HEAD", URL: "https://app.test/a"}, ok("x"), weberr.TypeError},
		{"ftp URL", get("ftp://app.test/a"), ok("x"), weberr.TypeError},
		{"data URL", get("data:text/plain,hi"), ok("x"), weberr.TypeError},
		{"no scheme", get("app.test/a"), ok("x"), weberr.TypeError},
		{"206", get("https://app.test/a"), &fetch.Response{Status: 206}, weberr.TypeError},
		{"Vary *", get("https://app.test/a"), ok("x", "Vary", "*"), weberr.TypeError},
		{"Vary list with *", get("https://app.test/a"), ok("x", "Vary", "Accept, *"), weberr.TypeError},
		{"Vary second line *", get("https://app.test/a"), ok("x", "Vary", "Accept", "Vary", " * "), weberr.TypeError},
		{"network error", get("https://app.test/a"), fetch.NetworkError("refused"), weberr.TypeError},
		{"nil response", get("https://app.test/a"), nil, weberr.TypeError},
		{"nil request", nil, ok("x"), weberr.TypeError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := newTestStorage(t, Limits{})
			c := openCache(t, cs, "v1")
			err := c.Put(context.Background(), tt.req, tt.resp)
			if got := weberr.NameOf(err); got != tt.want || (tt.want == "" && err != nil) {
				t.Fatalf("Put error = %v (name %q), want name %q", err, got, tt.want)
			}
			all, _ := c.MatchAll(context.Background(), nil, MatchOptions{})
			if wantN := map[bool]int{true: 1, false: 0}[tt.want == ""]; len(all) != wantN {
				t.Errorf("cache holds %d entries, want %d", len(all), wantN)
			}
		})
	}
}

func TestPutReplaces(t *testing.T) {
	ctx := context.Background()
	c := openCache(t, newTestStorage(t, Limits{}), "v1")
	mustPut(t, c, get("https://app.test/a"), ok("a1"))
	mustPut(t, c, get("https://app.test/b"), ok("b1"))
	mustPut(t, c, get("https://app.test/a#frag"), ok("a2")) // same entry: fragment ignored
	all, _ := c.MatchAll(ctx, nil, MatchOptions{})
	if got, want := bodies(all), []string{"b1", "a2"}; !slices.Equal(got, want) {
		t.Errorf("after replacing: %q, want %q (replaced entry moves to the end)", got, want)
	}
	// Put compares Vary like Query Cache: an entry whose Vary header does
	// not match the new request stays.
	mustPut(t, c, get("https://app.test/v", "Accept", "x"), ok("vx", "Vary", "Accept"))
	mustPut(t, c, get("https://app.test/v", "Accept", "y"), ok("vy", "Vary", "Accept"))
	mustPut(t, c, get("https://app.test/v", "Accept", "x"), ok("vx2", "Vary", "Accept"))
	got, _ := c.MatchAll(ctx, get("https://app.test/v"), MatchOptions{IgnoreVary: true})
	if want := []string{"vy", "vx2"}; !slices.Equal(bodies(got), want) {
		t.Errorf("Vary entries = %q, want %q", bodies(got), want)
	}
	// A request without Vary'd headers replaces only the entry whose
	// cached request also lacked them.
	keys, _ := c.Keys(ctx, nil, MatchOptions{})
	var urls []string
	for _, k := range keys {
		urls = append(urls, k.URL)
	}
	if want := []string{"https://app.test/b", "https://app.test/a#frag", "https://app.test/v", "https://app.test/v"}; !slices.Equal(urls, want) {
		t.Errorf("Keys = %q, want %q", urls, want)
	}
}

func TestReturnedValuesAreCopies(t *testing.T) {
	ctx := context.Background()
	c := openCache(t, newTestStorage(t, Limits{}), "v1")
	req, resp := get("https://app.test/a", "X", "1"), ok("body", "Y", "2")
	mustPut(t, c, req, resp)
	req.Header.Set("X", "changed")
	resp.Body[0] = 'B'
	m, _ := c.Match(ctx, get("https://app.test/a"), MatchOptions{})
	if string(m.Body) != "body" {
		t.Fatalf("stored body changed with the caller's value: %q", m.Body)
	}
	m.Header.Set("Y", "3")
	m.Body[0] = 'Z'
	m2, _ := c.Match(ctx, get("https://app.test/a"), MatchOptions{})
	if string(m2.Body) != "body" || m2.Header.Get("Y") != "2" {
		t.Errorf("stored response changed through a returned copy: %q %v", m2.Body, m2.Header)
	}
	k, _ := c.Keys(ctx, nil, MatchOptions{})
	if k[0].Header.Get("X") != "1" {
		t.Errorf("stored request header = %q, want 1", k[0].Header.Get("X"))
	}
}

func TestDeleteResults(t *testing.T) {
	ctx := context.Background()
	c := openCache(t, newTestStorage(t, Limits{}), "v1")
	mustPut(t, c, get("https://app.test/a?1"), ok("1"))
	mustPut(t, c, get("https://app.test/a?2"), ok("2"))
	mustPut(t, c, get("https://app.test/b"), ok("3"))
	tests := []struct {
		name string
		req  *fetch.Request
		opts MatchOptions
		want bool
		left int
	}{
		{"missing", get("https://app.test/zz"), MatchOptions{}, false, 3},
		{"POST without ignoreMethod", &fetch.Request{Method: "POST", URL: "https://app.test/b"}, MatchOptions{}, false, 3},
		{"POST with ignoreMethod", &fetch.Request{Method: "POST", URL: "https://app.test/b"}, MatchOptions{IgnoreMethod: true}, true, 2},
		{"again", get("https://app.test/b"), MatchOptions{}, false, 2},
		{"ignoreSearch removes both", get("https://app.test/a"), MatchOptions{IgnoreSearch: true}, true, 0},
	}
	for _, tt := range tests {
		got, err := c.Delete(ctx, tt.req, tt.opts)
		if err != nil || got != tt.want {
			t.Errorf("%s: Delete = %v, %v; want %v", tt.name, got, err, tt.want)
		}
		all, _ := c.MatchAll(ctx, nil, MatchOptions{})
		if len(all) != tt.left {
			t.Errorf("%s: %d entries left, want %d", tt.name, len(all), tt.left)
		}
	}
}

func TestCacheStorage(t *testing.T) {
	ctx := context.Background()
	cs := newTestStorage(t, Limits{})
	for _, name := range []string{"b", "a", "c", ""} {
		openCache(t, cs, name)
	}
	keys, _ := cs.Keys(ctx)
	if want := []string{"b", "a", "c", ""}; !slices.Equal(keys, want) {
		t.Fatalf("Keys = %q, want %q (creation order)", keys, want)
	}
	// Opening an existing cache neither moves nor duplicates it.
	openCache(t, cs, "b")
	for _, tt := range []struct {
		name string
		want bool
	}{{"a", true}, {"", true}, {"A", false}, {"d", false}} {
		if got, err := cs.Has(ctx, tt.name); err != nil || got != tt.want {
			t.Errorf("Has(%q) = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	if d, _ := cs.Delete(ctx, "a"); !d {
		t.Error("Delete(a) = false, want true")
	}
	if d, _ := cs.Delete(ctx, "a"); d {
		t.Error("second Delete(a) = true, want false")
	}
	openCache(t, cs, "a") // re-created: goes to the end
	keys, _ = cs.Keys(ctx)
	if want := []string{"b", "c", "", "a"}; !slices.Equal(keys, want) {
		t.Errorf("Keys = %q, want %q", keys, want)
	}

	// Match looks through the caches in creation order, or one by name.
	mustPut(t, openCache(t, cs, "a"), get("https://app.test/x"), ok("from a"))
	mustPut(t, openCache(t, cs, "c"), get("https://app.test/x"), ok("from c"))
	mustPut(t, openCache(t, cs, ""), get("https://app.test/x"), ok("from empty"))
	for _, tt := range []struct {
		opts MatchOptions
		want string
	}{
		{MatchOptions{}, "from c"},
		{MatchOptions{CacheName: "a"}, "from a"},
		{MatchOptions{CacheName: "b"}, ""},
		{MatchOptions{CacheName: "nope"}, ""},
		{MatchOptions{HasCacheName: true}, "from empty"},
	} {
		r, err := cs.Match(ctx, get("https://app.test/x"), tt.opts)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if r != nil {
			got = string(r.Body)
		}
		if got != tt.want {
			t.Errorf("Match(%+v) = %q, want %q", tt.opts, got, tt.want)
		}
	}
}

func TestDeletedCacheHandle(t *testing.T) {
	ctx := context.Background()
	cs := newTestStorage(t, Limits{})
	c := openCache(t, cs, "v1")
	mustPut(t, c, get("https://app.test/x"), ok("1"))
	if _, err := cs.Delete(ctx, "v1"); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Match(ctx, get("https://app.test/x"), MatchOptions{}); r != nil || err != nil {
		t.Errorf("Match on a deleted cache = %v, %v; want nil, nil", r, err)
	}
	err := c.Put(ctx, get("https://app.test/y"), ok("2"))
	if weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("Put on a deleted cache: %v, want InvalidStateError", err)
	}
	// A new cache of the same name is a different cache.
	c2 := openCache(t, cs, "v1")
	if all, _ := c2.MatchAll(ctx, nil, MatchOptions{}); len(all) != 0 {
		t.Errorf("re-created cache holds %d entries, want 0", len(all))
	}
}

func TestOriginIsolation(t *testing.T) {
	ctx := context.Background()
	store := New(NewMemoryBackend(), Limits{})
	a, err := store.For("https://a.test")
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.For("https://b.test")
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, openCache(t, a, "shared-name"), get("https://b.test/x"), ok("a's copy of b"))
	if keys, _ := b.Keys(ctx); len(keys) != 0 {
		t.Errorf("b sees a's caches: %q", keys)
	}
	if r, _ := b.Match(ctx, get("https://b.test/x"), MatchOptions{}); r != nil {
		t.Errorf("b matched a's entry: %q", r.Body)
	}
	if r, _ := openCache(t, b, "shared-name").Match(ctx, get("https://b.test/x"), MatchOptions{}); r != nil {
		t.Errorf("b's cache of the same name holds a's entry")
	}
	// The same origin, spelled differently, shares storage.
	for _, spelling := range []string{"HTTPS://A.test", "https://a.test:443", "https://a.test/"} {
		a2, err := store.For(spelling)
		if err != nil {
			t.Fatalf("For(%q): %v", spelling, err)
		}
		if a2.Origin() != "https://a.test" {
			t.Errorf("For(%q).Origin() = %q", spelling, a2.Origin())
		}
		if has, _ := a2.Has(ctx, "shared-name"); !has {
			t.Errorf("For(%q) does not see https://a.test's cache", spelling)
		}
	}
	for _, bad := range []string{"", "null", "https://a.test/path", "https://user@a.test", "a.test", "https://a.test?q", "https://a.test#f"} {
		if _, err := store.For(bad); weberr.NameOf(err) != weberr.SecurityError {
			t.Errorf("For(%q) error = %v, want SecurityError", bad, err)
		}
	}
	if o := mustFor(t, store, "http://[::1]:8080").Origin(); o != "http://[::1]:8080" {
		t.Errorf("IPv6 origin = %q", o)
	}
}

func mustFor(t *testing.T, s *Store, origin string) *CacheStorage {
	t.Helper()
	cs, err := s.For(origin)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func TestLimits(t *testing.T) {
	ctx := context.Background()
	t.Run("entries per cache", func(t *testing.T) {
		c := openCache(t, newTestStorage(t, Limits{MaxEntriesPerCache: 2}), "v1")
		mustPut(t, c, get("https://app.test/1"), ok("1"))
		mustPut(t, c, get("https://app.test/2"), ok("2"))
		mustPut(t, c, get("https://app.test/2"), ok("2b")) // replacing stays within the cap
		err := c.Put(ctx, get("https://app.test/3"), ok("3"))
		if weberr.NameOf(err) != weberr.QuotaExceeded {
			t.Fatalf("third entry: %v, want QuotaExceededError", err)
		}
		all, _ := c.MatchAll(ctx, nil, MatchOptions{})
		if got := bodies(all); !slices.Equal(got, []string{"1", "2b"}) {
			t.Errorf("after quota failure: %q", got)
		}
	})
	t.Run("bytes per origin", func(t *testing.T) {
		cs := newTestStorage(t, Limits{MaxOriginBytes: 10000})
		c1, c2 := openCache(t, cs, "one"), openCache(t, cs, "two")
		big := string(make([]byte, 1000))
		mustPut(t, c1, get("https://app.test/1"), ok(big))
		mustPut(t, c2, get("https://app.test/2"), ok(big))
		err := c1.Put(ctx, get("https://app.test/3"), ok(big))
		if weberr.NameOf(err) != weberr.QuotaExceeded {
			t.Fatalf("third KB: %v, want QuotaExceededError", err)
		}
		// Deleting frees room.
		if d, _ := cs.Delete(ctx, "two"); !d {
			t.Fatal("Delete(two) = false")
		}
		mustPut(t, c1, get("https://app.test/3"), ok(big))
	})
	t.Run("caches per origin", func(t *testing.T) {
		cs := newTestStorage(t, Limits{MaxCaches: 2})
		openCache(t, cs, "a")
		openCache(t, cs, "b")
		openCache(t, cs, "a") // existing: fine
		if _, err := cs.Open(ctx, "c"); weberr.NameOf(err) != weberr.QuotaExceeded {
			t.Fatalf("third cache: %v, want QuotaExceededError", err)
		}
		if keys, _ := cs.Keys(ctx); len(keys) != 2 {
			t.Errorf("Keys = %q", keys)
		}
	})
	t.Run("name length", func(t *testing.T) {
		cs := newTestStorage(t, Limits{MaxNameBytes: 8})
		for _, tt := range []struct {
			name string
			want string // the error's name, "" for none
		}{
			{"12345678", ""},
			{"123456789", weberr.QuotaExceeded},
			{"éééé", ""},
			{"éééé1", weberr.QuotaExceeded},
			{strings.Repeat("n", 4<<20), weberr.QuotaExceeded},
		} {
			_, err := cs.Open(ctx, tt.name)
			if got := weberr.NameOf(err); got != tt.want {
				t.Errorf("Open(%d-byte name) = %v, want %q", len(tt.name), err, tt.want)
			}
			if err != nil && len(err.Error()) > 200 {
				t.Errorf("error message of %d bytes", len(err.Error()))
			}
		}
		// A cache that exists opens whatever its name (one made before the
		// limit was lowered).
		long := strings.Repeat("l", 20)
		roomy, _ := New(cs.store.backend, Limits{}).For(testOrigin)
		if _, err := roomy.Open(ctx, long); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Open(ctx, long); err != nil {
			t.Errorf("opening an existing cache with a long name: %v", err)
		}
	})
	t.Run("names count in the origin's bytes", func(t *testing.T) {
		cs := newTestStorage(t, Limits{MaxOriginBytes: 100 << 10, MaxNameBytes: 16 << 10})
		n := 0
		var err error
		for ; err == nil && n < 100; n++ {
			_, err = cs.Open(ctx, fmt.Sprintf("%03d", n)+strings.Repeat("n", 16<<10-3))
		}
		if weberr.NameOf(err) != weberr.QuotaExceeded || n > 4 {
			t.Errorf("%d caches with 16 KiB names opened within 100 KiB, then %v; want QuotaExceededError by the fourth", n-1, err)
		}
	})
	t.Run("negative means unlimited", func(t *testing.T) {
		c := openCache(t, newTestStorage(t, Limits{MaxEntriesPerCache: -1, MaxOriginBytes: -1}), "v1")
		for i := range DefaultMaxEntriesPerCache + 1 {
			if err := c.Put(ctx, get(fmt.Sprintf("https://app.test/%d", i)), ok("")); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func TestContextCancelled(t *testing.T) {
	cs := newTestStorage(t, Limits{})
	c := openCache(t, cs, "v1")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.Put(ctx, get("https://app.test/a"), ok("1")); err == nil {
		t.Error("Put with a cancelled context succeeded")
	}
	if _, err := cs.Open(ctx, "v2"); err == nil {
		t.Error("Open with a cancelled context succeeded")
	}
	if all, _ := c.MatchAll(context.Background(), nil, MatchOptions{}); len(all) != 0 {
		t.Errorf("cancelled Put stored %d entries", len(all))
	}
}
