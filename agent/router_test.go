package agent

import (
	"context"
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestStaticRouting runs the Static Routing API through the lookup order:
// a network or cache rule answers with the controller's worker stopped,
// a miss in the cache falls back to the network, a fetch-event rule and a
// request no rule matches go to the fetch handler, and a race is won by
// the handler's answer or an ok network response.
func TestStaticRouting(t *testing.T) {
	f := newFixture(t)
	reg := f.register(t, "/app/sw.js", `
addEventListener('install', (e) => {
  e.waitUntil(caches.open('static').then((c) => c.put('/app/cached.css', new Response('from cache'))));
  e.addRoutes([
    { condition: { urlPattern: '/app/api/*' }, source: 'network' },
    { condition: { urlPattern: { pathname: '/app/*.css' } }, source: { cacheName: 'static' } },
    { condition: { urlPattern: '/app/race/*' }, source: 'race-network-and-fetch-handler' },
    { condition: { urlPattern: '/app/handler/*' }, source: 'fetch-event' },
  ]);
});
addEventListener('fetch', (e) => {
  const p = new URL(e.request.url).pathname;
  if (p.startsWith('/app/race/quiet')) return;
  e.respondWith(new Response('handler ' + p));
});`, "/app/")
	ctx := context.Background()
	c, res, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/app/page"})
	if err != nil || res.Layer != LayerFetchEvent {
		t.Fatalf("navigation: %v %+v", err, res)
	}
	v := reg.Active()
	if v == nil || len(v.Routes()) != 4 {
		t.Fatalf("active version has rules %v", v)
	}
	v.StopWorker()
	tests := []struct {
		url, layer, body, served string
	}{
		{"/app/api/list", "network", "network GET /app/api/list", "(router rule 0: network, answered by network)"},
		{"/app/cached.css", "router-cache", "from cache", `(router rule 1: cache "static", answered by cache)`},
		{"/app/missing.css", "network", "network GET /app/missing.css", `(router rule 1: cache "static", answered by network)`},
	}
	for _, tt := range tests {
		res, err := c.Fetch(ctx, &fetch.Request{URL: tt.url})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Layer) != tt.layer || string(res.Response.Body) != tt.body || !strings.HasSuffix(res.ServedBy(), tt.served) {
			t.Errorf("%s: %s %q, served by %q; want %s %q %s", tt.url, res.Layer, res.Response.Body, res.ServedBy(), tt.layer, tt.body, tt.served)
		}
		if v.Running() {
			t.Errorf("%s started the worker", tt.url)
		}
	}
	for _, tt := range []struct{ url, body, final string }{
		{"/app/handler/x", "handler /app/handler/x", ""},
		{"/app/other", "handler /app/other", ""},
		{"/app/race/quiet", "network GET /app/race/quiet", "network"},
	} {
		res, err := c.Fetch(ctx, &fetch.Request{URL: tt.url})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Response.Body) != tt.body {
			t.Errorf("%s: %q; want %q", tt.url, res.Response.Body, tt.body)
		}
		if tt.final != "" && (res.Route == nil || res.Route.Final != tt.final || res.Route.Rule != 2) {
			t.Errorf("%s: route %+v; want rule 2 answered by %s", tt.url, res.Route, tt.final)
		}
	}
	// A network answer that is not ok (404) never wins a race: the
	// handler's does, and without one the network's 404 is the answer.
	for _, tt := range []struct{ url, body, final string }{
		{"/app/race/missing/h", "handler /app/race/missing/h", "fetch-event"},
		{"/app/race/quiet/missing/x", "network GET /app/race/quiet/missing/x", "network"},
	} {
		res, err := c.Fetch(ctx, &fetch.Request{URL: tt.url})
		if err != nil {
			t.Fatal(err)
		}
		if string(res.Response.Body) != tt.body || res.Route == nil || res.Route.Final != tt.final {
			t.Errorf("%s: %q, route %+v; want %q answered by %s", tt.url, res.Response.Body, res.Route, tt.body, tt.final)
		}
	}
	// Whichever side wins a race, the answer is that side's.
	res, err = c.Fetch(ctx, &fetch.Request{URL: "/app/race/h"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Route == nil || (res.Route.Final == "fetch-event") != (string(res.Response.Body) == "handler /app/race/h") {
		t.Errorf("race: %q, route %+v", res.Response.Body, res.Route)
	}
}

// BenchmarkStaticRouting compares a request a router rule answers with
// the worker stopped (network, cache) with the same request through the
// fetch handler, warm (worker running) and cold (stopped before each
// request), in one run.
func BenchmarkStaticRouting(b *testing.B) {
	f := newFixture(b)
	reg := f.register(b, "/app/sw.js", `
addEventListener('install', (e) => {
  e.waitUntil(caches.open('static').then((c) => c.put('/app/cached.css', new Response('from cache'))));
  e.addRoutes([
    { condition: { urlPattern: '/app/net/*' }, source: 'network' },
    { condition: { urlPattern: '/app/*.css' }, source: 'cache' },
  ]);
});
addEventListener('fetch', (e) => e.respondWith(new Response('handler')));`, "/app/")
	ctx := context.Background()
	c, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/app/page"})
	if err != nil {
		b.Fatal(err)
	}
	v := reg.Active()
	run := func(name, url string, stop bool) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if stop {
					v.StopWorker()
				}
				if _, err := c.Fetch(ctx, &fetch.Request{URL: url}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	v.StopWorker()
	run("network-route", "/app/net/x", false)
	run("cache-route", "/app/cached.css", false)
	run("fetch-handler-warm", "/app/other", false)
	run("fetch-handler-cold", "/app/other", true)
}
