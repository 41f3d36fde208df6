// Command soak holds many concurrent keep-alive connections to an HTTP
// server for a fixed time with requests flowing on each, and reports
// errors and the server's resident memory before, during and after.
// It is the keep-alive soak of the edge benchmark (bench/edge/run.sh):
//
//	soak -addr 127.0.0.1:PORT -host app.test -conns 1000 -duration 60s -pid PID
//
// Every connection is one TCP connection opened before the soak starts and
// used for the whole run (HTTP/1.1, "GET / HTTP/1.1" with the given Host);
// it sends a request, reads the whole response, checks it (status 200 and
// the expected body), pauses -interval (the first pause is spread at random
// over the interval so requests do not arrive in waves) and starts again.
// A connection is never replaced: a failed dial, a failed read or write, a
// connection the server closes, a wrong status or a wrong body counts as an
// error and ends that connection. The run is bounded: -duration, then
// -after of watching memory with the connections closed.
//
// Memory is VmRSS from /proc/PID/status of -pid: once before dialling
// (idle), every second during the soak, and every 5 seconds after the
// connections are closed. The summary is printed as "key: value" lines; the
// exit status is 1 when any error occurred.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type config struct {
	addr     string
	host     string
	body     string
	conns    int
	duration time.Duration
	interval time.Duration
	after    time.Duration
	pid      int
	metrics  string
}

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "", "server address (host:port, loopback)")
	flag.StringVar(&c.host, "host", "app.test", "Host header of every request")
	flag.StringVar(&c.body, "body", "hello", "expected response body")
	flag.IntVar(&c.conns, "conns", 1000, "concurrent keep-alive connections (at most 20000)")
	flag.DurationVar(&c.duration, "duration", 60*time.Second, "how long the connections are held (at most 10m)")
	flag.DurationVar(&c.interval, "interval", time.Second, "pause between two requests on one connection")
	flag.DurationVar(&c.after, "after", 30*time.Second, "how long memory is watched after the connections close (at most 10m)")
	flag.IntVar(&c.pid, "pid", 0, "process whose resident memory is sampled (0: none)")
	flag.StringVar(&c.metrics, "metrics", "", "Prometheus /metrics URL of the server (Go collector), scraped at each phase (empty: none)")
	flag.Parse()
	if c.addr == "" || c.conns < 1 || c.conns > 20000 || c.duration <= 0 || c.duration > 10*time.Minute ||
		c.after < 0 || c.after > 10*time.Minute || c.interval < 0 {
		flag.Usage()
		os.Exit(2)
	}
	if !run(c) {
		os.Exit(1)
	}
}

// counters are the soak's totals, updated by every connection.
type counters struct {
	requests atomic.Int64
	errors   atomic.Int64
	alive    atomic.Int64

	mu        sync.Mutex
	kinds     map[string]int
	latencies []time.Duration
}

func (c *counters) fail(kind string) {
	c.errors.Add(1)
	c.mu.Lock()
	c.kinds[kind]++
	c.mu.Unlock()
}

func run(c config) bool {
	var n counters
	n.kinds = map[string]int{}
	idle := rss(c.pid)
	fmt.Printf("rss_idle_kib: %d\n", idle)
	runtimeStats(c.metrics, "idle")

	// Open every connection first, then start the requests.
	conns := make([]net.Conn, c.conns)
	var wg sync.WaitGroup
	dialStart := time.Now()
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.DialTimeout("tcp", c.addr, 10*time.Second)
			if err != nil {
				n.fail("dial")
				return
			}
			conns[i] = conn
			n.alive.Add(1)
		}()
	}
	wg.Wait()
	fmt.Printf("dial_time: %v\n", time.Since(dialStart).Round(time.Millisecond))
	fmt.Printf("connections_open: %d\n", n.alive.Load())

	deadline := time.Now().Add(c.duration)
	req := []byte("GET / HTTP/1.1\r\nHost: " + c.host + "\r\n\r\n")
	for _, conn := range conns {
		if conn == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			loop(conn, req, []byte(c.body), c.interval, deadline, &n)
		}()
	}

	// Sample memory while the soak runs.
	var during []int64
	tick := time.NewTicker(time.Second)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	serverFDs := 0
sample:
	for {
		select {
		case <-done:
			break sample
		case <-tick.C:
			if r := rss(c.pid); r > 0 {
				during = append(during, r)
			}
			if f := fds(c.pid); f > serverFDs {
				serverFDs = f
			}
		}
	}
	tick.Stop()
	aliveAtEnd := n.alive.Load()
	runtimeStats(c.metrics, "loaded")
	for _, conn := range conns {
		if conn != nil {
			conn.Close()
		}
	}

	fmt.Printf("connections_alive_at_end: %d\n", aliveAtEnd)
	fmt.Printf("server_fds_max: %d\n", serverFDs)
	fmt.Printf("requests: %d\n", n.requests.Load())
	fmt.Printf("requests_per_s: %.0f\n", float64(n.requests.Load())/c.duration.Seconds())
	fmt.Printf("errors: %d\n", n.errors.Load())
	for kind, k := range n.kinds {
		fmt.Printf("errors_%s: %d\n", kind, k)
	}
	slices.Sort(n.latencies)
	if len(n.latencies) > 0 {
		q := func(p float64) time.Duration { return n.latencies[int(p*float64(len(n.latencies)-1))] }
		fmt.Printf("latency_p50: %v\nlatency_p99: %v\nlatency_max: %v\n",
			q(0.50).Round(time.Microsecond), q(0.99).Round(time.Microsecond), n.latencies[len(n.latencies)-1].Round(time.Microsecond))
	}
	if len(during) > 0 {
		fmt.Printf("rss_during_max_kib: %d\nrss_during_last_kib: %d\n", slices.Max(during), during[len(during)-1])
	}

	// Watch memory come back after the connections are gone.
	var after []string
	for t := 5 * time.Second; t <= c.after; t += 5 * time.Second {
		time.Sleep(5 * time.Second)
		after = append(after, fmt.Sprintf("%ds=%d", int(t.Seconds()), rss(c.pid)))
	}
	if len(after) > 0 {
		fmt.Printf("rss_after_kib: %s\n", strings.Join(after, " "))
	}
	final := rss(c.pid)
	runtimeStats(c.metrics, "after")
	fmt.Printf("rss_after_final_kib: %d\n", final)
	if idle > 0 {
		fmt.Printf("rss_after_over_idle: %.2f\n", float64(final)/float64(idle))
	}
	return n.errors.Load() == 0 && aliveAtEnd == int64(c.conns)
}

// loop makes requests on conn until deadline. It ends the connection's
// part at the first error.
func loop(conn net.Conn, req, want []byte, interval time.Duration, deadline time.Time, n *counters) {
	br := bufio.NewReader(conn)
	var lat []time.Duration
	defer func() {
		n.mu.Lock()
		n.latencies = append(n.latencies, lat...)
		n.mu.Unlock()
	}()
	if interval > 0 {
		time.Sleep(rand.N(interval))
	}
	for time.Now().Before(deadline) {
		conn.SetDeadline(time.Now().Add(30 * time.Second))
		t0 := time.Now()
		if _, err := conn.Write(req); err != nil {
			n.fail("write")
			n.alive.Add(-1)
			return
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			if err == io.EOF || strings.Contains(err.Error(), "reset") {
				n.fail("closed_by_server")
			} else {
				n.fail("read")
			}
			n.alive.Add(-1)
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
		n.requests.Add(1)
		switch {
		case err != nil:
			n.fail("body")
		case resp.StatusCode != http.StatusOK:
			n.fail("status_" + strconv.Itoa(resp.StatusCode))
		case !bytes.Equal(body, want):
			n.fail("wrong_body")
		case resp.Close:
			n.fail("closed_by_server")
		default:
			if interval > 0 {
				if rest := time.Until(deadline); rest < interval {
					time.Sleep(max(rest, 0))
				} else {
					time.Sleep(interval)
				}
			}
			continue
		}
		n.alive.Add(-1)
		return
	}
}

// runtimeStats prints the server's goroutines and Go memory figures from
// its Prometheus metrics (the Go collector's go_* series), on one line.
func runtimeStats(url, phase string) {
	if url == "" {
		return
	}
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		log.Printf("soak: scraping %s: %v", url, err)
		return
	}
	defer resp.Body.Close()
	want := []struct{ name, key string }{
		{"go_goroutines", "goroutines"},
		{"go_memstats_heap_inuse_bytes", "heap_inuse_mib"},
		{"go_memstats_heap_idle_bytes", "heap_idle_mib"},
		{"go_memstats_heap_released_bytes", "heap_released_mib"},
		{"go_memstats_stack_inuse_bytes", "stack_inuse_mib"},
		{"go_memstats_next_gc_bytes", "next_gc_mib"},
		{"go_memstats_sys_bytes", "sys_mib"},
	}
	got := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		if v, err := strconv.ParseFloat(value, 64); err == nil {
			got[name] = v
		}
	}
	var parts []string
	for _, w := range want {
		v, ok := got[w.name]
		if !ok {
			continue
		}
		if strings.HasSuffix(w.key, "_mib") {
			parts = append(parts, fmt.Sprintf("%s=%.1f", w.key, v/(1<<20)))
		} else {
			parts = append(parts, fmt.Sprintf("%s=%.0f", w.key, v))
		}
	}
	fmt.Printf("runtime_%s: %s\n", phase, strings.Join(parts, " "))
}

// rss returns VmRSS of pid in KiB, or 0.
func rss(pid int) int64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		log.Printf("soak: reading memory of %d: %v", pid, err)
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			k, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return k
		}
	}
	return 0
}

// fds returns the number of open file descriptors of pid, or 0.
func fds(pid int) int {
	if pid <= 0 {
		return 0
	}
	es, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return 0
	}
	return len(es)
}
