package bridge

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/connect"
	"github.com/swhost/swhost/internal/testbrowser"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/worker"
)

// pageWorker answers a page's messages, and tells every client when asked.
const pageWorker = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('message', (e) => {
  e.waitUntil((async () => {
    e.source.postMessage({ echo: e.data, from: e.source.url, type: e.source.type });
    if (e.data === 'broadcast') for (const c of await clients.matchAll()) c.postMessage('to all');
  })());
});
`

// pageHost is a registry and agent where origin (an http://127.0.0.1
// page server or https://app.test) has registered pageWorker.
func pageHost(t *testing.T, origin string) (*agent.Agent, *connect.Broker) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(pageWorker))
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	nw := &network.Transport{Resolve: map[string]string{origin: srv.URL}}
	var a *agent.Agent
	r, err := registry.New(ctx, registry.Options{Store: st, Network: nw, Limits: worker.Limits{IdleTimeout: -1},
		Environment: registry.Environment{Clients: func(reg *registry.Registration) worker.Clients { return a.WorkerClients(reg) }}})
	if err != nil {
		t.Fatal(err)
	}
	a = agent.New(r, nw, agent.Options{})
	b := connect.New(r, connect.Options{})
	t.Cleanup(func() { b.Close(); a.Close(); r.Close(); st.Close() })
	if _, err := r.Register(ctx, registry.RegisterRequest{ClientURL: origin + "/", ScriptURL: "/sw.js"}); err != nil {
		t.Fatal(err)
	}
	c, _ := a.OpenClient(origin + "/")
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if _, err := c.Ready(rctx); err != nil {
		t.Fatal(err)
	}
	c.Close()
	return a, b
}

// dialPage opens a page connection: the socket and the bridge's answer.
func dialPage(t *testing.T, srvURL, origin, page string) (*websocket.Conn, map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srvURL, "http")+"/connect", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {origin}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.CloseNow() })
	b, _ := json.Marshal(map[string]any{"serviceWorker": page})
	if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
	return ws, readFrame(t, ws)
}

func TestPageTalksToItsServiceWorker(t *testing.T) {
	a, b := pageHost(t, "https://app.test")
	served := &servedHandler{h: New(b, Options{Agent: a})}
	srv := httptest.NewServer(served)
	defer srv.Close()

	ws, first := dialPage(t, srv.URL, "https://app.test", "https://app.test/page")
	if first["accepted"] != true || first["controller"] != "https://app.test/sw.js" {
		t.Fatalf("answer %v", first)
	}
	send(t, ws, map[string]any{"n": 1})
	got := readFrame(t, ws)
	data, _ := got["data"].(map[string]any)
	echo, _ := data["echo"].(map[string]any)
	if echo["n"] != float64(1) || data["from"] != "https://app.test/page" || data["type"] != "window" || got["source"] != "https://app.test/sw.js" {
		t.Errorf("reply %v", got)
	}
	// The page is a client the worker sees: clients.matchAll finds it.
	send(t, ws, "broadcast")
	if f := readFrame(t, ws); f["data"].(map[string]any)["echo"] != "broadcast" {
		t.Errorf("reply %v", f)
	}
	if f := readFrame(t, ws); f["data"] != "to all" {
		t.Errorf("matchAll message %v", f)
	}
	ws.Close(websocket.StatusNormalClosure, "")
	served.waitFor(t, func() bool { // the handler closes its page client before it returns
		for _, c := range a.Clients() {
			if c.URL() == "https://app.test/page" {
				return false
			}
		}
		return true
	})

	// Refusals: a page speaking for another origin, an uncontrolled page
	// posting, a bridge without an agent.
	_, f := dialPage(t, srv.URL, "https://evil.test", "https://app.test/page")
	if e, _ := f["error"].(map[string]any); e["name"] != "SecurityError" {
		t.Errorf("another origin's page: %v", f)
	}
	ws, f = dialPage(t, srv.URL, "https://other.test", "https://other.test/")
	if f["accepted"] != true || f["controller"] != nil {
		t.Fatalf("uncontrolled page: %v", f)
	}
	send(t, ws, "hello?")
	if e, _ := readFrame(t, ws)["error"].(map[string]any); e["name"] != "InvalidStateError" {
		t.Errorf("message without a controller: %v", e)
	}
	plain := httptest.NewServer(New(b, Options{}))
	defer plain.Close()
	if _, f := dialPage(t, plain.URL, "https://app.test", "https://app.test/"); f["error"].(map[string]any)["name"] != "NotSupportedError" {
		t.Errorf("bridge without an agent: %v", f)
	}
}

// TestBrowserPageMessagesItsServiceWorker: a page in headless Chromium
// on http://127.0.0.1:PORT, whose service worker runs in swhost, posts
// to it through connect.js and gets its reply.
func TestBrowserPageMessagesItsServiceWorker(t *testing.T) {
	testbrowser.Require(t)
	bridgeLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	bridgeURL := "http://" + bridgeLn.Addr().String()
	port := pageServer(t, bridgeURL)
	origin := fmt.Sprintf("http://127.0.0.1:%d", port)
	a, b := pageHost(t, origin)
	bridge := &httptest.Server{Listener: bridgeLn, Config: &http.Server{Handler: New(b, Options{Agent: a})}}
	bridge.Start()
	defer bridge.Close()

	actx, cancel := testbrowser.Allocator(t)
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	const pageScript = `swhost.serviceWorker().then(sw => new Promise(resolve => {
  sw.onmessage = e => resolve(JSON.stringify([sw.controller.scriptURL, e.source.scriptURL, e.data]));
  sw.postMessage({ hello: 'from chromium' });
}), err => 'error: ' + err.name + ': ' + err.message)`
	if _, err := chromedp.Run(ctx, chromedp.Navigate(origin+"/app/page")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](pageScript, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`["%[1]s/sw.js","%[1]s/sw.js",{"echo":{"hello":"from chromium"},"from":"%[1]s/app/page","type":"window"}]`, origin)
	if got != want {
		t.Errorf("page got %s\nwant %s", got, want)
	}
}
