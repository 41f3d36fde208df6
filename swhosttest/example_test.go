package swhosttest_test

import (
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/swhosttest"
)

// shellSite is a site whose worker caches its page on install and
// answers from the cache first.
var shellSite = fstest.MapFS{
	"index.html": {Data: []byte("<!doctype html><p>the shell")},
	"sw.js": {Data: []byte(`
addEventListener('install', (e) => e.waitUntil(caches.open('shell').then((c) => c.add('/'))));
addEventListener('fetch', (e) => e.respondWith(caches.match(e.request).then((r) => r || fetch(e.request))));
`)},
}

// A worker that caches its page on install serves it offline. In a test,
// swhosttest.New(t, ...) replaces Open and Close.
func Example() {
	h, err := swhosttest.Open(swhosttest.Origin("https://app.test", shellSite))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()
	if _, err := h.Register(ctx, "https://app.test/sw.js", swhosttest.RegisterOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	names, _ := h.Caches("https://app.test").Names(ctx)
	fmt.Println("caches:", names)

	h.SetOffline("https://app.test", true)
	res, err := h.Fetch(ctx, "https://app.test/", nil, fetch.ModeNavigate)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Status, res.ServedBy)
	fmt.Println(res.Text())
	// Output:
	// caches: [shell]
	// 200 fetch-event https://app.test/sw.js
	// <!doctype html><p>the shell
}

// The host's clock moves only when the test says: a worker's one-minute
// timer fires once the clock has moved a minute, never on wall time.
func ExampleHost_Clock() {
	site := fstest.MapFS{"sw.js": {Data: []byte(`
let ready = false;
setTimeout(() => { ready = true; }, 60_000);
addEventListener('fetch', (e) => e.respondWith(new Response('ready: ' + ready + ' at ' + new Date(Date.now()).toISOString())));
`)}}
	h, err := swhosttest.Open(
		swhosttest.Origin("https://app.test", site),
		swhosttest.StartAt(time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer h.Close()
	ctx := context.Background()
	if _, err := h.Register(ctx, "https://app.test/sw.js", swhosttest.RegisterOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range []time.Duration{59 * time.Second, time.Second} {
		h.Clock().Advance(d)
		res, err := h.Fetch(ctx, "https://app.test/status", nil, "")
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.Text())
	}
	// Output:
	// ready: false at 2030-01-01T12:00:59.000Z
	// ready: true at 2030-01-01T12:01:00.000Z
}

// BenchmarkStartToRegister measures a host's start-up to its first
// Register resolving (the worker fetched, compiled, installed with a
// one-entry precache and activated), and its Close.
func BenchmarkStartToRegister(b *testing.B) {
	ctx := context.Background()
	for b.Loop() {
		h, err := swhosttest.Open(swhosttest.Origin("https://app.test", shellSite))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := h.Register(ctx, "https://app.test/sw.js", swhosttest.RegisterOptions{}); err != nil {
			b.Fatal(err)
		}
		h.Close()
	}
}

// BenchmarkOpenClose is BenchmarkStartToRegister's peer: a host opened
// and closed with no registration (the store, the loopback server, the
// registry and agent).
func BenchmarkOpenClose(b *testing.B) {
	for b.Loop() {
		h, err := swhosttest.Open(swhosttest.Origin("https://app.test", shellSite))
		if err != nil {
			b.Fatal(err)
		}
		h.Close()
	}
}
