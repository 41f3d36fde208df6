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

// TestBroadcastChannelCarriesBlobs: a Blob posted on a BroadcastChannel
// by a worker that never touched messaging before arrives as a Blob.
func TestBroadcastChannelCarriesBlobs(t *testing.T) {
	listener := newTestWorker(t, `
let arrived;
const first = new Promise((r) => { arrived = r; });
const bc = new BroadcastChannel('blobs'); bc.onmessageerror = () => arrived('messageerror'); bc.onmessage = (e) => arrived(e.data instanceof Blob ? e.data.text().then(t => 'Blob ' + e.data.type + ' ' + t) : 'not a Blob: ' + String(e.data));
addEventListener('fetch', (e) => e.respondWith(
  new URL(e.request.url).pathname === '/ready' ? new Response('ready') : first.then((t) => new Response(t))));`, Options{})
	poster := newTestWorker(t, `
addEventListener('fetch', (e) => { new BroadcastChannel('blobs').postMessage(new Blob(['hi'], { type: 'text/plain' })); e.respondWith(new Response('posted')); });`, Options{})
	do := func(w *Worker, path string) string {
		t.Helper()
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test" + path}, FetchEventInit{})
		if err != nil || res.Response == nil {
			t.Fatalf("%s: %v %+v", path, err, res)
		}
		return string(res.Response.Body)
	}
	do(listener, "/ready")
	do(poster, "/post")
	if got := do(listener, "/wait"); got != "Blob text/plain hi" {
		t.Errorf("the listener got %q", got)
	}
}
