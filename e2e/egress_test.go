package e2e

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rawRequest sends req (a whole HTTP/1.1 request, as an attacker would
// write it) to addr and returns the status and body of the answer.
func rawRequest(t *testing.T, addr, req string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	method, _, _ := strings.Cut(req, " ")
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("reading the answer to %q: %v", req, err)
	}
	defer resp.Body.Close()
	if method == http.MethodConnect && resp.StatusCode == http.StatusOK {
		return resp.StatusCode, "" // a tunnel is open: no body to read
	}
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// secretServer is a loopback server no --resolve names: what a worker, a
// redirect or the edge must not reach. It counts the connections it gets.
type secretServer struct {
	srv   *httptest.Server
	conns atomic.Int32
}

func newSecretServer(t *testing.T) *secretServer {
	s := &secretServer{}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "internal secret")
	}))
	s.srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.srv.Start()
	t.Cleanup(s.srv.Close)
	return s
}

func (s *secretServer) addr() string { return s.srv.Listener.Addr().String() }

// TestEgressAttacks sends what an attacker would to a "swhost serve" with
// an edge (scheme http), a forward proxy and a hosted origin whose worker
// fetches what it is told: each must be refused, and nothing must reach
// the admin API or the loopback server that no --resolve names. Each
// attack succeeded before the egress policy.
func TestEgressAttacks(t *testing.T) {
	t.Parallel()
	secret := newSecretServer(t)
	_, secretPort, _ := net.SplitHostPort(secret.addr())
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{ctype: "text/javascript", body: `self.addEventListener('fetch', e => {
  const u = new URL(e.request.url);
  if (u.pathname !== '/probe') return;
  const init = { mode: u.searchParams.get('mode') || 'cors', method: u.searchParams.get('method') || 'GET' };
  if (init.method === 'POST') init.body = '{"client":"https://b.test/","script":"/sw.js"}';
  e.respondWith(fetch(u.searchParams.get('to'), init).then(
    r => r.text().then(t => new Response('fetched ' + r.status + ' ' + t)),
    err => new Response('rejected ' + err.name)));
});`})
	app.put("/redirect", resource{status: http.StatusFound, location: "http://127.0.0.1:" + secretPort + "/secret"})
	app.put("/redirect-decimal", resource{status: http.StatusFound, location: "http://2130706433:" + secretPort + "/secret"})
	app.put("/imports/sw.js", resource{ctype: "text/javascript", body: "importScripts('http://" + secret.addr() + "/lib.js');"})
	app.put("/linked", resource{ctype: "text/html", body: "page", header: map[string]string{"Link": `</imports/sw.js>; rel="serviceworker"; scope="/imports/"`}})
	h := newHost(t, app)
	h.register("/sw.js")

	// importScripts() of a loopback URL: the registration fails with the
	// refusal, from the command line and from a Link header alike.
	imp := h.run("register", "--client", "https://app.test/", "/imports/sw.js")
	if imp.code == 0 || !strings.Contains(imp.stderr, "NetworkError") {
		t.Errorf("register a worker importing a loopback script: want a NetworkError\n%s", imp)
	}
	h.run("fetch", "--client", "https://app.test/", "https://app.test/linked")
	p := startServe(t, h, "--edge-scheme", "http", "--proxy", "127.0.0.1:0")
	proxy := p.proxy
	_, adminPort, _ := net.SplitHostPort(p.admin)

	t.Run("edge SSRF to the admin API", func(t *testing.T) {
		st, body := rawRequest(t, p.edge, "GET /v1/registrations HTTP/1.1\r\nHost: "+p.admin+"\r\nConnection: close\r\n\r\n")
		if st != http.StatusMisdirectedRequest || strings.Contains(body, "app.test") {
			t.Errorf("GET through the edge with Host %s: %d %q, want 421 without the admin's data", p.admin, st, body)
		}
		reg := `{"client":"http://127.0.0.1:` + adminPort + `/","script":"/sw.js"}`
		st, body = rawRequest(t, p.edge, "POST /v1/registrations HTTP/1.1\r\nHost: 127.0.0.1:"+adminPort+"\r\nContent-Type: application/json\r\nContent-Length: "+strconv.Itoa(len(reg))+"\r\nConnection: close\r\n\r\n"+reg)
		if st != http.StatusMisdirectedRequest {
			t.Errorf("POST through the edge to the admin API: %d %q, want 421", st, body)
		}
	})

	t.Run("edge for any host", func(t *testing.T) {
		var bodies []string
		for _, host := range []string{"anyhost.example", secret.addr(), "127.0.0.1:1", "2130706433:" + secretPort, "[::1]:" + secretPort} {
			st, body := rawRequest(t, p.edge, "GET /secret HTTP/1.1\r\nHost: "+host+"\r\nConnection: close\r\n\r\n")
			if st != http.StatusMisdirectedRequest {
				t.Errorf("edge with Host %s: %d %q, want 421", host, st, body)
			}
			bodies = append(bodies, body)
		}
		// One answer whatever the host and whether its port is open: the
		// edge is not a port scanner.
		for _, b := range bodies[1:] {
			if b != bodies[0] {
				t.Errorf("refusals differ: %q and %q", bodies[0], b)
			}
		}
	})

	t.Run("proxy to the admin port", func(t *testing.T) {
		st, body := rawRequest(t, proxy, "GET http://"+p.admin+"/v1/registrations HTTP/1.1\r\nHost: "+p.admin+"\r\nConnection: close\r\n\r\n")
		if st != http.StatusForbidden || strings.Contains(body, "app.test") || !strings.Contains(body, "NetworkError") {
			t.Errorf("proxy absolute URL to the admin API: %d %q, want 403 NetworkError", st, body)
		}
		st, body = rawRequest(t, proxy, "CONNECT "+p.admin+" HTTP/1.1\r\nHost: "+p.admin+"\r\n\r\n")
		if st != http.StatusForbidden || !strings.Contains(body, "NetworkError") {
			t.Errorf("proxy CONNECT to the admin port: %d %q, want 403 NetworkError", st, body)
		}
		st, body = rawRequest(t, proxy, "CONNECT "+secret.addr()+" HTTP/1.1\r\nHost: "+secret.addr()+"\r\n\r\n")
		if st != http.StatusForbidden {
			t.Errorf("proxy CONNECT to a loopback server: %d %q, want 403", st, body)
		}
	})

	// The worker's fetch() and the network step, reached through the
	// proxy's absolute-URL form for the hosted origin https://app.test.
	viaProxy := func(t *testing.T, target string) (int, string) {
		t.Helper()
		return rawRequest(t, proxy, "GET "+target+" HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n")
	}
	t.Run("worker fetch to loopback", func(t *testing.T) {
		// no-cors: the worker cannot read the answer, but the request is
		// made, and a POST has its effect (the admin API's stop and
		// register). cors: the refusal comes before any CORS check.
		for _, c := range []struct{ to, mode, method string }{
			{"http://" + secret.addr() + "/", "no-cors", "GET"},
			{"http://" + secret.addr() + "/", "cors", "GET"},
			{"http://0177.0.0.1:" + secretPort + "/", "no-cors", "GET"},
			{"http://localhost:" + secretPort + "/", "no-cors", "GET"},
			{"http://[::ffff:127.0.0.1]:" + secretPort + "/", "no-cors", "GET"},
			{"http://" + p.admin + "/v1/registrations", "no-cors", "POST"},
		} {
			q := url.Values{"to": {c.to}, "mode": {c.mode}, "method": {c.method}}
			st, body := viaProxy(t, "https://app.test/probe?"+q.Encode())
			if st != 200 || body != "rejected TypeError" {
				t.Errorf("worker fetch(%s, %s %s): %d %q, want the promise rejected with a TypeError", c.to, c.mode, c.method, st, body)
			}
		}
	})
	t.Run("redirect to loopback", func(t *testing.T) {
		for _, path := range []string{"/redirect", "/redirect-decimal"} {
			st, body := viaProxy(t, "https://app.test"+path)
			if st == 200 || strings.Contains(body, "internal secret") {
				t.Errorf("network step following %s: %d %q, want refused", path, st, body)
			}
			st, body = viaProxy(t, "https://app.test/probe?to="+url.QueryEscape("https://app.test"+path))
			if body != "rejected TypeError" {
				t.Errorf("worker fetch following %s: %d %q, want rejected", path, st, body)
			}
		}
	})

	if n := secret.conns.Load(); n != 0 {
		t.Errorf("the loopback server no --resolve names got %d connections", n)
	}
	if strings.Count(p.stderr.String(), "egress refused") == 0 {
		t.Errorf("no refusal logged:\n%s", p.stderr)
	}
	// The registration made through the edge does not exist.
	_, body := rawRequest(t, p.admin, "GET /v1/registrations HTTP/1.1\r\nHost: "+p.admin+"\r\nConnection: close\r\n\r\n")
	if strings.Contains(body, "127.0.0.1:"+adminPort+"/") {
		t.Errorf("a registration was made through the edge: %s", body)
	}
}
