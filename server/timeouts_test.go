package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// testTimeouts are small so that the tests end quickly; no test sleeps for
// them: each waits for the server to close a connection, reading until
// EOF with a much longer deadline as a safety net.
var testTimeouts = Timeouts{Header: 150 * time.Millisecond, Body: 150 * time.Millisecond, Idle: 150 * time.Millisecond}

// safetyNet bounds every wait on a condition: a connection that is still
// open by then was not closed by the server.
const safetyNet = 10 * time.Second

// listen serves h on a loopback port with t, as swhost serve does, and
// returns the address.
func listen(t *testing.T, to Timeouts, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := to.HTTPServer(h, nil)
	go hs.Serve(ln)
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String()
}

// readToEOF reads c until the server closes it and returns what arrived;
// it fails the test when the safety net ends the wait first.
func readToEOF(t *testing.T, c net.Conn) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(safetyNet))
	b, err := io.ReadAll(c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the connection is still open after %v (read so far: %q)", safetyNet, b)
	}
	return string(b)
}

// proxyConnect dials the proxy at addr and opens a CONNECT tunnel to
// target, returning the connection and what the proxy buffered after its
// answer.
func proxyConnect(t *testing.T, addr, target string) (net.Conn, *bufio.Reader) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	io.WriteString(c, "CONNECT "+target+" HTTP/1.1\r\nHost: "+target+"\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodConnect})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("CONNECT %s: %v %v", target, resp, err)
	}
	return c, br
}

// bufConn reads through a bufio.Reader that may hold bytes already read.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (c bufConn) Read(p []byte) (int, error) { return c.r.Read(p) }

func TestListenerTimeouts(t *testing.T) {
	f := newFixture(t)
	f.srv.opts.Timeouts = testTimeouts
	ca, err := LoadOrCreateCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	admin := listen(t, testTimeouts, f.srv.Handler())
	edge := listen(t, testTimeouts, f.srv.EdgeHandler("https"))
	proxy := listen(t, testTimeouts, f.srv.ProxyHandler(ca))
	plainDial := func(addr string) func(t *testing.T) net.Conn {
		return func(t *testing.T) net.Conn {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close() })
			return c
		}
	}
	listeners := []struct {
		name   string
		dial   func(t *testing.T) net.Conn
		target string // request target of a POST with a body and of a GET
		host   string
		auth   string // header lines the listener needs
	}{
		{"admin", plainDial(admin), "/v1/registrations", "127.0.0.1", "Authorization: Bearer " + testToken + "\r\n"},
		{"edge", plainDial(edge), "/other", "app.test", ""},
		{"proxy", plainDial(proxy), "https://app.test/other", "app.test", ""},
		{"proxy MITM tunnel", func(t *testing.T) net.Conn {
			c, br := proxyConnect(t, proxy, "app.test:443")
			tc := tls.Client(bufConn{c, br}, &tls.Config{ServerName: "app.test", RootCAs: ca.Pool()})
			if err := tc.Handshake(); err != nil {
				t.Fatal(err)
			}
			return tc
		}, "/other", "app.test", ""},
	}
	for _, l := range listeners {
		t.Run(l.name, func(t *testing.T) {
			tests := []struct {
				name string
				send string
				want string // prefix of what the client reads before EOF
			}{
				{"stalled header", "GET " + l.target + " HTTP/1.1\r\nHost: " + l.host + "\r\n", ""},
				{"stalled body", "POST " + l.target + " HTTP/1.1\r\nHost: " + l.host + "\r\n" + l.auth + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"client\":", "HTTP/1.1 408 "},
				{"idle keep-alive", "GET " + l.target + " HTTP/1.1\r\nHost: " + l.host + "\r\n\r\n", "HTTP/1.1 "},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					t.Parallel()
					c := l.dial(t)
					if _, err := io.WriteString(c, tc.send); err != nil {
						t.Fatal(err)
					}
					got := readToEOF(t, c)
					if !strings.HasPrefix(got, tc.want) || (tc.want == "" && got != "") {
						t.Errorf("read before the server closed: %q, want it to start with %q", got, tc.want)
					}
					if tc.name == "idle keep-alive" && strings.Contains(got, "Connection: close") {
						t.Errorf("the answer closed the connection itself, so the idle timeout was not tested: %q", got)
					}
				})
			}
		})
	}
}

// TestLongLivedStreamsOutliveTimeouts opens the long-lived connections a
// listener carries (the admin event stream, a WebSocket on the admin
// listener as the connect bridge uses, a CONNECT tunnel through the
// proxy), then waits until the server has closed a stalled connection and
// an idle one opened after them: every timeout has then passed for the
// streams too, and each must still work.
func TestLongLivedStreamsOutliveTimeouts(t *testing.T) {
	f := newFixture(t)
	f.srv.opts.Bridge = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer ws.CloseNow()
		for {
			typ, b, err := ws.Read(r.Context())
			if err != nil {
				return
			}
			if ws.Write(r.Context(), typ, b) != nil {
				return
			}
		}
	})
	f.allowLoopback(t) // the tunnel goes to a loopback echo server
	admin := listen(t, testTimeouts, f.srv.Handler())
	proxy := listen(t, testTimeouts, f.srv.ProxyHandler(nil))
	echoLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer echoLn.Close()
	go func() {
		for {
			c, err := echoLn.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), safetyNet)
	defer cancel()

	// The streams.
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+admin+"/v1/events?replay=0", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sse := bufio.NewReader(resp.Body)
	ws, _, err := websocket.Dial(ctx, "ws://"+admin+"/connect", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	tunnel, tunnelR := proxyConnect(t, proxy, echoLn.Addr().String())

	// The clock: a connection that stalls in its header and one left idle
	// after a request, on each listener, opened after the streams.
	for _, addr := range []string{admin, proxy} {
		stalled, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer stalled.Close()
		io.WriteString(stalled, "GET /healthz HTTP/1.1\r\n")
		idle, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer idle.Close()
		io.WriteString(idle, "GET http://"+admin+"/healthz HTTP/1.1\r\nHost: "+admin+"\r\n\r\n")
		readToEOF(t, stalled)
		readToEOF(t, idle)
	}

	f.events.Publish("test", map[string]any{"n": 1})
	for {
		line, err := sse.ReadString('\n')
		if err != nil {
			t.Fatalf("event stream after the timeouts: %v", err)
		}
		if strings.HasPrefix(line, "event: test") {
			break
		}
	}
	if err := ws.Write(ctx, websocket.MessageText, []byte("ping")); err != nil {
		t.Fatalf("WebSocket after the timeouts: %v", err)
	}
	if _, b, err := ws.Read(ctx); err != nil || string(b) != "ping" {
		t.Fatalf("WebSocket echo after the timeouts: %q %v", b, err)
	}
	if _, err := io.WriteString(tunnel, "ping"); err != nil {
		t.Fatalf("tunnel after the timeouts: %v", err)
	}
	tunnel.SetReadDeadline(time.Now().Add(safetyNet))
	b := make([]byte, 4)
	if _, err := io.ReadFull(tunnelR, b); err != nil || string(b) != "ping" {
		t.Fatalf("tunnel echo after the timeouts: %q %v", b, err)
	}
}

// TestBodyTimeoutLetsSlowBodiesThrough: the body timeout bounds each
// pause, not the whole body, so a body that keeps arriving in pieces is
// read to the end however long it takes in total. The pauses between
// pieces are timed by a second server that closes a stalled header after
// 100 ms: 30 pieces take at least 3 s in all, over the 2 s body timeout,
// while no pause comes near it.
func TestBodyTimeoutLetsSlowBodiesThrough(t *testing.T) {
	got := make(chan string, 1)
	addr := listen(t, Timeouts{Body: 2 * time.Second}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			got <- "error: " + err.Error()
			return
		}
		got <- string(b)
	}))
	clock := listen(t, Timeouts{Header: 100 * time.Millisecond}, http.NotFoundHandler())
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
	const pieces = 30
	for i := 0; i < pieces; i++ {
		tick, err := net.Dial("tcp", clock)
		if err != nil {
			t.Fatal(err)
		}
		readToEOF(t, tick)
		tick.Close()
		if _, err := io.WriteString(c, "1\r\nx\r\n"); err != nil {
			t.Fatalf("piece %d: %v", i, err)
		}
	}
	io.WriteString(c, "0\r\n\r\n")
	if s := <-got; s != strings.Repeat("x", pieces) {
		t.Errorf("body read: %q", s)
	}
}
