package worker

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/internal/cputime"
	"github.com/swhost/swhost/sw"
)

func benchWorker(b *testing.B, src string) *Worker {
	b.Helper()
	s, err := CompileScript(context.Background(), "https://app.test/sw.js", sw.WorkerClassic, []byte(src), nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	w := New(s, Options{Limits: benchLimits})
	b.Cleanup(w.Close)
	if err := w.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	settleWarm()
	return w
}

// settleWarm waits until the warm pool is not refilling, so that its
// allocations do not land in a benchmark's figures.
func settleWarm() {
	for {
		warm.mu.Lock()
		filling := warm.filling
		warm.mu.Unlock()
		if !filling {
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
}

const constSW = `self.addEventListener('fetch', e => e.respondWith(new Response('ok')));`
const readSW = `self.addEventListener('fetch', e => {
  const r = e.request;
  e.respondWith(new Response(r.url + ' ' + r.headers.get('accept')));
});`

// BenchmarkFetchDispatch measures a fetch event round trip: Go request in,
// JS Request built, handler run, Go response out.
func BenchmarkFetchDispatch(b *testing.B) {
	ctx := context.Background()
	req := &fetch.Request{URL: "https://app.test/books/7", Header: http.Header{"Accept": {"text/html"}}}
	for _, bc := range []struct{ name, src string }{{"const", constSW}, {"readURLHeader", readSW}} {
		b.Run(bc.name, func(b *testing.B) {
			w := benchWorker(b, bc.src)
			b.ReportAllocs()
			for b.Loop() {
				res, err := w.DispatchFetch(ctx, req, FetchEventInit{})
				if err != nil || res.Response == nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The same work as a plain Go http.Handler, for comparison.
	b.Run("goHandler/const", func(b *testing.B) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			io.WriteString(w, "ok")
		})
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "https://app.test/books/7", nil)
			h.ServeHTTP(rec, r)
		}
	})
	b.Run("goHandler/readURLHeader", func(b *testing.B) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
			io.WriteString(w, r.URL.String()+" "+r.Header.Get("Accept"))
		})
		b.ReportAllocs()
		for b.Loop() {
			rec := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "https://app.test/books/7", nil)
			r.Header.Set("Accept", "text/html")
			h.ServeHTTP(rec, r)
		}
	})
}

// fiftyLineSW is a 50-line worker script for the cold-start figure.
var fiftyLineSW = func() string {
	var b strings.Builder
	b.WriteString("const CACHE = 'v1';\nconst routes = new Map();\n")
	for i := range 20 {
		fmt.Fprintf(&b, "routes.set('/r%d', (req) => new Response('route %d ' + req.url));\n", i, i)
	}
	b.WriteString(`self.addEventListener('install', (event) => {
  event.waitUntil(Promise.resolve().then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(Promise.resolve(true));
});
function route(req) {
  const u = new URL(req.url);
  return routes.get(u.pathname);
}
self.addEventListener('fetch', (event) => {
  const h = route(event.request);
  if (h) {
    event.respondWith(h(event.request));
  }
});
`)
	for i := range 16 {
		fmt.Fprintf(&b, "function helper%d(x) { return x + %d; }\n", i, i)
	}
	return b.String()
}()

// BenchmarkColdStart measures starting a worker from a cached compiled
// script: evaluate a 50-line script and fire install and activate.
// "warm" takes a runtime whose global scope the warm pool built ahead of
// time (the pool is refilled outside the timed region); "engine" is the
// peer: the same script and events on a bare sobek runtime (see
// coldStartEngine); "engine-fresh" makes that bare runtime inside the
// timed region, as a host with no pool would; "paired" alternates warm
// and engine, start by start, and reports each one's time and their
// ratio, which the machine's noise (other tenants, CPU steal) moves far
// less than either figure; "cold" builds the global scope on the spot
// (pool disabled).
func BenchmarkColdStart(b *testing.B) {
	ctx := context.Background()
	s, err := CompileScript(ctx, "https://app.test/sw.js", sw.WorkerClassic, []byte(fiftyLineSW), nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	start := func(b *testing.B) {
		w := New(s, Options{Limits: Limits{IdleTimeout: -1}})
		if _, err := w.DispatchInstall(ctx); err != nil {
			b.Fatal(err)
		}
		if err := w.DispatchActivate(ctx); err != nil {
			b.Fatal(err)
		}
		w.Close()
	}
	b.Run("warm", func(b *testing.B) {
		defer SetWarmRuntimes(2)
		b.ReportAllocs()
		// The pool is filled with one runtime per start before the timed
		// region, so that the starts run back to back: none waits for a
		// refill, and no refill competes for the CPU while one is timed.
		startsInChunks(b, prefillWarm, func(int) { start(b) })
	})
	b.Run("engine", coldStartEngine)
	b.Run("engine-fresh", coldStartEngineFresh)
	b.Run("paired", func(b *testing.B) {
		defer SetWarmRuntimes(2)
		e := newEngineStarts(b)
		var warmT, engineT time.Duration
		startsInChunks(b, func(n int) {
			prefillWarm(n)
			e.prepare(n)
		}, func(i int) {
			t0 := time.Now()
			start(b)
			t1 := time.Now()
			e.start(i)
			warmT += t1.Sub(t0)
			engineT += time.Since(t1)
		})
		b.ReportMetric(float64(warmT.Microseconds())/float64(b.N), "warm-µs/op")
		b.ReportMetric(float64(engineT.Microseconds())/float64(b.N), "engine-µs/op")
		b.ReportMetric(float64(warmT)/float64(engineT), "warm/engine")
	})
	b.Run("cold", func(b *testing.B) {
		SetWarmRuntimes(0)
		defer SetWarmRuntimes(2)
		b.ReportAllocs()
		for range b.N {
			start(b)
		}
	})
}

// BenchmarkLifecycleEvent dispatches install and activate again and again
// to one running worker of the 50-line script (hot: its runtime is in the
// CPU's caches), and fires them in a bare runtime (engine-*, see
// lifecycleEngine): the per-event cost without what a cold start adds.
func BenchmarkLifecycleEvent(b *testing.B) {
	ctx := context.Background()
	s, err := CompileScript(ctx, "https://app.test/sw.js", sw.WorkerClassic, []byte(fiftyLineSW), nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	w := New(s, Options{Limits: Limits{IdleTimeout: -1}})
	defer w.Close()
	if err := w.Start(ctx); err != nil {
		b.Fatal(err)
	}
	settleWarm()
	b.Run("install", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if _, err := w.DispatchInstall(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("activate", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			if err := w.DispatchActivate(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, typ := range []string{"install", "activate"} {
		b.Run("engine-"+typ, func(b *testing.B) { lifecycleEngine(b, typ) })
	}
}

// startsInChunks runs b.N starts in chunks of at most 200 (to bound
// memory): prepare(n) readies n starts outside the timed region, a
// collection follows (so that none lands in it), then run(i) makes start
// i of the chunk, timed. It reports the process CPU time per start.
func startsInChunks(b *testing.B, prepare func(n int), run func(i int)) {
	var cpu time.Duration
	cpuOK := true
	for done := 0; done < b.N; {
		n := min(b.N-done, 200)
		b.StopTimer()
		prepare(n)
		runtime.GC()
		b.StartTimer()
		c0, ok0 := cputime.Process()
		for i := range n {
			run(i)
		}
		c1, ok1 := cputime.Process()
		cpu += c1 - c0
		cpuOK = cpuOK && ok0 && ok1
		done += n
	}
	if cpuOK {
		b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/op")
	}
}

// prefillWarm fills the warm pool with exactly n runtimes and stops
// refills, so that the next n starts take a ready runtime each.
func prefillWarm(n int) {
	warm.mu.Lock()
	warm.size = n
	if !warm.filling && len(warm.ready) < n {
		warm.filling = true
		go warm.fill()
	}
	warm.mu.Unlock()
	for {
		warm.mu.Lock()
		if len(warm.ready) >= n && !warm.filling {
			warm.size = 0
			warm.mu.Unlock()
			return
		}
		warm.mu.Unlock()
		time.Sleep(200 * time.Microsecond)
	}
}

func liveBytes() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkMemory reports the memory of stopped and running workers and
// the heap growth of a running worker over 10k fetch events.
func BenchmarkMemory(b *testing.B) {
	ctx := context.Background()
	s, err := CompileScript(ctx, "https://app.test/sw.js", sw.WorkerClassic, []byte(fiftyLineSW), nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		const n = 1000
		settleWarm()
		before := liveBytes()
		stopped := make([]*Worker, n)
		for i := range stopped {
			stopped[i] = New(s, Options{Limits: Limits{IdleTimeout: -1}})
		}
		b.ReportMetric(float64(liveBytes()-before)/n, "B/stopped-worker")
		runtime.KeepAlive(stopped)

		before = liveBytes()
		const running = 20
		ws := make([]*Worker, running)
		for i := range ws {
			ws[i] = New(s, Options{Limits: Limits{IdleTimeout: -1}})
			if err := ws[i].Start(ctx); err != nil {
				b.Fatal(err)
			}
		}
		settleWarm()
		b.ReportMetric(float64(liveBytes()-before)/running, "B/running-worker")

		w := ws[0]
		req := &fetch.Request{URL: "https://app.test/r3", Header: http.Header{"Accept": {"text/html"}}}
		for range 1000 { // warm up
			if _, err := w.DispatchFetch(ctx, req, FetchEventInit{}); err != nil {
				b.Fatal(err)
			}
		}
		before = liveBytes()
		for range 10000 {
			if _, err := w.DispatchFetch(ctx, req, FetchEventInit{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(int64(liveBytes())-int64(before)), "B-growth/10k-events")
		for _, w := range ws {
			w.Close()
		}
	}
}

// BenchmarkFetchHandlerOnLoop measures the JavaScript side of a fetch
// event alone: the same work as BenchmarkFetchDispatch/const, run inside
// one loop task, without the goroutine hand-off to and from the loop.
func BenchmarkFetchHandlerOnLoop(b *testing.B) {
	w := benchWorker(b, constSW)
	w.mu.Lock()
	in := w.inst
	w.mu.Unlock()
	req := &fetch.Request{URL: "https://app.test/books/7"}
	done := make(chan error, 1)
	b.ReportAllocs()
	b.ResetTimer()
	in.loop.Submit(func() {
		for range b.N {
			ev := &event{kind: "fetch", req: req, done: make(chan eventResult, 1), in: in, startFn: startFetch}
			ev.Run()
			if r := <-ev.done; r.resp == nil {
				done <- fmt.Errorf("no response: %+v", r)
				return
			}
		}
		done <- nil
	})
	if err := <-done; err != nil {
		b.Fatal(err)
	}
}

// constFetcher answers every fetch with the same response, without a
// network.
type constFetcher struct{ resp *fetch.Response }

func (f constFetcher) Fetch(context.Context, *fetch.Request) (*fetch.Response, error) {
	return f.resp, nil
}

// BenchmarkFetchPassthrough measures respondWith(fetch(e.request)) for a
// browser-like request (eight headers), with a Fetcher that answers at
// once: the worker's fetch() path alone.
func BenchmarkFetchPassthrough(b *testing.B) {
	s, err := CompileScript(context.Background(), "https://app.test/sw.js", sw.WorkerClassic, []byte(`addEventListener('fetch', e => e.respondWith(fetch(e.request)));`), nil, 0)
	if err != nil {
		b.Fatal(err)
	}
	resp := &fetch.Response{Type: fetch.TypeBasic, Status: 200, Header: http.Header{"Content-Type": {"text/plain"}, "Cache-Control": {"max-age=60"}, "Etag": {`"x"`}}, Body: []byte("hello")}
	w := New(s, Options{Fetcher: constFetcher{resp}, Limits: Limits{IdleTimeout: -1, CPUPerTask: time.Minute}})
	b.Cleanup(w.Close)
	if err := w.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	settleWarm()
	req := &fetch.Request{URL: "https://app.test/style.css", Header: http.Header{
		"Accept": {"text/css,*/*;q=0.1"}, "Accept-Language": {"en-US,en;q=0.9"}, "User-Agent": {"Mozilla/5.0"},
		"Sec-Fetch-Dest": {"style"}, "Sec-Fetch-Mode": {"no-cors"}, "Sec-Fetch-Site": {"same-origin"}, "Referer": {"https://app.test/"}, "Cache-Control": {"no-cache"},
	}, Mode: fetch.ModeNoCORS, Destination: "style"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		r, err := w.DispatchFetch(ctx, req, FetchEventInit{})
		if err != nil || r.Response == nil || r.Response.Status != 200 {
			b.Fatal(r, err)
		}
	}
}

// benchLimits are the limits of benchWorker's workers: the defaults, or
// with SWHOST_BENCH_NOLIMITS=1 no idle timeout and a long CPU budget.
var benchLimits = func() Limits {
	if os.Getenv("SWHOST_BENCH_NOLIMITS") == "1" {
		return Limits{IdleTimeout: -1, CPUPerTask: time.Minute}
	}
	return Limits{}
}()

// intlSW formats 100 dates per fetch event with one Intl.DateTimeFormat
// (the formatter toLocaleString uses: en-US, date and time, a named
// zone); loopSW runs the same loop with a string concatenation instead,
// the peer that takes the event and the loop out of the figure.
const intlSW = `const dtf = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
const t0 = Date.UTC(2021, 0, 2, 15, 4, 5);
self.addEventListener('fetch', e => {
  let s = '';
  for (let i = 0; i < 100; i++) s = dtf.format(t0 + i * 1000);
  e.respondWith(new Response(s));
});`
const intlLoopSW = `const t0 = Date.UTC(2021, 0, 2, 15, 4, 5);
self.addEventListener('fetch', e => {
  let s = '';
  for (let i = 0; i < 100; i++) s = '' + (t0 + i * 1000);
  e.respondWith(new Response(s));
});`

// BenchmarkIntlDateTimeFormat measures Intl.DateTimeFormat.prototype.format
// called from a worker's JavaScript: 100 calls per fetch event, against
// the same event and loop without the formatting. (package intl's
// BenchmarkDateTimeFormat has the Go side and time.Format as its peer.)
func BenchmarkIntlDateTimeFormat(b *testing.B) {
	ctx := context.Background()
	req := &fetch.Request{URL: "https://app.test/"}
	for _, bc := range []struct{ name, src string }{{"format-x100", intlSW}, {"loop-x100", intlLoopSW}} {
		b.Run(bc.name, func(b *testing.B) {
			w := benchWorker(b, bc.src)
			b.ReportAllocs()
			for b.Loop() {
				res, err := w.DispatchFetch(ctx, req, FetchEventInit{})
				if err != nil || res.Response == nil {
					b.Fatal(err)
				}
			}
		})
	}
}
