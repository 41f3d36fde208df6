package agent

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
)

type fixture struct {
	a     *Agent
	r     *registry.Registry
	files map[string]string
	hits  atomic.Int64
}

func newFixture(t testing.TB, opts ...func(*registry.Options)) *fixture {
	f := &fixture{files: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		if body, ok := f.files[r.URL.Path]; ok {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, body)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		if strings.Contains(r.URL.Path, "/missing/") {
			w.WriteHeader(http.StatusNotFound)
		}
		io.WriteString(w, "network "+r.Method+" "+r.URL.Path)
		if v := r.Header.Values(NavigationPreloadHeader); len(v) > 0 {
			io.WriteString(w, " preload="+strings.Join(v, ","))
		}
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net := &network.Transport{Resolve: map[string]string{"https://app.test": srv.URL, "https://other.test": srv.URL}}
	ro := registry.Options{Store: st, Network: net, Limits: testLimits, Environment: envOf(&f.a)}
	for _, o := range opts {
		o(&ro)
	}
	r, err := registry.New(ctx, ro)
	if err != nil {
		t.Fatal(err)
	}
	f.r = r
	f.a = New(r, net, Options{})
	t.Cleanup(func() { f.a.Close(); r.Close(); st.Close() })
	return f
}

func (f *fixture) register(t testing.TB, path, body, scope string) *registry.Registration {
	t.Helper()
	f.files[path] = body
	reg, err := f.r.Register(context.Background(), registry.RegisterRequest{ClientURL: "https://app.test/", ScriptURL: path, Scope: scope})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestLookupOrderFirstParty(t *testing.T) {
	f := newFixture(t)
	f.register(t, "/answer/sw.js", `self.addEventListener('fetch', e => {
  e.respondWith(new Response([e.request.mode, e.request.url, e.clientId, e.resultingClientId].join('|')));
});`, "/answer/")
	f.register(t, "/nohandler/sw.js", `self.addEventListener('install', () => {});`, "/nohandler/")
	f.register(t, "/pass/sw.js", `self.addEventListener('fetch', e => { if (e.request.url.endsWith('/mine')) e.respondWith(new Response('mine')); });`, "/pass/")
	f.register(t, "/proxy/sw.js", `self.addEventListener('fetch', e => e.respondWith(fetch(e.request)));`, "/proxy/")
	ctx := context.Background()

	c, res, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/answer/page"})
	if err != nil {
		t.Fatal(err)
	}
	want := "navigate|https://app.test/answer/page||" + c.ID()
	if res.Layer != LayerFetchEvent || string(res.Response.Body) != want || res.ScriptURL != "https://app.test/answer/sw.js" {
		t.Errorf("navigation: %s %q from %s, want %q", res.Layer, res.Response.Body, res.ScriptURL, want)
	}
	if c.Controller() == nil {
		t.Fatal("navigated client is not controlled")
	}
	sub, err := c.Fetch(ctx, &fetch.Request{URL: "/answer/data.json"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "cors|https://app.test/answer/data.json|" + c.ID() + "|"; string(sub.Response.Body) != want {
		t.Errorf("subresource: %q, want %q", sub.Response.Body, want)
	}
	// Subresources of a controlled client go to its controller whatever
	// their URL.
	if sub, _ := c.Fetch(ctx, &fetch.Request{URL: "/elsewhere"}); sub.Layer != LayerFetchEvent {
		t.Errorf("out-of-scope subresource from a controlled client: %s", sub.Layer)
	}

	tests := []struct {
		page, sub string
		layer     Layer
		body      string
	}{
		{"https://app.test/nohandler/", "/nohandler/x", LayerNetwork, "network GET /nohandler/x"},
		{"https://app.test/pass/", "/pass/mine", LayerFetchEvent, "mine"},
		{"https://app.test/pass/", "/pass/other", LayerNetwork, "network GET /pass/other"},
		{"https://app.test/proxy/", "/proxy/x", LayerFetchEvent, "network GET /proxy/x"},
		{"https://app.test/uncontrolled/", "/uncontrolled/x", LayerNetwork, "network GET /uncontrolled/x"},
	}
	for _, tt := range tests {
		c, _, err := f.a.Navigate(ctx, &fetch.Request{URL: tt.page})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Fetch(ctx, &fetch.Request{URL: tt.sub})
		if err != nil {
			t.Fatal(err)
		}
		if res.Layer != tt.layer || string(res.Response.Body) != tt.body {
			t.Errorf("%s from %s: %s %q; want %s %q", tt.sub, tt.page, res.Layer, res.Response.Body, tt.layer, tt.body)
		}
	}
}

func TestClientCloseActivatesWaiting(t *testing.T) {
	f := newFixture(t)
	reg := f.register(t, "/sw.js", `self.addEventListener('fetch', e => e.respondWith(new Response('v1')));`, "")
	ctx := context.Background()
	c, res, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/"})
	if err != nil || string(res.Response.Body) != "v1" {
		t.Fatalf("navigate: %v %v", res, err)
	}
	f.files["/sw.js"] = `self.addEventListener('fetch', e => e.respondWith(new Response('v2')));`
	if err := f.r.Update(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if reg.Waiting() == nil {
		t.Fatal("v2 should wait while v1 controls a client")
	}
	if r, _ := c.Fetch(ctx, &fetch.Request{URL: "/x"}); string(r.Response.Body) != "v1" {
		t.Errorf("controlled client got %q before v2 activated", r.Response.Body)
	}
	c.Close()
	f.r.Wait()
	_, res, _ = f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/"})
	if string(res.Response.Body) != "v2" {
		t.Errorf("after the client closed: %q", res.Response.Body)
	}
}

func TestClientsAPI(t *testing.T) {
	f := newFixture(t)
	f.register(t, "/sw.js", `
self.addEventListener('activate', e => e.waitUntil(clients.claim()));
self.addEventListener('fetch', e => {
  if (e.request.url.endsWith('/count')) {
    e.respondWith(clients.matchAll().then(all => new Response(String(all.length))));
  }
  if (e.request.url.endsWith('/hello')) {
    e.respondWith(clients.get(e.clientId).then(c => { c.postMessage('hi ' + c.url); return new Response('sent'); }));
  }
});`, "")
	ctx := context.Background()
	c1, _, _ := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/a"})
	c2, _, _ := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/b"})
	if r, _ := c1.Fetch(ctx, &fetch.Request{URL: "/count"}); string(r.Response.Body) != "2" {
		t.Errorf("matchAll: %q", r.Response.Body)
	}
	c2.Close()
	if r, _ := c1.Fetch(ctx, &fetch.Request{URL: "/count"}); string(r.Response.Body) != "1" {
		t.Errorf("matchAll after close: %q", r.Response.Body)
	}
	if r, _ := c1.Fetch(ctx, &fetch.Request{URL: "/hello"}); string(r.Response.Body) != "sent" {
		t.Fatalf("postMessage: %q", r.Response.Body)
	}
	// The message is the client's next event.
	ev := nextMessage(t, c1)
	if s, _ := ev.Message.Data.(string); ev.Type != "message" || !strings.Contains(s, "hi https://app.test/a") {
		t.Errorf("event = %+v", ev)
	}
	if msgs := c1.Messages(); len(msgs) != 1 {
		t.Errorf("messages = %+v", msgs)
	}
}

// A port a worker transfers to a client reaches it in Message.Ports, and
// is closed when the client closes.
func TestClientMessagePortsCloseWithTheClient(t *testing.T) {
	f := newFixture(t)
	f.register(t, "/sw.js", `
self.addEventListener('activate', e => e.waitUntil(clients.claim()));
self.addEventListener('fetch', e => {
  if (e.request.url.endsWith('/port')) {
    e.respondWith(clients.get(e.clientId).then(c => {
      const ch = new MessageChannel();
      c.postMessage('take this', [ch.port2]);
      return new Response('sent');
    }));
  }
});`, "")
	ctx := context.Background()
	c, _, err := f.a.Navigate(ctx, &fetch.Request{URL: "https://app.test/a"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err := c.Fetch(ctx, &fetch.Request{URL: "/port"}); err != nil || string(r.Response.Body) != "sent" {
		t.Fatalf("fetch /port: %v %v", r, err)
	}
	ev := nextMessage(t, c)
	if ev.Type != "message" || len(ev.Message.Ports) != 1 {
		t.Fatalf("event = %+v", ev)
	}
	port := ev.Message.Ports[0]
	if port.Closed() {
		t.Fatal("the port is closed before the client closed")
	}
	c.Close()
	if !port.Closed() {
		t.Error("the port is still open after the client closed")
	}
}

// envOf is the registry environment of the agent *a, which the test makes
// right after the registry (see registry.Environment).
func envOf(a **Agent) registry.Environment {
	return Environment(func() *Agent { return *a })
}

// nextMessage returns c's next message event (skipping
// controllerchange), failing the test after 10 s.
func nextMessage(t *testing.T, c *Client) ClientEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		ev, err := c.NextEvent(ctx)
		if err != nil {
			t.Fatalf("no message: %v", err)
		}
		if ev.Type == "message" {
			return ev
		}
	}
}
