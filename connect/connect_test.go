package connect

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/weberr"
)

const echoURL = "https://example.com/services/echo"

// TestEcho runs the seed's example worker, unchanged: a message comes
// back as it was sent.
func TestEcho(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	for _, msg := range []any{"hello", float64(42), true, nil, map[string]any{"a": []any{"x", float64(1)}}} {
		if got := roundTrip(t, p, msg); !reflect.DeepEqual(normalize(got), msg) {
			t.Errorf("echo of %#v = %#v", msg, got)
		}
	}
}

// normalize turns exported numbers into float64, as JSON would.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// TestRefusals covers every way a connection is refused: each one is an
// AbortError with the same message as "no service here".
func TestRefusals(t *testing.T) {
	e := newTestEnv(t, Options{FailureDelay: 300 * time.Millisecond})
	noService, err := e.connect("https://example.com/nothing-here", nil)
	if noService != nil || weberr.NameOf(err) != weberr.AbortError {
		t.Fatalf("unknown URL: %v, %v", noService, err)
	}
	want := err.Error()
	cases := []struct {
		name, scope, src string
	}{
		{"no connect handler", "/a/", `self.addEventListener('fetch', () => {});`},
		{"acceptConnection(false)", "/b/", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(false));`},
		{"no acceptConnection call", "/c/", `self.addEventListener('crossoriginconnect', e => {});`},
		{"listener throws", "/d/", `self.addEventListener('crossoriginconnect', e => { throw new Error('no'); });`},
		{"promise rejects after a timer", "/e/", `self.addEventListener('crossoriginconnect', e =>
  e.acceptConnection(new Promise((_, reject) => setTimeout(() => reject(new Error('later no')), 30))));`},
		{"promise resolves to false", "/f/", `self.addEventListener('crossoriginconnect', e =>
  e.acceptConnection(new Promise(resolve => setTimeout(() => resolve(false), 30))));`},
		{"truthy non-boolean", "/g/", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(1));`},
		{"decision after the failure delay", "/h/", `self.addEventListener('crossoriginconnect', e =>
  e.acceptConnection(new Promise(resolve => setTimeout(() => resolve(true), 2000))));`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.register(c.scope+"sw.js", c.scope, c.src)
			target := svcOrigin + c.scope + "svc"
			p, err := e.connect(target, nil)
			if p != nil {
				p.Close()
				t.Fatal("connected")
			}
			if weberr.NameOf(err) != weberr.AbortError {
				t.Fatalf("error %v; want AbortError", err)
			}
			// Same text as no service (the URL is the client's own).
			if got, exp := err.Error(), replaceURL(want, "https://example.com/nothing-here", target); got != exp {
				t.Errorf("message %q; want %q", got, exp)
			}
		})
	}
}

func replaceURL(s, from, to string) string {
	for i := 0; i+len(from) <= len(s); i++ {
		if s[i:i+len(from)] == from {
			return s[:i] + to + s[i+len(from):]
		}
	}
	return s
}

// TestAcceptAfterTimer: a promise that resolves to true after a timer
// accepts.
func TestAcceptAfterTimer(t *testing.T) {
	e := newTestEnv(t, Options{FailureDelay: 2 * time.Second})
	e.register("/sw.js", "", `self.addEventListener('crossoriginconnect', e =>
  e.acceptConnection(new Promise(resolve => setTimeout(() => resolve(true), 50))));
self.addEventListener('crossoriginmessage', e => e.source.postMessage('got ' + e.data));`)
	start := time.Now()
	p := e.mustConnect(echoURL, nil)
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("accepted after %v, before the 50 ms timer", d)
	}
	if got := roundTrip(t, p, "x"); got != "got x" {
		t.Errorf("reply %v", got)
	}
}

// TestAcceptConnectionTwice: the first call wins; a second throws
// InvalidStateError (the worker reports it back).
func TestAcceptConnectionTwice(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", `let second = 'none';
self.addEventListener('crossoriginconnect', e => {
  e.acceptConnection(true);
  try { e.acceptConnection(false); } catch (err) { second = err.name; }
});
self.addEventListener('crossoriginmessage', e => e.source.postMessage(second));`)
	p := e.mustConnect(echoURL, nil)
	if got := roundTrip(t, p, "?"); got != "InvalidStateError" {
		t.Errorf("second acceptConnection: %v", got)
	}
}

// TestClientFields: options, origin and targetUrl reach the worker, on
// the connect event and on every message's event.source.
func TestClientFields(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", `let seen = null;
self.addEventListener('crossoriginconnect', e => {
  seen = {origin: e.client.origin, targetUrl: e.client.targetUrl, options: e.client.options};
  e.acceptConnection(e.client.options && e.client.options.name === 'chat');
});
self.addEventListener('crossoriginmessage', e => e.source.postMessage({connect: seen, source: {origin: e.source.origin, targetUrl: e.source.targetUrl}}));`)
	opts := map[string]any{"name": "chat", "data": map[string]any{"room": float64(7)}}
	p := e.mustConnect(echoURL+"?q=1", opts)
	got := normalize(roundTrip(t, p, "hi"))
	want := map[string]any{
		"connect": map[string]any{"origin": "http://example.com", "targetUrl": echoURL + "?q=1", "options": opts},
		"source":  map[string]any{"origin": "http://example.com", "targetUrl": echoURL + "?q=1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("worker saw %#v\nwant %#v", got, want)
	}
	if _, err := e.connect(echoURL, map[string]any{"name": "other"}); weberr.NameOf(err) != weberr.AbortError {
		t.Errorf("refused by options: %v", err)
	}
}

// TestPostMessageBeforeAccept: the client object of a rejected connection
// (kept by the worker) throws InvalidStateError on postMessage.
func TestPostMessageBeforeAccept(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", `let kept = [];
self.addEventListener('crossoriginconnect', e => {
  let during = 'ok';
  try { e.client.postMessage('early'); } catch (err) { during = err.name; }
  kept.push({client: e.client, during});
  e.acceptConnection(e.client.options === 'yes');
});
self.addEventListener('crossoriginmessage', e => {
  const out = kept.map(k => { try { k.client.postMessage('late'); return k.during + '/ok'; } catch (err) { return k.during + '/' + err.name; } });
  e.source.postMessage(out);
});`)
	if _, err := e.connect(echoURL, "no"); weberr.NameOf(err) != weberr.AbortError {
		t.Fatalf("rejected connect: %v", err)
	}
	p := e.mustConnect(echoURL, "yes")
	if err := p.PostMessage("go"); err != nil {
		t.Fatal(err)
	}
	// The accepted client itself gets 'late' first, then the list.
	var got any
	for i := 0; i < 2; i++ {
		if m := recv(t, p); m.Value() != "late" {
			got = normalize(m.Data)
		}
	}
	want := []any{"InvalidStateError/InvalidStateError", "InvalidStateError/ok"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("postMessage results %v; want %v", got, want)
	}
}

// getAllWorker answers 'list' with the origins/targets getAll() returns.
const getAllWorker = `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => {
  const opts = typeof e.data === 'object' && e.data ? e.data : undefined;
  self.crossOriginClients.getAll(opts).then(list => e.source.postMessage(VERSION + ':' + list.map(c => c.targetUrl).join(',')));
});`

// TestGetAll: getAll() lists the open, accepted clients, with the
// targetUrl filter; a closed client disappears at once.
func TestGetAll(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", "const VERSION = 'v1';\n"+getAllWorker)
	a := e.mustConnect(svcOrigin+"/a", nil)
	b := e.mustConnect(svcOrigin+"/b", nil)
	if got := roundTrip(t, a, "list"); got != "v1:https://example.com/a,https://example.com/b" {
		t.Errorf("getAll with two clients: %v", got)
	}
	if got := roundTrip(t, a, map[string]any{"targetUrl": svcOrigin + "/b"}); got != "v1:https://example.com/b" {
		t.Errorf("getAll({targetUrl}): %v", got)
	}
	b.Close()
	if got := roundTrip(t, a, "list"); got != "v1:https://example.com/a" {
		t.Errorf("getAll after b closed: %v", got)
	}
	if n := len(e.b.Clients(e.r.MatchString(svcOrigin + "/"))); n != 1 {
		t.Errorf("Broker.Clients: %d", n)
	}
}

// TestUpdateBetweenMessages: after an update, the next message goes to
// the new active version, and getAll() is unchanged.
func TestUpdateBetweenMessages(t *testing.T) {
	e := newTestEnv(t, Options{})
	reg := e.register("/sw.js", "", "const VERSION = 'v1';\n"+getAllWorker)
	p := e.mustConnect(svcOrigin+"/a", nil)
	if got := roundTrip(t, p, "list"); got != "v1:https://example.com/a" {
		t.Fatalf("before update: %v", got)
	}
	e.setScript("/sw.js", "const VERSION = 'v2';\n"+getAllWorker)
	if err := e.r.Update(context.Background(), reg); err != nil {
		t.Fatal(err)
	}
	if got := roundTrip(t, p, "list"); got != "v2:https://example.com/a" {
		t.Errorf("after update: %v", got)
	}
}

// TestNarrowerRegistrationLater: a connection stays with the registration
// it was made with; new connections go to the narrower one.
func TestNarrowerRegistrationLater(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "/", "const VERSION = 'wide';\n"+getAllWorker)
	p := e.mustConnect(svcOrigin+"/services/x", nil)
	e.register("/services/sw.js", "/services/", "const VERSION = 'narrow';\n"+getAllWorker)
	if got := roundTrip(t, p, "list"); got != "wide:https://example.com/services/x" {
		t.Errorf("old connection after a narrower registration: %v", got)
	}
	q := e.mustConnect(svcOrigin+"/services/y", nil)
	if got := roundTrip(t, q, "list"); got != "narrow:https://example.com/services/y" {
		t.Errorf("new connection: %v", got)
	}
}

// TestWaitForActive: a connect to a registration whose worker is still
// installing waits for it; with a short ActiveTimeout it fails.
func TestWaitForActive(t *testing.T) {
	slowInstall := func(ms int) string {
		return `self.addEventListener('install', e => e.waitUntil(new Promise(r => setTimeout(r, ` + itoa(ms) + `))));
self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
self.addEventListener('crossoriginmessage', e => e.source.postMessage('active'));`
	}
	t.Run("activates in time", func(t *testing.T) {
		e := newTestEnv(t, Options{ActiveTimeout: 5 * time.Second})
		done := e.registerAsync("/sw.js", slowInstall(200))
		defer func() { <-done }()
		waitInstalling(t, e.r, svcOrigin+"/x")
		start := time.Now()
		p := e.mustConnect(svcOrigin+"/x", nil)
		if d := time.Since(start); d < 50*time.Millisecond {
			t.Errorf("connected after %v: did not wait for the install", d)
		}
		if got := roundTrip(t, p, "?"); got != "active" {
			t.Errorf("reply %v", got)
		}
	})
	t.Run("times out", func(t *testing.T) {
		e := newTestEnv(t, Options{ActiveTimeout: 100 * time.Millisecond})
		done := e.registerAsync("/sw.js", slowInstall(1500))
		defer func() { <-done }()
		waitInstalling(t, e.r, svcOrigin+"/x")
		start := time.Now()
		_, err := e.connect(svcOrigin+"/x", nil)
		d := time.Since(start)
		if weberr.NameOf(err) != weberr.AbortError {
			t.Fatalf("error %v; want AbortError", err)
		}
		if d < 100*time.Millisecond || d > 1400*time.Millisecond {
			t.Errorf("failed after %v; want about the 100 ms timeout", d)
		}
	})
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (e *testEnv) registerAsync(path, src string) <-chan struct{} {
	e.setScript(path, src)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = e.r.Register(context.Background(), registry.RegisterRequest{ClientURL: svcOrigin + "/", ScriptURL: path})
	}()
	return done
}

// waitInstalling waits until the registration for u has an installing
// worker, checking after each lifecycle change the registry announces.
func waitInstalling(t *testing.T, r *registry.Registry, u string) {
	t.Helper()
	changed := make(chan struct{}, 1)
	cancel := r.Subscribe(func(registry.Event) {
		select {
		case changed <- struct{}{}:
		default:
		}
	})
	defer cancel()
	timeout := time.After(5 * time.Second)
	for {
		if reg := r.MatchString(u); reg != nil && reg.Installing() != nil {
			return
		}
		select {
		case <-changed:
		case <-timeout:
			t.Fatal("the registration never had an installing worker")
		}
	}
}

// TestOrderedDelivery: many messages arrive in order with none lost,
// also while the worker is stopped and restarted in between.
func TestOrderedDelivery(t *testing.T) {
	e := newTestEnv(t, Options{})
	reg := e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	const n = 500
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < n; i++ {
			if i == n/2 {
				w, _ := reg.Active().Worker(context.Background())
				w.Stop()
			}
			if err := p.PostMessage(float64(i)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < n; i++ {
		m := recv(t, p)
		if v, _ := normalize(m.Data).(float64); v != float64(i) {
			t.Fatalf("message %d: got %v", i, m.Data)
		}
	}
	wg.Wait()
}

// TestCloseRemovesEverywhere: closing the client's port removes the
// connection from the broker at once; later posts are dropped.
func TestCloseRemovesEverywhere(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/serviceworker.js", "", echoWorker)
	p := e.mustConnect(echoURL, nil)
	if e.b.Connections() != 1 {
		t.Fatalf("connections %d", e.b.Connections())
	}
	p.Close()
	if e.b.Connections() != 0 {
		t.Errorf("connections after close %d", e.b.Connections())
	}
	if err := p.PostMessage("x"); err != nil {
		t.Errorf("post on closed port: %v", err)
	}
	if _, err := p.Recv(context.Background()); !errors.Is(err, ErrClosed) {
		t.Errorf("recv on closed port: %v", err)
	}
}

// TestInvalidURLs: invalid client or target URLs are TypeErrors, not
// AbortErrors.
func TestInvalidURLs(t *testing.T) {
	e := newTestEnv(t, Options{})
	ctx := context.Background()
	if _, err := e.b.Connect(ctx, "not a url", echoURL, nil); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("bad client: %v", err)
	}
	if _, err := e.b.Connect(ctx, appURL, "::", nil); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("bad target: %v", err)
	}
}

// TestFlush: Flush returns once every posted message was handled, and
// does not hang when the connection closes with messages pending.
func TestFlush(t *testing.T) {
	e := newTestEnv(t, Options{})
	e.register("/sw.js", "", `self.addEventListener('crossoriginconnect', e => e.acceptConnection(true));
let n = 0;
self.addEventListener('crossoriginmessage', e => { n++; if (e.data === 'count') e.source.postMessage(n); });`)
	p := e.mustConnect(echoURL, nil)
	for i := 0; i < 20; i++ {
		p.PostMessage("x")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := roundTrip(t, p, "count"); normalize(got) != float64(21) {
		t.Errorf("after Flush the worker had handled %v messages; want 21", got)
	}
	q := e.mustConnect(echoURL, nil)
	for i := 0; i < 1000; i++ {
		q.PostMessage("x")
	}
	done := make(chan error, 1)
	go func() { done <- q.Flush(ctx) }()
	q.Close()
	if err := <-done; err != nil {
		t.Errorf("Flush on a closed connection: %v", err)
	}
}
