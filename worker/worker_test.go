package worker

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/clock"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/weberr"
)

const testScriptURL = "https://app.test/sw.js"

// newTestWorker compiles src as a classic worker at testScriptURL.
func newTestWorker(t testing.TB, src string, opts Options) *Worker {
	t.Helper()
	s, err := CompileScript(context.Background(), testScriptURL, sw.WorkerClassic, []byte(src), opts.Loader, 0)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	if opts.Console == nil {
		opts.Console = testConsole(t)
	}
	if opts.Registration.Scope == "" {
		opts.Registration.Scope = "https://app.test/"
	}
	w := New(s, opts)
	t.Cleanup(w.Close)
	return w
}

// testConsole logs a worker's console to t until t has ended. Close does
// not wait for the worker's loop, so a task that was running (a timer, an
// unhandled rejection being reported) may still log after it; testing
// forbids logging once a test has completed.
func testConsole(t testing.TB) func(level, msg string) {
	var mu sync.Mutex
	ended := false
	t.Cleanup(func() {
		mu.Lock()
		ended = true
		mu.Unlock()
	})
	return func(level, msg string) {
		mu.Lock()
		defer mu.Unlock()
		if !ended {
			t.Logf("console.%s: %s", level, msg)
		}
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// runningInstance returns the worker's running instance, failing the
// test when none runs (unlike Worker.running, it never starts one).
func runningInstance(t *testing.T, w *Worker) *instance {
	t.Helper()
	w.mu.Lock()
	in := w.inst
	w.mu.Unlock()
	if in == nil || in.loop.Stopped() {
		t.Fatal("the worker is not running")
	}
	return in
}

// afterQueuedTasks runs fn on the loop of the worker's running instance
// (see runningInstance) and waits for it. The loop runs tasks in order,
// each followed by its after-task hook, so fn sees the work of every task
// queued before the call done, its after-task work (unhandled rejections
// reported, the idle timer armed) included.
func afterQueuedTasks(t *testing.T, w *Worker, fn func(in *instance)) {
	t.Helper()
	in := runningInstance(t, w)
	done := make(chan struct{})
	if !in.loop.Submit(func() { defer close(done); fn(in) }) {
		t.Fatal("the worker stopped")
	}
	select {
	case <-done:
	case <-in.loop.Done():
		t.Fatal("the worker stopped")
	}
}

func TestDispatchFetchOutcomes(t *testing.T) {
	tests := []struct {
		name       string
		src        string
		wantStatus int    // 0: no response (fall back to the network); -1: network error
		wantBody   string // checked when wantStatus > 0
		wantErrIn  string // in RespondWithError
		wantThrown string // in Exceptions[0], with the stack
	}{
		{"no listener", ``, 0, "", "", ""},
		{"listener without respondWith", `addEventListener('fetch', e => {})`, 0, "", "", ""},
		{"sync Response", `addEventListener('fetch', e => e.respondWith(new Response('hi', {status: 201})))`, 201, "hi", "", ""},
		{"promise of a Response", `addEventListener('fetch', e => e.respondWith(new Promise(r => setTimeout(() => r(new Response('later')), 5))))`, 200, "later", "", ""},
		{"async function", `addEventListener('fetch', e => e.respondWith((async () => { await null; return Response.json({a: 1}); })()))`, 200, `{"a":1}`, "", ""},
		{"promise rejects", `addEventListener('fetch', e => e.respondWith(Promise.reject(new RangeError('nope'))))`, -1, "", "RangeError: nope", ""},
		{"resolves to a non-Response", `addEventListener('fetch', e => e.respondWith(Promise.resolve('text')))`, -1, "", "not a Response", ""},
		{"used body", `addEventListener('fetch', e => { const r = new Response('x'); r.text(); e.respondWith(r); })`, -1, "", "already used", ""},
		{"throws before respondWith", "addEventListener('fetch', e => {\n  throw new TypeError('broken handler');\n});", 0, "", "", "TypeError: broken handler"},
		{"throws after respondWith", `addEventListener('fetch', e => { e.respondWith(new Response('kept')); throw new Error('late'); })`, 200, "kept", "", ""},
		{"respondWith twice", `addEventListener('fetch', e => { e.respondWith(new Response('first')); e.respondWith(new Response('second')); })`, 200, "first", "", ""},
		{"respondWith asynchronously", `addEventListener('fetch', e => { setTimeout(() => e.respondWith(new Response('x')), 0); })`, 0, "", "", ""},
		{"first listener wins, others skipped", `addEventListener('fetch', e => e.respondWith(new Response('one'))); addEventListener('fetch', e => { throw new Error('must not run'); });`, 200, "one", "", ""},
		{"onfetch attribute", `onfetch = e => e.respondWith(new Response('attr'));`, 200, "attr", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWorker(t, tt.src, Options{})
			res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/x"}, FetchEventInit{})
			if err != nil {
				t.Fatalf("DispatchFetch: %v", err)
			}
			switch {
			case tt.wantStatus == 0:
				if res.Response != nil {
					t.Fatalf("got a response %+v, want none", res.Response)
				}
			case tt.wantStatus == -1:
				if !res.Response.IsNetworkError() {
					t.Fatalf("got %+v, want a network error", res.Response)
				}
				if res.RespondWithError == nil || !strings.Contains(res.RespondWithError.Error(), tt.wantErrIn) {
					t.Fatalf("RespondWithError = %v, want it to contain %q", res.RespondWithError, tt.wantErrIn)
				}
			default:
				if res.Response == nil || res.Response.Status != tt.wantStatus || string(res.Response.Body) != tt.wantBody {
					t.Fatalf("got %+v, want status %d body %q", res.Response, tt.wantStatus, tt.wantBody)
				}
			}
			if tt.wantThrown != "" {
				if len(res.Exceptions) == 0 {
					t.Fatal("no exception reported")
				}
				got := res.Exceptions[0].Error()
				if !strings.Contains(got, tt.wantThrown) || !strings.Contains(got, "https://app.test/sw.js:2") {
					t.Errorf("exception %q, want %q with the stack at sw.js:2", got, tt.wantThrown)
				}
				if weberr.NameOf(res.Exceptions[0]) != "TypeError" {
					t.Errorf("exception name %q, want TypeError", weberr.NameOf(res.Exceptions[0]))
				}
			}
		})
	}
}

func TestFetchEventSeesTheRequest(t *testing.T) {
	w := newTestWorker(t, `
addEventListener('fetch', e => {
  e.respondWith((async () => {
    const r = e.request;
    return Response.json({
      url: r.url, method: r.method, mode: r.mode, credentials: r.credentials, destination: r.destination,
      referrer: r.referrer, accept: r.headers.get('accept'), multi: r.headers.get('x-multi'),
      body: await r.text(), clientId: e.clientId, resultingClientId: e.resultingClientId,
      immutable: (() => { try { r.headers.set('a', 'b'); return false; } catch (err) { return err instanceof TypeError; } })(),
      trusted: e.isTrusted, isFetchEvent: e instanceof FetchEvent,
    }, { headers: { 'X-Reply': 'yes' } });
  })());
});`, Options{})
	req := &fetch.Request{
		Method: "POST", URL: "https://app.test/api?q=1", Body: []byte("payload"),
		Header: http.Header{"Accept": {"application/json"}, "X-Multi": {"a", "b"}},
		Mode:   fetch.ModeSameOrigin, Credentials: fetch.CredentialsInclude, Destination: "document", Referrer: "https://app.test/page",
	}
	res, err := w.DispatchFetch(ctxT(t), req, FetchEventInit{ClientID: "c1", ResultingClientID: "c2"})
	if err != nil || res.Response == nil {
		t.Fatalf("DispatchFetch = %+v, %v", res, err)
	}
	want := `{"url":"https://app.test/api?q=1","method":"POST","mode":"same-origin","credentials":"include","destination":"document","referrer":"https://app.test/page","accept":"application/json","multi":"a, b","body":"payload","clientId":"c1","resultingClientId":"c2","immutable":true,"trusted":true,"isFetchEvent":true}`
	if got := string(res.Response.Body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
	if res.Response.Header.Get("X-Reply") != "yes" || res.Response.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", res.Response.Header)
	}
}

// A Request kept past its fetch event still reads the Go request's
// headers, fields and body, and the handle it holds on the Go request
// shows scripts nothing.
func TestRequestOutlivesItsEvent(t *testing.T) {
	w := newTestWorker(t, `
let kept = null;
addEventListener('fetch', e => {
  if (kept === null) {
    kept = e.request;
    e.respondWith(new Response('kept'));
    return;
  }
  e.respondWith((async () => {
    const st = kept[Object.getOwnPropertySymbols(kept)[0]];
    const handles = st.filter(v => v !== null && typeof v === 'object' && !(v instanceof Headers) && !Array.isArray(v));
    return Response.json({
      accept: kept.headers.get('accept'), mode: kept.mode, body: await kept.text(),
      handleKeys: handles.map(h => Object.getOwnPropertyNames(h).length + (h.req === undefined && h.URL === undefined ? 0 : 100)),
    });
  })());
});`, Options{})
	first := &fetch.Request{Method: "POST", URL: "https://app.test/a", Body: []byte("first body"), Header: http.Header{"Accept": {"text/first"}}, Mode: fetch.ModeCORS}
	if res, err := w.DispatchFetch(ctxT(t), first, FetchEventInit{}); err != nil || res.Response == nil || string(res.Response.Body) != "kept" {
		t.Fatalf("first event = %+v, %v", res, err)
	}
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/b"}, FetchEventInit{})
	if err != nil || res.Response == nil {
		t.Fatalf("second event = %+v, %v", res, err)
	}
	want := `{"accept":"text/first","mode":"cors","body":"first body","handleKeys":[0]}`
	if got := string(res.Response.Body); got != want {
		t.Errorf("body\n got %s\nwant %s", got, want)
	}
}

func TestScriptErrorsCarryTheStack(t *testing.T) {
	t.Run("runtime", func(t *testing.T) {
		s, err := CompileScript(context.Background(), testScriptURL, sw.WorkerClassic, []byte("const a = 1;\nfunction f() { null.x; }\nf();\n"), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		w := New(s, Options{})
		defer w.Close()
		err = w.Start(ctxT(t))
		var je *JSError
		if !errors.As(err, &je) {
			t.Fatalf("Start = %v, want a *JSError", err)
		}
		if je.Name != "TypeError" || !strings.Contains(je.Stack, "https://app.test/sw.js:2") {
			t.Errorf("got %s, want a TypeError at sw.js:2", je.Error())
		}
	})
	t.Run("syntax", func(t *testing.T) {
		_, err := CompileScript(context.Background(), testScriptURL, sw.WorkerClassic, []byte("let x = ;\n"), nil, 0)
		if weberr.NameOf(err) != "SyntaxError" || !strings.Contains(err.Error(), "sw.js:1") {
			t.Errorf("CompileScript = %v, want a SyntaxError at sw.js:1", err)
		}
	})
	t.Run("too big", func(t *testing.T) {
		_, err := CompileScript(context.Background(), testScriptURL, sw.WorkerClassic, []byte(strings.Repeat(" ", 101)), nil, 100)
		if weberr.NameOf(err) != weberr.QuotaExceeded {
			t.Errorf("CompileScript = %v, want QuotaExceededError", err)
		}
	})
}

func TestLifecycleEvents(t *testing.T) {
	t.Run("waitUntil and skipWaiting", func(t *testing.T) {
		w := newTestWorker(t, `
let log = [];
addEventListener('install', e => {
  e.waitUntil(new Promise(r => setTimeout(r, 10)).then(() => log.push('install done')));
  skipWaiting();
});
addEventListener('activate', e => e.waitUntil(Promise.resolve().then(() => log.push('activated'))));
addEventListener('fetch', e => e.respondWith(new Response(log.join(','))));`, Options{})
		res, err := w.DispatchInstall(ctxT(t))
		if err != nil || !res.SkipWaiting || res.ForeignFetch != nil {
			t.Fatalf("install = %+v, %v", res, err)
		}
		if err := w.DispatchActivate(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		r, _ := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if got := string(r.Response.Body); got != "install done,activated" {
			t.Errorf("log = %q", got)
		}
	})
	t.Run("lifetime promises", func(t *testing.T) {
		// Each script records in log what its install listener saw; the
		// fetch event reports it. Settled and pending lifetime promises
		// take different paths (see settleLifetime).
		tests := []struct {
			name    string
			install string // the install listener's body (e is the event)
			wantErr string // substring of DispatchInstall's error, "" for success
			wantLog string // log after install, read by a fetch event
		}{
			{"none", `log.push('ran');`, "", "ran"},
			{"resolved", `e.waitUntil(Promise.resolve(1)); e.waitUntil(2);`, "", ""},
			{"chain of resolved promises", `e.waitUntil(Promise.resolve().then(() => Promise.resolve()).then(() => log.push('chain')));`, "", "chain"},
			{"rejected", `e.waitUntil(Promise.resolve()); e.waitUntil(Promise.reject(new Error('first'))); e.waitUntil(Promise.reject(new Error('second')));`, "first", ""},
			{"pending then resolved", `e.waitUntil(new Promise(r => setTimeout(r, 5)).then(() => log.push('late')));`, "", "late"},
			{"pending and rejected", `e.waitUntil(new Promise(r => setTimeout(r, 5))); e.waitUntil(Promise.reject(new Error('settled early')));`, "settled early", ""},
			{"pending then rejected", `e.waitUntil(new Promise((_, j) => setTimeout(() => j(new Error('late failure')), 5)));`, "late failure", ""},
			{"thenable", `e.waitUntil({ then(r) { setTimeout(() => { log.push('thenable'); r(); }, 5); } });`, "", "thenable"},
			{"waitUntil from a microtask while extended", `const p = Promise.resolve(); e.waitUntil(p); p.then(() => { e.waitUntil(new Promise(r => setTimeout(r, 5)).then(() => log.push('added'))); });`, "", "added"},
			{"waitUntil from a reaction to a pending lifetime promise", `const p = new Promise(r => setTimeout(r, 5)); e.waitUntil(p); p.then(() => { e.waitUntil(new Promise(r => setTimeout(r, 5)).then(() => log.push('added'))); });`, "", "added"},
			{"waitUntil once the event is over", `e.waitUntil(Promise.resolve()); setTimeout(() => { try { e.waitUntil(Promise.resolve()); log.push('accepted'); } catch (err) { log.push(err.name); } }, 0);`, "", "InvalidStateError"},
			{"waitUntil after a pending promise settled", `e.waitUntil(new Promise(r => setTimeout(r, 1))); setTimeout(() => { try { e.waitUntil(Promise.resolve()); log.push('accepted'); } catch (err) { log.push(err.name); } }, 20);`, "", "InvalidStateError"},
			{"registerForeignFetch once install is over", `e.waitUntil(Promise.resolve()); setTimeout(() => { try { e.registerForeignFetch({ scopes: ['/'], origins: ['*'] }); log.push('registered'); } catch (err) { log.push(err.name); } }, 0);`, "", "InvalidStateError"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				var mu sync.Mutex
				var console []string
				w := newTestWorker(t, quietPrelude+"const log = [];\naddEventListener('install', e => {\n"+tt.install+"\n});\naddEventListener('fetch', e => e.respondWith(quiet().then(() => new Response(log.join(',')))));", Options{
					Console: func(level, msg string) { mu.Lock(); console = append(console, level+": "+msg); mu.Unlock() },
				})
				_, err := w.DispatchInstall(ctxT(t))
				switch {
				case tt.wantErr == "" && err != nil:
					t.Fatalf("install: %v", err)
				case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
					t.Fatalf("install error = %v, want one with %q", err, tt.wantErr)
				}
				// The fetch handler answers once every timer the script set
				// has fired and the tasks those timers queued have run
				// (quietPrelude): the log is final then.
				r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
				if err != nil || r.Response == nil {
					t.Fatalf("fetch = %+v, %v", r, err)
				}
				got := string(r.Response.Body)
				if got != tt.wantLog {
					t.Errorf("log = %q, want %q", got, tt.wantLog)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(console) > 0 || w.Stats().UnhandledRejections != 0 {
					t.Errorf("console = %q, unhandled rejections = %d: waitUntil handles its promises", console, w.Stats().UnhandledRejections)
				}
			})
		}
	})
	t.Run("rejected waitUntil fails install", func(t *testing.T) {
		w := newTestWorker(t, `addEventListener('install', e => e.waitUntil(Promise.reject(new Error('precache failed'))));`, Options{})
		_, err := w.DispatchInstall(ctxT(t))
		if err == nil || !strings.Contains(err.Error(), "precache failed") {
			t.Errorf("install error = %v", err)
		}
	})
	t.Run("throwing listener fails install", func(t *testing.T) {
		w := newTestWorker(t, "addEventListener('install', e => {\n  undefinedFunction();\n});", Options{})
		_, err := w.DispatchInstall(ctxT(t))
		if err == nil || weberr.NameOf(err) != "ReferenceError" || !strings.Contains(err.Error(), "sw.js:2") {
			t.Errorf("install error = %v, want a ReferenceError at sw.js:2", err)
		}
	})
	t.Run("registerForeignFetch", func(t *testing.T) {
		w := newTestWorker(t, `
addEventListener('install', e => e.registerForeignFetch({scopes: [registration.scope + 'fonts/'], origins: ['*']}));
addEventListener('fetch', e => {
  let name = 'none';
  try { new InstallEvent('install').registerForeignFetch({scopes: ['/'], origins: ['*']}); } catch (err) { name = err.name; }
  e.respondWith(new Response(name));
});`, Options{})
		res, err := w.DispatchInstall(ctxT(t))
		if err != nil || res.ForeignFetch == nil {
			t.Fatalf("install = %+v, %v", res, err)
		}
		if got := fmt.Sprint(res.ForeignFetch.Scopes, res.ForeignFetch.Origins); got != "[https://app.test/fonts/] [*]" {
			t.Errorf("registration = %s", got)
		}
		r, _ := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if string(r.Response.Body) != "InvalidStateError" {
			t.Errorf("registerForeignFetch outside install threw %q, want InvalidStateError", r.Response.Body)
		}
	})
	t.Run("registerForeignFetch argument checks", func(t *testing.T) {
		for _, arg := range []string{`{scopes: ['https://other.test/'], origins: ['*']}`, `{scopes: ['/'], origins: ['not an origin']}`, `{scopes: '/', origins: ['*']}`, `{scopes: [], origins: ['*']}`, `{scopes: ['/'], origins: ['*', 'https://a.test']}`} {
			w := newTestWorker(t, `addEventListener('install', e => e.registerForeignFetch(`+arg+`));`, Options{})
			if _, err := w.DispatchInstall(ctxT(t)); weberr.NameOf(err) != "TypeError" {
				t.Errorf("registerForeignFetch(%s): %v, want a TypeError", arg, err)
			}
		}
	})
	t.Run("importScripts after install", func(t *testing.T) {
		loader := MapLoader{"https://app.test/a.js": "self.a = 1;", "https://app.test/b.js": "self.b = 1;"}
		w := newTestWorker(t, `
importScripts('a.js');
addEventListener('install', e => importScripts('b.js'));
addEventListener('fetch', e => {
  let out = [];
  for (const u of ['a.js', 'b.js', 'c.js']) { try { importScripts(u); out.push(u + ':ok'); } catch (err) { out.push(u + ':' + err.name); } }
  e.respondWith(new Response(out.join(' ')));
});`, Options{Loader: loader})
		if _, err := w.DispatchInstall(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		r, _ := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if got := string(r.Response.Body); got != "a.js:ok b.js:ok c.js:NetworkError" {
			t.Errorf("importScripts after install: %q", got)
		}
	})
}

// quietPrelude wraps a test script's setTimeout to count the timers set
// and not yet done, and defines quiet(): a promise that resolves once none
// is left. A timer is done in the task after its callback, so that
// timers set by the reactions its callback triggered (microtasks) are
// counted first. A test waits on quiet() for a script's timers rather
// than on the wall clock.
const quietPrelude = `
let pendingTimers = 0, quietWaiters = [];
const realSetTimeout = setTimeout;
function settleQuiet() {
  if (pendingTimers > 0) return;
  const ws = quietWaiters;
  quietWaiters = [];
  for (const r of ws) r();
}
function quiet() { return new Promise(r => { quietWaiters.push(r); settleQuiet(); }); }
self.setTimeout = (f, d) => {
  pendingTimers++;
  return realSetTimeout(() => {
    try { f(); } finally { realSetTimeout(() => { pendingTimers--; settleQuiet(); }, 0); }
  }, d);
};
`

// TestCPUBudgetInterruptsRunawayScript: the watchdog covers the task
// that binds a runtime and evaluates the script (its budget is at least
// 5 s, so this test takes that long).
func TestCPUBudgetInterruptsRunawayScript(t *testing.T) {
	if testing.Short() {
		t.Skip("spins for the 5 s evaluation budget")
	}
	w := newTestWorker(t, `addEventListener('fetch', () => {}); while (true) {}`, Options{Limits: Limits{CPUPerTask: 50 * time.Millisecond}})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := w.Start(ctx)
	if weberr.NameOf(err) != weberr.TimeoutError || !errors.Is(err, ErrCPUBudget) {
		t.Fatalf("Start = %v, want a TimeoutError wrapping ErrCPUBudget", err)
	}
}

// TestStopInterruptsRunningScript: stopping a worker whose JavaScript is
// running (here a loop far from its CPU budget, in the script's top level
// and in a listener) ends its loop goroutine at once. The script logs just
// before its loop: Stop comes once the log has reached the test, so the
// loop has begun or is about to, and only an interrupt can end it.
func TestStopInterruptsRunningScript(t *testing.T) {
	for _, src := range []string{
		`console.log('looping'); while (true) {}`,
		`addEventListener('fetch', () => { console.log('looping'); while (true) {} });`,
	} {
		looping := make(chan struct{}, 1)
		w := newTestWorker(t, src, Options{Limits: Limits{CPUPerTask: time.Minute}, Console: func(level, msg string) {
			select {
			case looping <- struct{}{}:
			default:
			}
		}})
		go func() { _, _ = w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}) }()
		select {
		case <-looping:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the script did not reach its loop", src)
		}
		w.mu.Lock()
		in := w.inst
		w.mu.Unlock()
		w.Stop()
		select {
		case <-in.loop.Done():
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the loop goroutine still runs after Stop", src)
		}
	}
}

// TestNoConsoleAfterClose: a script logging without end (in a listener
// and from timers) reaches Options.Console until Close, never after Close
// has returned, though Close lands while a call is in progress. The
// script's console calls are made on its loop goroutine, which may run on
// for a moment after Close (Close does not wait for it); once the loop is
// Done the script can make no more, so the test counts the calls begun
// between Close's return and the loop's end: there must be none.
func TestNoConsoleAfterClose(t *testing.T) {
	for round := range 5 {
		var closed atomic.Bool
		var calls, late atomic.Int64
		enough := make(chan struct{}) // closed at the threshold-th call
		threshold := int64(10 + round*20)
		w := newTestWorker(t, `
setInterval(() => console.log('tick'), 0);
addEventListener('fetch', () => { for (;;) console.log('busy'); });`, Options{
			Limits: Limits{CPUPerTask: time.Minute},
			Console: func(level, msg string) {
				if calls.Add(1) == threshold {
					close(enough)
				}
				time.Sleep(50 * time.Microsecond) // widen the window Close may land in
				if closed.Load() {
					late.Add(1)
				}
			},
		})
		go func() {
			_, _ = w.DispatchFetch(context.Background(), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		}()
		select {
		case <-enough:
		case <-time.After(5 * time.Second):
			t.Fatal("the script did not log")
		}
		w.mu.Lock()
		in := w.inst
		w.mu.Unlock()
		w.Close()
		closed.Store(true)
		n := calls.Load()
		select {
		case <-in.loop.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("the worker's loop goroutine still runs 5 s after Close")
		}
		if late.Load() != 0 || calls.Load() != n {
			t.Fatalf("round %d: %d console calls still running when Close returned, %d begun after it (%d before)", round, late.Load(), calls.Load()-n, n)
		}
	}
}

// TestRunning: Running is true from a start until the runtime stops, and
// false as soon as Start has returned a script's top-level exception (the
// instance stops itself; it used to be forgotten a moment later).
func TestRunning(t *testing.T) {
	tests := []struct {
		name, src string
		startErr  bool
		then      func(w *Worker)
		want      bool
	}{
		{"started", `addEventListener('fetch', () => {});`, false, func(*Worker) {}, true},
		{"stopped", `addEventListener('fetch', () => {});`, false, (*Worker).Stop, false},
		{"closed", `addEventListener('fetch', () => {});`, false, (*Worker).Close, false},
		{"script threw", `throw new Error('boom');`, true, func(*Worker) {}, false},
		{"syntax error at run time", `eval('{');`, true, func(*Worker) {}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 20 { // the old defect showed in most rounds, not all
				w := newTestWorker(t, tt.src, Options{Console: func(string, string) {}})
				if w.Running() {
					t.Fatal("Running before any start")
				}
				if err := w.Start(ctxT(t)); (err != nil) != tt.startErr {
					t.Fatalf("Start: %v", err)
				}
				tt.then(w)
				if got := w.Running(); got != tt.want {
					t.Fatalf("Running = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

// TestBodyLimitPerWorker: runtimes are bootstrapped for the default body
// limit; a worker with another limit configures its own when it starts.
func TestBodyLimitPerWorker(t *testing.T) {
	// The answer has no body (the limit applies to it too): 204 when a
	// body of 11 characters was accepted, 413 when QuotaExceededError.
	const src = `addEventListener('fetch', e => {
  let status = 204;
  try { new Response('x'.repeat(11)); } catch (err) { if (err.name === 'QuotaExceededError') status = 413; }
  e.respondWith(new Response(null, { status }));
});`
	for _, tt := range []struct {
		limit, want int
	}{{0, 204}, {10, 413}, {11, 204}} {
		w := newTestWorker(t, src, Options{Limits: Limits{MaxBodyBytes: tt.limit}})
		r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if err != nil || r.Response == nil {
			t.Fatalf("limit %d: %+v, %v", tt.limit, r, err)
		}
		if r.Response.Status != tt.want {
			t.Errorf("limit %d: status %d, want %d", tt.limit, r.Response.Status, tt.want)
		}
	}
}

func TestCPUBudgetInterruptsRunawayHandler(t *testing.T) {
	limits := Limits{CPUPerTask: 100 * time.Millisecond}
	bad := newTestWorker(t, `
let hits = 0;
addEventListener('fetch', e => {
  hits++;
  if (new URL(e.request.url).pathname === '/spin') { while (true) {} }
  e.respondWith(new Response('hits=' + hits));
});`, Options{Limits: limits})
	good := newTestWorker(t, `addEventListener('fetch', e => e.respondWith(new Response('fine')));`, Options{Limits: limits})

	done := make(chan error, 1)
	go func() {
		_, err := bad.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/spin"}, FetchEventInit{})
		done <- err
	}()
	// The other worker keeps serving while the bad one spins.
	for range 5 {
		r, err := good.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if err != nil || string(r.Response.Body) != "fine" {
			t.Fatalf("good worker: %+v, %v", r, err)
		}
	}
	select {
	case err := <-done:
		if weberr.NameOf(err) != weberr.TimeoutError || !errors.Is(err, ErrCPUBudget) {
			t.Fatalf("spinning handler: %v, want a TimeoutError wrapping ErrCPUBudget", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the spinning handler was not interrupted")
	}
	// The interrupted worker was stopped; the next event starts a fresh one.
	r, err := bad.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/ok"}, FetchEventInit{})
	if err != nil || string(r.Response.Body) != "hits=1" {
		t.Fatalf("after the interrupt: %+v, %v (want a restarted worker, hits=1)", r, err)
	}
	if st := bad.Stats(); st.Starts != 2 || st.Stops < 1 {
		t.Errorf("stats %+v, want 2 starts", st)
	}
}

func TestHeapCeilingInterrupts(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates a few hundred MB")
	}
	w := newTestWorker(t, `
addEventListener('fetch', e => {
  const hoard = [];
  for (;;) hoard.push(new Array(1000).fill('x'));
});`, Options{Limits: Limits{MaxHeapGrowth: 32 << 20, CPUPerTask: 30 * time.Second}})
	_, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if weberr.NameOf(err) != weberr.QuotaExceeded || !errors.Is(err, ErrHeapGrowth) {
		t.Fatalf("hoarding handler: %v, want QuotaExceededError wrapping ErrHeapGrowth", err)
	}
}

func TestEventTimeout(t *testing.T) {
	w := newTestWorker(t, `addEventListener('fetch', e => e.respondWith(new Promise(() => {})));`, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := w.DispatchFetch(ctx, &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if weberr.NameOf(err) != weberr.TimeoutError {
		t.Fatalf("never-settling respondWith: %v, want TimeoutError", err)
	}
	w2 := newTestWorker(t, `addEventListener('fetch', e => e.respondWith(new Promise(() => {})));`, Options{Limits: Limits{EventTimeout: 150 * time.Millisecond}})
	start := time.Now()
	_, err = w2.DispatchFetch(context.Background(), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if weberr.NameOf(err) != weberr.TimeoutError || time.Since(start) > 3*time.Second {
		t.Fatalf("EventTimeout: %v after %v", err, time.Since(start))
	}
}

func TestIdleStopAndRestart(t *testing.T) {
	w := newTestWorker(t, `
let counter = 0;
addEventListener('fetch', e => e.respondWith(new Response(String(++counter))));`, Options{Limits: Limits{IdleTimeout: 50 * time.Millisecond}})
	get := func() string {
		r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if err != nil {
			t.Fatal(err)
		}
		return string(r.Response.Body)
	}
	if a, b := get(), get(); a != "1" || b != "2" {
		t.Fatalf("counter %s, %s", a, b)
	}
	// The idle timeout is on the wall clock (the host's housekeeping);
	// the test waits for the instance's loop to end, not for time. (No
	// instance: it has stopped and been detached already.)
	w.mu.Lock()
	in := w.inst
	w.mu.Unlock()
	if in != nil {
		select {
		case <-in.loop.Done():
		case <-time.After(5 * time.Second):
			t.Fatal("the worker did not stop when idle")
		}
	}
	if w.Running() {
		t.Fatal("Running after the instance's loop ended")
	}
	if got := get(); got != "1" {
		t.Errorf("after the restart counter = %s, want 1 (globals are lost)", got)
	}
	if st := w.Stats(); st.Starts != 2 {
		t.Errorf("starts = %d, want 2", st.Starts)
	}
}

// TestPendingWaitUntilKeepsWorkerAlive: a worker whose waitUntil promise
// is pending does not go idle, and goes idle once it settles. The promise
// waits on a timer of a manual clock, so it settles when the test moves
// the clock; the idle timeout stays on the wall clock. The contract
// checked while the promise is pending: once the event has ended (its
// after-task work done), the worker runs, the promise counts as pending
// and no idle timer is armed, so nothing can stop it for idleness.
func TestPendingWaitUntilKeepsWorkerAlive(t *testing.T) {
	c := clock.NewManual(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	w := newTestWorker(t, `
addEventListener('fetch', e => {
  e.waitUntil(new Promise(r => setTimeout(r, 500)));
  e.respondWith(new Response('ok'));
});`, Options{Clock: c, Limits: Limits{IdleTimeout: 20 * time.Millisecond}})
	if _, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); err != nil {
		t.Fatal(err)
	}
	var extend int
	var armed bool
	afterQueuedTasks(t, w, func(in *instance) { extend, armed = in.extend, in.idleTimer != 0 || in.idleWall })
	if extend != 1 || armed {
		t.Errorf("after the event, with its waitUntil promise pending: %d lifetime promises pending, idle timer armed %v; want 1, false", extend, armed)
	}
	in := runningInstance(t, w)       // fails the test if it stopped meanwhile
	c.Advance(500 * time.Millisecond) // the promise settles
	select {
	case <-in.loop.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("still running after the lifetime promise settled and the idle timeout passed")
	}
	if st := w.Stats(); st.Starts != 1 || st.Stops != 1 {
		t.Errorf("starts, stops = %d, %d; want 1, 1", st.Starts, st.Stops)
	}
}

func TestUnhandledRejectionsAreReported(t *testing.T) {
	var mu sync.Mutex
	var lines []string
	w := newTestWorker(t, `
addEventListener('fetch', e => {
  Promise.reject(new Error('forgotten'));
  Promise.reject(new Error('handled later')).catch(() => {});
  e.respondWith(new Response('ok'));
});`, Options{Console: func(level, msg string) { mu.Lock(); lines = append(lines, level+": "+msg); mu.Unlock() }})
	if _, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); err != nil {
		t.Fatal(err)
	}
	// Rejections are reported by the after-task hook of the task that
	// made them (once its microtasks have run), before the loop's next
	// task.
	afterQueuedTasks(t, w, func(*instance) {})
	if n := w.Stats().UnhandledRejections; n != 1 {
		t.Errorf("UnhandledRejections = %d, want 1", n)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) != 1 || !strings.Contains(lines[0], "Uncaught (in promise) Error: forgotten") {
		t.Errorf("console %q", lines)
	}
}

// TestLateListenerWarning: a listener of a worker event added after the
// script's evaluation draws a console warning, as browsers give; one added
// while the script evaluates, or of another type, does not.
func TestLateListenerWarning(t *testing.T) {
	tests := []struct {
		name, src string
		warn      string // the console warning expected, "" for none
	}{
		{"during evaluation", `addEventListener('fetch', e => e.respondWith(new Response('ok')));
addEventListener('message', () => {});`, ""},
		{"from a fetch handler", `addEventListener('fetch', e => {
  self.addEventListener('message', () => {});
  e.respondWith(new Response('ok'));
});`, "warn: Event handler of 'message' event must be added on the initial evaluation of worker script."},
		{"a second listener, late", `addEventListener('fetch', e => {
  addEventListener('fetch', () => {}, { once: true });
  e.respondWith(new Response('ok'));
});`, "warn: Event handler of 'fetch' event must be added on the initial evaluation of worker script."},
		{"another type, late", `addEventListener('fetch', e => {
  addEventListener('custom', () => {});
  e.respondWith(new Response('ok'));
});`, ""},
		{"from a timer after evaluation", `setTimeout(() => addEventListener('install', () => {}), 0);
addEventListener('fetch', e => e.respondWith(new Promise(r => setTimeout(() => r(new Response('ok')), 5))));`,
			"warn: Event handler of 'install' event must be added on the initial evaluation of worker script."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var lines []string
			w := newTestWorker(t, tt.src, Options{Console: func(level, msg string) { mu.Lock(); lines = append(lines, level+": "+msg); mu.Unlock() }})
			res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
			if err != nil || res.Response == nil || res.Response.Status != 200 {
				t.Fatalf("DispatchFetch = %+v, %v", res, err)
			}
			mu.Lock()
			defer mu.Unlock()
			var want []string
			if tt.warn != "" {
				want = []string{tt.warn}
			}
			if !slices.Equal(lines, want) {
				t.Errorf("console %q, want %q", lines, want)
			}
		})
	}
}

func TestConcurrentDispatch(t *testing.T) {
	w := newTestWorker(t, `
let n = 0;
addEventListener('fetch', e => e.respondWith(Promise.resolve().then(() => new Response(e.request.url + ' ' + (++n)))));`, Options{})
	var wg sync.WaitGroup
	var failures atomic.Int32
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				u := fmt.Sprintf("https://app.test/%d/%d", g, i)
				r, err := w.DispatchFetch(context.Background(), &fetch.Request{URL: u}, FetchEventInit{})
				if err != nil || r.Response == nil || !strings.HasPrefix(string(r.Response.Body), u+" ") {
					failures.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if f := failures.Load(); f != 0 {
		t.Errorf("%d of 320 concurrent dispatches failed", f)
	}
	if st := w.Stats(); st.Starts != 1 {
		t.Errorf("starts = %d, want 1", st.Starts)
	}
}

func TestStopFailsEventsInFlight(t *testing.T) {
	inFlight := make(chan struct{}, 1) // the listener logs once it has called respondWith
	w := newTestWorker(t, `addEventListener('fetch', e => { e.respondWith(new Promise(() => {})); console.log('in flight'); });`, Options{
		Console: func(string, string) {
			select {
			case inFlight <- struct{}{}:
			default:
			}
		},
	})
	errc := make(chan error, 1)
	go func() {
		_, err := w.DispatchFetch(context.Background(), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		errc <- err
	}()
	select {
	case <-inFlight:
	case <-time.After(5 * time.Second):
		t.Fatal("the fetch listener did not run")
	}
	w.Stop()
	select {
	case err := <-errc:
		if weberr.NameOf(err) != weberr.AbortError {
			t.Errorf("in-flight event after Stop: %v, want AbortError", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the in-flight event did not finish after Stop")
	}
	w.Close()
	if _, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); weberr.NameOf(err) != weberr.InvalidStateError {
		t.Errorf("after Close: %v, want InvalidStateError", err)
	}
}

func TestHasListeners(t *testing.T) {
	w := newTestWorker(t, `addEventListener('fetch', () => {}); oncrossoriginconnect = () => {};`, Options{})
	for typ, want := range map[string]bool{"fetch": true, "crossoriginconnect": true, "install": false, "foreignfetch": false} {
		got, err := w.HasListeners(ctxT(t), typ)
		if err != nil || got != want {
			t.Errorf("HasListeners(%q) = %v, %v; want %v", typ, got, err, want)
		}
	}
}

func TestUnhandledRejectionCanBeCancelled(t *testing.T) {
	w := newTestWorker(t, `
addEventListener('unhandledrejection', e => { if (e.reason === 'quiet') e.preventDefault(); });
addEventListener('fetch', e => {
  Promise.reject('quiet');
  Promise.reject('loud');
  e.respondWith(new Response('ok'));
});`, Options{Console: func(string, string) {}})
	if _, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{}); err != nil {
		t.Fatal(err)
	}
	// Both rejections are made in the fetch listener's task; its
	// after-task hook reports (or drops) them all before the loop's next
	// task, so the count is final then.
	afterQueuedTasks(t, w, func(*instance) {})
	if n := w.Stats().UnhandledRejections; n != 1 {
		t.Errorf("UnhandledRejections = %d, want 1 (the cancelled one is not reported)", n)
	}
}

// A fetched response's headers stay in Go until a script lists them:
// get() reads them there (names in any case), and a response passed to
// respondWith unread hands the same headers back.
func TestFetchedResponseHeaders(t *testing.T) {
	upstream := &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: http.Header{
		"X-Multi": {"a", "b"}, "content-type": {"text/plain"}, "Etag": {`"v1"`},
	}, Body: []byte("body")}
	w := newTestWorker(t, `
addEventListener('fetch', e => {
  if (e.request.url.endsWith('/unread')) { e.respondWith(fetch(e.request)); return; }
  e.respondWith(fetch(e.request).then(r => Response.json({
    multi: r.headers.get('x-multi'), type: r.headers.get('Content-Type'), missing: r.headers.get('x-none'),
    list: [...r.headers].map(([k, v]) => k + '=' + v),
  })));
});`, Options{Fetcher: constFetcher{upstream}})
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/unread"}, FetchEventInit{})
	if err != nil || res.Response == nil {
		t.Fatalf("unread: %+v, %v", res, err)
	}
	if got := res.Response.Header; !reflect.DeepEqual(got, upstream.Header) {
		t.Errorf("unread headers = %v, want %v", got, upstream.Header)
	}
	res.Response.Header.Set("X-Changed", "1")
	if upstream.Header.Get("X-Changed") != "" {
		t.Error("the response handed back shares its header map with the fetched one")
	}
	res, err = w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/read"}, FetchEventInit{})
	if err != nil || res.Response == nil {
		t.Fatalf("read: %+v, %v", res, err)
	}
	want := `{"multi":"a, b","type":"text/plain","missing":null,"list":["content-type=text/plain","etag=\"v1\"","x-multi=a, b"]}`
	if got := string(res.Response.Body); got != want {
		t.Errorf("read\n got %s\nwant %s", got, want)
	}
}

// TestEventRequestHeadersToGo: the headers of an event's request that no
// script listed go back to Go as they came (multi-valued ones included)
// when the request is passed on (fetch(e.request), cache keys), as a
// copy; after a script listed them, or for a request it made from the
// event's, Go gets the listed or changed ones.
func TestEventRequestHeadersToGo(t *testing.T) {
	in := http.Header{"X-Multi": {"a", "b"}, "Accept": {"text/html"}, "X-Odd": {" spaced "}}
	var got []http.Header
	fetcher := fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
		got = append(got, req.Header)
		return &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: http.Header{}, Body: []byte("ok")}, nil
	})
	w := newTestWorker(t, `
addEventListener('fetch', e => {
  const p = new URL(e.request.url).pathname;
  if (p === '/unread') e.respondWith(fetch(e.request));
  else if (p === '/got') { e.request.headers.get('accept'); e.respondWith(fetch(e.request)); }
  else if (p === '/listed') { [...e.request.headers]; e.respondWith(fetch(e.request)); }
  else e.respondWith(fetch(new Request(e.request, { headers: { 'X-New': '1' } })));
});`, Options{Fetcher: fetcher})
	var sent []http.Header
	for _, path := range []string{"/unread", "/got", "/listed", "/changed"} {
		sent = append(sent, in.Clone())
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test" + path, Header: sent[len(sent)-1]}, FetchEventInit{})
		if err != nil || res.Response == nil {
			t.Fatalf("%s: %+v, %v", path, res, err)
		}
	}
	if len(got) != 4 {
		t.Fatalf("%d fetches, want 4", len(got))
	}
	for i, path := range []string{"/unread", "/got"} {
		if !reflect.DeepEqual(got[i], in) {
			t.Errorf("%s: Go got %v, want %v", path, got[i], in)
		}
	}
	// Listed headers are lower-cased and combined the standard's way.
	if g := got[2]; g.Get("X-Multi") != "a, b" && !reflect.DeepEqual(g.Values("X-Multi"), []string{"a", "b"}) || g.Get("Accept") != "text/html" {
		t.Errorf("/listed: Go got %v", g)
	}
	if g := got[3]; g.Get("X-New") != "1" || g.Get("Accept") != "" {
		t.Errorf("/changed: Go got %v, want only X-New", g)
	}
	got[0].Set("X-Changed", "1")
	if sent[0].Get("X-Changed") != "" {
		t.Error("the request passed on shares its header map with the event's")
	}
}

// TestRetired: Retired closes when a worker closed with CloseWhenIdle has
// answered its event in flight (not before), and at once for Close; the
// stop is counted by then.
func TestRetired(t *testing.T) {
	handling := make(chan struct{}, 1)
	w := newTestWorker(t, `
addEventListener('fetch', (e) => { console.log('handling'); e.respondWith(new Promise((resolve) => { self.answer = resolve; })); });`,
		Options{Console: func(level, msg string) {
			if msg == "handling" {
				handling <- struct{}{}
			}
		}})
	answered := make(chan error, 1)
	go func() {
		_, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		answered <- err
	}()
	<-handling
	in, err := w.running()
	if err != nil {
		t.Fatal(err)
	}
	w.CloseWhenIdle(time.Minute)
	select {
	case <-w.Retired():
		t.Fatal("retired with an event in flight")
	default:
	}
	in.loop.Submit(func() { _, _ = in.rt.RunString(`self.answer(new Response('done'))`) })
	if err := <-answered; err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.Retired():
	case <-time.After(10 * time.Second):
		t.Fatal("not retired after its event was answered")
	}
	if w.Stats().Stops == 0 {
		t.Error("retired without a counted stop")
	}
	w2 := newTestWorker(t, `addEventListener('fetch', () => {});`, Options{})
	w2.Close()
	select {
	case <-w2.Retired():
	default:
		t.Error("Close did not retire the worker")
	}
}
