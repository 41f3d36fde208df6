package worker

import (
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestBroadcastChannelAcrossWorkers: a BroadcastChannel message reaches
// the channels of that name in another worker of the origin, and a worker
// that stopped no longer gets them.
func TestBroadcastChannelAcrossWorkers(t *testing.T) {
	listener := newTestWorker(t, `
const got = [];
let arrived;
const first = new Promise((r) => { arrived = r; });
new BroadcastChannel('sync').onmessage = (e) => { got.push(e.data); arrived(); };
addEventListener('fetch', (e) => e.respondWith(
  new URL(e.request.url).pathname === '/ready' ? new Response('ready') : first.then(() => new Response(got.join(',')))));`, Options{})
	poster := newTestWorker(t, `
addEventListener('fetch', (e) => { new BroadcastChannel('sync').postMessage('hello ' + new URL(e.request.url).pathname); e.respondWith(new Response('posted')); });`, Options{})
	do := func(w *Worker, path string) string {
		t.Helper()
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test" + path}, FetchEventInit{})
		if err != nil || res.Response == nil {
			t.Fatalf("%s: %v %+v", path, err, res)
		}
		return string(res.Response.Body)
	}
	if got := do(listener, "/ready"); got != "ready" {
		t.Fatal(got)
	}
	do(poster, "/one")
	if got := do(listener, "/wait"); got != "hello /one" {
		t.Errorf("the listener got %q", got)
	}
	listener.Close()
	do(poster, "/two") // no listener left: nothing to deliver, nothing fails
}
