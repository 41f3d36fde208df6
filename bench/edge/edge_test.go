package edge

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/httpcache"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/server"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/worker"
)

// fixture is what "swhost serve --edge" runs, built in-process the way
// cmd/swhost builds it: store, network transport with the --resolve
// mapping, registry, HTTP cache, agent, and server.Server with its events
// and metrics, plus the edge handler over them. https://app.test is served
// by a loopback upstream holding worker.js at /sw.js, registered with
// scope https://app.test/.
type fixture struct {
	edge     http.Handler
	upstream *httptest.Server
	close    func()
}

// observed selects whether the registry and agent report to the server's
// events and metrics, as in "swhost serve" (true), or to nobody (false).
func newFixture(tb testing.TB, observed bool) *fixture {
	tb.Helper()
	script, err := os.ReadFile("worker.js")
	if err != nil {
		tb.Fatal(err)
	}
	return newSiteFixture(tb, observed, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(script)
			return
		}
		http.NotFound(w, r)
	}))
}

// newSiteFixture is newFixture with site as the upstream of
// https://app.test: it must serve the worker at /sw.js.
func newSiteFixture(tb testing.TB, observed bool, site http.Handler) *fixture {
	tb.Helper()
	up := httptest.NewServer(site)
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := store.Open(ctx, tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tr := &network.Transport{Resolve: map[string]string{"https://app.test": up.URL}}
	events := server.NewEvents()
	var ag *agent.Agent
	ropts := registry.Options{Store: st, Network: tr, Logger: log, Environment: registry.Environment{
		Fetcher: func(r *registry.Registration) fetch.Fetcher { return ag.WorkerFetcher(r) },
		Clients: func(r *registry.Registration) worker.Clients { return ag.WorkerClients(r) },
	}}
	aopts := agent.Options{Logger: log, HTTPCache: httpcache.New(st, httpcache.Options{Logger: log})}
	if observed {
		ropts.Console = events.Console
		aopts.OnFetch = events.Fetch
	}
	reg, err := registry.New(ctx, ropts)
	if err != nil {
		tb.Fatal(err)
	}
	if observed {
		reg.Subscribe(events.Registry)
	}
	ag = agent.New(reg, tr, aopts)
	if _, err := reg.Register(ctx, registry.RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "https://app.test/sw.js"}); err != nil {
		tb.Fatal(err)
	}
	srv := server.New(server.Options{Registry: reg, Agent: ag, Events: events, Logger: log})
	return &fixture{
		edge:     srv.EdgeHandler("https"),
		upstream: up,
		close: func() {
			srv.Shutdown()
			ag.Close()
			reg.Close()
			st.Close()
			up.Close()
		},
	}
}

// newRequest is what wrk sends: GET / with Host: app.test and nothing
// else that names a client, so the edge uses the ambient client of
// https://app.test/.
func newRequest() *http.Request {
	r := httptest.NewRequest(http.MethodGet, "http://app.test/", nil)
	r.Host = "app.test"
	return r
}

// discardWriter is a ResponseWriter that keeps the status and body length.
type discardWriter struct {
	h      http.Header
	status int
	n      int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(status int)      { w.status = status }
func (w *discardWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }

func (w *discardWriter) reset() {
	clear(w.h)
	w.status, w.n = 0, 0
}

func serveOnce(tb testing.TB, h http.Handler, r *http.Request, w *discardWriter) {
	w.reset()
	h.ServeHTTP(w, r)
	if w.status != http.StatusOK || w.n != len("hello") {
		tb.Fatalf("edge answered %d with %d bytes, want 200 and hello", w.status, w.n)
	}
}

// TestEdgeHandler checks what the benchmarks measure: the worker's fetch
// event answers, in sequence and from 32 goroutines at once.
func TestEdgeHandler(t *testing.T) {
	f := newFixture(t, true)
	defer f.close()
	rec := httptest.NewRecorder()
	f.edge.ServeHTTP(rec, newRequest())
	if rec.Code != http.StatusOK || rec.Body.String() != "hello" || !strings.HasPrefix(rec.Header().Get("X-Swhost-Served-By"), "fetch-event ") {
		t.Fatalf("edge: %d %q served by %q", rec.Code, rec.Body.String(), rec.Header().Get("X-Swhost-Served-By"))
	}
	srv := httptest.NewServer(f.edge)
	defer srv.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for range 32 {
		wg.Go(func() {
			for range 20 {
				if err := get(srv.Client(), srv.URL); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func get(c *http.Client, url string) error {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Host = "app.test"
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || string(body) != "hello" {
		return fmt.Errorf("GET %s: %d %q", url, resp.StatusCode, body)
	}
	return nil
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkEdgeHandler calls the edge handler directly (no sockets, no
// HTTP parsing): the cost swhost adds per request. "serve" has the
// registry and agent report to the server's events and metrics, as
// "swhost serve" does; "unobserved" has no observers, which isolates the
// event stream's and metrics' share. The -parallel variants run 32
// goroutines at once (2 cores x SetParallelism(16)), like wrk -c32.
func BenchmarkEdgeHandler(b *testing.B) {
	for _, observed := range []bool{true, false} {
		name := "serve"
		if !observed {
			name = "unobserved"
		}
		b.Run(name, func(b *testing.B) {
			f := newFixture(b, observed)
			defer f.close()
			r, w := newRequest(), &discardWriter{h: http.Header{}}
			serveOnce(b, f.edge, r, w) // start the worker
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				serveOnce(b, f.edge, r, w)
			}
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
		b.Run(name+"-parallel", func(b *testing.B) {
			f := newFixture(b, observed)
			defer f.close()
			serveOnce(b, f.edge, newRequest(), &discardWriter{h: http.Header{}})
			b.ReportAllocs()
			b.SetParallelism(16)
			c0 := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				r, w := newRequest(), &discardWriter{h: http.Header{}}
				for pb.Next() {
					serveOnce(b, f.edge, r, w)
				}
			})
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkEdgeHTTP is BenchmarkEdgeHandler over loopback HTTP/1.1
// keep-alive connections (net/http server and client, 32 at once), next
// to a plain handler answering "hello" over the same client: the
// in-process counterpart of run.sh's wrk comparison. Client CPU is
// counted in cpu-ns/op too.
func BenchmarkEdgeHTTP(b *testing.B) {
	f := newFixture(b, true)
	defer f.close()
	plain := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		io.WriteString(w, "hello")
	})
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"swhost", f.edge}, {"plain", plain}} {
		b.Run(tc.name, func(b *testing.B) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer c.CloseIdleConnections()
			if err := get(c, srv.URL); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetParallelism(16)
			c0 := cpuTime()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := get(c, srv.URL); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}
