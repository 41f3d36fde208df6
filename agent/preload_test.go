package agent

import (
	"context"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestNavigationPreload: a worker that enables navigation preload during
// activate gets, for navigations, a preloadResponse from a request
// carrying the Service-Worker-Navigation-Preload header with its value;
// subresources and registrations without it get undefined; the state
// persists with the registration.
func TestNavigationPreload(t *testing.T) {
	f := newFixture(t)
	f.register(t, "/np/sw.js", `
addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    await registration.navigationPreload.enable();
    await registration.navigationPreload.setHeaderValue('v2');
  })());
});
addEventListener('fetch', (e) => {
  e.respondWith((async () => {
    const p = await e.preloadResponse;
    if (e.preloadResponse !== e.preloadResponse) throw new Error('preloadResponse is not the same promise');
    const state = await registration.navigationPreload.getState();
    if (p === undefined) return new Response('no preload; state ' + JSON.stringify(state));
    return new Response('preloaded: ' + await p.text());
  })());
});`, "/np/")
	f.register(t, "/off/sw.js", `addEventListener('fetch', (e) => e.respondWith(e.preloadResponse.then((p) => new Response(String(p)))));`, "/off/")
	ctx := context.Background()
	c, res, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/np/page"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(res.Response.Body), "preloaded: network GET /np/page preload=v2"; got != want {
		t.Errorf("navigation: %q; want %q", got, want)
	}
	sub, err := c.Fetch(ctx, &fetch.Request{URL: "/np/data"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(sub.Response.Body), `no preload; state {"enabled":true,"headerValue":"v2"}`; got != want {
		t.Errorf("subresource: %q; want %q", got, want)
	}
	_, res, err = f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/off/page"})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Response.Body); got != "undefined" {
		t.Errorf("navigation without preload: %q", got)
	}
	if np := f.r.MatchString("https://app.test/np/").NavigationPreload(); !np.Enabled || np.HeaderValue != "v2" {
		t.Errorf("registration state %+v", np)
	}
}
