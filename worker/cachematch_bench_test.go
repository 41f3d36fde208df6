package worker

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/store"
)

// BenchmarkCacheMatch is the edge benchmark's cache workload in process:
// a fetch event answered by caches.match(e.request) of a 4.6 KB JSON
// response precached in Cache Storage on a SQLite store, the body read
// back in Go; its peer is the same store's Match from Go alone (what the
// worker's path adds is the rest).
//
//	go test ./worker -run '^$' -bench CacheMatch -benchtime 5000x -count 3 -benchmem
func BenchmarkCacheMatch(b *testing.B) {
	items, err := os.ReadFile("../bench/edge/workloads/items.json")
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cs, err := cachestorage.New(st.CacheStorage(), cachestorage.Limits{}).For("https://app.test")
	if err != nil {
		b.Fatal(err)
	}
	req := &fetch.Request{Method: "GET", URL: "https://app.test/items.json", Header: http.Header{}}
	res := &fetch.Response{Type: fetch.TypeBasic, Status: 200, URL: req.URL, Header: http.Header{"Content-Type": {"application/json"}}, Body: items}
	c, err := cs.Open(context.Background(), "bench-v1")
	if err != nil {
		b.Fatal(err)
	}
	if err := c.Put(context.Background(), req, res); err != nil {
		b.Fatal(err)
	}
	w := newTestWorker(b, `addEventListener('fetch', (e) => {
  e.respondWith(caches.match(e.request).then((r) => r || new Response('not cached', { status: 404 })));
});`, Options{Caches: cs})
	b.Run("worker", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, err := w.DispatchFetch(ctxT(b), &fetch.Request{Method: "GET", URL: req.URL, Header: http.Header{"Accept": {"*/*"}}}, FetchEventInit{})
			if err != nil || r.Response == nil || len(r.Response.Body) != len(items) {
				b.Fatalf("%v %+v", err, r)
			}
		}
	})
	b.Run("store (peer)", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			got, err := cs.Match(context.Background(), req, cachestorage.MatchOptions{})
			if err != nil || got == nil {
				b.Fatal(err)
			}
		}
	})
}
