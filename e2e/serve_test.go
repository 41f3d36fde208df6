package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/lockedbuf"
)

// serveProc is a running "swhost serve".
type serveProc struct {
	cmd    *exec.Cmd
	stdout *lockedbuf.Buffer
	stderr *lockedbuf.Buffer
	admin  string
	edge   string
	proxy  string // with --proxy 127.0.0.1:0 among the extra flags
	token  string // the admin token serve printed
}

// startServe runs "swhost serve" with its listeners on ports the system
// picks (127.0.0.1:0: a port chosen here and closed before serve binds
// it may be taken by another test meanwhile), returning once serve
// printed the address of each (its listeners accept connections by
// then), with the admin token it created in the data directory, which
// the tests find as the CLI does. A "--proxy 127.0.0.1:0" among extra is
// read back into p.proxy.
func startServe(t *testing.T, h *host, extra ...string) *serveProc {
	t.Helper()
	p := &serveProc{stdout: &lockedbuf.Buffer{}, stderr: &lockedbuf.Buffer{}}
	args := append([]string{"serve", "--data", h.data, "--listen", "127.0.0.1:0", "--edge", "127.0.0.1:0"}, h.resolve...)
	p.cmd = exec.Command(swhostBinary(t), append(args, extra...)...)
	p.cmd.Stderr = p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	want := map[string]*string{"admin": &p.admin, "edge": &p.edge}
	if slices.Contains(extra, "--proxy") {
		want["proxy"] = &p.proxy
	}
	listening := make(chan struct{})
	ended := make(chan struct{})
	go func() {
		defer close(ended)
		sc := bufio.NewScanner(out)
		left := len(want)
		for sc.Scan() {
			line := sc.Text()
			p.stdout.Write([]byte(line + "\n"))
			// "swhost serve: NAME on http://ADDR/"
			rest, ok := strings.CutPrefix(line, "swhost serve: ")
			name, url, ok2 := strings.Cut(rest, " on http://")
			if !ok || !ok2 || want[name] == nil || *want[name] != "" {
				continue
			}
			*want[name] = strings.TrimSuffix(url, "/") // read after listening closes
			if left--; left == 0 {
				close(listening)
			}
		}
	}()
	select {
	case <-listening:
	case <-ended:
		t.Fatalf("serve exited before listening\nstderr:\n%s", p.stderr)
	case <-time.After(30 * time.Second):
		t.Fatalf("serve printed no listener addresses within 30 s\nstderr:\n%s", p.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(h.data, "admin.token")); err == nil {
		p.token = strings.TrimSpace(string(b))
	}
	return p
}

// adminGet makes a GET request with the admin token to p's admin
// listener.
func (p *serveProc) adminGet(ctx context.Context, t *testing.T, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+p.admin+path, nil)
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// eachEvent reads an event stream (GET /v1/events, each event's data a
// line of JSON {type, data}), calling fn with each event's type and, for
// console events, its message, until fn returns false or the stream
// ends; it returns the stream's error.
func eachEvent(r io.Reader, fn func(typ, message string) bool) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev struct {
			Type string
			Data struct{ Message string }
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return fmt.Errorf("event %q: %w", data, err)
		}
		if !fn(ev.Type, ev.Data.Message) {
			return nil
		}
	}
	return sc.Err()
}

// waitLifecycle calls check until it reports true: first at once, then
// after each lifecycle event on the process's event stream (subscribed
// before the first check, so that no change falls between the two),
// failing the test with what when ctx ends first.
func (p *serveProc) waitLifecycle(ctx context.Context, t *testing.T, what string, check func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := p.adminGet(ctx, t, "/v1/events?replay=0")
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("%s: the event stream: %s", what, stream.Status)
	}
	changed := make(chan struct{}, 1)
	go func() {
		defer close(changed)
		eachEvent(stream.Body, func(typ, _ string) bool {
			if typ == "lifecycle" {
				select {
				case changed <- struct{}{}:
				default: // a check is due already
				}
			}
			return true
		})
	}()
	for !check() {
		select {
		case _, open := <-changed:
			if !open && ctx.Err() == nil {
				t.Fatalf("%s: the event stream ended", what)
			}
		case <-ctx.Done():
			t.Fatalf("%s: not within the time given", what)
		}
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{body: `self.addEventListener('fetch', e => {
  if (e.request.url.endsWith('/hello')) e.respondWith(new Response('hello from the edge worker'));
});`, ctype: "text/javascript"})
	app.put("/page", resource{body: "page from the upstream", ctype: "text/html"})
	h := newHost(t, app)
	h.register("/sw.js")
	p := startServe(t, h, "--log-format", "json")

	// The edge listener: Host app.test is https://app.test.
	get := func(path string) (string, string) {
		req, _ := http.NewRequest("GET", "http://"+p.edge+path, nil)
		req.Host = "app.test"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), resp.Header.Get("X-Swhost-Served-By")
	}
	if body, by := get("/hello"); body != "hello from the edge worker" || by != "fetch-event https://app.test/sw.js" {
		t.Errorf("edge /hello: %q %q", body, by)
	}
	if body, by := get("/page"); body != "page from the upstream" || by != "network" {
		t.Errorf("edge /page: %q %q", body, by)
	}

	// The admin API sees the registration made by an earlier process.
	resp := p.adminGet(context.Background(), t, "/v1/registrations")
	var regs []map[string]any
	json.NewDecoder(resp.Body).Decode(&regs)
	resp.Body.Close()
	if len(regs) != 1 {
		t.Errorf("admin lists %d registrations", len(regs))
	}

	// A second serve on the same port: a clear error and exit 2.
	busy := h.run("serve", "--listen", p.admin)
	if busy.code != 2 || !strings.Contains(busy.stderr, "address already in use") || !strings.Contains(busy.stderr, "--listen "+p.admin) {
		t.Errorf("busy port\n%s", busy)
	}
	bad := h.run("serve", "--log-format", "xml")
	wantFail(t, bad, 2, "TypeError", "--log-format")

	// Structured JSON logs on stderr.
	sc := bufio.NewScanner(strings.NewReader(p.stderr.String()))
	sawListen := false
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line is not JSON: %q", sc.Text())
		}
		if rec["msg"] == "listening" {
			sawListen = true
		}
	}
	if !sawListen {
		t.Errorf("no 'listening' log record:\n%s", p.stderr)
	}

	// SIGTERM: graceful shutdown with exit 0, even with an event stream open.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream := p.adminGet(ctx, t, "/v1/events")
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("event stream: %s", stream.Status)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve exited with %v\nstderr:\n%s", err, p.stderr)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop on SIGTERM\nstderr:\n%s", p.stderr)
	}
	if !strings.Contains(p.stderr.String(), "shutting down") {
		t.Errorf("no shutdown log record:\n%s", p.stderr)
	}
	if got := h.run("ls"); got.code != 0 || !strings.Contains(got.stdout, "https://app.test/sw.js") {
		t.Errorf("the store after shutdown\n%s", got)
	}
}

// TestServeTimeouts: serve's timeout flags reach its listeners. A body
// that stalls on the edge gets 408 and is closed; an idle keep-alive
// connection to the admin listener is closed. Each wait reads until the
// server closes, with a safety net of 20 s.
func TestServeTimeouts(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "")
	h := newHost(t, app)
	p := startServe(t, h, "--header-timeout", "300ms", "--body-timeout", "300ms", "--idle-timeout", "300ms")
	for _, tc := range []struct {
		name, addr, send, want string
	}{
		{"edge stalled body", p.edge, "POST /x HTTP/1.1\r\nHost: app.test\r\nContent-Length: 10\r\n\r\nabc", "HTTP/1.1 408 "},
		{"admin stalled header", p.admin, "GET /healthz HTTP/1.1\r\n", ""},
		{"admin idle keep-alive", p.admin, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "HTTP/1.1 200 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			io.WriteString(c, tc.send)
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			b, err := io.ReadAll(c)
			if err != nil {
				t.Fatalf("not closed by the server: %v (read %q)", err, b)
			}
			if !strings.HasPrefix(string(b), tc.want) || (tc.want == "" && len(b) > 0) {
				t.Errorf("read %q before the close, want it to start with %q", b, tc.want)
			}
		})
	}
}

func TestCA(t *testing.T) {
	t.Parallel()
	h := newHost(t)
	a := h.must("ca")
	b := h.must("ca")
	if !strings.HasPrefix(a.stdout, "-----BEGIN CERTIFICATE-----") || a.stdout != b.stdout {
		t.Errorf("swhost ca is not a stable PEM certificate:\n%s\n%s", a, b)
	}
}
