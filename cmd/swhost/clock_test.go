package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/internal/lockedbuf"
)

// clockSW answers /timer with whether its one-minute timer has fired and
// lets every other request through to the HTTP cache and the network.
const clockSW = `
let fired = false;
setTimeout(() => { fired = true; }, 60_000);
addEventListener('fetch', e => {
  if (new URL(e.request.url).pathname === '/timer') e.respondWith(new Response(fired ? 'fired' : 'waiting'));
});`

// TestServeManualClock runs serve --clock manual in process and moves its
// clock over the admin API: a worker's timer fires only once the clock
// passes it, an HTTP cache entry goes stale past its max-age, and a
// registration becomes stale for soft update after 24 hours.
func TestServeManualClock(t *testing.T) {
	var scriptHits, dataHits atomic.Int32
	refetched := make(chan struct{}, 1)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/sw.js":
			if scriptHits.Add(1) > 1 {
				select {
				case refetched <- struct{}{}:
				default:
				}
			}
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, clockSW)
		case "/data":
			dataHits.Add(1)
			w.Header().Set("Cache-Control", "max-age=60")
			io.WriteString(w, "data")
		default:
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<!doctype html>page")
		}
	}))
	t.Cleanup(up.Close)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := defaultServeConfig()
	c.host.data = t.TempDir()
	c.host.resolve = stringList{"https://app.test=" + up.URL}
	c.listen = "127.0.0.1:0"
	c.admin.noAuth = true
	c.clock = "manual"
	admin := make(chan string, 1)
	c.ready = func(_ context.Context, url string) error { admin <- url; return nil }
	var errb lockedbuf.Buffer
	done := make(chan int, 1)
	go func() {
		done <- startServe(ctx, &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errb}, c)
	}()
	var base string
	select {
	case base = <-admin:
	case code := <-done:
		t.Fatalf("serve exited %d: %s", code, errb.String())
	}
	call := func(method, path, body string, out any) int {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if out != nil {
			if err := json.Unmarshal(b, out); err != nil {
				t.Fatalf("%s %s: %v: %s", method, path, err, b)
			}
		}
		return resp.StatusCode
	}
	type fetched struct {
		Layer    string `json:"layer"`
		Response struct {
			Body string `json:"body"`
		} `json:"response"`
	}
	fetch := func(url string) fetched {
		t.Helper()
		var f fetched
		if st := call("POST", "/v1/fetch", `{"client": "https://app.test/", "url": "`+url+`"}`, &f); st != 200 {
			t.Fatalf("fetch %s: status %d", url, st)
		}
		return f
	}
	var clk struct {
		Now    int64 `json:"now"`
		Manual bool  `json:"manual"`
	}
	if st := call("GET", "/v1/clock", "", &clk); st != 200 || !clk.Manual {
		t.Fatalf("GET /v1/clock: %d %+v", st, clk)
	}
	start := clk.Now
	advance := func(ms int64) {
		t.Helper()
		var moved struct {
			Now int64 `json:"now"`
		}
		before := clk.Now
		if st := call("POST", "/v1/clock", `{"advance": `+jsonInt(ms)+`}`, &moved); st != 200 || moved.Now != before+ms {
			t.Fatalf("advance %d: %d, now %d, want %d", ms, st, moved.Now, before+ms)
		}
		clk.Now = moved.Now
	}
	if st := call("POST", "/v1/registrations", `{"client": "https://app.test/", "script": "/sw.js"}`, nil); st != 201 {
		t.Fatalf("register: %d", st)
	}

	if got := fetch("https://app.test/timer").Response.Body; got != "waiting" {
		t.Fatalf("before the clock moved: %q", got)
	}
	advance(59_999)
	if got := fetch("https://app.test/timer").Response.Body; got != "waiting" {
		t.Fatalf("a millisecond early: %q", got)
	}
	advance(1)
	if got := fetch("https://app.test/timer").Response.Body; got != "fired" {
		t.Fatalf("once the clock passed the timer: %q", got)
	}

	for i, want := range []string{"network", "http-cache"} {
		if f := fetch("https://app.test/data"); f.Layer != want {
			t.Fatalf("data fetch %d answered by %q, want %q", i, f.Layer, want)
		}
	}
	advance(61_000)
	if f := fetch("https://app.test/data"); f.Layer != "network" || dataHits.Load() != 2 {
		t.Fatalf("past max-age: answered by %q, %d network requests; want a new network request", f.Layer, dataHits.Load())
	}

	fetch("https://app.test/") // a navigation: not stale yet
	if n := scriptHits.Load(); n != 1 {
		t.Fatalf("the script was fetched %d times before 24 hours passed", n)
	}
	advance(24 * 3600 * 1000)
	fetch("https://app.test/") // a navigation: stale, soft update
	select {
	case <-refetched:
	case <-time.After(10 * time.Second):
		t.Fatal("no soft update of the script after 24 hours and a navigation")
	}
	if clk.Now-start != 24*3600*1000+121_000 {
		t.Errorf("the clock moved %d ms in all", clk.Now-start)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("serve exited %d: %s", code, errb.String())
	}
}

func jsonInt(n int64) string {
	b, _ := json.Marshal(n)
	return string(bytes.TrimSpace(b))
}

// TestServeClockFlag: --clock takes real or manual.
func TestServeClockFlag(t *testing.T) {
	code, _, stderr := runCLI(t, "", "serve", "--clock", "fast", "--data", t.TempDir(), "--listen", "127.0.0.1:0")
	if code != exitBadInput || !strings.Contains(stderr, `TypeError: --clock "fast": want real or manual`) {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
