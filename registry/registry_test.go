package registry

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
	"github.com/swhost/swhost/worker"
)

// origin is a loopback upstream serving files from a map that tests edit.
type origin struct {
	mu    sync.Mutex
	files map[string]file
	hits  map[string]int
	srv   *httptest.Server
}

type file struct {
	body    string
	ctype   string
	headers map[string]string
	status  int
}

func newOrigin(t *testing.T) *origin {
	o := &origin{files: map[string]file{}, hits: map[string]int{}}
	o.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o.mu.Lock()
		f, ok := o.files[r.URL.Path]
		o.hits[r.URL.Path]++
		o.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		for k, v := range f.headers {
			w.Header().Set(k, v)
		}
		if f.status >= 300 && f.status < 400 {
			http.Redirect(w, r, f.body, f.status)
			return
		}
		ct := f.ctype
		if ct == "" {
			ct = "text/javascript"
		}
		w.Header().Set("Content-Type", ct)
		if f.status != 0 {
			w.WriteHeader(f.status)
		}
		w.Write([]byte(f.body))
	}))
	t.Cleanup(o.srv.Close)
	return o
}

func (o *origin) set(path, body string) { o.setFile(path, file{body: body}) }
func (o *origin) setFile(path string, f file) {
	o.mu.Lock()
	o.files[path] = f
	o.mu.Unlock()
}

type env struct {
	t     *testing.T
	dir   string
	st    *store.SQLStore
	net   *network.Transport
	r     *Registry
	app   *origin
	other *origin
}

func newEnv(t *testing.T) *env {
	e := &env{t: t, dir: t.TempDir(), app: newOrigin(t), other: newOrigin(t)}
	e.net = &network.Transport{Resolve: map[string]string{
		"https://app.test":      e.app.srv.URL,
		"https://other.test":    e.other.srv.URL,
		"http://app.test":       e.app.srv.URL,
		"http://127.0.0.1:9999": e.app.srv.URL,
	}}
	e.open()
	return e
}

// open (re)opens the store and a registry over it.
func (e *env) open() {
	e.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, e.dir)
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := New(ctx, Options{Store: st, Network: e.net, Limits: testLimits})
	if err != nil {
		e.t.Fatal(err)
	}
	e.st, e.r = st, r
	e.t.Cleanup(e.close)
}

func (e *env) close() {
	if e.r != nil {
		e.r.Close()
		e.st.Close()
		e.r = nil
	}
}

func (e *env) register(scriptURL, scopeText string) (*Registration, error) {
	return e.r.Register(context.Background(), RegisterRequest{ClientURL: "https://app.test/index.html", ScriptURL: scriptURL, Scope: scopeText})
}

func (e *env) mustRegister(scriptURL, scopeText string) *Registration {
	e.t.Helper()
	reg, err := e.register(scriptURL, scopeText)
	if err != nil {
		e.t.Fatalf("Register(%s, %s): %v", scriptURL, scopeText, err)
	}
	return reg
}

// fetchVia dispatches a fetch event to the registration's active worker
// and returns the response body ("" when it did not respond).
func fetchVia(t *testing.T, reg *Registration, url string) string {
	t.Helper()
	v := reg.Active()
	if v == nil {
		t.Fatalf("registration %s has no active worker", reg.ScopeText())
	}
	w, err := v.Worker(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.DispatchFetch(context.Background(), &fetch.Request{URL: url}, worker.FetchEventInit{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Response == nil {
		return ""
	}
	return string(res.Response.Body)
}

const cachingWorker = `
self.addEventListener('install', e => {
  e.waitUntil(new Promise(resolve => setTimeout(resolve, 1)));
});
self.addEventListener('fetch', e => {
  e.respondWith(new Response('v1 ' + e.request.url.replace('https://app.test', '')));
});`

func TestRegisterLifecycleAndRestore(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", cachingWorker)
	reg := e.mustRegister("/sw.js", "")
	if reg.ScopeText() != "https://app.test/" {
		t.Errorf("default scope = %s", reg.ScopeText())
	}
	if v := reg.Active(); v == nil || v.State() != sw.StateActivated || v.ScriptURL() != "https://app.test/sw.js" {
		t.Fatalf("active = %v", v)
	}
	if got := fetchVia(t, reg, "https://app.test/x"); got != "v1 /x" {
		t.Errorf("fetch event answered %q", got)
	}
	if e.r.MatchString("https://app.test/deep/page") != reg || e.r.MatchString("https://other.test/") != nil {
		t.Error("Match wrong")
	}
	// Registering the same script again is a no-op: not even a fetch.
	if again := e.mustRegister("/sw.js", "/"); again != reg || e.app.hits["/sw.js"] != 1 {
		t.Errorf("re-register: same=%v script fetched %d times", again == reg, e.app.hits["/sw.js"])
	}

	// Restart: the registration and its active version come back from the
	// store, and the worker runs from stored script bytes with the
	// upstream gone.
	e.close()
	e.app.setFile("/sw.js", file{status: 500})
	e.open()
	reg = e.r.MatchString("https://app.test/")
	if reg == nil || reg.Active() == nil || reg.Active().State() != sw.StateActivated {
		t.Fatalf("after restart: %v", reg)
	}
	if got := fetchVia(t, reg, "https://app.test/y"); got != "v1 /y" {
		t.Errorf("after restart fetch event answered %q", got)
	}
}

func TestRegisterErrors(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", cachingWorker)
	e.app.set("/scripts/sw.js", cachingWorker)
	e.app.setFile("/allowed/sw.js", file{body: cachingWorker, headers: map[string]string{"Service-Worker-Allowed": "/"}})
	e.app.setFile("/cross/sw.js", file{body: cachingWorker, headers: map[string]string{"Service-Worker-Allowed": "https://other.test/"}})
	e.app.setFile("/html.js", file{body: cachingWorker, ctype: "text/html"})
	e.app.setFile("/redirect.js", file{body: "/sw.js", status: 302})
	e.app.set("/syntax.js", "self.addEventListener('install', e => {")
	tests := []struct {
		name, client, script, scope string
		wantName, wantMsg           string
	}{
		{"cross-origin script", "https://app.test/", "https://other.test/sw.js", "", weberr.SecurityError, "not same-origin"},
		{"cross-origin scope", "https://app.test/", "/sw.js", "https://other.test/", weberr.SecurityError, "not same-origin"},
		{"insecure origin", "http://app.test/", "/sw.js", "", weberr.SecurityError, "not a secure context"},
		{"encoded slash in scope", "https://app.test/", "/sw.js", "/a%2fb/", weberr.TypeError, "encoded slash"},
		{"encoded backslash in script", "https://app.test/", "/a%5Csw.js", "", weberr.TypeError, "encoded slash"},
		{"script above its allowed path", "https://app.test/", "/scripts/sw.js", "/", weberr.SecurityError, "max scope"},
		{"Service-Worker-Allowed cross-origin", "https://app.test/", "/cross/sw.js", "/", weberr.SecurityError, "not same-origin"},
		{"non-JS MIME type", "https://app.test/", "/html.js", "", weberr.SecurityError, "MIME type"},
		{"redirecting script", "https://app.test/", "/redirect.js", "", weberr.TypeError, "redirect"},
		{"missing script", "https://app.test/", "/nope.js", "", weberr.TypeError, "404"},
		{"syntax error", "https://app.test/", "/syntax.js", "", weberr.TypeError, "evaluating"},
		{"bad scope pattern", "https://app.test/", "/sw.js", `{"path":"/a*/b"}`, weberr.TypeError, "in-fix"},
		{"non-http script", "https://app.test/", "data:text/javascript,1", "", weberr.TypeError, "http or https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.r.Register(context.Background(), RegisterRequest{ClientURL: tt.client, ScriptURL: tt.script, Scope: tt.scope})
			if weberr.NameOf(err) != tt.wantName || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error = %v; want %s containing %q", err, tt.wantName, tt.wantMsg)
			}
		})
	}
	if regs := e.r.Registrations(""); len(regs) != 0 {
		t.Errorf("failed registrations left %d registrations behind", len(regs))
	}
	// The allowed cases.
	if _, err := e.r.Register(context.Background(), RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/allowed/sw.js", Scope: "/"}); err != nil {
		t.Errorf("Service-Worker-Allowed: %v", err)
	}
	if _, err := e.r.Register(context.Background(), RegisterRequest{ClientURL: "http://127.0.0.1:9999/", ScriptURL: "/sw.js"}); err != nil {
		t.Errorf("loopback http: %v", err)
	}
	// The explainer's own example: /maps/maps-sw.js for /maps/?*.
	e.app.set("/maps/maps-sw.js", cachingWorker)
	if _, err := e.register("/maps/maps-sw.js", `{"path":"/maps/?*"}`); err != nil {
		t.Errorf("explainer maps example: %v", err)
	}
}

// TestRegisterTypeScript: a TypeScript worker (classic or module, with
// TypeScript imports) registers and answers, served with a TypeScript
// MIME type, video/mp2t (what most servers send for .ts) or a JavaScript
// one; those types are refused for a .js URL, and other types for a .ts
// one.
func TestRegisterTypeScript(t *testing.T) {
	e := newEnv(t)
	const classic = "const greet = (p: string): string => 'ts ' + p;\nself.addEventListener('fetch', (e: any) => e.respondWith(new Response(greet(new URL(e.request.url).pathname))));\n"
	e.app.setFile("/ts/sw.ts", file{body: classic, ctype: "video/mp2t"})
	e.app.setFile("/mts/sw.mts", file{body: "import { greet } from './util.ts';\nself.addEventListener('fetch', (e: FetchEvent) => e.respondWith(new Response(greet())));\n", ctype: "application/typescript"})
	e.app.setFile("/mts/util.ts", file{body: "export function greet(): string { return 'module ts'; }\n", ctype: "text/x-typescript; charset=utf-8"})
	e.app.setFile("/js/sw.ts", file{body: classic, ctype: "text/javascript"})
	e.app.setFile("/typed.js", file{body: classic, ctype: "application/typescript"})
	e.app.setFile("/html/sw.ts", file{body: classic, ctype: "text/html"})

	if got := fetchVia(t, e.mustRegister("/ts/sw.ts", "/ts/"), "https://app.test/ts/x"); got != "ts /ts/x" {
		t.Errorf("classic TypeScript answered %q", got)
	}
	reg, err := e.r.Register(context.Background(), RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/mts/sw.mts", Scope: "/mts/", Type: sw.WorkerModule})
	if err != nil {
		t.Fatal(err)
	}
	if got := fetchVia(t, reg, "https://app.test/mts/x"); got != "module ts" {
		t.Errorf("module TypeScript answered %q", got)
	}
	if got := fetchVia(t, e.mustRegister("/js/sw.ts", "/js/"), "https://app.test/js/y"); got != "ts /js/y" {
		t.Errorf("TypeScript served as JavaScript answered %q", got)
	}
	for _, script := range []string{"/typed.js", "/html/sw.ts"} {
		if _, err := e.register(script, ""); weberr.NameOf(err) != weberr.SecurityError || !strings.Contains(err.Error(), "MIME type") {
			t.Errorf("%s: %v, want a SecurityError about the MIME type", script, err)
		}
	}
}

func TestFailingInstall(t *testing.T) {
	e := newEnv(t)
	e.app.set("/bad.js", `self.addEventListener('install', e => e.waitUntil(Promise.reject(new Error('nope'))));`)
	_, err := e.register("/bad.js", "/bad/")
	var ie *InstallError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("error = %v, want an InstallError with the JS error", err)
	}
	if e.r.MatchString("https://app.test/bad/x") != nil {
		t.Error("a registration whose only install failed is still there")
	}

	// A failing update leaves the active version in place.
	e.app.set("/sw.js", cachingWorker)
	reg := e.mustRegister("/sw.js", "")
	e.app.set("/sw.js", `self.addEventListener('install', () => { throw new TypeError('broken v2'); });`)
	err = e.r.Update(context.Background(), reg)
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "broken v2") {
		t.Fatalf("update error = %v", err)
	}
	if got := fetchVia(t, reg, "https://app.test/z"); got != "v1 /z" || reg.Waiting() != nil || reg.Installing() != nil {
		t.Errorf("after failed update: fetch %q waiting %v installing %v", got, reg.Waiting(), reg.Installing())
	}
}

func TestUpdateWaitingAndSkipWaiting(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", cachingWorker)
	reg := e.mustRegister("/sw.js", "")
	v1 := reg.Active()
	ctx := context.Background()

	// Same bytes: no new version.
	if err := e.r.Update(ctx, reg); err != nil || reg.Active() != v1 || reg.Waiting() != nil {
		t.Fatalf("no-change update: %v", err)
	}

	// A controlled client keeps v2 waiting.
	reg.AddClient("c1")
	e.app.set("/sw.js", strings.ReplaceAll(cachingWorker, "v1", "v2"))
	if err := e.r.Update(ctx, reg); err != nil {
		t.Fatal(err)
	}
	v2 := reg.Waiting()
	if v2 == nil || v2.State() != sw.StateInstalled || reg.Active() != v1 {
		t.Fatalf("v2 should wait: waiting %v active %v", v2, reg.Active())
	}
	// The last client leaving activates it.
	reg.RemoveClient("c1")
	e.r.Wait()
	if reg.Active() != v2 || v2.State() != sw.StateActivated || v1.State() != sw.StateRedundant {
		t.Fatalf("after last client left: active %v, v1 %v", reg.Active(), v1)
	}
	if got := fetchVia(t, reg, "https://app.test/a"); got != "v2 /a" {
		t.Errorf("fetch after activation = %q", got)
	}

	// skipWaiting() in install activates at once despite a client.
	reg.AddClient("c2")
	e.app.set("/sw.js", `self.addEventListener('install', e => e.waitUntil(self.skipWaiting()));
self.addEventListener('fetch', e => e.respondWith(new Response('v3')));`)
	if err := e.r.Update(ctx, reg); err != nil {
		t.Fatal(err)
	}
	e.r.Wait()
	if got := fetchVia(t, reg, "https://app.test/a"); got != "v3" {
		t.Errorf("skipWaiting: fetch = %q, active %v", got, reg.Active())
	}

	// SkipWaiting from the Go API (the admin's button).
	e.app.set("/sw.js", `self.addEventListener('fetch', e => e.respondWith(new Response('v4')));`)
	if err := e.r.Update(ctx, reg); err != nil || reg.Waiting() == nil {
		t.Fatalf("v4 update: %v, waiting %v", err, reg.Waiting())
	}
	if err := e.r.SkipWaiting(ctx, reg); err != nil {
		t.Fatal(err)
	}
	if got := fetchVia(t, reg, "https://app.test/a"); got != "v4" {
		t.Errorf("SkipWaiting: fetch = %q", got)
	}
	if err := e.r.SkipWaiting(ctx, reg); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("SkipWaiting without waiting worker: %v", err)
	}
}

func TestImportedScriptsStoredAndCompared(t *testing.T) {
	e := newEnv(t)
	e.app.set("/lib.js", `self.greeting = 'hello';`)
	e.app.set("/sw.js", `importScripts('/lib.js');
self.addEventListener('fetch', e => e.respondWith(new Response(self.greeting)));`)
	reg := e.mustRegister("/sw.js", "")
	if got := fetchVia(t, reg, "https://app.test/"); got != "hello" {
		t.Fatalf("fetch = %q", got)
	}
	v1 := reg.Active()
	// Restart with lib.js gone from the network: it comes from the store.
	e.close()
	e.app.setFile("/lib.js", file{status: 404})
	e.open()
	reg = e.r.MatchString("https://app.test/")
	if got := fetchVia(t, reg, "https://app.test/"); got != "hello" {
		t.Fatalf("after restart fetch = %q", got)
	}
	// Changing only the imported script makes an update install.
	e.app.set("/lib.js", `self.greeting = 'bonjour';`)
	if err := e.r.Update(context.Background(), reg); err != nil {
		t.Fatal(err)
	}
	if got := fetchVia(t, reg, "https://app.test/"); got != "bonjour" || reg.Active().ID() == v1.ID() {
		t.Errorf("after import change: fetch %q", got)
	}
}

func TestUnregister(t *testing.T) {
	e := newEnv(t)
	e.app.set("/sw.js", cachingWorker)
	reg := e.mustRegister("/sw.js", "")
	reg.AddClient("c1")
	if err := e.r.Unregister(context.Background(), reg); err != nil {
		t.Fatal(err)
	}
	if e.r.MatchString("https://app.test/") != nil {
		t.Error("unregistered scope still matches")
	}
	if reg.Active() == nil {
		t.Fatal("the controlling worker went away while a client uses it")
	}
	reg.RemoveClient("c1")
	e.r.Wait()
	if reg.Active() != nil {
		t.Error("registration not cleared after the last client left")
	}
	e.close()
	e.open()
	if len(e.r.Registrations("")) != 0 {
		t.Error("unregistered registration restored")
	}
}

func TestPatternScopesTwoTeams(t *testing.T) {
	e := newEnv(t)
	e.app.set("/root-sw.js", `self.addEventListener('fetch', e => e.respondWith(new Response('root team')));`)
	e.app.set("/maps/maps-sw.js", `self.addEventListener('fetch', e => e.respondWith(new Response('maps team')));`)
	root := e.mustRegister("/root-sw.js", `{"path":"/"}`)
	maps := e.mustRegister("/maps/maps-sw.js", `{"path":"/maps/?*"}`)
	tests := []struct {
		url  string
		want *Registration
	}{
		{"https://app.test/", root},
		{"https://app.test/?q=1", root},
		{"https://app.test/maps", maps},
		{"https://app.test/maps/place", maps},
		{"https://app.test/mapsearch", nil},
		{"https://app.test/sub/path/product", nil},
	}
	for _, tt := range tests {
		if got := e.r.MatchString(tt.url); got != tt.want {
			t.Errorf("Match(%s) = %v, want %v", tt.url, got, tt.want)
		}
	}
}

func TestRegisterForeignFetchStored(t *testing.T) {
	e := newEnv(t)
	e.app.set("/ff.js", `self.addEventListener('install', e => {
  e.registerForeignFetch({scopes: [self.registration.scope + 'fonts/'], origins: ['*']});
});`)
	reg := e.mustRegister("/ff.js", "")
	ff := reg.Active().ForeignFetch()
	if ff == nil || len(ff.Scopes) != 1 || ff.Scopes[0] != "https://app.test/fonts/" || ff.Origins[0] != "*" {
		t.Fatalf("foreign fetch = %+v", ff)
	}
	e.app.set("/ff2.js", `self.addEventListener('install', e => {
  e.registerForeignFetch({scopes: ["https://app.test/ff2/"], origins: ["not an origin"]});
});`)
	_, err := e.register("/ff2.js", "/ff2/")
	if err == nil || !strings.Contains(err.Error(), "not an absolute origin") {
		t.Errorf("bad origins: %v", err)
	}
	e.close()
	e.open()
	if ff := e.r.MatchString("https://app.test/").Active().ForeignFetch(); ff == nil || ff.Scopes[0] != "https://app.test/fonts/" {
		t.Errorf("foreign fetch not restored: %+v", ff)
	}
}

func TestSoftUpdateWhenStale(t *testing.T) {
	e := newEnv(t)
	now := time.Now()
	e.app.set("/sw.js", cachingWorker)
	e.close()
	st, _ := store.Open(context.Background(), e.dir)
	r, err := New(context.Background(), Options{Store: st, Network: e.net, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { r.Close(); st.Close() }()
	reg, err := r.Register(context.Background(), RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js"})
	if err != nil {
		t.Fatal(err)
	}
	hits := func() int { e.app.mu.Lock(); defer e.app.mu.Unlock(); return e.app.hits["/sw.js"] }
	before := hits()
	r.SoftUpdate(reg)
	r.Wait()
	if hits() != before {
		t.Error("soft update ran for a fresh registration")
	}
	now = now.Add(StaleAfter + time.Minute)
	r.SoftUpdate(reg)
	r.Wait()
	if hits() != before+1 {
		t.Errorf("stale soft update: script fetched %d times, want %d", hits(), before+1)
	}
}

// A version replaced while it answers a request finishes that answer
// (skipWaiting mid-request), takes no new events, and stops once idle; one
// busy past RetireGrace is stopped anyway.
func TestRetiredWorkerFinishesItsRequest(t *testing.T) {
	slowWorker := func(tag string, delay int) string {
		return `self.addEventListener('fetch', e => {
  if (e.request.url.endsWith('/slow')) {
    console.log('slow request started');
    e.respondWith(new Promise(r => setTimeout(() => r(new Response('` + tag + ` slow')), ` + strconv.Itoa(delay) + `)));
    return;
  }
  e.respondWith(new Response('` + tag + `'));
});`
	}
	for _, tc := range []struct {
		name  string
		grace time.Duration
		delay int // ms the old version takes to answer
		want  string
	}{
		{"answer within the grace period", 0, 300, "v1 slow"},
		{"grace period runs out", 100 * time.Millisecond, 10000, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			if tc.grace > 0 {
				e.r.opts.RetireGrace = tc.grace
			}
			started := make(chan struct{}, 1)
			e.r.opts.Console = func(_, _, msg string) {
				if msg == "slow request started" {
					select {
					case started <- struct{}{}:
					default:
					}
				}
			}
			e.app.set("/sw.js", slowWorker("v1", tc.delay))
			reg := e.mustRegister("/sw.js", "")
			v1 := reg.Active()
			w1, err := v1.Worker(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			got := make(chan string, 1)
			go func() {
				res, err := w1.DispatchFetch(context.Background(), &fetch.Request{URL: "https://app.test/slow"}, worker.FetchEventInit{})
				if err != nil || res.Response == nil {
					got <- ""
					return
				}
				got <- string(res.Response.Body)
			}()
			select { // the request is in flight on v1
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("the slow request never reached v1")
			}
			e.app.set("/sw.js", `self.addEventListener('install', e => e.waitUntil(self.skipWaiting()));
`+slowWorker("v2", 0))
			if err := e.r.Update(context.Background(), reg); err != nil {
				t.Fatal(err)
			}
			e.r.Wait()
			if reg.Active() == v1 || v1.State() != sw.StateRedundant {
				t.Fatalf("v1 still active (%v)", v1.State())
			}
			if got := fetchVia(t, reg, "https://app.test/a"); got != "v2" {
				t.Errorf("new request = %q, want v2", got)
			}
			if _, err := w1.DispatchFetch(context.Background(), &fetch.Request{URL: "https://app.test/b"}, worker.FetchEventInit{}); weberr.NameOf(err) != weberr.InvalidStateError {
				t.Errorf("a new event on the retired worker: %v, want InvalidStateError", err)
			}
			select {
			case body := <-got:
				if body != tc.want {
					t.Errorf("the in-flight request got %q, want %q", body, tc.want)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the in-flight request never finished")
			}
			// The retired worker is stopped by CloseWhenIdle's goroutine
			// once it sees no event in flight.
			select {
			case <-w1.Retired():
			case <-time.After(10 * time.Second):
				t.Fatal("the retired worker never stopped")
			}
			if w1.Stats().Stops == 0 {
				t.Error("the retired worker is retired but its runtime was not stopped")
			}
		})
	}
}
