package worker

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestRespondWithStreamBody checks that a Response whose body is a
// ReadableStream reaches Go as a stream (fetch.Response.Stream) whose
// bytes are the chunks the script produces; a stream that fails fails
// its reader.
func TestRespondWithStreamBody(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		body      string // the request body
		wantBody  string
		wantErrIn string // a network error whose RespondWithError contains this
		readErrIn string // reading the streamed body fails with this
	}{
		{"stream produced over several tasks", `addEventListener('fetch', e => {
  const enc = new TextEncoder();
  let i = 0;
  e.respondWith(new Response(new ReadableStream({
    pull(c) { return new Promise(r => setTimeout(r, 0)).then(() => { if (i < 3) c.enqueue(enc.encode('part' + i++ + ';')); else c.close(); }); },
  }), { headers: { 'content-type': 'text/plain' } }));
});`, "", "part0;part1;part2;", "", ""},
		{"pass-through of a response body", `addEventListener('fetch', e => {
  const r = new Response('abc');
  e.respondWith(new Response(r.body, { headers: { 'x-rewritten': '1' } }));
});`, "", "abc", "", ""},
		{"a promise of a stream response", `addEventListener('fetch', e => {
  e.respondWith(Promise.resolve().then(() => new Response(ReadableStream.from([new Uint8Array([104, 105])]))));
});`, "", "hi", "", ""},
		{"the request body as a stream", `addEventListener('fetch', e => {
  e.respondWith(new Response(e.request.body.pipeThrough(new TransformStream())));
});`, "posted", "posted", "", ""},
		{"text through TextEncoderStream", `addEventListener('fetch', e => {
  e.respondWith(new Response(ReadableStream.from(['a', 'b']).pipeThrough(new TextEncoderStream())));
});`, "", "ab", "", ""},
		{"an errored stream", `addEventListener('fetch', e => {
  e.respondWith(new Response(new ReadableStream({ pull(c) { c.error(new RangeError('broken stream')); } })));
});`, "", "", "", "RangeError: broken stream"},
		{"a chunk that is not bytes", `addEventListener('fetch', e => {
  e.respondWith(new Response(ReadableStream.from(['text'])));
});`, "", "", "", "TypeError: A body stream chunk is not a Uint8Array"},
		{"a body already read", `addEventListener('fetch', e => {
  const r = new Response('x');
  r.body.getReader().read();
  e.respondWith(r);
});`, "", "", "already used", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWorker(t, tt.src, Options{})
			req := &fetch.Request{URL: "https://app.test/x"}
			if tt.body != "" {
				req.Method = "POST"
				req.Body = []byte(tt.body)
			}
			res, err := w.DispatchFetch(ctxT(t), req, FetchEventInit{})
			if err != nil {
				t.Fatalf("DispatchFetch: %v", err)
			}
			if tt.wantErrIn != "" {
				if res.Response == nil || !res.Response.IsNetworkError() {
					t.Fatalf("got %+v, want a network error", res.Response)
				}
				if res.RespondWithError == nil || !strings.Contains(res.RespondWithError.Error(), tt.wantErrIn) {
					t.Fatalf("RespondWithError = %v, want it to contain %q", res.RespondWithError, tt.wantErrIn)
				}
				return
			}
			if res.Response == nil || res.Response.Status != 200 {
				t.Fatalf("got %+v (error %v), want a 200", res.Response, res.RespondWithError)
			}
			err = res.Response.ReadBody(0)
			if tt.readErrIn != "" {
				if err == nil || !strings.Contains(err.Error(), tt.readErrIn) {
					t.Fatalf("reading the body: %v, want an error containing %q", err, tt.readErrIn)
				}
				return
			}
			if err != nil || string(res.Response.Body) != tt.wantBody {
				t.Fatalf("body %q (%v), want %q", res.Response.Body, err, tt.wantBody)
			}
		})
	}
}

// TestStreamBodyLimit checks that a stream body over the worker's body
// limit is streamed to Go, not refused: the limit bounds what is held in
// memory at once, and a streamed body never is whole.
func TestStreamBodyLimit(t *testing.T) {
	const src = `addEventListener('fetch', e => {
  e.respondWith(new Response(ReadableStream.from([new Uint8Array(6), new Uint8Array(6)])));
});`
	for _, limit := range []int{12, 11, 5} {
		w := newTestWorker(t, src, Options{Limits: Limits{MaxBodyBytes: limit}})
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if err != nil || res.Response == nil || res.RespondWithError != nil {
			t.Fatalf("limit %d: %+v, %v", limit, res, err)
		}
		if err := res.Response.ReadBody(0); err != nil || len(res.Response.Body) != 12 {
			t.Errorf("limit %d: body of %d bytes (%v), want 12", limit, len(res.Response.Body), err)
		}
	}
}

// TestStreamCancelledByGo checks that closing the Go reader of a
// streamed respondWith body cancels the script's stream: its source's
// cancel callback runs, with an AbortError.
func TestStreamCancelledByGo(t *testing.T) {
	const src = `let cancelled = 'not cancelled', pulls = 0;
addEventListener('fetch', e => {
  if (e.request.url.endsWith('/status')) { e.respondWith(new Response(cancelled + ' after ' + pulls + ' pulls')); return; }
  e.respondWith(new Response(new ReadableStream({
    pull(c) { pulls++; c.enqueue(new Uint8Array(4)); },
    cancel(reason) { cancelled = reason.name; },
  })));
});`
	w := newTestWorker(t, src, Options{})
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/stream"}, FetchEventInit{})
	if err != nil || res.Response == nil || res.Response.Stream == nil {
		t.Fatalf("%+v, %v", res, err)
	}
	buf := make([]byte, 4)
	for range 2 {
		if n, err := res.Response.Stream.Read(buf); n != 4 || err != nil {
			t.Fatalf("read %d, %v", n, err)
		}
	}
	res.Response.CloseBody()
	// The cancel task was queued before this event's.
	st, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/status"}, FetchEventInit{})
	if err != nil || st.Response == nil {
		t.Fatalf("%+v, %v", st, err)
	}
	// One pull fills the queue when the stream starts (its high-water
	// mark is 1), and each read takes one chunk and pulls once more.
	if got := string(st.Response.Body); got != "AbortError after 3 pulls" {
		t.Errorf("status %q, want %q", got, "AbortError after 3 pulls")
	}
}

// countingStream is a Go body that counts its reads and closes.
type countingStream struct {
	chunks []string
	reads  int
	closed chan struct{}
}

func (s *countingStream) Read(p []byte) (int, error) {
	s.reads++
	if len(s.chunks) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.chunks[0])
	s.chunks = s.chunks[1:]
	return n, nil
}

func (s *countingStream) Close() error {
	select {
	case <-s.closed:
	default:
		close(s.closed)
	}
	return nil
}

// TestGoStreamInWorker checks the Go streams fetch() hands the worker: a
// body nothing read goes back to Go as the same reader; a script reads
// one as a ReadableStream, chunk by chunk; cancelling it closes the Go
// reader.
func TestGoStreamInWorker(t *testing.T) {
	var last *countingStream
	fetcher := fetch.FetcherFunc(func(ctx context.Context, req *fetch.Request) (*fetch.Response, error) {
		last = &countingStream{chunks: []string{"one;", "two;", "three"}, closed: make(chan struct{})}
		return &fetch.Response{Type: fetch.TypeBasic, URL: req.URL, Status: 200, Header: http.Header{}, Stream: last}, nil
	})
	tests := []struct {
		name, path string
		same       bool   // the response's Stream is the fetcher's own
		body       string // else its body
		closed     bool   // the fetcher's stream was closed
	}{
		{"pass-through", "/pass", true, "", false},
		{"awaited pass-through", "/await", true, "", false},
		{"text()", "/text", false, "text:one;two;three", true},
		{"reader", "/reader", false, "one;|two;|three|", true},
		{"cancel", "/cancel", false, "one;", true},
	}
	const src = `addEventListener('fetch', e => {
  const p = new URL(e.request.url).pathname;
  const up = fetch('https://up.test/');
  if (p === '/pass') { e.respondWith(up); return; }
  e.respondWith(up.then(async r => {
    if (p === '/await') return r;
    if (p === '/text') return new Response('text:' + await r.text());
    const rd = r.body.getReader(), dec = new TextDecoder();
    if (p === '/cancel') {
      const { value } = await rd.read();
      await rd.cancel();
      return new Response(dec.decode(value));
    }
    let out = '';
    for (;;) { const { done, value } = await rd.read(); if (done) break; out += dec.decode(value) + '|'; }
    return new Response(out);
  }));
});`
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newTestWorker(t, src, Options{Fetcher: fetcher})
			res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test" + tt.path}, FetchEventInit{})
			if err != nil || res.Response == nil || res.RespondWithError != nil {
				t.Fatalf("%+v, %v", res, err)
			}
			if tt.same {
				if res.Response.Stream != io.ReadCloser(last) {
					t.Fatalf("stream %T, want the fetcher's own", res.Response.Stream)
				}
				if last.reads != 0 {
					t.Errorf("the worker read the passed-through stream %d times", last.reads)
				}
				return
			}
			if err := res.Response.ReadBody(0); err != nil || string(res.Response.Body) != tt.body {
				t.Errorf("body %q (%v), want %q", res.Response.Body, err, tt.body)
			}
			if tt.closed {
				<-last.closed
			}
		})
	}
}
