package agent

import (
	"context"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/registry"
)

// cachingFontsWorker answers from its cache, filling it on a miss.
const cachingFontsWorker = `
self.addEventListener('install', e => e.registerForeignFetch({scopes: [self.registration.scope], origins: ['*']}));
self.addEventListener('foreignfetch', e => {
  e.respondWith(caches.open('fonts').then(async cache => {
    const hit = await cache.match(e.request.url);
    if (hit) return {response: new Response('cached'), origin: e.origin};
    await cache.put(e.request.url, new Response('x'));
    return {response: new Response('fresh'), origin: e.origin};
  }));
});`

func TestForeignFetchStorageKeying(t *testing.T) {
	for _, tt := range []struct {
		name      string
		partition bool
		otherSees string
	}{
		{"one authoritative cache", false, "cached"},
		{"partitioned by top-level site", true, "fresh"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorldWith(t, registry.Options{PartitionForeignFetch: tt.partition})
			w.fonts.js("/sw.js", cachingFontsWorker)
			if _, err := w.r.Register(context.Background(), registry.RegisterRequest{ClientURL: "https://fonts.test/", ScriptURL: "/sw.js"}); err != nil {
				t.Fatal(err)
			}
			get := func(client string) string {
				res := w.get(t, w.client(t, client), &fetch.Request{URL: "https://fonts.test/a.woff2"})
				if res.Layer != LayerForeignFetch {
					t.Fatalf("layer %s (%s)", res.Layer, res.Response.Error)
				}
				return string(res.Response.Body)
			}
			if a1, a2 := get("https://app.test/"), get("https://app.test/page"); a1 != "fresh" || a2 != "cached" {
				t.Fatalf("app.test: %q then %q", a1, a2)
			}
			if got := get("https://api.test/"); got != tt.otherSees {
				t.Errorf("another site saw %q, want %q", got, tt.otherSees)
			}
		})
	}
}

func TestTopLevelSite(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.example.co.uk": "https://example.co.uk",
		"https://a.b.app.test:8443": "https://app.test",
		"http://127.0.0.1:8080":     "http://127.0.0.1",
		"https://[::1]:443":         "https://::1",
		"https://user.github.io":    "https://user.github.io",
	} {
		if got := registry.TopLevelSite(in); got != want {
			t.Errorf("TopLevelSite(%s) = %s, want %s", in, got, want)
		}
	}
}
