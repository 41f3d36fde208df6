package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"
)

// uploadRelayWorker sends every POST on to the network as it arrives.
const uploadRelayWorker = `self.addEventListener('fetch', e => {
  if (e.request.method === 'POST') e.respondWith(fetch(e.request));
});`

// TestEdgeStreamsUploads: a 256 MiB upload goes through swhost serve's
// edge and a worker's respondWith(fetch(e.request)) to the upstream as
// the client sends it: the upstream has the first bytes before the
// client sent the rest, and serve's memory stays far below the body's
// size.
func TestEdgeStreamsUploads(t *testing.T) {
	t.Parallel()
	const total = 256 << 20
	firstByte := make(chan struct{})
	var once sync.Once
	up := &upstream{origin: "https://app.test", files: map[string]resource{}, hits: map[string]int{}}
	up.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sw.js" {
			w.Header().Set("Content-Type", "text/javascript")
			io.WriteString(w, uploadRelayWorker)
			return
		}
		buf := make([]byte, 256<<10)
		var n int64
		for {
			k, err := r.Body.Read(buf)
			if k > 0 {
				once.Do(func() { close(firstByte) })
			}
			n += int64(k)
			if err == io.EOF {
				break
			}
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		io.WriteString(w, strconv.FormatInt(n, 10))
	}))
	t.Cleanup(up.srv.Close)
	h := newHost(t, up)
	h.register("/sw.js")
	p := startServe(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	t.Logf("serve's RSS before: %d MiB", procStatus(t, p.cmd.Process.Pid, "VmRSS")>>10)
	pr, pw := io.Pipe()
	go func() {
		chunk := make([]byte, 1<<20)
		pw.Write(chunk)
		select {
		case <-firstByte: // the upstream is reading before the client sent the rest
		case <-ctx.Done():
			pw.CloseWithError(ctx.Err())
			return
		}
		for sent := len(chunk); sent < total; sent += len(chunk) {
			if _, err := pw.Write(chunk); err != nil {
				return
			}
		}
		pw.Close()
	}()
	req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+p.edge+"/upload", pr)
	req.Host = "app.test"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || string(b) != strconv.Itoa(total) {
		t.Fatalf("upload: %s %q %v; want the upstream to count %d bytes", resp.Status, b, err, total)
	}
	if by := resp.Header.Get("X-Swhost-Served-By"); by != "fetch-event https://app.test/sw.js" {
		t.Errorf("served by %q, want the worker", by)
	}
	hwm := procStatus(t, p.cmd.Process.Pid, "VmHWM")
	t.Logf("serve's peak RSS after relaying a 256 MiB upload: %d MiB", hwm>>10)
	if raceEnabled && !testing.Short() {
		return // a -race binary has its own memory overhead
	}
	if hwm > 100<<10 {
		t.Errorf("serve's peak RSS is %d MiB, want under 100 MiB", hwm>>10)
	}
}
