package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// streamWorker serves streamed bodies from the worker:
//
//   - /big?mib=N: N MiB made by the worker's ReadableStream, 1 MiB a chunk;
//   - /gated: "first\n", then "last\n" once /release was fetched;
//   - /endless: chunks for as long as the client reads, whose cancel
//     callback resolves the answer of /cancelled with the reason's name;
//   - /relay: the network's streamed body, respondWith(fetch(...)).
const streamWorker = `const MiB = 1 << 20;
const chunk = new Uint8Array(MiB).fill(120);
let release, released = new Promise(r => { release = r; });
let cancelled, wasCancelled = new Promise(r => { cancelled = r; });
const enc = new TextEncoder();
self.addEventListener('fetch', e => {
  const u = new URL(e.request.url);
  switch (u.pathname) {
  case '/big': {
    const total = Number(u.searchParams.get('mib'));
    let sent = 0;
    e.respondWith(new Response(new ReadableStream({
      pull(c) { if (sent === total) c.close(); else { sent++; c.enqueue(chunk); } },
    }), { headers: { 'content-type': 'application/octet-stream' } }));
    break;
  }
  case '/gated': {
    let step = 0;
    e.respondWith(new Response(new ReadableStream({
      pull(c) {
        if (step === 0) { step++; c.enqueue(enc.encode('first\n')); return; }
        return released.then(() => { c.enqueue(enc.encode('last\n')); c.close(); });
      },
    })));
    break;
  }
  case '/release':
    release();
    e.respondWith(new Response('released'));
    break;
  case '/endless':
    e.respondWith(new Response(new ReadableStream({
      pull(c) { c.enqueue(enc.encode('data: tick\n\n')); },
      cancel(reason) { cancelled(reason); },
    }), { headers: { 'content-type': 'text/event-stream' } }));
    break;
  case '/cancelled':
    e.respondWith(wasCancelled.then(r => new Response('cancelled: ' + r.name)));
    break;
  case '/relay':
    e.respondWith(fetch('https://app.test/upstream-stream'));
    break;
  }
});`

// streamServe runs "swhost serve" with the streaming worker registered
// for https://app.test/, whose upstream also serves /upstream-stream
// (chunked, of unknown length).
func streamServe(t *testing.T) *serveProc {
	t.Helper()
	app := newUpstream(t, "https://app.test", "")
	app.put("/sw.js", resource{body: streamWorker, ctype: "text/javascript"})
	app.put("/upstream-stream", resource{body: strings.Repeat("relayed;", 100_000), ctype: "text/plain"})
	h := newHost(t, app)
	h.register("/sw.js")
	return startServe(t, h)
}

// edgeGet makes a GET request for https://app.test/path to p's edge.
func (p *serveProc) edgeGet(ctx context.Context, t *testing.T, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+p.edge+path, nil)
	req.Host = "app.test"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	return resp
}

// procStatus returns a field of /proc/PID/status in KiB ("VmHWM").
func procStatus(t *testing.T, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// TestEdgeStreamsWorkerBodies: bodies a worker produces as streams go
// through serve's edge as they are produced, without being held whole.
func TestEdgeStreamsWorkerBodies(t *testing.T) {
	t.Parallel()
	p := streamServe(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Run("first byte before the last chunk", func(t *testing.T) {
		resp := p.edgeGet(ctx, t, "/gated")
		defer resp.Body.Close()
		br := bufio.NewReader(resp.Body)
		// The worker produces "last" only once /release was fetched,
		// which happens after "first" arrived.
		if line, err := br.ReadString('\n'); err != nil || line != "first\n" {
			t.Fatalf("first line %q %v", line, err)
		}
		rel := p.edgeGet(ctx, t, "/release")
		rel.Body.Close()
		rest, err := io.ReadAll(br)
		if err != nil || string(rest) != "last\n" {
			t.Fatalf("rest %q %v", rest, err)
		}
		if len(resp.TransferEncoding) == 0 || resp.TransferEncoding[0] != "chunked" {
			t.Errorf("transfer encoding %v, want chunked", resp.TransferEncoding)
		}
	})

	t.Run("client disconnect cancels the worker's stream", func(t *testing.T) {
		resp := p.edgeGet(ctx, t, "/endless")
		br := bufio.NewReader(resp.Body)
		for range 3 {
			if line, err := br.ReadString('\n'); err != nil || line != "data: tick\n" {
				t.Fatalf("event line %q %v", line, err)
			}
			br.ReadString('\n')
		}
		resp.Body.Close()
		// /cancelled answers once the stream's cancel callback ran.
		st := p.edgeGet(ctx, t, "/cancelled")
		b, err := io.ReadAll(st.Body)
		st.Body.Close()
		if err != nil || string(b) != "cancelled: AbortError" {
			t.Fatalf("/cancelled: %q %v", b, err)
		}
	})

	t.Run("network stream relayed by the worker", func(t *testing.T) {
		resp := p.edgeGet(ctx, t, "/relay")
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || string(b) != strings.Repeat("relayed;", 100_000) {
			t.Fatalf("relay: %d bytes, %v", len(b), err)
		}
	})

	t.Run("1 GiB in bounded memory", func(t *testing.T) {
		const mib = 1024
		t.Logf("serve's RSS before: %d MiB", procStatus(t, p.cmd.Process.Pid, "VmRSS")>>10)
		resp := p.edgeGet(ctx, t, "/big?mib="+strconv.Itoa(mib))
		n, err := io.CopyBuffer(io.Discard, resp.Body, make([]byte, 1<<20))
		resp.Body.Close()
		if err != nil || n != mib<<20 {
			t.Fatalf("read %d bytes, %v; want %d", n, err, mib<<20)
		}
		hwm := procStatus(t, p.cmd.Process.Pid, "VmHWM")
		t.Logf("serve's peak RSS after streaming 1 GiB: %d MiB", hwm>>10)
		if raceEnabled && !testing.Short() {
			return // a -race binary has its own memory overhead
		}
		if hwm > 100<<10 {
			t.Errorf("serve's peak RSS is %d MiB, want under 100 MiB", hwm>>10)
		}
	})
}
