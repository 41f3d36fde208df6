package worker

import (
	"strings"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// TestRespondWithStreamBody checks that a Response whose body is a
// ReadableStream reaches Go with the whole body: the stream is read to its
// end in the worker before the response is handed over.
func TestRespondWithStreamBody(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		body      string // the request body
		wantBody  string
		wantErrIn string // a network error whose RespondWithError contains this
	}{
		{"stream produced over several tasks", `addEventListener('fetch', e => {
  const enc = new TextEncoder();
  let i = 0;
  e.respondWith(new Response(new ReadableStream({
    pull(c) { return new Promise(r => setTimeout(r, 0)).then(() => { if (i < 3) c.enqueue(enc.encode('part' + i++ + ';')); else c.close(); }); },
  }), { headers: { 'content-type': 'text/plain' } }));
});`, "", "part0;part1;part2;", ""},
		{"pass-through of a response body", `addEventListener('fetch', e => {
  const r = new Response('abc');
  e.respondWith(new Response(r.body, { headers: { 'x-rewritten': '1' } }));
});`, "", "abc", ""},
		{"a promise of a stream response", `addEventListener('fetch', e => {
  e.respondWith(Promise.resolve().then(() => new Response(ReadableStream.from([new Uint8Array([104, 105])]))));
});`, "", "hi", ""},
		{"the request body as a stream", `addEventListener('fetch', e => {
  e.respondWith(new Response(e.request.body.pipeThrough(new TransformStream())));
});`, "posted", "posted", ""},
		{"text through TextEncoderStream", `addEventListener('fetch', e => {
  e.respondWith(new Response(ReadableStream.from(['a', 'b']).pipeThrough(new TextEncoderStream())));
});`, "", "ab", ""},
		{"an errored stream", `addEventListener('fetch', e => {
  e.respondWith(new Response(new ReadableStream({ pull(c) { c.error(new RangeError('broken stream')); } })));
});`, "", "", "RangeError: broken stream"},
		{"a chunk that is not bytes", `addEventListener('fetch', e => {
  e.respondWith(new Response(ReadableStream.from(['text'])));
});`, "", "", "TypeError"},
		{"a body already read", `addEventListener('fetch', e => {
  const r = new Response('x');
  r.body.getReader().read();
  e.respondWith(r);
});`, "", "", "already used"},
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
			if res.Response == nil || res.Response.Status != 200 || string(res.Response.Body) != tt.wantBody {
				t.Fatalf("got %+v (error %v), want body %q", res.Response, res.RespondWithError, tt.wantBody)
			}
		})
	}
}

// TestStreamBodyLimit checks that a stream body over the worker's body
// limit fails with QuotaExceededError (stream bodies are read into memory
// before they go to Go).
func TestStreamBodyLimit(t *testing.T) {
	const src = `addEventListener('fetch', e => {
  e.respondWith(new Response(ReadableStream.from([new Uint8Array(6), new Uint8Array(6)])));
});`
	for _, tt := range []struct {
		limit  int
		wantOK bool
	}{{12, true}, {11, false}} {
		w := newTestWorker(t, src, Options{Limits: Limits{MaxBodyBytes: tt.limit}})
		res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
		if err != nil || res.Response == nil {
			t.Fatalf("limit %d: %+v, %v", tt.limit, res, err)
		}
		if tt.wantOK {
			if len(res.Response.Body) != 12 {
				t.Errorf("limit %d: body of %d bytes, want 12 (%v)", tt.limit, len(res.Response.Body), res.RespondWithError)
			}
			continue
		}
		if res.RespondWithError == nil || !strings.Contains(res.RespondWithError.Error(), "QuotaExceededError") {
			t.Errorf("limit %d: RespondWithError = %v, want a QuotaExceededError", tt.limit, res.RespondWithError)
		}
	}
}
