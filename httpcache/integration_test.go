package httpcache

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/store"
)

// origin is a loopback upstream that counts requests: fonts are fresh for
// a minute and carry an ETag; conditional requests get a 304. Its Date
// comes from the test's clock.
type origin struct {
	srv                      *httptest.Server
	hits, notModified, posts atomic.Int64
}

func newOrigin(t *testing.T, clk *clock) *origin {
	o := &origin{}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.hits.Add(1)
		w.Header().Set("Date", clk.Now().UTC().Format(http.TimeFormat))
		if r.Method == http.MethodPost {
			o.posts.Add(1)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("ETag", `"font-v1"`)
		w.Header().Set("Content-Type", "font/woff2")
		if r.Header.Get("If-None-Match") == `"font-v1"` {
			o.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Write([]byte("woff2 bytes for " + r.URL.Path))
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *origin) transport() *network.Transport {
	return &network.Transport{Resolve: map[string]string{"https://fonts.test": o.srv.URL}}
}

func fetchOK(t *testing.T, c *Cache, next fetch.Fetcher, req *fetch.Request, want Outcome) *fetch.Response {
	t.Helper()
	resp, out, err := c.Fetch(t.Context(), req, next)
	if err != nil {
		t.Fatalf("Fetch %s: %v", req.URL, err)
	}
	if resp.IsNetworkError() {
		t.Fatalf("Fetch %s: network error %s", req.URL, resp.Error)
	}
	if out != want {
		t.Fatalf("Fetch %s: outcome %s, want %s", req.URL, out, want)
	}
	return resp
}

// TestUpstreamHits counts the requests that reach a real loopback server.
func TestUpstreamHits(t *testing.T) {
	clk := newClock()
	o := newOrigin(t, clk)
	tr := o.transport()
	c := New(&MemoryStorage{}, Options{Now: clk.Now})
	font := &fetch.Request{URL: "https://fonts.test/a.woff2"}

	resp := fetchOK(t, c, tr, font, OutcomeMiss)
	if string(resp.Body) != "woff2 bytes for /a.woff2" || resp.URL != font.URL {
		t.Fatalf("response %q from %s", resp.Body, resp.URL)
	}
	for range 5 {
		fetchOK(t, c, tr, font, OutcomeHit)
	}
	if n := o.hits.Load(); n != 1 {
		t.Fatalf("upstream hits after 1 miss + 5 hits: %d, want 1", n)
	}
	clk.Advance(61 * time.Second)
	resp = fetchOK(t, c, tr, font, OutcomeRevalidated)
	if string(resp.Body) != "woff2 bytes for /a.woff2" || o.notModified.Load() != 1 {
		t.Fatalf("revalidated body %q, 304s %d", resp.Body, o.notModified.Load())
	}
	fetchOK(t, c, tr, font, OutcomeHit)
	fetchOK(t, c, tr, &fetch.Request{Method: "POST", URL: font.URL, Body: []byte("x")}, OutcomeBypass)
	fetchOK(t, c, tr, font, OutcomeMiss)
	fetchOK(t, c, tr, &fetch.Request{URL: font.URL, Cache: fetch.CacheNoStore}, OutcomeBypass)
	if got, want := o.hits.Load(), int64(5); got != want {
		t.Errorf("upstream hits %d, want %d (miss, revalidation, POST, miss, no-store)", got, want)
	}
}

// TestSQLStorePersistence shows that entries survive closing and reopening
// the SQL store.
func TestSQLStorePersistence(t *testing.T) {
	if testing.Short() {
		t.Skip("opens a SQLite store")
	}
	clk := newClock()
	o := newOrigin(t, clk)
	tr := o.transport()
	dir := t.TempDir()
	a := &fetch.Request{URL: "https://fonts.test/a.woff2"}
	b := &fetch.Request{URL: "https://fonts.test/b.woff2"}

	st, err := store.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	c := New(st, Options{Now: clk.Now})
	fetchOK(t, c, tr, a, OutcomeMiss)
	fetchOK(t, c, tr, b, OutcomeMiss)
	fetchOK(t, c, tr, a, OutcomeHit)
	n1, bytes1, _ := c.Usage(t.Context())
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st, err = store.Open(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c = New(st, Options{Now: clk.Now})
	n2, bytes2, err := c.Usage(t.Context())
	if err != nil || n2 != n1 || bytes2 != bytes1 || n2 != 2 {
		t.Fatalf("after reopening: %d entries %d bytes (%v), before %d entries %d bytes", n2, bytes2, err, n1, bytes1)
	}
	hitsBefore := o.hits.Load()
	resp := fetchOK(t, c, tr, a, OutcomeHit)
	if string(resp.Body) != "woff2 bytes for /a.woff2" || resp.Header.Get("Content-Type") != "font/woff2" {
		t.Errorf("reopened hit: %q %v", resp.Body, resp.Header)
	}
	clk.Advance(2 * time.Minute)
	fetchOK(t, c, tr, b, OutcomeRevalidated)
	fetchOK(t, c, tr, b, OutcomeHit)
	if got := o.hits.Load() - hitsBefore; got != 1 {
		t.Errorf("upstream hits after reopening: %d, want 1 (the revalidation)", got)
	}
	// Unsafe methods invalidate the stored entry in the SQL store too.
	fetchOK(t, c, tr, &fetch.Request{Method: "DELETE", URL: a.URL}, OutcomeBypass)
	if _, err := st.Get(t.Context(), Key(a.URL)); err == nil {
		t.Error("entry still in the store after DELETE")
	}
}
