package worker

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/swhost/swhost/cachestorage"
	"github.com/swhost/swhost/fetch"
)

// uploadStream is a request body as a client uploads it: its chunks,
// then io.EOF or err. It records whether it was read and closed.
type uploadStream struct {
	chunks []string
	err    error // after the chunks; nil for io.EOF
	reads  atomic.Int32
	closed atomic.Bool
}

func (s *uploadStream) Read(p []byte) (int, error) {
	s.reads.Add(1)
	if s.closed.Load() {
		return 0, errors.New("read of a closed upload")
	}
	if len(s.chunks) == 0 {
		if s.err != nil {
			return 0, s.err
		}
		return 0, io.EOF
	}
	n := copy(p, s.chunks[0])
	s.chunks[0] = s.chunks[0][n:]
	if s.chunks[0] == "" {
		s.chunks = s.chunks[1:]
	}
	return n, nil
}

func (s *uploadStream) Close() error { s.closed.Store(true); return nil }

// TestRequestStreamInWorker checks the streamed body of an incoming
// request (fetch.Request.Stream) as a fetch event sees it: a
// ReadableStream fed from the Go reader; respondWith(fetch(e.request))
// hands the same reader to the network untouched; an upload that fails
// errors the stream; a body the script did not touch stays the caller's
// when the event is not answered, and one it read makes the fetch fail
// (FetchResult.BodyUsed).
func TestRequestStreamInWorker(t *testing.T) {
	const src = `addEventListener('fetch', e => {
  const p = new URL(e.request.url).pathname;
  if (p === '/text') e.respondWith(e.request.text().then(t => new Response('got:' + t), err => new Response('failed:' + err.name)));
  if (p === '/reader') e.respondWith((async () => {
    const rd = e.request.body.getReader(), dec = new TextDecoder();
    let out = '';
    for (;;) { const { done, value } = await rd.read(); if (done) break; out += dec.decode(value) + '|'; }
    return new Response(out);
  })());
  if (p === '/relay') e.respondWith(fetch(e.request));
  if (p === '/relay-copy') e.respondWith(fetch(new Request('https://up.test/copy', { method: 'POST', body: e.request.body, duplex: 'half' })));
  if (p === '/echo') e.respondWith(new Response(e.request.body));
  if (p === '/read-only') e.waitUntil(e.request.arrayBuffer());
  if (p === '/look') { e.request.body; e.request.headers.get('x'); }
  if (p === '/cancel') e.request.body.cancel();
});`
	var sent atomic.Pointer[fetch.Request]
	fetcher := fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
		c := *req
		sent.Store(&c)
		rc, _ := req.BodyReader()
		b, err := io.ReadAll(rc)
		if rc != nil {
			rc.Close()
		}
		if err != nil {
			return fetch.NetworkError(err.Error()), nil
		}
		return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200, Header: http.Header{}, Body: []byte("network:" + string(b))}, nil
	})
	tests := []struct {
		name, path string
		err        error  // the upload fails with it after its chunks
		body       string // the answer's body; "" for no answer
		bodyUsed   bool
		same       bool // the fetcher was given the upload itself
		closed     bool // the upload was closed by the worker
	}{
		{name: "text()", path: "/text", body: "got:one;two;three", closed: true},
		{name: "reader", path: "/reader", body: "one;|two;|three|", closed: true},
		{name: "relay", path: "/relay", body: "network:one;two;three", same: true, closed: true},
		{name: "relay in a new Request", path: "/relay-copy", body: "network:one;two;three", closed: true},
		{name: "echo", path: "/echo", body: "one;two;three"},
		{name: "truncated upload", path: "/text", err: io.ErrUnexpectedEOF, body: "failed:TypeError", closed: true},
		{name: "read without answering", path: "/read-only", bodyUsed: true},
		{name: "cancelled without answering", path: "/cancel", bodyUsed: true, closed: true},
		{name: "looked at without reading", path: "/look"},
		{name: "no listener answered", path: "/none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent.Store(nil)
			w := newTestWorker(t, src, Options{Fetcher: fetcher})
			up := &uploadStream{chunks: []string{"one;", "two;", "three"}, err: tt.err}
			req := &fetch.Request{Method: "POST", URL: "https://app.test" + tt.path, Header: http.Header{}, Stream: up}
			res, err := w.DispatchFetch(ctxT(t), req, FetchEventInit{})
			if err != nil {
				t.Fatalf("DispatchFetch: %v", err)
			}
			if res.BodyUsed != tt.bodyUsed {
				t.Errorf("BodyUsed = %v, want %v", res.BodyUsed, tt.bodyUsed)
			}
			if tt.body == "" {
				if res.Response != nil {
					t.Fatalf("answered %+v, want no answer", res.Response)
				}
				if tt.bodyUsed != (req.Stream == nil) {
					t.Errorf("req.Stream = %v after the event; want it kept only when the body was not used", req.Stream)
				}
				if !tt.bodyUsed {
					// The caller still has the whole body.
					if b, err := io.ReadAll(req.Stream); err != nil || string(b) != "one;two;three" {
						t.Errorf("the caller read %q (%v)", b, err)
					}
				}
				if tt.closed && !up.closed.Load() {
					t.Error("the upload was not closed")
				}
				return
			}
			if res.Response == nil || res.RespondWithError != nil {
				t.Fatalf("%+v, %v", res.Response, res.RespondWithError)
			}
			if err := res.Response.ReadBody(0); err != nil || string(res.Response.Body) != tt.body {
				t.Fatalf("body %q (%v), want %q", res.Response.Body, err, tt.body)
			}
			if tt.same {
				s := sent.Load()
				if s == nil || s.Stream != io.ReadCloser(up) && !isRequestStreamOf(s.Stream, up) {
					t.Errorf("the fetcher got %+v, want the upload itself", s)
				}
			}
			if tt.closed && !up.closed.Load() {
				t.Error("the upload was not closed")
			}
		})
	}
}

// isRequestStreamOf reports whether rc is the event's wrapper of up.
func isRequestStreamOf(rc io.ReadCloser, up io.ReadCloser) bool {
	s, ok := rc.(*requestStream)
	return ok && s.rc == up
}

// TestFetchStreamBodyOverLimit checks that a fetch() request body that is
// a ReadableStream is sent to Go as a stream, chunk by chunk, whatever
// its size: the worker's body limit does not apply to it.
func TestFetchStreamBodyOverLimit(t *testing.T) {
	var got atomic.Int64
	var streamed atomic.Bool
	fetcher := fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
		streamed.Store(req.Stream != nil)
		rc, _ := req.BodyReader()
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		got.Store(n)
		if err != nil {
			return fetch.NetworkError(err.Error()), nil
		}
		return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200, Header: http.Header{}, Body: []byte("ok")}, nil
	})
	const src = `addEventListener('fetch', e => {
  let i = 0;
  const body = new ReadableStream({ pull(c) { if (i++ < 64) c.enqueue(new Uint8Array(1024)); else c.close(); } });
  e.respondWith(fetch('https://up.test/', { method: 'POST', body, duplex: 'half' }));
});`
	w := newTestWorker(t, src, Options{Fetcher: fetcher, Limits: Limits{MaxBodyBytes: 4096}})
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	if err != nil || res.Response == nil || res.Response.IsNetworkError() {
		t.Fatalf("%+v, %v", res, err)
	}
	if !streamed.Load() || got.Load() != 64*1024 {
		t.Errorf("the fetcher got a stream %v of %d bytes, want a stream of %d", streamed.Load(), got.Load(), 64*1024)
	}
}

// TestCachePutStreamQuota checks that cache.put of a Response with a
// stream body stores it when it is over the worker's body limit but
// within the origin's storage quota, and rejects with
// QuotaExceededError, storing nothing, when it is over the quota.
func TestCachePutStreamQuota(t *testing.T) {
	cs, err := cachestorage.New(cachestorage.NewMemoryBackend(), cachestorage.Limits{MaxOriginBytes: 64 << 10}).For("https://app.test")
	if err != nil {
		t.Fatal(err)
	}
	const src = `addEventListener('fetch', e => {
  const n = Number(new URL(e.request.url).searchParams.get('n'));
  let i = 0;
  const body = new ReadableStream({ pull(c) { if (i++ < n) c.enqueue(new Uint8Array(1024)); else c.close(); } });
  e.respondWith(caches.open('c').then(c => c.put('https://app.test/k' + n, new Response(body)).then(
    () => c.match('https://app.test/k' + n).then(r => r.arrayBuffer()).then(b => new Response('stored ' + b.byteLength)),
    err => c.match('https://app.test/k' + n).then(r => new Response(err.name + ' ' + (r === undefined ? 'nothing stored' : 'stored'))))));
});`
	w := newTestWorker(t, src, Options{Caches: cs, Limits: Limits{MaxBodyBytes: 8 << 10}})
	for _, tt := range []struct {
		n    int
		want string
	}{
		{16, "stored 16384"},
		{200, "QuotaExceededError nothing stored"},
	} {
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/?n=" + strconv.Itoa(tt.n)}, FetchEventInit{})
		if err != nil || res.Response == nil {
			t.Fatalf("n=%d: %+v, %v", tt.n, res, err)
		}
		if err := res.Response.ReadBody(0); err != nil || !strings.HasPrefix(string(res.Response.Body), tt.want) {
			t.Errorf("n=%d: %q (%v), want %q", tt.n, res.Response.Body, err, tt.want)
		}
	}
}

// TestStreamBackpressureMemory checks that a worker's response stream
// cannot grow the host's memory past its budgets when its reader does
// not read: a source that produces on pull is asked for at most one
// chunk more than was read (backpressure); one that enqueues without
// regard to it grows its own queue, which is its heap, and is stopped by
// its heap budget (QuotaExceededError) with the host's heap grown by a
// bounded multiple of that budget; the reader then gets an error.
func TestStreamBackpressureMemory(t *testing.T) {
	t.Run("pull source", func(t *testing.T) {
		const src = `let pulls = 0;
addEventListener('fetch', e => {
  if (e.request.url.endsWith('/pulls')) { e.respondWith(new Response(String(pulls))); return; }
  e.respondWith(new Response(new ReadableStream({ pull(c) { pulls++; c.enqueue(new Uint8Array(1 << 20)); } })));
});`
		w := newTestWorker(t, src, Options{})
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/endless"}, FetchEventInit{})
		if err != nil || res.Response == nil || res.Response.Stream == nil {
			t.Fatalf("%+v, %v", res, err)
		}
		defer res.Response.CloseBody()
		const reads = 5
		if _, err := io.CopyN(io.Discard, res.Response.Stream, reads<<20); err != nil {
			t.Fatal(err)
		}
		// The reader stops here. Events run after every task the reads
		// queued, so /pulls sees every pull they caused.
		r2, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/pulls"}, FetchEventInit{})
		if err != nil || r2.Response == nil {
			t.Fatal(r2, err)
		}
		n, _ := strconv.Atoi(string(r2.Response.Body))
		if n < reads || n > reads+2 {
			t.Errorf("%d pulls for %d chunks read, want at most 2 ahead", n, reads)
		}
	})
	t.Run("source ignoring backpressure", func(t *testing.T) {
		if testing.Short() {
			t.Skip("allocates a few hundred MiB")
		}
		const budget = 64 << 20
		sw := newStopWatcher()
		const src = `addEventListener('fetch', e => {
  e.respondWith(new Response(new ReadableStream({ start(c) { setInterval(() => c.enqueue(new Uint8Array(1 << 20).fill(1)), 0); } })));
});`
		w := newTestWorker(t, src, Options{Console: sw.console, Limits: Limits{MaxHeap: budget, IdleTimeout: -1}})
		runtime.GC()
		base := heapObjectBytes()
		var peak atomic.Uint64
		done := make(chan struct{})
		go func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if b := heapObjectBytes(); b > peak.Load() {
					peak.Store(b)
				}
				runtime.Gosched()
			}
		}()
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if err != nil || res.Response == nil || res.Response.Stream == nil {
			close(done)
			t.Fatalf("%+v, %v", res, err)
		}
		defer res.Response.CloseBody()
		msg := sw.wait(t, time.Minute)
		close(done)
		if !strings.Contains(msg, "QuotaExceededError") {
			t.Errorf("stopped with %q, want QuotaExceededError", msg)
		}
		grew := int64(peak.Load()) - int64(base)
		t.Logf("the host's heap grew by %d MiB before the worker was stopped (budget %d MiB)", grew>>20, budget>>20)
		if grew > 4*budget {
			t.Errorf("the heap grew by %d MiB, want under %d MiB", grew>>20, 4*budget>>20)
		}
		if _, err := io.Copy(io.Discard, res.Response.Stream); err == nil {
			t.Error("reading the stream of a stopped worker succeeded")
		}
	})
}
