package bridge

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/swhost/swhost/connect"
)

// dial opens a bridge connection as a page of origin and sends the
// connect frame; it returns the socket and the bridge's first answer.
func dial(t *testing.T, srvURL, origin, target string, options any) (*websocket.Conn, map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	ws, resp, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srvURL, "http")+"/connect", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return nil, map[string]any{"dialError": status}
	}
	t.Cleanup(func() { ws.CloseNow() })
	b, _ := json.Marshal(map[string]any{"connect": target, "options": options})
	if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
	return ws, readFrame(t, ws)
}

func readFrame(t *testing.T, ws *websocket.Conn) map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, b, err := ws.Read(ctx)
	if err != nil {
		return map[string]any{"readError": err.Error()}
	}
	var f map[string]any
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("frame %q: %v", b, err)
	}
	return f
}

func send(t *testing.T, ws *websocket.Conn, data any) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"data": data})
	if err := ws.Write(context.Background(), websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
}

func TestBridge(t *testing.T) {
	b := newBroker(t, "http://127.0.0.1:1")
	served := &servedHandler{h: New(b, Options{AllowedOrigins: []string{"http://127.0.0.1:1", "http://localhost:2"}})}
	srv := httptest.NewServer(served)
	defer srv.Close()

	t.Run("echo", func(t *testing.T) {
		ws, f := dial(t, srv.URL, "http://127.0.0.1:1", "https://example.com/services/echo", nil)
		if f["accepted"] != true {
			t.Fatalf("connect: %v", f)
		}
		for _, msg := range []any{"hello", map[string]any{"a": []any{1.0, "x", nil}}, 3.5, nil} {
			send(t, ws, msg)
			if got := readFrame(t, ws); !jsonEqual(got["data"], msg) {
				t.Errorf("echo of %v: %v", msg, got)
			}
		}
		ws.Close(websocket.StatusNormalClosure, "")
		served.waitFor(t, func() bool { return b.Connections() == 0 })
	})
	t.Run("JSON members keep their order", func(t *testing.T) {
		ws, f := dial(t, srv.URL, "http://127.0.0.1:1", "https://example.com/services/echo", nil)
		if f["accepted"] != true {
			t.Fatalf("connect: %v", f)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		const data = `{"b":1,"a":[2,{"d":3,"c":4}],"1":"index first"}`
		if err := ws.Write(ctx, websocket.MessageText, []byte(`{"data":`+data+`}`)); err != nil {
			t.Fatal(err)
		}
		_, got, err := ws.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"1":"index first","b":1,"a":[2,{"d":3,"c":4}]}`; !strings.Contains(string(got), `"data":`+want) {
			t.Errorf("echo of %s: frame %s, want its data %s", data, got, want)
		}
	})
	t.Run("refused by the worker's origin check", func(t *testing.T) {
		_, f := dial(t, srv.URL, "http://localhost:2", "https://example.com/services/echo", nil)
		e, _ := f["error"].(map[string]any)
		if e["name"] != "AbortError" || e["message"] != "no service accepted the connection to https://example.com/services/echo" {
			t.Errorf("answer %v", f)
		}
	})
	t.Run("no service", func(t *testing.T) {
		_, f := dial(t, srv.URL, "http://127.0.0.1:1", "https://nothing.test/", nil)
		if e, _ := f["error"].(map[string]any); e["name"] != "AbortError" {
			t.Errorf("answer %v", f)
		}
	})
	t.Run("origin not allowed", func(t *testing.T) {
		if _, f := dial(t, srv.URL, "http://evil.test", "https://example.com/services/echo", nil); f["dialError"] != 403 {
			t.Errorf("answer %v", f)
		}
	})
	t.Run("no Origin header", func(t *testing.T) {
		if _, f := dial(t, srv.URL, "", "https://example.com/services/echo", nil); f["dialError"] != 403 {
			t.Errorf("answer %v", f)
		}
	})
	t.Run("bad first frame", func(t *testing.T) {
		ctx := context.Background()
		ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/connect", &websocket.DialOptions{HTTPHeader: http.Header{"Origin": {"http://127.0.0.1:1"}}})
		if err != nil {
			t.Fatal(err)
		}
		defer ws.CloseNow()
		ws.Write(ctx, websocket.MessageText, []byte(`{"data":1}`))
		if e, _ := readFrame(t, ws)["error"].(map[string]any); e["name"] != "SyntaxError" {
			t.Errorf("answer %v", e)
		}
	})
}

func TestScriptServed(t *testing.T) {
	srv := httptest.NewServer(New(connect.New(nil, connect.Options{}), Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/connect.js")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || !strings.Contains(string(body), "navigator.connect = connect") {
		t.Errorf("connect.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, err := http.Get(srv.URL + "/connect"); err != nil || resp.StatusCode != http.StatusUpgradeRequired {
		t.Errorf("plain GET on the endpoint: %v %v", resp.StatusCode, err)
	}
}

// TestNativeServiceOverBridge: a Go service at a URL is reached from a
// page like a worker.
func TestNativeServiceOverBridge(t *testing.T) {
	b := connect.New(nil, connect.Options{FailureDelay: -1})
	if _, err := b.Register("https://native.test/", connect.Echo); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(b, Options{}))
	defer srv.Close()
	ws, f := dial(t, srv.URL, "https://page.test", "https://native.test/x", nil)
	if f["accepted"] != true {
		t.Fatalf("connect: %v", f)
	}
	send(t, ws, "hi")
	if got := readFrame(t, ws); got["data"] != "hi" {
		t.Errorf("reply %v", got)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// servedHandler wraps the bridge's handler to wake waitFor each time a
// request's handler returns. A bridge connection's handler closes the
// connection's port before it returns, and closing a client's port
// removes its connection from the broker at once (conn.notify): a
// socket's end shows in Broker.Connections by the time its handler has
// returned.
type servedHandler struct {
	h        http.Handler
	mu       sync.Mutex
	returned chan struct{} // closed and replaced when a handler returns
}

func (s *servedHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		s.mu.Lock()
		if s.returned != nil {
			close(s.returned)
			s.returned = nil
		}
		s.mu.Unlock()
	}()
	s.h.ServeHTTP(w, r)
}

// waitFor waits until cond holds, checking it again each time a handler
// returns (5 s bound).
func (s *servedHandler) waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		s.mu.Lock()
		if s.returned == nil {
			s.returned = make(chan struct{})
		}
		returned := s.returned
		s.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-returned:
		case <-timeout:
			t.Fatal("condition not met within 5 s")
		}
	}
}

// FuzzParseFrame: any frame is parsed or refused without panicking, and
// the data of a valid frame is a JSON value.
func FuzzParseFrame(f *testing.F) {
	for _, s := range []string{`{"connect":"https://a.test/","options":{"name":"x"}}`, `{"data":null}`, `{"data":[1,{"a":2}]}`, `{}`, `[]`, `{"data":`, `{"connect":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, data, err := parseFrame(b)
		if err != nil {
			return
		}
		if fr.Connect == nil && fr.Data == nil {
			t.Fatalf("accepted a frame with neither connect nor data: %q", b)
		}
		if _, err := json.Marshal(data); err != nil {
			t.Fatalf("data of %q is not JSON: %v", b, err)
		}
	})
}

// TestSocketCloseRemovesClient: a page's socket closing removes its
// connection from the broker (so from getAll()); the other page's
// connection keeps working.
func TestSocketCloseRemovesClient(t *testing.T) {
	b := newBroker(t, "http://127.0.0.1:1")
	served := &servedHandler{h: New(b, Options{})}
	srv := httptest.NewServer(served)
	defer srv.Close()
	a, fa := dial(t, srv.URL, "http://127.0.0.1:1", "https://example.com/services/echo", nil)
	c, fc := dial(t, srv.URL, "http://127.0.0.1:1", "https://example.com/services/echo", nil)
	if fa["accepted"] != true || fc["accepted"] != true {
		t.Fatalf("connect: %v %v", fa, fc)
	}
	if n := b.Connections(); n != 2 {
		t.Fatalf("connections %d", n)
	}
	c.Close(websocket.StatusNormalClosure, "page unloaded")
	served.waitFor(t, func() bool { return b.Connections() == 1 })
	send(t, a, "still here")
	if got := readFrame(t, a); got["data"] != "still here" {
		t.Errorf("the other client: %v", got)
	}
}

// TestPortsToPageAreClosed: JSON frames cannot carry MessagePorts, so a
// port a service transfers to a page is closed, and the service sees it.
func TestPortsToPageAreClosed(t *testing.T) {
	b := connect.New(nil, connect.Options{FailureDelay: -1})
	svc := connect.ServiceFuncs{ServeFunc: func(_ connect.Client, port *connect.Port) {
		mine, theirs := connect.NewChannel()
		if err := port.PostMessage("a port", theirs); err != nil {
			return
		}
		select {
		case <-mine.Done():
			_ = port.PostMessage("the port was closed")
		case <-time.After(5 * time.Second):
			_ = port.PostMessage("the port is still open")
		}
	}}
	if _, err := b.Register("https://ports.test/", svc); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(b, Options{}))
	defer srv.Close()
	ws, f := dial(t, srv.URL, "https://page.test", "https://ports.test/x", nil)
	if f["accepted"] != true {
		t.Fatalf("connect: %v", f)
	}
	if got := readFrame(t, ws); got["data"] != "a port" {
		t.Fatalf("first: %v", got)
	}
	if got := readFrame(t, ws); got["data"] != "the port was closed" {
		t.Errorf("second: %v", got)
	}
}
