package agent

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/store"
)

// site is a loopback upstream for one origin.
type site struct {
	mu      sync.Mutex
	handler map[string]http.HandlerFunc
	hits    map[string]*atomic.Int64
	srv     *httptest.Server
}

func newSite(t testing.TB) *site {
	s := &site{handler: map[string]http.HandlerFunc{}, hits: map[string]*atomic.Int64{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		h := s.handler[r.URL.Path]
		if s.hits[r.URL.Path] == nil {
			s.hits[r.URL.Path] = new(atomic.Int64)
		}
		s.hits[r.URL.Path].Add(1)
		s.mu.Unlock()
		if h == nil {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "network "+r.Host+r.URL.Path)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) handle(path string, h http.HandlerFunc) {
	s.mu.Lock()
	s.handler[path] = h
	s.mu.Unlock()
}

func (s *site) js(path, body string, headers ...string) {
	s.handle(path, func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Add(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "text/javascript")
		io.WriteString(w, body)
	})
}

func (s *site) count(path string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.hits[path]; c != nil {
		return c.Load()
	}
	return 0
}

type world struct {
	a               *Agent
	r               *registry.Registry
	app, fonts, api *site
}

func newWorld(t testing.TB) *world { return newWorldWith(t, registry.Options{}) }

// newWorldWith builds the world with registry options (Store, Network and
// Limits are filled in).
func newWorldWith(t testing.TB, ropts registry.Options) *world {
	w := &world{app: newSite(t), fonts: newSite(t), api: newSite(t)}
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	net := &network.Transport{Resolve: map[string]string{
		"https://app.test": w.app.srv.URL, "https://fonts.test": w.fonts.srv.URL, "https://api.test": w.api.srv.URL,
		"https://evil.test": w.app.srv.URL,
	}}
	ropts.Store, ropts.Network, ropts.Limits = st, net, testLimits
	ropts.Environment = envOf(&w.a)
	r, err := registry.New(ctx, ropts)
	if err != nil {
		t.Fatal(err)
	}
	w.r = r
	w.a = New(r, net, Options{})
	t.Cleanup(func() { w.a.Close(); r.Close(); st.Close() })
	return w
}

func (w *world) client(t *testing.T, url string) *Client {
	t.Helper()
	c, _, err := w.a.Navigate(context.Background(), &fetch.Request{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) get(t *testing.T, c *Client, req *fetch.Request) *Result {
	t.Helper()
	res, err := c.Fetch(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// fontsWorker is the seed's foreign-fetch worker, plus a matrix of answers
// chosen by the request's query.
const fontsWorker = `
self.addEventListener('install', event => {
  event.registerForeignFetch({
    scopes: [self.registration.scope + 'fonts/'], // or some sub-scope
    origins: ['*'] // or ['https://example.com']
  });
});
self.addEventListener('foreignfetch', event => {
  const m = /[?&]answer=([a-z]+)/.exec(event.request.url);
  const mode = m ? m[1] : 'cors';
  if (mode === 'pass') return;
  const response = new Response('font bytes for ' + event.origin, {headers: {'content-type': 'font/woff2', 'x-font': '1', 'x-secret': 's'}});
  switch (mode) {
  case 'opaque': event.respondWith(Promise.resolve({response})); break;
  case 'cors': event.respondWith(Promise.resolve({response, origin: event.origin})); break;
  case 'headers': event.respondWith(Promise.resolve({response, origin: event.origin, headers: ['x-font']})); break;
  case 'wrong': event.respondWith(Promise.resolve({response, origin: 'https://evil.test'})); break;
  case 'notresponse': event.respondWith(Promise.resolve({response: 'nope', origin: event.origin})); break;
  case 'reject': event.respondWith(Promise.reject(new Error('down'))); break;
  case 'credentials': event.respondWith(Promise.resolve({response: new Response(String(event.request.headers.get('cookie')) + '|' + event.request.credentials), origin: event.origin})); break;
  }
});`

// registerFonts registers the fonts worker the way the seed does: by a
// Link header on a CSS response fetched by a page of another origin.
func registerFonts(t *testing.T, w *world, c *Client, body string) *registry.Registration {
	t.Helper()
	w.fonts.js("/sw.js", body)
	w.fonts.handle("/css", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Add("Link", `</sw.js>; rel="serviceworker"; scope="/"`)
		rw.Header().Set("Content-Type", "text/css")
		rw.Header().Set("Access-Control-Allow-Origin", "*")
		io.WriteString(rw, "@font-face { src: url(/fonts/a.woff2) }")
	})
	res := w.get(t, c, &fetch.Request{URL: "https://fonts.test/css"})
	if res.Layer != LayerNetwork || !strings.Contains(string(res.Response.Body), "@font-face") {
		t.Fatalf("CSS response: %+v", res)
	}
	w.a.Wait()
	reg := w.r.MatchString("https://fonts.test/fonts/a.woff2")
	if reg == nil || reg.Active() == nil || reg.Active().ForeignFetch() == nil {
		t.Fatalf("Link header did not register the fonts worker: %v", reg)
	}
	return reg
}

func TestForeignFetchMatrix(t *testing.T) {
	w := newWorld(t)
	app := w.client(t, "https://app.test/")
	registerFonts(t, w, app, fontsWorker)

	tests := []struct {
		answer  string
		mode    fetch.Mode
		typ     fetch.ResponseType
		errHas  string
		body    string
		xfont   string
		xsecret string
	}{
		{answer: "cors", mode: fetch.ModeCORS, typ: fetch.TypeCORS, body: "font bytes for https://app.test"},
		{answer: "headers", mode: fetch.ModeCORS, typ: fetch.TypeCORS, body: "font bytes for https://app.test", xfont: "1"},
		{answer: "opaque", mode: fetch.ModeNoCORS, typ: fetch.TypeOpaque},
		{answer: "opaque", mode: fetch.ModeCORS, typ: fetch.TypeError, errHas: "opaque response"},
		{answer: "wrong", mode: fetch.ModeCORS, typ: fetch.TypeError, errHas: "not the client's origin"},
		{answer: "notresponse", mode: fetch.ModeCORS, typ: fetch.TypeError},
		{answer: "reject", mode: fetch.ModeCORS, typ: fetch.TypeError},
		{answer: "credentials", mode: fetch.ModeCORS, typ: fetch.TypeCORS, body: "null|omit"},
	}
	for _, tt := range tests {
		t.Run(tt.answer+"/"+string(tt.mode), func(t *testing.T) {
			// The client's credentials mode is include; the worker must see omit.
			req := &fetch.Request{URL: "https://fonts.test/fonts/a.woff2?answer=" + tt.answer, Mode: tt.mode, Credentials: fetch.CredentialsInclude}
			res := w.get(t, app, req)
			if res.Layer != LayerForeignFetch || res.ScriptURL != "https://fonts.test/sw.js" {
				t.Fatalf("layer %s %s", res.Layer, res.ScriptURL)
			}
			r := res.Response
			if r.Type != tt.typ || (tt.errHas != "" && !strings.Contains(r.Error, tt.errHas)) {
				t.Fatalf("type %s (%s), want %s %q", r.Type, r.Error, tt.typ, tt.errHas)
			}
			if string(r.Body) != tt.body {
				t.Errorf("body %q, want %q", r.Body, tt.body)
			}
			if r.Header.Get("X-Font") != tt.xfont || r.Header.Get("X-Secret") != tt.xsecret {
				t.Errorf("exposed headers %v", r.Header)
			}
			if tt.typ == fetch.TypeCORS && tt.answer != "credentials" && r.Header.Get("Content-Type") != "font/woff2" {
				t.Errorf("safelisted Content-Type not exposed: %v", r.Header)
			}
		})
	}
	if n := w.fonts.count("/fonts/a.woff2"); n != 0 {
		t.Errorf("the fonts upstream saw %d font requests; the worker answered them all", n)
	}
}

func TestForeignFetchEligibility(t *testing.T) {
	w := newWorld(t)
	app := w.client(t, "https://app.test/")
	registerFonts(t, w, app, strings.Replace(fontsWorker, "origins: ['*']", "origins: ['https://app.test']", 1))
	w.fonts.handle("/fonts/a.woff2", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Access-Control-Allow-Origin", "*")
		rw.Header().Set("Access-Control-Allow-Headers", "x-custom")
		io.WriteString(rw, "from the fonts network")
	})
	tests := []struct {
		name   string
		client string
		req    fetch.Request
		layer  Layer
	}{
		{"allowed origin", "https://app.test/", fetch.Request{URL: "https://fonts.test/fonts/a.woff2"}, LayerForeignFetch},
		{"origin not in the allow-list", "https://evil.test/", fetch.Request{URL: "https://fonts.test/fonts/a.woff2"}, LayerNetwork},
		{"outside the foreign-fetch scope", "https://app.test/", fetch.Request{URL: "https://fonts.test/other"}, LayerNetwork},
		{"same-origin request", "https://fonts.test/page", fetch.Request{URL: "https://fonts.test/fonts/a.woff2"}, LayerNetwork},
		{"needs a preflight", "https://app.test/", fetch.Request{URL: "https://fonts.test/fonts/a.woff2", Header: http.Header{"X-Custom": {"1"}}}, LayerNetwork},
		{"PUT", "https://app.test/", fetch.Request{Method: "PUT", URL: "https://fonts.test/fonts/a.woff2"}, LayerNetwork},
		{"worker passes", "https://app.test/", fetch.Request{URL: "https://fonts.test/fonts/a.woff2?answer=pass"}, LayerNetwork},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := w.client(t, tt.client)
			if res := w.get(t, c, &tt.req); res.Layer != tt.layer {
				t.Errorf("layer %s (%s %s), want %s", res.Layer, res.Response.Type, res.Response.Error, tt.layer)
			}
		})
	}
	// A navigation to the fonts origin is not intercepted.
	_, res, err := w.a.Navigate(context.Background(), &fetch.Request{URL: "https://fonts.test/fonts/a.woff2"})
	if err != nil || res.Layer != LayerNetwork {
		t.Errorf("navigation: %v %v", res, err)
	}
}

func TestForeignFetchFromFirstPartyWorkers(t *testing.T) {
	w := newWorld(t)
	app := w.client(t, "https://app.test/")
	registerFonts(t, w, app, fontsWorker)
	// A first-party worker without a fetch handler, and one that calls
	// fetch(event.request): both reach the foreign-fetch worker.
	w.app.js("/nohandler/sw.js", `self.addEventListener('install', () => {});`)
	w.app.js("/proxy/sw.js", `self.addEventListener('fetch', event => { event.respondWith(fetch(event.request)); });`)
	w.app.js("/sameonly/sw.js", `self.addEventListener('fetch', event => {
  if (event.request.mode === 'same-origin') { event.respondWith(new Response('local')); }
});`)
	for _, dir := range []string{"/nohandler/", "/proxy/", "/sameonly/"} {
		if _, err := w.r.Register(context.Background(), registry.RegisterRequest{ClientURL: "https://app.test/", ScriptURL: dir + "sw.js"}); err != nil {
			t.Fatal(err)
		}
		c := w.client(t, "https://app.test"+dir+"page")
		if c.Controller() == nil {
			t.Fatalf("%s page not controlled", dir)
		}
		res := w.get(t, c, &fetch.Request{URL: "https://fonts.test/fonts/a.woff2"})
		wantLayer := LayerForeignFetch
		if dir == "/proxy/" {
			wantLayer = LayerFetchEvent // the first-party worker answered, with what foreign fetch gave its fetch()
		}
		if res.Layer != wantLayer || !strings.Contains(string(res.Response.Body), "font bytes for https://app.test") {
			t.Errorf("%s: layer %s body %q (%s)", dir, res.Layer, res.Response.Body, res.Response.Error)
		}
	}
}

func TestRegisterForeignFetchOutsideInstall(t *testing.T) {
	w := newWorld(t)
	w.api.js("/sw.js", `let saved;
self.addEventListener('install', e => { saved = e; });
self.addEventListener('fetch', e => {
  try { saved.registerForeignFetch({scopes: [self.registration.scope], origins: ['*']}); e.respondWith(new Response('no error')); }
  catch (err) { e.respondWith(new Response(err.name)); }
});`)
	if _, err := w.r.Register(context.Background(), registry.RegisterRequest{ClientURL: "https://api.test/", ScriptURL: "/sw.js"}); err != nil {
		t.Fatal(err)
	}
	c := w.client(t, "https://api.test/")
	if res := w.get(t, c, &fetch.Request{URL: "/x"}); string(res.Response.Body) != "InvalidStateError" {
		t.Errorf("registerForeignFetch outside install: %q", res.Response.Body)
	}
}

func TestLinkHeaderSkipsInvalidLinks(t *testing.T) {
	w := newWorld(t)
	app := w.client(t, "https://app.test/")
	w.api.js("/good.js", `self.addEventListener('fetch', () => {});`)
	w.api.handle("/data", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Add("Link", `<https://other.test/sw.js>; rel="serviceworker", </good.js>; rel="serviceworker"; scope="/g/", <bad; rel=serviceworker`)
		rw.Header().Set("Access-Control-Allow-Origin", "https://app.test")
		io.WriteString(rw, "data")
	})
	res := w.get(t, app, &fetch.Request{URL: "https://api.test/data"})
	if res.Response.Type != fetch.TypeCORS || string(res.Response.Body) != "data" {
		t.Fatalf("the response was not delivered unchanged: %+v", res.Response)
	}
	w.a.Wait()
	if reg := w.r.MatchString("https://api.test/g/x"); reg == nil || reg.Active() == nil {
		t.Error("the valid link did not register")
	}
	if len(w.r.Registrations("https://other.test")) != 0 {
		t.Error("a cross-origin link registered")
	}
}

func TestNetworkCORS(t *testing.T) {
	w := newWorld(t)
	app := w.client(t, "https://app.test/")
	w.api.handle("/open", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Access-Control-Allow-Origin", "*")
		rw.Header().Set("Access-Control-Expose-Headers", "X-Exposed")
		rw.Header().Set("X-Exposed", "1")
		rw.Header().Set("X-Hidden", "1")
		io.WriteString(rw, "open")
	})
	w.api.handle("/preflight", func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Access-Control-Allow-Origin", "https://app.test")
		rw.Header().Set("Access-Control-Allow-Headers", "x-custom")
		rw.Header().Set("Access-Control-Allow-Methods", "PUT")
		io.WriteString(rw, r.Method)
	})
	tests := []struct {
		name   string
		req    fetch.Request
		typ    fetch.ResponseType
		errHas string
	}{
		{"cors allowed", fetch.Request{URL: "https://api.test/open"}, fetch.TypeCORS, ""},
		{"cors without ACAO", fetch.Request{URL: "https://api.test/closed"}, fetch.TypeError, "no Access-Control-Allow-Origin"},
		{"credentialed with *", fetch.Request{URL: "https://api.test/open", Credentials: fetch.CredentialsInclude}, fetch.TypeError, "credentialed"},
		{"no-cors", fetch.Request{URL: "https://api.test/closed", Mode: fetch.ModeNoCORS}, fetch.TypeOpaque, ""},
		{"same-origin mode", fetch.Request{URL: "https://api.test/open", Mode: fetch.ModeSameOrigin}, fetch.TypeError, "same-origin"},
		{"same-origin URL", fetch.Request{URL: "https://app.test/x"}, fetch.TypeBasic, ""},
		{"preflight allowed", fetch.Request{Method: "PUT", URL: "https://api.test/preflight", Header: http.Header{"X-Custom": {"1"}}}, fetch.TypeCORS, ""},
		{"preflight refused", fetch.Request{Method: "DELETE", URL: "https://api.test/preflight"}, fetch.TypeError, "Access-Control-Allow-Methods"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := w.get(t, app, &tt.req).Response
			if r.Type != tt.typ || !strings.Contains(r.Error, tt.errHas) {
				t.Fatalf("type %s (%s), want %s %q", r.Type, r.Error, tt.typ, tt.errHas)
			}
			if tt.name == "cors allowed" && (r.Header.Get("X-Exposed") != "1" || r.Header.Get("X-Hidden") != "") {
				t.Errorf("exposed headers: %v", r.Header)
			}
			if tt.typ == fetch.TypeOpaque && (r.Status != 0 || len(r.Body) != 0) {
				t.Errorf("opaque response leaks: %+v", r)
			}
		})
	}
	if n := w.api.count("/preflight"); n != 3 {
		t.Errorf("preflight endpoint hits = %d, want 3 (OPTIONS+PUT, OPTIONS)", n)
	}
}

// TestForeignFetchStreams: a foreign-fetch worker's stream body reaches
// the client as it is produced: the first chunk is read while the
// worker's stream is still open (it closes only on a later request).
func TestForeignFetchStreams(t *testing.T) {
	w := newWorld(t)
	app := w.client(t, "https://app.test/")
	registerFonts(t, w, app, `
self.addEventListener('install', event => {
  event.registerForeignFetch({scopes: [self.registration.scope + 'fonts/'], origins: ['*']});
});
let open = null;
self.addEventListener('foreignfetch', event => {
  if (event.request.url.endsWith('?close')) {
    open.enqueue(new TextEncoder().encode('last'));
    open.close();
    event.respondWith(Promise.resolve({response: new Response('closed'), origin: event.origin}));
    return;
  }
  const body = new ReadableStream({ start(c) { open = c; c.enqueue(new TextEncoder().encode('first ')); } });
  event.respondWith(Promise.resolve({response: new Response(body, {headers: {'content-type': 'font/woff2'}}), origin: event.origin}));
});`)
	res := w.get(t, app, &fetch.Request{URL: "https://fonts.test/fonts/a.woff2", Mode: fetch.ModeCORS})
	r := res.Response
	if res.Layer != LayerForeignFetch || r.Type != fetch.TypeCORS || r.Stream == nil {
		t.Fatalf("layer %s, type %s (%s), stream %v", res.Layer, r.Type, r.Error, r.Stream != nil)
	}
	defer r.Stream.Close()
	first := make([]byte, len("first "))
	if _, err := io.ReadFull(r.Stream, first); err != nil || string(first) != "first " {
		t.Fatalf("first chunk %q %v", first, err)
	}
	if closed := w.get(t, app, &fetch.Request{URL: "https://fonts.test/fonts/a.woff2?close", Mode: fetch.ModeCORS}); string(closed.Response.Body) != "closed" {
		t.Fatalf("close request: %+v", closed.Response)
	}
	rest, err := io.ReadAll(r.Stream)
	if err != nil || string(rest) != "last" {
		t.Errorf("rest of the stream %q %v", rest, err)
	}
}
