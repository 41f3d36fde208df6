package agent

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/registry"
)

// analyticsWorker queues beacons it cannot deliver and replays them once
// the collector answers again: the seed's analytics provider.
const analyticsWorker = `
const queue = [];
self.addEventListener('install', event => {
  event.registerForeignFetch({scopes: [self.registration.scope], origins: ['*']});
});
async function send(body) {
  const r = await fetch(new Request('https://api.test/collect', {method: 'POST', body}));
  if (!r.ok) throw new Error('collector answered ' + r.status);
}
async function handle(event) {
  const body = await event.request.text();
  try {
    while (queue.length) { await send(queue[0]); queue.shift(); }
    await send(body);
    return {response: new Response('sent'), origin: event.origin};
  } catch (err) {
    queue.push(body);
    return {response: new Response('queued ' + queue.length, {status: 202}), origin: event.origin};
  }
}
self.addEventListener('foreignfetch', event => {
  if (event.request.method === 'POST') event.respondWith(handle(event));
});`

func TestAnalyticsQueueAndReplay(t *testing.T) {
	w := newWorld(t)
	var (
		up       atomic.Bool
		mu       sync.Mutex
		received []string
	)
	w.api.js("/sw.js", analyticsWorker)
	w.api.handle("/collect", func(rw http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(rw, "down", http.StatusServiceUnavailable)
			return
		}
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, string(b))
		mu.Unlock()
		io.WriteString(rw, "ok")
	})
	if _, err := w.r.Register(context.Background(), registry.RegisterRequest{ClientURL: "https://api.test/", ScriptURL: "/sw.js"}); err != nil {
		t.Fatal(err)
	}
	app := w.client(t, "https://app.test/")
	beacon := func(body string) string {
		res := w.get(t, app, &fetch.Request{Method: "POST", URL: "https://api.test/beacon", Body: []byte(body),
			Header: http.Header{"Content-Type": {"text/plain"}}})
		if res.Layer != LayerForeignFetch {
			t.Fatalf("beacon %s: layer %s (%s)", body, res.Layer, res.Response.Error)
		}
		return string(res.Response.Body)
	}
	if got := beacon("e1"); got != "queued 1" {
		t.Errorf("first beacon while down: %q", got)
	}
	if got := beacon("e2"); got != "queued 2" {
		t.Errorf("second beacon while down: %q", got)
	}
	up.Store(true)
	if got := beacon("e3"); got != "sent" {
		t.Errorf("beacon after recovery: %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(received, ",") != "e1,e2,e3" {
		t.Errorf("collector received %q, want the queued beacons replayed in order", received)
	}
}
