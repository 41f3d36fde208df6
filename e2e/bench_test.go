package e2e

// Figures for issue 6 (docs/benchmarks.md, "registry"): the idle footprint
// of a registration in the store and in memory, the time to restore 10k
// registrations at start-up, and a request answered by a controlled
// client's fetch handler against the same request straight to the network.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/swhost/swhost/agent"
	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/network"
	"github.com/swhost/swhost/registry"
	"github.com/swhost/swhost/scope"
	"github.com/swhost/swhost/store"
	"github.com/swhost/swhost/sw"
	"github.com/swhost/swhost/worker"
)

// kibScript is a 1 KiB worker script.
var kibScript = func() []byte {
	s := "self.addEventListener('fetch', e => e.respondWith(new Response('hello')));\n"
	pad := 1024 - len(s) - len("//\n")
	return []byte(s + "//" + strings.Repeat("x", pad) + "\n")
}()

// seedRegistrations stores n registrations on the store, each with an
// active, activated version and its 1 KiB main script, as the registry
// leaves them after a successful Register. Scopes are
// https://app.test/team<i>/ with script .../sw.js.
func seedRegistrations(tb testing.TB, st store.Store, from, n int) {
	tb.Helper()
	ctx := context.Background()
	const batch = 500
	for start := from; start < from+n; start += batch {
		end := min(start+batch, from+n)
		err := st.Update(ctx, func(tx store.Tx) error {
			for i := start; i < end; i++ {
				base := fmt.Sprintf("https://app.test/team%d/", i)
				sc, err := scope.ParseLegacy(base, base)
				if err != nil {
					return err
				}
				reg := &store.Registration{ScopeKey: sc.Key(), ScopeText: sc.String(), Origin: sc.Origin(),
					UpdateViaCache: sw.UpdateViaCacheImports, Type: sw.WorkerClassic, LastUpdateCheck: time.Now()}
				v := &store.Version{ScriptURL: base + "sw.js", State: sw.StateActivated, Slot: store.SlotActive}
				if err := tx.CreateRegistration(ctx, reg, v, []store.Script{{URL: v.ScriptURL, ContentType: "text/javascript", Body: kibScript}}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// dataBytes returns the size of the store's files in dir (database and
// write-ahead log).
func dataBytes(tb testing.TB, dir string) int64 {
	tb.Helper()
	var n int64
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() {
			n += fi.Size()
		}
	}
	return n
}

// cpuTime returns the CPU time (user and system) the process used so far:
// on this shared 2-core machine, wall-clock times are inflated by other
// processes, CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// BenchmarkStoreFootprint measures the growth of the data directory per
// registration (1 KiB script, one active version), after the store is
// closed (checkpointed). Run it with -benchtime=1x: one op is all the
// registrations. "rows" writes 1,000 registrations' final rows directly;
// "register" makes 200 through registry.Register (script fetch, install,
// activate: the extra writes and deleted rows of the real path).
func BenchmarkStoreFootprint(b *testing.B) {
	ctx := context.Background()
	measure := func(b *testing.B, n int, fill func(st *store.SQLStore)) {
		var perReg float64
		for b.Loop() {
			dir := b.TempDir()
			st, err := store.Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			st.Close()
			empty := dataBytes(b, dir)
			st, err = store.Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			fill(st)
			st.Close()
			perReg = float64(dataBytes(b, dir)-empty) / float64(n)
		}
		b.ReportMetric(perReg, "store-B/reg")
		b.ReportMetric(float64(len(kibScript)), "script-B")
	}
	b.Run("rows", func(b *testing.B) {
		measure(b, 1000, func(st *store.SQLStore) { seedRegistrations(b, st, 0, 1000) })
	})
	b.Run("register", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(kibScript)
		}))
		defer srv.Close()
		tr := &network.Transport{Resolve: map[string]string{"https://app.test": srv.URL}}
		const n = 200
		measure(b, n, func(st *store.SQLStore) {
			r, err := registry.New(ctx, registry.Options{Store: st, Network: tr, Logger: quietLogger(), Limits: worker.Limits{IdleTimeout: 10 * time.Millisecond}})
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			for i := range n {
				if _, err := r.Register(ctx, registry.RegisterRequest{ClientURL: "https://app.test/", ScriptURL: fmt.Sprintf("/team%d/sw.js", i)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// restoreStore returns a directory holding a store with n registrations,
// built once per process and size.
var restoreDirs = map[int]string{}

func restoreStore(b *testing.B, n int) string {
	b.Helper()
	if dir, ok := restoreDirs[n]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("swhost-restore-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(context.Background(), dir)
	if err != nil {
		b.Fatal(err)
	}
	seedRegistrations(b, st, 0, n)
	st.Close()
	restoreDirs[n] = dir
	return dir
}

// BenchmarkRestore measures registry.New over a store holding 10k
// registrations with an active version each: reading them and building
// the scope index. One op is one start-up; the store is opened outside the
// timed part. It also reports the heap the restored registry keeps per
// registration (runtime.MemStats.HeapAlloc after GC, with and without
// the registry).
func BenchmarkRestore(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("regs=%d", n), func(b *testing.B) {
			dir := restoreStore(b, n)
			ctx := context.Background()
			st, err := store.Open(ctx, dir)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			opts := registry.Options{Store: st, Network: &network.Transport{}, Logger: quietLogger()}
			var heap float64
			var cpu time.Duration
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				c0 := cpuTime()
				b.StartTimer()
				r, err := registry.New(ctx, opts)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				cpu += cpuTime() - c0
				if got := len(r.Registrations("")); got != n {
					b.Fatalf("restored %d registrations, want %d", got, n)
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				heap = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n)
				runtime.KeepAlive(r)
				r.Close()
				b.StartTimer()
			}
			b.ReportMetric(heap, "heap-B/reg")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// fetchFixture is a registry and agent whose registration for
// https://app.test/ answers fetch events with a constant Response, and a
// network transport mapping https://app.test and https://net.test to one
// loopback upstream answering with the same body.
type fetchFixture struct {
	net    *network.Transport
	client *agent.Client
	close  func()
}

const benchBody = "hello"

func newFetchFixture(b testing.TB, script string) *fetchFixture {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, script)
			return
		}
		w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
		io.WriteString(w, benchBody)
	}))
	ctx := context.Background()
	st, err := store.Open(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	tr := &network.Transport{Resolve: map[string]string{"https://app.test": srv.URL, "https://net.test": srv.URL}}
	var a *agent.Agent
	r, err := registry.New(ctx, registry.Options{Store: st, Network: tr, Logger: quietLogger(), Limits: worker.Limits{IdleTimeout: -1},
		Environment: registry.Environment{
			Fetcher: func(reg *registry.Registration) fetch.Fetcher { return a.WorkerFetcher(reg) },
			Clients: func(reg *registry.Registration) worker.Clients { return a.WorkerClients(reg) },
		}})
	if err != nil {
		b.Fatal(err)
	}
	a = agent.New(r, tr, agent.Options{Logger: quietLogger()})
	if _, err := r.Register(ctx, registry.RegisterRequest{ClientURL: "https://app.test/", ScriptURL: "/sw.js"}); err != nil {
		b.Fatal(err)
	}
	c, res, err := a.Navigate(ctx, &fetch.Request{URL: "https://app.test/"})
	if err != nil || res.Layer != agent.LayerFetchEvent {
		b.Fatalf("navigation: %v %+v", err, res)
	}
	return &fetchFixture{net: tr, client: c, close: func() { a.Close(); r.Close(); st.Close(); srv.Close() }}
}

const constantWorker = `self.addEventListener('fetch', e => e.respondWith(new Response('hello')));`
const passThroughWorker = `self.addEventListener('fetch', e => e.respondWith(fetch(e.request)));`

// viaWorker makes a subresource request from the controlled client.
func (f *fetchFixture) viaWorker(b testing.TB, want agent.Layer) {
	res, err := f.client.Fetch(context.Background(), &fetch.Request{URL: "https://app.test/data"})
	if err != nil || res.Layer != want || string(res.Response.Body) != benchBody {
		b.Fatalf("client fetch: %v %+v", err, res)
	}
}

// viaNetwork makes the same request straight to the network.
func (f *fetchFixture) viaNetwork(b testing.TB) {
	resp, err := f.net.Fetch(context.Background(), &fetch.Request{URL: "https://net.test/data", Mode: fetch.ModeCORS})
	if err != nil || resp.Status != 200 || string(resp.Body) != benchBody {
		b.Fatalf("network fetch: %v %+v", err, resp)
	}
}

// BenchmarkFetch compares a request answered by the controlling worker's
// fetch handler (constant Response) with the same request straight to the
// loopback upstream through network.Transport, and, for scale, a worker
// that passes the request through with fetch(e.request).
func BenchmarkFetch(b *testing.B) {
	run := func(name, script string, do func(f *fetchFixture, b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			f := newFetchFixture(b, script)
			defer f.close()
			b.ReportAllocs()
			c0 := cpuTime()
			for b.Loop() {
				do(f, b)
			}
			b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
	run("network", constantWorker, func(f *fetchFixture, b *testing.B) { f.viaNetwork(b) })
	run("fetch-event", constantWorker, func(f *fetchFixture, b *testing.B) { f.viaWorker(b, agent.LayerFetchEvent) })
	run("fetch-event-passthrough", passThroughWorker, func(f *fetchFixture, b *testing.B) { f.viaWorker(b, agent.LayerFetchEvent) })
}

// BenchmarkFetchOverhead alternates the two requests of BenchmarkFetch
// in one loop, so both see the same machine load, and reports each one's
// mean time and their ratio (fetch-event / network).
func BenchmarkFetchOverhead(b *testing.B) {
	f := newFetchFixture(b, constantWorker)
	defer f.close()
	var netTime, swTime time.Duration
	for b.Loop() {
		t0 := time.Now()
		f.viaNetwork(b)
		t1 := time.Now()
		f.viaWorker(b, agent.LayerFetchEvent)
		swTime += time.Since(t1)
		netTime += t1.Sub(t0)
	}
	b.ReportMetric(float64(netTime.Nanoseconds())/float64(b.N), "network-ns/req")
	b.ReportMetric(float64(swTime.Nanoseconds())/float64(b.N), "fetch-event-ns/req")
	b.ReportMetric(float64(swTime)/float64(netTime), "fetch-event/network")
}

// TestBenchHelpers keeps the benchmark fixtures honest in ordinary test
// runs: the seeded store restores, and both fetch paths answer.
func TestBenchHelpers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	seedRegistrations(t, st, 0, 3)
	r, err := registry.New(ctx, registry.Options{Store: st, Network: &network.Transport{}, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	reg := r.MatchString("https://app.test/team1/page")
	if reg == nil || reg.Active() == nil || reg.Active().ScriptURL() != "https://app.test/team1/sw.js" || len(r.Registrations("")) != 3 {
		t.Fatalf("seeded store restored wrong: %v", reg)
	}
	r.Close()
	st.Close()
	if n := dataBytes(t, dir); n < 3*int64(len(kibScript)) {
		t.Errorf("data directory holds %d bytes, less than the scripts", n)
	}
	if _, err := os.Stat(filepath.Join(dir, "swhost.db")); err != nil {
		t.Error(err)
	}
	for _, script := range []string{constantWorker, passThroughWorker} {
		f := newFetchFixture(t, script)
		f.viaNetwork(t)
		f.viaWorker(t, agent.LayerFetchEvent)
		f.close()
	}
}
