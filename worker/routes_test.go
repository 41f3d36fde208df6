package worker

import (
	"testing"

	"github.com/swhost/swhost/routing"
)

// TestAddRoutes checks InstallEvent.addRoutes end to end in a worker: the
// rules come back in the install result, in order, and the failures the
// Static Routing API specifies reject the promise without failing the
// install.
func TestAddRoutes(t *testing.T) {
	w := newTestWorker(t, `
self.results = [];
const settle = (p) => p.then(() => 'ok', (e) => e.name);
addEventListener('fetch', () => {});
addEventListener('install', (e) => {
  e.waitUntil((async () => {
    results.push(await settle(e.addRoutes({ condition: { urlPattern: '/api/*' }, source: 'network' })));
    results.push(await settle(e.addRoutes([
      { condition: { urlPattern: new URLPattern({ pathname: '/img/*' }), requestMethod: 'get' }, source: { cacheName: 'img' } },
      { condition: { not: { runningStatus: 'running' } }, source: 'fetch-event' },
    ])));
    results.push(await settle(e.addRoutes({ condition: { urlPattern: '/(\\d+)' }, source: 'network' })));
    results.push(await settle(e.addRoutes({ condition: {}, source: 'network' })));
    results.push(await settle(e.addRoutes({ condition: { requestMethod: 'GET' }, source: 'nowhere' })));
    results.push(await settle(e.addRoutes(Array.from({ length: 1100 }, () => ({ condition: { requestMethod: 'GET' }, source: 'network' })))));
    const got = JSON.stringify(results);
    if (got !== '["ok","ok","TypeError","TypeError","TypeError","TypeError"]') throw new Error('addRoutes outcomes ' + got);
  })());
});
`, Options{})
	res, err := w.DispatchInstall(ctxT(t))
	if err != nil {
		t.Fatalf("install failed: %v", err)
	}
	if len(res.Routes) != 3 {
		t.Fatalf("install kept %d rules; want 3: %+v", len(res.Routes), res.Routes)
	}
	want := []string{"network", `cache "img"`, "fetch-event"}
	for i, r := range res.Routes {
		if r.Source.String() != want[i] {
			t.Errorf("rule %d source %s; want %s", i, r.Source, want[i])
		}
	}
	if i, _, ok := res.Routes.Match(routing.Request{URL: "https://app.test/img/a.png", Method: "GET"}, true); !ok || i != 1 {
		t.Errorf("the URLPattern rule matched %d %v; want 1", i, ok)
	}
}

// TestAddRoutesNeedsFetchHandler: a fetch-event source without a fetch
// listener is a TypeError, and addRoutes after install is an
// InvalidStateError.
func TestAddRoutesNeedsFetchHandler(t *testing.T) {
	w := newTestWorker(t, `
let saved;
addEventListener('install', (e) => {
  saved = e;
  e.waitUntil(e.addRoutes({ condition: { requestMode: 'navigate' }, source: 'race-network-and-fetch-handler' }).then(
    () => { throw new Error('a race source without a fetch handler was accepted'); },
    (x) => { if (x.name !== 'TypeError') throw x; }));
});
addEventListener('activate', (e) => {
  e.waitUntil(saved.addRoutes({ condition: { requestMode: 'cors' }, source: 'network' }).then(
    () => { throw new Error('addRoutes after install was accepted'); },
    (x) => { if (x.name !== 'InvalidStateError') throw x; }));
});
`, Options{})
	res, err := w.DispatchInstall(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Routes) != 0 {
		t.Errorf("kept %d rules", len(res.Routes))
	}
	if err := w.DispatchActivate(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}
