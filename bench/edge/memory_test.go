package edge

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// heapAfterGC returns the live heap after two collections (the second
// empties sync.Pools the first moved to their victim caches).
func heapAfterGC() runtime.MemStats {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms
}

// TestKeepAliveMemory is the soak of run.sh in-process, where the live heap
// can be read: many keep-alive connections to the edge handler behind a
// net/http server, each making requests, then closed. Afterwards the live
// heap and the goroutine count must be back near their level before the
// connections (what is left is what the connections leaked), whatever the
// process's resident memory does. EDGE_SOAK_CONNS (default 1000) and
// EDGE_SOAK_REQUESTS (per connection, default 5) scale it.
func TestKeepAliveMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 1000 connections")
	}
	conns, reqs := envInt("EDGE_SOAK_CONNS", 1000), envInt("EDGE_SOAK_REQUESTS", 5)
	f := newFixture(t, true)
	defer f.close()
	srv := httptest.NewServer(f.edge)
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	// Warm up: start the worker, fill the event stream's ring of recent
	// events (500), so that the baseline holds what any busy server holds.
	c := &http.Client{}
	for range 600 {
		if err := get(c, srv.URL); err != nil {
			t.Fatal(err)
		}
	}
	c.CloseIdleConnections()
	time.Sleep(100 * time.Millisecond)
	g0, m0 := runtime.NumGoroutine(), heapAfterGC()
	// Two identical rounds: the first leaves what the Go runtime keeps for
	// reuse by design (a goroutine descriptor, about 1.4 KB with its
	// profile labels, for every goroutine of the peak: runtime.malg in a
	// heap profile); the second must add nothing on top.
	var after [2]runtime.MemStats
	for round := range after {
		g1, m1 := soakRound(t, addr, conns, reqs)
		var g2 int
		for range 50 { // the server's connection goroutines notice the close
			if g2 = runtime.NumGoroutine(); g2 <= g0+5 {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		after[round] = heapAfterGC()
		m2 := after[round]
		t.Logf("round %d: %d connections open, %d requests each: %d goroutines, live heap %s, heap in use %s, stacks %s", round+1, conns, reqs, g1, mib(m1.HeapAlloc), mib(m1.HeapInuse), mib(m1.StackInuse))
		t.Logf("round %d: after closing: %d goroutines, live heap %s, heap in use %s, heap idle %s of which released %s", round+1, g2, mib(m2.HeapAlloc), mib(m2.HeapInuse), mib(m2.HeapIdle), mib(m2.HeapReleased))
		if g2 > g0+5 {
			t.Errorf("%d goroutines after the connections closed, %d before", g2, g0)
		}
	}
	t.Logf("before: %d goroutines, live heap %s, heap in use %s", g0, mib(m0.HeapAlloc), mib(m0.HeapInuse))
	// What the process keeps from the OS without a collection and a
	// scavenge, and what debug.FreeOSMemory gives back.
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	rss0 := selfRSS()
	debug.FreeOSMemory()
	var mf runtime.MemStats
	runtime.ReadMemStats(&mf)
	t.Logf("retained from the OS (heap in use + idle - released): %s; after debug.FreeOSMemory: %s; this process's VmRSS %s -> %s",
		mib(ms.HeapInuse+ms.HeapIdle-ms.HeapReleased), mib(mf.HeapInuse+mf.HeapIdle-mf.HeapReleased), mib(rss0), mib(selfRSS()))
	if grown := int64(after[1].HeapAlloc) - int64(after[0].HeapAlloc); grown > 256<<10 {
		t.Errorf("live heap grew by %d bytes over a second round of %d closed connections (%d B each)", grown, conns, grown/int64(conns))
	}
}

// selfRSS returns this process's VmRSS in bytes, or 0.
func selfRSS() uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			k, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return k << 10
		}
	}
	return 0
}

func mib(b uint64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 2, 64) + " MiB" }

// soakRound opens conns keep-alive connections to addr, makes reqs
// requests on each, reads the goroutine count and live heap with all of
// them open, and closes them.
func soakRound(t *testing.T, addr string, conns, reqs int) (int, runtime.MemStats) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	open := make([]net.Conn, conns)
	for i := range open {
		wg.Go(func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				fail(err)
				return
			}
			open[i] = conn
			br := bufio.NewReader(conn)
			for range reqs {
				if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: app.test\r\n\r\n"); err != nil {
					fail(err)
					return
				}
				resp, err := http.ReadResponse(br, nil)
				if err == nil {
					var body []byte
					body, err = io.ReadAll(resp.Body)
					resp.Body.Close()
					if err == nil && (resp.StatusCode != 200 || string(body) != "hello") {
						err = fmt.Errorf("%d %q", resp.StatusCode, body)
					}
				}
				if err != nil {
					fail(err)
					return
				}
			}
		})
	}
	wg.Wait()
	g, m := runtime.NumGoroutine(), heapAfterGC()
	for i, conn := range open {
		if conn != nil {
			conn.Close()
		}
		open[i] = nil
	}
	if len(errs) > 0 {
		t.Fatalf("%d errors, first: %v", len(errs), errs[0])
	}
	return g, m
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
