package server

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/internal/egress"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/worker"
)

const appSW = `
self.addEventListener('install', e => e.waitUntil(caches.open('v1').then(c => c.put('/cached', new Response('from cache', {headers: {'content-type': 'text/plain'}})))));
self.addEventListener('fetch', e => {
  if (e.request.url.endsWith('/hello')) e.respondWith(new Response('hello from the worker'));
});`

type fixture struct {
	srv    *Server
	admin  *httptest.Server
	events *Events
	reg    *registry.Registry
	net    *network.Transport
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sw.js":
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, appSW)
		case "/headers":
			// What arrived of the request's fields, and a response with
			// a field its Connection header names.
			w.Header().Set("Connection", "X-Internal")
			w.Header().Set("X-Internal", "upstream only")
			w.Header().Set("X-Public", "for the client")
			io.WriteString(w, "x-secret="+r.Header.Get("X-Secret")+" x-kept="+r.Header.Get("X-Kept"))
		default:
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "network "+r.Host+r.URL.Path)
		}
	}))
	t.Cleanup(up.Close)
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net := &network.Transport{Resolve: map[string]string{"https://app.test": up.URL}}
	events := NewEvents()
	var ag *agent.Agent
	reg, err := registry.New(ctx, registry.Options{Store: st, Network: net, Console: events.Console,
		Limits: worker.Limits{IdleTimeout: -1, CPUPerTask: time.Minute}, Environment: agentEnv(&ag)})
	if err != nil {
		t.Fatal(err)
	}
	reg.Subscribe(events.Registry)
	ag = agent.New(reg, net, agent.Options{OnFetch: events.Fetch, HTTPCache: httpcache.New(st, httpcache.Options{})})
	srv := New(Options{Registry: reg, Agent: ag, Events: events, Network: net, Admin: AdminOptions{Token: testToken}})
	admin := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { srv.Shutdown(); admin.Close(); ag.Close(); reg.Close(); st.Close() })
	return &fixture{srv: srv, admin: admin, events: events, reg: reg, net: net}
}

// allowLoopback opens loopback in the fixture's egress policy (as
// --allow-network 127.0.0.0/8 does), for tests that tunnel to a loopback
// server of their own; call it before the first request.
func (f *fixture) allowLoopback(t *testing.T) {
	t.Helper()
	p, err := egress.New(egress.Options{Allow: []string{"127.0.0.0/8"}})
	if err != nil {
		t.Fatal(err)
	}
	f.net.Egress = p
}

// testToken is the fixture's admin token.
const testToken = "fixture-admin-token-0123456789"

// get makes a GET request to the admin listener with the admin token.
func (f *fixture) get(ctx context.Context, t *testing.T, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", f.admin.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// call makes an API request with the admin token and decodes the JSON
// answer into out (when not nil); it returns the status.
func (f *fixture) call(t *testing.T, method, path, body string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, f.admin.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

func TestAPI(t *testing.T) {
	f := newFixture(t)
	var regs []registry.Info
	if st := f.call(t, "GET", "/v1/registrations", "", &regs); st != 200 || len(regs) != 0 {
		t.Fatalf("empty list: %d %v", st, regs)
	}
	var info registry.Info
	if st := f.call(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js","scope":{"path":"/?*"}}`, &info); st != 201 {
		t.Fatalf("register: %d %+v", st, info)
	}
	if len(info.Versions) != 1 || info.Versions[0].State != sw.StateActivated || info.Prefix != "https://app.test" {
		t.Errorf("registered: %+v", info)
	}
	id := jsonNum(info.ID)

	var apiErr apiError
	tests := []struct {
		method, path, body string
		status             int
		name               string
	}{
		{"POST", "/v1/registrations", `{"client":"https://app.test/","script":"https://other.test/sw.js"}`, 403, "SecurityError"},
		{"POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js","scope":"/a%2f/"}`, 400, "TypeError"},
		{"POST", "/v1/registrations", `{"clientt":"x"}`, 400, "TypeError"},
		{"GET", "/v1/registrations/999", "", 404, "NotFoundError"},
		{"GET", "/v1/registrations/abc", "", 400, "TypeError"},
		{"POST", "/v1/registrations/" + id + "/skip-waiting", "", 409, "InvalidStateError"},
		{"GET", "/v1/caches/entries?origin=https://app.test&cache=nope", "", 404, "NotFoundError"},
		{"GET", "/v1/scope?url=::", "", 400, "TypeError"},
		{"POST", "/v1/fetch", `{"url":"https://app.test/"}`, 400, "TypeError"},
		{"GET", "/v1/nothing", "", 404, "NotFoundError"},
	}
	for _, tt := range tests {
		apiErr = apiError{}
		if st := f.call(t, tt.method, tt.path, tt.body, &apiErr); st != tt.status || apiErr.Error != tt.name || apiErr.Message == "" {
			t.Errorf("%s %s: %d %+v; want %d %s", tt.method, tt.path, st, apiErr, tt.status, tt.name)
		}
	}

	if st := f.call(t, "GET", "/v1/registrations/"+id, "", &info); st != 200 || jsonNum(info.ID) != id {
		t.Errorf("get: %d %+v", st, info)
	}
	if st := f.call(t, "POST", "/v1/registrations/"+id+"/update", "", &info); st != 200 {
		t.Errorf("update: %d", st)
	}
	if st := f.call(t, "POST", "/v1/registrations/"+id+"/stop", "", &info); st != 200 || info.Versions[0].Running {
		t.Errorf("stop: %d %+v", st, info)
	}

	var caches []cacheInfo
	if st := f.call(t, "GET", "/v1/caches", "", &caches); st != 200 || len(caches) != 1 || caches[0].Caches[0] != "v1" {
		t.Errorf("caches: %d %+v", st, caches)
	}
	var entries []entryInfo
	if st := f.call(t, "GET", "/v1/caches/entries?origin=https://app.test&cache=v1", "", &entries); st != 200 || len(entries) != 1 || entries[0].URL != "https://app.test/cached" {
		t.Errorf("entries: %d %+v", st, entries)
	}
	resp := f.get(context.Background(), t, "/v1/caches/entry?origin=https://app.test&cache=v1&url=https://app.test/cached")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "from cache" || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" || resp.Header.Get("Content-Disposition") != "attachment" {
		t.Errorf("entry: %q %v", b, resp.Header)
	}

	var fr fetchResponse
	if st := f.call(t, "POST", "/v1/fetch", `{"client":"https://app.test/","url":"https://app.test/hello"}`, &fr); st != 200 || fr.Layer != "fetch-event" || *fr.Response.Body != "hello from the worker" {
		t.Errorf("fetch via worker: %d %+v", st, fr)
	}
	if st := f.call(t, "POST", "/v1/fetch", `{"client":"https://app.test/","url":"https://app.test/other"}`, &fr); st != 200 || fr.Layer != "network" || fr.Response.Type != "basic" {
		t.Errorf("fetch via network: %d %+v", st, fr)
	}
	if st := f.call(t, "POST", "/v1/fetch", `{"client":"https://app.test/page","url":"https://app.test/page"}`, &fr); st != 200 || fr.Layer != "network" {
		t.Errorf("navigation: %d %+v", st, fr)
	}

	var sc struct {
		Registration *int64           `json:"registration"`
		Candidates   []scopeCandidate `json:"candidates"`
	}
	if st := f.call(t, "GET", "/v1/scope?url="+url.QueryEscape("https://app.test/x"), "", &sc); st != 200 || sc.Registration == nil || len(sc.Candidates) != 1 || sc.Candidates[0].Specificity != "?" {
		t.Errorf("scope: %d %+v", st, sc)
	}
	var clients []clientInfo
	if st := f.call(t, "GET", "/v1/clients", "", &clients); st != 200 || len(clients) == 0 || clients[0].Controller == nil {
		t.Errorf("clients: %d %+v", st, clients)
	}

	if st := f.call(t, "DELETE", "/v1/registrations/"+id, "", nil); st != 204 {
		t.Errorf("unregister: %d", st)
	}
	if st := f.call(t, "GET", "/v1/registrations/"+id, "", &apiErr); st != 404 {
		t.Errorf("after unregister: %d", st)
	}

	// Health and metrics.
	resp, _ = http.Get(f.admin.URL + "/healthz")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, b)
	}
	resp, _ = http.Get(f.admin.URL + "/metrics")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{`swhost_fetches_total{layer="fetch-event"} 1`, `swhost_lifecycle_events_total{type="register"} 1`, "swhost_registrations 0", "swhost_fetch_duration_seconds_bucket"} {
		if !strings.Contains(string(b), m) {
			t.Errorf("/metrics lacks %q", m)
		}
	}
}

func jsonNum(id int64) string { b, _ := json.Marshal(id); return string(b) }

func TestEventStream(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp := f.get(ctx, t, "/v1/events")
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	go func() {
		f.call(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js"}`, nil)
		f.call(t, "POST", "/v1/fetch", `{"client":"https://app.test/","url":"https://app.test/hello"}`, nil)
	}()
	seen := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && !(seen["activated"] && seen["fetch"]) {
		line := sc.Text()
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		var ev Event
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			t.Fatalf("bad event %q: %v", data, err)
		}
		switch {
		case ev.Type == "lifecycle" && ev.Data["state"] == "activated":
			seen["activated"] = true
		case ev.Type == "fetch" && ev.Data["layer"] == "fetch-event" && ev.Data["latencyMs"] != nil:
			seen["fetch"] = true
		}
	}
	if !seen["activated"] || !seen["fetch"] {
		t.Errorf("events seen: %v", seen)
	}
}

func TestEdgeAndProxy(t *testing.T) {
	f := newFixture(t)
	if st := f.call(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js"}`, nil); st != 201 {
		t.Fatal(st)
	}
	edge := httptest.NewServer(f.srv.EdgeHandler("https"))
	defer edge.Close()
	get := func(c *http.Client, rawURL, host string) (string, string, int) {
		req, _ := http.NewRequest("GET", rawURL, nil)
		if host != "" {
			req.Host = host
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b), resp.Header.Get("X-Swhost-Served-By"), resp.StatusCode
	}
	if body, by, st := get(http.DefaultClient, edge.URL+"/hello", "app.test"); body != "hello from the worker" || by != "fetch-event https://app.test/sw.js" || st != 200 {
		t.Errorf("edge via worker: %d %q %q", st, body, by)
	}
	if body, by, _ := get(http.DefaultClient, edge.URL+"/other", "app.test"); body != "network app.test/other" || by != "network" {
		t.Errorf("edge via network: %q %q", body, by)
	}
	if _, _, st := get(http.DefaultClient, edge.URL+"/x", "unknown.test"); st != http.StatusMisdirectedRequest {
		t.Errorf("edge for an origin it does not host: %d, want 421", st)
	}

	// Forward proxy, plain HTTP URL and https through CONNECT with the CA.
	ca, err := LoadOrCreateCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(f.srv.ProxyHandler(ca))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	pc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu), TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}
	if body, by, st := get(pc, "https://app.test/hello", ""); body != "hello from the worker" || by != "fetch-event https://app.test/sw.js" || st != 200 {
		t.Errorf("proxy (MITM https): %d %q %q", st, body, by)
	}
	if body, by, _ := get(pc, "https://app.test/other", ""); body != "network app.test/other" || by != "network" {
		t.Errorf("proxy (MITM https) via network: %q %q", body, by)
	}

	// Without a CA, CONNECT is a plain tunnel to the target (on loopback
	// here, so allowed explicitly).
	f.allowLoopback(t)
	target := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "tunnelled") }))
	defer target.Close()
	plain := httptest.NewServer(f.srv.ProxyHandler(nil))
	defer plain.Close()
	ppu, _ := url.Parse(plain.URL)
	tc := &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(ppu), TLSClientConfig: target.Client().Transport.(*http.Transport).TLSClientConfig}}
	if body, _, st := get(tc, target.URL, ""); body != "tunnelled" || st != 200 {
		t.Errorf("tunnel: %d %q", st, body)
	}

	// The edge and proxy requests are counted by listener and status class.
	resp, err := http.Get(f.admin.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, m := range []string{`swhost_edge_requests_total{code="2xx",listener="edge"}`, `swhost_edge_requests_total{code="2xx",listener="proxy"}`} {
		if !strings.Contains(string(b), m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
}

func TestCrossOriginClientsListed(t *testing.T) {
	f := newFixture(t)
	f.srv.opts.CrossOriginClients = func(reg *registry.Registration) []CrossOriginClient {
		return []CrossOriginClient{{ID: "c1", Origin: "https://page.test", TargetURL: "https://app.test/services/echo"}}
	}
	if st := f.call(t, "POST", "/v1/registrations", `{"client":"https://app.test/","script":"/sw.js"}`, nil); st != 201 {
		t.Fatal(st)
	}
	var regs []struct {
		CrossOriginClients []CrossOriginClient `json:"crossOriginClients"`
	}
	if st := f.call(t, "GET", "/v1/registrations", "", &regs); st != 200 || len(regs) != 1 || len(regs[0].CrossOriginClients) != 1 || regs[0].CrossOriginClients[0].Origin != "https://page.test" {
		t.Errorf("listing: %d %+v", st, regs)
	}
}

// TestHopByHopFields: the edge and the proxy forward neither the fields a
// request's Connection header names nor those a response's names (RFC
// 9110 §7.6.1), and keep the others.
func TestHopByHopFields(t *testing.T) {
	f := newFixture(t)
	edge := httptest.NewServer(f.srv.EdgeHandler("https"))
	defer edge.Close()
	ca, err := LoadOrCreateCA(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(f.srv.ProxyHandler(ca))
	defer proxy.Close()
	pu, _ := url.Parse(proxy.URL)
	for _, tc := range []struct {
		name   string
		client *http.Client
		url    string
		host   string
	}{
		{"edge", http.DefaultClient, edge.URL + "/headers", "app.test"},
		{"proxy", &http.Client{Transport: &http.Transport{Proxy: http.ProxyURL(pu), TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}, "https://app.test/headers", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", tc.url, nil)
			if tc.host != "" {
				req.Host = tc.host
			}
			req.Header.Set("Connection", "X-Secret")
			req.Header.Set("X-Secret", "for the first hop only")
			req.Header.Set("X-Kept", "k")
			resp, err := tc.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if string(b) != "x-secret= x-kept=k" {
				t.Errorf("the upstream received %q, want %q", b, "x-secret= x-kept=k")
			}
			if got := resp.Header.Get("X-Internal"); got != "" {
				t.Errorf("the client received X-Internal: %q, which the upstream's Connection names", got)
			}
			if got := resp.Header.Get("X-Public"); got != "for the client" {
				t.Errorf("X-Public: %q", got)
			}
		})
	}
}

// agentEnv is the registry environment of the agent *a, which the test
// makes right after the registry (see registry.Environment).
func agentEnv(a **agent.Agent) registry.Environment {
	return agent.Environment(func() *agent.Agent { return *a })
}
