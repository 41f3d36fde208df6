package agent

import (
	"context"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestOffline: while an origin is offline, the network fails its requests
// and its worker's, its worker still answers from Cache Storage, and
// navigator.onLine is false there; back online, the network answers again.
func TestOffline(t *testing.T) {
	f := newFixture(t)
	f.register(t, "/off/sw.js", `
addEventListener('install', (e) => e.waitUntil(caches.open('c').then((c) => c.put('/off/cached', new Response('cached')))));
addEventListener('fetch', (e) => {
  const p = new URL(e.request.url).pathname;
  if (p === '/off/cached') e.respondWith(caches.match(e.request));
  else if (p === '/off/status') e.respondWith(new Response(String(navigator.onLine)));
  else if (p === '/off/via-worker') e.respondWith(fetch('/off/x').then((r) => r.text(), (x) => 'rejected ' + x.name).then((t) => new Response(t)));
});`, "/off/")
	ctx := context.Background()
	c, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/off/page"})
	if err != nil {
		t.Fatal(err)
	}
	body := func(url string) string {
		t.Helper()
		res, err := c.Fetch(ctx, &fetch.Request{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		if res.Response.IsNetworkError() {
			return "network error"
		}
		return string(res.Response.Body)
	}
	if err := f.a.SetOffline("https://app.test", true); err != nil {
		t.Fatal(err)
	}
	if got := f.a.OfflineOrigins(); len(got) != 1 || got[0] != "https://app.test" {
		t.Errorf("OfflineOrigins = %v", got)
	}
	for url, want := range map[string]string{
		"/off/cached":     "cached",
		"/off/status":     "false",
		"/off/other":      "network error",
		"/off/via-worker": "rejected TypeError",
	} {
		if got := body(url); got != want {
			t.Errorf("offline %s: %q; want %q", url, got, want)
		}
	}
	if err := f.a.SetOffline("https://app.test", false); err != nil {
		t.Fatal(err)
	}
	if got := body("/off/other"); got != "network GET /off/other" {
		t.Errorf("back online: %q", got)
	}
	if got := body("/off/status"); got != "true" {
		t.Errorf("back online, navigator.onLine: %q", got)
	}
	if err := f.a.SetOffline("not an origin", true); err == nil {
		t.Error("SetOffline accepted a bad origin")
	}
}
