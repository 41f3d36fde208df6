package cachestorage

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/swhost/swhost/fetch"
)

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
