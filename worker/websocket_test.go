package worker

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/coder/websocket"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
)

// echoSocketServer accepts WebSocket connections offering the "chat"
// subprotocol, echoes every message, reports the handshake's Origin in a
// first text message, and closes with 4001 "bye" when told "close".
func echoSocketServer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"chat"}, InsecureSkipVerify: true})
		if err != nil {
			return
		}
		ctx := r.Context()
		_ = c.Write(ctx, websocket.MessageText, []byte("origin "+r.Header.Get("Origin")))
		for {
			typ, data, err := c.Read(ctx)
			if err != nil {
				return
			}
			if typ == websocket.MessageText && string(data) == "close" {
				_ = c.Close(4001, "bye")
				return
			}
			if err := c.Write(ctx, typ, data); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestWebSocket opens a WebSocket from a worker to a loopback server
// mapped as https://echo.test: open with the negotiated subprotocol, text
// and binary messages both ways in order, bufferedAmount, the Origin of
// the worker, and a close started by the server.
func TestWebSocket(t *testing.T) {
	srv := echoSocketServer(t)
	tr := &network.Transport{Resolve: map[string]string{"https://echo.test": srv.URL}}
	w := newTestWorker(t, `
addEventListener('fetch', (e) => e.respondWith(new Promise((resolve) => {
  const log = [];
  const ws = new WebSocket('wss://echo.test/ws', ['chat']);
  ws.binaryType = 'arraybuffer';
  log.push('state ' + ws.readyState);
  ws.onopen = () => {
    log.push('open ' + ws.protocol + ' ' + ws.readyState);
    ws.send('hello');
    ws.send(new Uint8Array([1, 2, 3]));
    log.push('buffered ' + ws.bufferedAmount);
    ws.send('close');
  };
  ws.onmessage = (m) => log.push(typeof m.data === 'string' ? 'text ' + m.data : 'binary ' + Array.from(new Uint8Array(m.data)).join(','));
  ws.onerror = () => log.push('error');
  ws.onclose = (c) => { log.push('close ' + c.code + ' ' + c.reason + ' ' + c.wasClean + ' ' + ws.readyState); resolve(new Response(JSON.stringify(log))); };
})));`, Options{WebSockets: tr})
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || res.Response == nil {
		t.Fatalf("dispatch: %v %+v", err, res)
	}
	want := `["state 0","open chat 1","buffered 8","text origin https://app.test","text hello","binary 1,2,3","close 4001 bye true 3"]`
	if got := string(res.Response.Body); got != want {
		t.Errorf("log:\n%s\nwant\n%s", got, want)
	}
}

// TestWebSocketErrors: the constructor's SyntaxErrors, close()'s checks,
// a connection that fails (no server), and the per-worker limit.
func TestWebSocketErrors(t *testing.T) {
	tr := &network.Transport{Resolve: map[string]string{"https://nowhere.test": "http://127.0.0.1:1"}}
	w := newTestWorker(t, `
addEventListener('fetch', (e) => e.respondWith(new Promise((resolve) => {
  const out = [];
  const name = (f) => { try { f(); return 'ok'; } catch (x) { return x.name; } };
  out.push(name(() => new WebSocket('ftp://x.test/')));
  out.push(name(() => new WebSocket('wss://x.test/#frag')));
  out.push(name(() => new WebSocket('wss://x.test/', ['a', 'a'])));
  out.push(name(() => new WebSocket('wss://x.test/', ['bad token'])));
  const ws = new WebSocket('wss://nowhere.test/');
  out.push(name(() => ws.send('early')));
  out.push(name(() => ws.close(1001)));
  out.push(name(() => ws.close(1000, 'x'.repeat(124))));
  ws.onerror = () => out.push('error');
  ws.onclose = (c) => { out.push('close ' + c.code + ' ' + c.wasClean); resolve(new Response(JSON.stringify(out))); };
})));`, Options{WebSockets: tr, Limits: Limits{MaxWebSockets: 2}})
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || res.Response == nil {
		t.Fatalf("dispatch: %v %+v", err, res)
	}
	want := `["SyntaxError","SyntaxError","SyntaxError","SyntaxError","InvalidStateError","InvalidAccessError","SyntaxError","error","close 1006 false"]`
	if got := string(res.Response.Body); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// TestWebSocketLimit: past Limits.MaxWebSockets connections not closed, the
// constructor throws QuotaExceededError; a closed one frees its place.
func TestWebSocketLimit(t *testing.T) {
	srv := echoSocketServer(t)
	tr := &network.Transport{Resolve: map[string]string{"https://echo.test": srv.URL}}
	w := newTestWorker(t, `
addEventListener('fetch', (e) => e.respondWith(new Promise((resolve) => {
  const out = [];
  const first = new WebSocket('wss://echo.test/');
  try { new WebSocket('wss://echo.test/'); out.push('second opened'); } catch (x) { out.push(x.name); }
  first.onopen = () => first.close();
  first.onclose = () => setTimeout(() => {
    try { new WebSocket('wss://echo.test/').close(); out.push('ok after close'); } catch (x) { out.push(x.name); }
    resolve(new Response(JSON.stringify(out)));
  }, 0);
})));`, Options{WebSockets: tr, Limits: Limits{MaxWebSockets: 1}})
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || res.Response == nil {
		t.Fatalf("dispatch: %v %+v", err, res)
	}
	if got, want := string(res.Response.Body), `["QuotaExceededError","ok after close"]`; got != want {
		t.Errorf("got %s; want %s", got, want)
	}
}
