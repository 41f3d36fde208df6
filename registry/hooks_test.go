package registry

import (
	"context"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/worker"
)

// TestUpdateFromWorkerRetiringIt runs registration.update() from a fetch
// handler of v1 while a client is controlled, with a v2 that skips
// waiting: the update job activates v2 and retires v1, the worker that
// asked. The job must still finish: v2's activate event runs, v2 is
// stored as activated, and v1 is deleted from the store.
func TestUpdateFromWorkerRetiringIt(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", `self.addEventListener('fetch', e => {
  e.respondWith(self.registration.update().then(() => new Response('v1')));
});`)
	reg := e.mustRegister("/sw.js", "")
	reg.AddClient("c1")
	v1 := reg.Active()
	e.app.set("/sw.js", `let activated = false;
self.addEventListener('install', e => e.waitUntil(self.skipWaiting()));
self.addEventListener('activate', e => { activated = true; });
self.addEventListener('fetch', e => e.respondWith(new Response('v2 activated=' + activated)));`)

	ctx := context.Background()
	w, err := v1.Worker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// v1 is retired while this event waits for update(): the event itself
	// may fail; what matters is the job.
	_, _ = w.DispatchFetch(ctx, &fetch.Request{URL: "https://app.test/"}, worker.FetchEventInit{})
	// The job goes on after the event ended: wait for its end.
	var v2 *Version
	waitChange(t, e.r, "v2 activated", func() bool {
		v2 = reg.Active()
		return v2 != nil && v2 != v1 && v2.State() == sw.StateActivated
	})
	if v2 == nil || v2 == v1 || v2.State() != sw.StateActivated || v1.State() != sw.StateRedundant {
		t.Fatalf("active %v (v1 %v)", v2, v1)
	}
	if got := fetchVia(t, reg, "https://app.test/x"); got != "v2 activated=true" {
		t.Errorf("v2 answered %q: its activate event did not run", got)
	}
	versions, err := e.st.Versions(ctx, reg.ID())
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 1 || versions[0].ID != v2.ID() || versions[0].State != sw.StateActivated || versions[0].Slot != store.SlotActive {
		t.Errorf("stored versions %+v; want only v2 (%d), activated", versions, v2.ID())
	}
}

// TestCachesPersist checks that a worker's caches are its origin's Cache
// Storage in the store: what install puts there is found after a restart,
// with the network gone.
func TestCachesPersist(t *testing.T) {
	e := newEnv(t)
	e.app.setFile("/data.txt", file{body: "cached body", ctype: "text/plain"})
	e.app.set("/sw.js", `self.addEventListener('install', e => e.waitUntil(caches.open('c').then(c => c.add('/data.txt'))));
self.addEventListener('fetch', e => e.respondWith(caches.match(e.request).then(r => r || new Response('miss'))));`)
	reg := e.mustRegister("/sw.js", "")
	if got := fetchVia(t, reg, "https://app.test/data.txt"); got != "cached body" {
		t.Fatalf("before restart: %q", got)
	}
	e.close()
	e.app.setFile("/data.txt", file{status: 500})
	e.open()
	reg = e.r.MatchString("https://app.test/")
	if got := fetchVia(t, reg, "https://app.test/data.txt"); got != "cached body" {
		t.Errorf("after restart: %q", got)
	}
	names, err := e.r.Caches().For("https://app.test")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := names.Has(context.Background(), "c"); err != nil || !ok {
		t.Errorf("the registry's Cache Storage lacks the worker's cache: %v %v", ok, err)
	}
}
