package registry

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/routing"
)

// TestRouterRulesPersist: the rules a version adds during install are
// kept with it and come back after a restart; a failed install keeps
// none.
func TestRouterRulesPersist(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `
addEventListener('fetch', () => {});
addEventListener('install', (e) => e.addRoutes([
  { condition: { urlPattern: '/api/*' }, source: 'network' },
  { condition: { requestMode: 'navigate' }, source: 'race-network-and-fetch-handler' },
]));`)
	reg := e.mustRegister("https://app.test/sw.js", "")
	check := func(when string, v *Version) {
		t.Helper()
		rules := v.Routes()
		if len(rules) != 2 {
			t.Fatalf("%s: %d rules", when, len(rules))
		}
		if i, src, ok := rules.Match(routing.Request{URL: "https://app.test/api/x", Method: "GET", Mode: "cors"}, false); !ok || i != 0 || src.Kind != routing.SourceNetwork {
			t.Errorf("%s: /api/x matched %d %v %v", when, i, src, ok)
		}
	}
	check("after install", reg.Active())
	e.close()
	e.open()
	check("after a restart", e.r.MatchString("https://app.test/page").Active())

	e.app.set("/bad.js", `
addEventListener('fetch', () => {});
addEventListener('install', (e) => { e.addRoutes({ condition: { requestMode: 'cors' }, source: 'network' }); throw new Error('install fails'); });`)
	if _, err := e.register("https://app.test/bad.js", "/bad/"); err == nil {
		t.Fatal("a failing install registered")
	}
}

// TestNavigationPreloadState: NavigationPreloadManager rejects with
// InvalidStateError while the registration has no active worker, checks
// header values, and the state it sets survives a restart.
func TestNavigationPreloadState(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `
addEventListener('install', (e) => {
  e.waitUntil(registration.navigationPreload.enable().then(
    () => { throw new Error('enable() without an active worker resolved'); },
    (x) => { if (x.name !== 'InvalidStateError') throw x; }));
});
addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    const bad = await registration.navigationPreload.setHeaderValue('a\nb').then(() => 'ok', (x) => x.name);
    if (bad !== 'TypeError') throw new Error('setHeaderValue of an invalid value: ' + bad);
    await registration.navigationPreload.enable();
    await registration.navigationPreload.setHeaderValue('');
    const s = await registration.navigationPreload.getState();
    if (s.enabled !== true || s.headerValue !== '') throw new Error(JSON.stringify(s));
  })());
});`)
	e.mustRegister("https://app.test/sw.js", "")
	e.close()
	e.open()
	np := e.r.MatchString("https://app.test/page").NavigationPreload()
	if !np.Enabled || np.HeaderValue != "" {
		t.Errorf("after a restart: %+v; want enabled with an empty header value", np)
	}
}

// TestServiceWorkerObjects: registration.active and self.serviceWorker are
// ServiceWorker objects (one per worker in a realm), and postMessage to
// the active worker from its own activate handler (what Angular's
// service worker does) fires a message event there whose source is that
// ServiceWorker.
func TestServiceWorkerObjects(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `
self.got = [];
addEventListener('activate', () => { registration.active.postMessage({ action: 'INITIALIZE' }); });
addEventListener('message', (m) => {
  m.waitUntil(Promise.resolve());
  got.push([m.data.action, m.source === self.serviceWorker, m.source instanceof ServiceWorker, m.origin]);
});
addEventListener('fetch', (f) => f.respondWith(new Response(JSON.stringify({
  got, same: registration.active === self.serviceWorker, url: self.serviceWorker.scriptURL,
  state: self.serviceWorker.state, installing: registration.installing, waiting: registration.waiting,
}))));`)
	reg := e.mustRegister("https://app.test/sw.js", "")
	if err := e.r.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := fetchVia(t, reg, "https://app.test/x")
	want := `{"got":[["INITIALIZE",true,true,"https://app.test"]],"same":true,"url":"https://app.test/sw.js","state":"activated","installing":null,"waiting":null}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestServiceWorkerStateChange: a worker's ServiceWorker object for
// itself fires statechange when its state changes: a listener set during
// activate sees the change to "activated".
func TestServiceWorkerStateChange(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `
self.changes = [];
addEventListener('activate', () => {
  const me = self.serviceWorker;
  changes.push('during ' + me.state);
  me.onstatechange = (ev) => changes.push(ev.type + ' ' + me.state + ' ' + (ev.target === me));
});
addEventListener('fetch', (f) => f.respondWith(new Response(JSON.stringify(changes))));`)
	reg := e.mustRegister("https://app.test/sw.js", "")
	if err := e.r.WaitIdle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got, want := fetchVia(t, reg, "https://app.test/x"), `["during activating","statechange activated true"]`; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}

// TestUpdateFound: the active worker's registration object fires
// updatefound when an update starts installing a new version, whose
// ServiceWorker object is then registration.installing: the old worker
// tells the new one so with postMessage.
func TestUpdateFound(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `
registration.onupdatefound = () => {
  const sw = registration.installing;
  sw.postMessage('updatefound, installing is ' + sw.state);
};
addEventListener('fetch', () => {});`)
	reg := e.mustRegister("https://app.test/sw.js", "")
	if _, err := reg.Active().Worker(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := fetchVia(t, reg, "https://app.test/x"); got != "" {
		t.Fatalf("v1 answered %q", got)
	}
	// The new version's install waits for the old worker's message, so
	// that the update returns once it was delivered.
	e.app.set("/sw.js", `
self.got = [];
let delivered;
const arrived = new Promise((resolve) => { delivered = resolve; });
addEventListener('message', (m) => { got.push(m.data + ' / from ' + (m.source === registration.active ? 'the active worker' : 'elsewhere')); delivered(); });
addEventListener('install', (i) => i.waitUntil(arrived));
addEventListener('fetch', (f) => f.respondWith(new Response(JSON.stringify(got))));`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := e.r.Update(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if err := e.r.WaitIdle(ctx); err != nil {
		t.Fatal(err)
	}
	got := fetchVia(t, reg, "https://app.test/x")
	if !strings.Contains(got, "updatefound, installing is ") || !strings.Contains(got, " / from ") {
		t.Errorf("v2 got %s", got)
	}
}
