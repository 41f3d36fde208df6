package swhosttest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/swhosttest"
	"github.com/swhost/swhost/worker"
)

const (
	origin = "https://app.test"
	script = origin + "/sw.js"
)

// site serves testdata/site with a worker script whose version the test
// changes, and an API whose answers count the requests.
type site struct {
	files http.Handler

	mu       sync.Mutex
	version  string
	apiCalls int
	scripts  int
}

func newSite() *site {
	return &site{files: http.FileServerFS(os.DirFS("testdata/site")), version: "v1"}
}

func (s *site) setVersion(v string) {
	s.mu.Lock()
	s.version = v
	s.mu.Unlock()
}

func (s *site) scriptFetches() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scripts
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch r.URL.Path {
	case "/sw.js":
		s.scripts++
		src, err := os.ReadFile("testdata/site/sw.js")
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(strings.Replace(string(src), "const VERSION = 'v1'", "const VERSION = '"+s.version+"'", 1)))
	case "/api/data":
		s.apiCalls++
		fmt.Fprintf(w, "data %d", s.apiCalls)
	default:
		s.files.ServeHTTP(w, r)
	}
}

// ctxT bounds a test's waits so that a defect fails it rather than
// hanging it.
func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func register(t *testing.T, h *swhosttest.Host) *swhosttest.Registration {
	t.Helper()
	reg, err := h.Register(ctxT(t), script, swhosttest.RegisterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func fetchOK(t *testing.T, h *swhosttest.Host, url string, c *swhosttest.Client, mode fetch.Mode) *swhosttest.Response {
	t.Helper()
	res, err := h.Fetch(ctxT(t), url, c, mode)
	if err != nil {
		t.Fatalf("fetch %s: %v", url, err)
	}
	return res
}

func TestPrecacheOnInstall(t *testing.T) {
	h := swhosttest.New(t, swhosttest.Origin(origin, os.DirFS("testdata/site")))
	reg := register(t, h)
	if reg.Active() == nil || reg.Active().ScriptURL() != script {
		t.Fatalf("registration has no active worker for %s", script)
	}
	names, err := h.Caches(origin).Names(ctxT(t))
	if err != nil || len(names) != 1 || names[0] != "precache-v1" {
		t.Fatalf("cache names %v, %v; want [precache-v1]", names, err)
	}
	for url, want := range map[string]string{origin + "/": "the app shell", origin + "/app.js": "register('/sw.js')"} {
		resp, err := h.Caches(origin).Match(ctxT(t), url)
		if err != nil || !strings.Contains(string(resp.Body), want) {
			t.Errorf("caches.match(%s): %v; want a body with %q", url, err, want)
		}
	}
	if _, err := h.Caches(origin).Match(ctxT(t), origin+"/missing"); !errors.Is(err, swhosttest.ErrNoResponse) {
		t.Errorf("caches.match of an uncached URL: %v, want ErrNoResponse", err)
	}
	var states []string
	for _, ev := range h.Events() {
		if ev.Type == "lifecycle" && ev.Data["event"] == "state" {
			states = append(states, fmt.Sprint(ev.Data["state"]))
		}
	}
	if got := strings.Join(states, ","); !strings.Contains(got, "installed") || !strings.HasSuffix(got, "activated") {
		t.Errorf("lifecycle states %q; want installed ... activated", got)
	}
}

func TestOfflineNavigationFromCache(t *testing.T) {
	h := swhosttest.New(t, swhosttest.Origin(origin, os.DirFS("testdata/site")))
	register(t, h)
	tests := []struct {
		offline   bool
		wantLayer agent.Layer
	}{
		{false, agent.LayerFetchEvent},
		{true, agent.LayerFetchEvent},
	}
	for _, tt := range tests {
		if err := h.SetOffline(origin, tt.offline); err != nil {
			t.Fatal(err)
		}
		res := fetchOK(t, h, origin+"/", nil, fetch.ModeNavigate)
		if res.Status != 200 || res.Layer != tt.wantLayer || !strings.Contains(res.Text(), "the app shell") {
			t.Errorf("offline=%v: %d %s %q", tt.offline, res.Status, res.ServedBy, res.Text())
		}
		if res.Client == nil || res.Client.Controller() == nil {
			t.Errorf("offline=%v: the navigation's page is not controlled", tt.offline)
		}
	}
	// Offline, what the worker does not cache is a network error.
	res := fetchOK(t, h, origin+"/api/data", nil, "")
	if res.Type != fetch.TypeError {
		t.Errorf("offline API request: %s %d, want a network error", res.Type, res.Status)
	}
}

func TestExpirationAfterAdvancingTheClock(t *testing.T) {
	s := newSite()
	h := swhosttest.New(t, swhosttest.Handler(origin, s))
	register(t, h)
	steps := []struct {
		advance time.Duration
		want    string
	}{
		{0, "data 1"},
		{0, "data 1"},
		{59 * time.Minute, "data 1"},
		{time.Minute, "data 1"}, // exactly an hour old: still fresh
		{time.Millisecond, "data 2"},
		{30 * time.Minute, "data 2"},
	}
	for i, st := range steps {
		h.Clock().Advance(st.advance)
		res := fetchOK(t, h, origin+"/api/data", nil, "")
		if res.Text() != st.want || res.Layer != agent.LayerFetchEvent {
			t.Errorf("step %d: %q from %s, want %q from the worker", i, res.Text(), res.ServedBy, st.want)
		}
	}
	dbs, err := h.IndexedDB(ctxT(t), origin)
	if err != nil {
		t.Fatal(err)
	}
	if len(dbs) != 1 || dbs[0].Name != "expiration" || len(dbs[0].Stores) != 1 || len(dbs[0].Stores[0].Records) != 1 {
		t.Fatalf("IndexedDB dump %+v; want the expiration database with one stamp", dbs)
	}
	rec := dbs[0].Stores[0].Records[0]
	var stamp int64
	if err := json.Unmarshal(rec.Value, &stamp); err != nil {
		t.Fatalf("stamp %s: %v", rec.Value, err)
	}
	// The stamp is the clock's time at the second network fetch.
	want := h.Clock().Now().Add(-30 * time.Minute).UnixMilli()
	if !strings.Contains(rec.Key, "https://app.test/api/data") || stamp != want {
		t.Errorf("stamp %s = %d; want %d for the API URL", rec.Key, stamp, want)
	}
}

func TestUpdateWithSkipWaiting(t *testing.T) {
	s := newSite()
	h := swhosttest.New(t, swhosttest.Handler(origin, s))
	ctx := ctxT(t)
	reg := register(t, h)
	page, err := h.Client(ctx, origin+"/")
	if err != nil {
		t.Fatal(err)
	}
	if page.Controller() != reg {
		t.Fatal("the page is not controlled by the registration")
	}

	s.setVersion("v2")
	if err := h.Update(ctx, reg); err != nil {
		t.Fatal(err)
	}
	waiting := reg.Waiting()
	if waiting == nil {
		t.Fatal("no waiting worker after the update: the page should hold v1 active")
	}
	if err := page.PostMessage(ctx, map[string]any{"type": "VERSION"}); err != nil {
		t.Fatal(err)
	}
	if v, err := page.NextMessage(ctx); err != nil || fmt.Sprint(v) != "map[version:v1]" {
		t.Fatalf("controller's version before skipWaiting: %v, %v", v, err)
	}

	if err := page.PostMessageTo(ctx, waiting, map[string]any{"type": "SKIP_WAITING"}); err != nil {
		t.Fatal(err)
	}
	ev, err := page.NextEvent(ctx)
	if err != nil || ev.Type != "controllerchange" || ev.Source != script {
		t.Fatalf("after SKIP_WAITING: %+v, %v; want controllerchange", ev, err)
	}
	if reg.Active() != waiting || reg.Waiting() != nil {
		t.Fatal("the waiting worker did not become active")
	}
	if err := page.PostMessage(ctx, map[string]any{"type": "VERSION"}); err != nil {
		t.Fatal(err)
	}
	if v, err := page.NextMessage(ctx); err != nil || fmt.Sprint(v) != "map[version:v2]" {
		t.Fatalf("controller's version after skipWaiting: %v, %v", v, err)
	}
	// controllerchange comes before the activate event (the spec's
	// Activate); its cleanup is done once the worker is activated.
	if err := h.WaitFor(ctx, func() bool { return waiting.State() == sw.StateActivated }); err != nil {
		t.Fatalf("v2 never activated: %v", err)
	}
	if names, err := h.Caches(origin).Names(ctx); err != nil || strings.Join(names, ",") != "precache-v2" {
		t.Errorf("caches after activation: %v, %v; want only precache-v2", names, err)
	}
}

func TestSoftUpdateAfterADay(t *testing.T) {
	s := newSite()
	h := swhosttest.New(t, swhosttest.Handler(origin, s))
	register(t, h)
	fetchOK(t, h, origin+"/", nil, fetch.ModeNavigate)
	if n := s.scriptFetches(); n != 1 {
		t.Fatalf("script fetched %d times before a day passed", n)
	}
	h.Clock().Advance(24*time.Hour + time.Second)
	fetchOK(t, h, origin+"/", nil, fetch.ModeNavigate)
	if err := h.WaitFor(ctxT(t), func() bool { return s.scriptFetches() == 2 }); err != nil {
		// The soft update runs in the background: its script fetch is
		// seen as an "update" lifecycle event or a second fetch.
		t.Fatalf("no soft update after a day: %d script fetches (%v)", s.scriptFetches(), err)
	}
}

func TestPushNotification(t *testing.T) {
	h := swhosttest.New(t, swhosttest.Origin(origin, os.DirFS("testdata/site")))
	reg := register(t, h)
	res, err := h.Trigger(ctxT(t), reg, agent.TriggerRequest{Type: "push", Data: []byte("hello")})
	if err != nil || res.Err != nil {
		t.Fatalf("push: %v, %v", err, res.Err)
	}
	if len(res.Notifications) != 1 || res.Notifications[0].Title != "New message" || res.Notifications[0].Body != "hello" {
		t.Fatalf("notifications %+v; want one New message: hello", res.Notifications)
	}
	if _, err := h.Trigger(ctxT(t), reg, agent.TriggerRequest{Type: "nosuch"}); err == nil {
		t.Error("an unknown event type fired")
	}
}

func TestBadOrigin(t *testing.T) {
	_, err := swhosttest.Open(swhosttest.Upstream("not an origin", "http://127.0.0.1:1"))
	if err == nil {
		t.Fatal("Open accepted a bad origin")
	}
}

// syncSite's worker registers a background sync on a message; its sync
// handler fails until its third attempt (lastChance), logging each.
var syncSite = fstest.MapFS{"sw.js": {Data: []byte(`
let attempt = 0;
addEventListener('message', (e) => e.waitUntil(self.registration.sync.register('outbox')));
addEventListener('sync', (e) => {
  attempt++;
  console.log('sync ' + e.tag + ' attempt ' + attempt + ' lastChance ' + e.lastChance);
  if (!e.lastChance) e.waitUntil(Promise.reject(new Error('offline server')));
});
`)}}

// TestSyncRetriesFollowTheClock: a failed background sync is retried
// after 5 minutes, then 15, of the host's clock.
func TestSyncRetriesFollowTheClock(t *testing.T) {
	h := swhosttest.New(t, swhosttest.Origin(origin, syncSite), swhosttest.Limits(worker.Limits{IdleTimeout: -1}))
	ctx := ctxT(t)
	reg := register(t, h)
	page, err := h.Client(ctx, origin+"/")
	if err != nil {
		t.Fatal(err)
	}
	if err := page.PostMessage(ctx, "sync please"); err != nil {
		t.Fatal(err)
	}
	attempts := func() []string {
		var out []string
		for _, ev := range h.Events() {
			if msg, _ := ev.Data["message"].(string); ev.Type == "console" && strings.HasPrefix(msg, "sync outbox") {
				out = append(out, msg)
			}
		}
		return out
	}
	// An attempt's "sync" lifecycle event comes once its outcome is
	// stored and its retry armed on the clock.
	outcomes := func() int {
		n := 0
		for _, ev := range h.Events() {
			if ev.Type == "lifecycle" && ev.Data["event"] == "sync" {
				n++
			}
		}
		return n
	}
	waitOutcomes := func(n int) {
		t.Helper()
		if err := h.WaitFor(ctx, func() bool { return outcomes() >= n }); err != nil {
			t.Fatalf("waiting for the outcome of sync attempt %d: %v (seen %q)", n, err, attempts())
		}
	}
	waitOutcomes(1)
	// The retry is due 5 minutes after the failure on the host's clock
	// (on the wall clock it would never come within this test).
	h.Clock().Advance(4 * time.Minute)
	if n, _, err := reg.Sync().SyncAttempts(ctx, "outbox"); err != nil || n != 1 {
		t.Fatalf("failed attempts %d, %v; want 1", n, err)
	}
	h.Clock().Advance(time.Minute)
	waitOutcomes(2)
	if got := attempts(); len(got) != 2 {
		t.Fatalf("attempts after 5 minutes: %q", got)
	}
	h.Clock().Advance(15 * time.Minute)
	waitOutcomes(3)
	want := "sync outbox attempt 1 lastChance false,sync outbox attempt 2 lastChance false,sync outbox attempt 3 lastChance true"
	if got := strings.Join(attempts(), ","); got != want {
		t.Fatalf("attempts %q, want %q", got, want)
	}
}

// TestDoPost: Do sends a request with a method, headers and a body
// through the worker (which passes a POST it does not cache to the
// network) to the origin, which sees all three.
func TestDoPost(t *testing.T) {
	s := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" || r.URL.Path == "/" || r.URL.Path == "/app.js" {
			http.FileServerFS(os.DirFS("testdata/site")).ServeHTTP(w, r)
			return
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %s %s %s", r.Method, r.URL.Path, r.Header.Get("X-Token"), b)
	})
	h := swhosttest.New(t, swhosttest.Handler(origin, s))
	register(t, h)
	res, err := h.Do(ctxT(t), &fetch.Request{Method: "POST", URL: origin + "/form", Header: http.Header{"X-Token": {"t1"}, "Content-Type": {"text/plain"}}, Body: []byte("hello")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Text(); got != "POST /form t1 hello" || res.Layer != agent.LayerFetchEvent {
		t.Errorf("got %q from %s, want the origin's echo through the worker", got, res.ServedBy)
	}
	if _, err := h.Do(ctxT(t), nil, nil); err == nil {
		t.Error("Do(nil) did not fail")
	}
}
