package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"
)

// echoServiceWorker is the connect seed's example worker, unchanged.
const echoServiceWorker = `// https://example.com/serviceworker.js
this.addEventListener('crossoriginconnect', function(event) {
  // Optionally check event.client.origin to determine if that origin should be
  // allowed access to this service.
  event.acceptConnection(event.client.targetUrl === 'https://example.com/services/echo');
});

this.addEventListener('crossoriginmessage', function(event) {
  event.source.postMessage(event.data, event.ports);
});
`

// TestConnectEcho registers the seed's echo worker in one process and
// talks to it from the next: replies are JSON lines in order; a refused
// connect exits 2 with the same AbortError as a URL with no service.
func TestConnectEcho(t *testing.T) {
	svc := newUpstream(t, "https://example.com", "")
	svc.put("/serviceworker.js", resource{body: echoServiceWorker, ctype: "text/javascript"})
	h := newHost(t, svc)
	h.must("register", "--client", "https://example.com/", "/serviceworker.js")

	r := h.runStdin("hello\n{\"n\":[1,2,3]}\n7\n", "connect", "--client", "http://example.com/webapp.js", "https://example.com/services/echo")
	if r.code != 0 || r.stdout != "\"hello\"\n{\"n\":[1,2,3]}\n7\n" {
		t.Errorf("echo:\n%s", r)
	}
	refused := h.runStdin("x\n", "connect", "--client", "http://example.com/", "https://example.com/services/other")
	wantFail(t, refused, 2, "AbortError", "no service accepted the connection to https://example.com/services/other")
	none := h.runStdin("x\n", "connect", "--client", "http://example.com/", "https://nowhere.test/services/echo")
	wantFail(t, none, 2, "AbortError", "no service accepted the connection to https://nowhere.test/services/echo")
}

// TestConnectCLIFigures measures the echo service through the swhost
// binary (docs/benchmarks.md): messages per second for N stdin lines
// (the time of a run with no input, process start and store open
// included, is subtracted), and round-trip percentiles for one line
// written, one reply read, repeated. It runs only with SWHOST_FIGURES=1.
func TestConnectCLIFigures(t *testing.T) {
	if os.Getenv("SWHOST_FIGURES") == "" {
		t.Skip("figures: set SWHOST_FIGURES=1")
	}
	svc := newUpstream(t, "https://example.com", "")
	svc.put("/serviceworker.js", resource{body: echoServiceWorker, ctype: "text/javascript"})
	h := newHost(t, svc)
	h.must("register", "--client", "https://example.com/", "/serviceworker.js")
	args := []string{"--client", "http://example.com/", "https://example.com/services/echo"}

	const n = 20000
	timed := func(stdin string) time.Duration {
		start := time.Now()
		r := h.runStdin(stdin, "connect", args...)
		if r.code != 0 {
			t.Fatalf("%s", r)
		}
		return time.Since(start)
	}
	base := timed("")
	full := timed(strings.Repeat("\"hello\"\n", n))
	t.Logf("CLI: empty run %v, %d lines %v: %.0f msgs/s", base.Round(time.Millisecond), n, full.Round(time.Millisecond), float64(n)/(full-base).Seconds())

	bin := swhostBinary(t)
	full2 := append([]string{"connect", "--data", h.data}, h.resolve...)
	cmd := exec.Command(bin, append(full2, args...)...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	outPipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(outPipe)
	const rounds = 2000
	lat := make([]time.Duration, rounds)
	for i := range lat {
		t0 := time.Now()
		if _, err := in.Write([]byte("\"ping\"\n")); err != nil {
			t.Fatal(err)
		}
		if _, err := out.ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		lat[i] = time.Since(t0)
	}
	in.Close()
	_ = cmd.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	t.Logf("CLI round trip over %d lines: p50 %v p99 %v", rounds, lat[rounds/2], lat[rounds*99/100])
}

// TestConnectCLIJSONOfClones: the CLI prints a worker's replies as
// JSON.stringify writes them (member order kept, Dates as ISO strings,
// undefined members left out, Maps as {}), and JSON lines from stdin reach
// the worker as the values JSON.parse makes, members in the line's order.
func TestConnectCLIJSONOfClones(t *testing.T) {
	svc := newUpstream(t, "https://example.com", "")
	svc.put("/typed/sw.js", resource{body: `
oncrossoriginconnect = (e) => e.acceptConnection(true);
oncrossoriginmessage = (e) => {
  const d = e.data;
  e.source.postMessage({ z: 1, a: [true, null], when: new Date(0), m: new Map([[1, 2]]), u: undefined, bytes: new Uint8Array([5]) });
  e.source.postMessage(typeof d === 'object' && d !== null ? Object.keys(d).join('') + ':' + (Array.isArray(d.list) ? d.list.length : -1) : typeof d);
};`, ctype: "text/javascript"})
	h := newHost(t, svc)
	h.must("register", "--client", "https://example.com/", "--scope", "/typed/", "/typed/sw.js")
	r := h.runStdin("{\"y\":1,\"b\":2,\"list\":[1,2]}\n", "connect", "--count", "2", "--client", "http://example.com/", "https://example.com/typed/x")
	want := `{"z":1,"a":[true,null],"when":"1970-01-01T00:00:00.000Z","m":{},"bytes":{"0":5}}` + "\n" + `"yblist:2"` + "\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("got:\n%s\nwant stdout:\n%s", r, want)
	}
}
