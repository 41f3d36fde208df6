package agent

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/weburl"
	"github.com/swhost/swhost/registry"
)

// BenchmarkForeignFetchGate measures lookup step 2's gate for a
// cross-origin request to an origin without a foreign-fetch worker, while
// another origin has one, against the same request without the gate
// (parsing the URL and reading its origin, which the next steps need
// anyway).
func BenchmarkForeignFetchGate(b *testing.B) {
	w := newWorld(b)
	defer w.a.Close()
	w.fonts.js("/sw.js", fontsWorker)
	if _, err := w.r.Register(context.Background(), registry.RegisterRequest{ClientURL: "https://fonts.test/", ScriptURL: "/sw.js"}); err != nil {
		b.Fatal(err)
	}
	if !w.r.HasForeignFetch("https://fonts.test") {
		b.Fatal("fonts.test has no foreign-fetch worker")
	}
	req := &fetch.Request{URL: "https://api.test/v1/items?page=2", Mode: fetch.ModeCORS}
	u, _ := weburl.Parse(req.URL)
	b.Run("without-gate", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n += len(u.Origin())
		}
	})
	b.Run("with-gate", func(b *testing.B) {
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n += len(u.Origin())
			if w.a.mayForeignFetch(u, req, "https://app.test") {
				b.Fatal("gate opened for an origin without foreign fetch")
			}
		}
	})
}

// BenchmarkForeignFetchAnswer compares a font answered by the foreign-fetch
// worker with the same font fetched from the network upstream.
func BenchmarkForeignFetchAnswer(b *testing.B) {
	w := newWorld(b)
	defer w.a.Close()
	w.fonts.js("/sw.js", `
self.addEventListener('install', e => e.registerForeignFetch({scopes: [self.registration.scope], origins: ['*']}));
self.addEventListener('foreignfetch', e => {
  if (e.request.url.endsWith('/sw-font')) e.respondWith(Promise.resolve({response: new Response('font'), origin: e.origin}));
});`)
	w.fonts.handle("/net-font", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(rw, "font")
	})
	if _, err := w.r.Register(context.Background(), registry.RegisterRequest{ClientURL: "https://fonts.test/", ScriptURL: "/sw.js"}); err != nil {
		b.Fatal(err)
	}
	app, _, err := w.a.Navigate(context.Background(), &fetch.Request{URL: "https://app.test/"})
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/sw-font", "/net-font"} {
		b.Run(path[1:], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := app.Fetch(context.Background(), &fetch.Request{URL: "https://fonts.test" + path})
				if err != nil || string(res.Response.Body) != "font" {
					b.Fatalf("%v %v", res, err)
				}
			}
		})
	}
}
