package worker

import (
	"context"
	"strconv"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// BenchmarkBodyStream reads a 1 MiB request body in the worker through
// request.arrayBuffer() and through request.body's reader, and answers
// with a 1 MiB body a ReadableStream produces in 16 chunks of 64 KiB
// (read to its end before it goes to Go).
func BenchmarkBodyStream(b *testing.B) {
	body := make([]byte, 1<<20)
	const check = `.then(n => { if (n !== 1048576) throw new Error('read ' + n); return new Response(String(n)); })`
	for _, bc := range []struct{ name, src string }{
		{"arrayBuffer", `addEventListener('fetch', e => e.respondWith(e.request.arrayBuffer().then(b => b.byteLength)` + check + `));`},
		{"bodyReader", `addEventListener('fetch', e => {
  const reader = e.request.body.getReader();
  let n = 0;
  const next = () => reader.read().then(r => { if (r.done) return n; n += r.value.length; return next(); });
  e.respondWith(next()` + check + `);
});`},
		{"streamResponse", `const chunk = new Uint8Array(65536);
addEventListener('fetch', e => {
  let i = 0;
  e.respondWith(new Response(new ReadableStream({ pull(c) { if (i++ < 16) c.enqueue(chunk); else c.close(); } })));
});`},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := benchWorker(b, bc.src)
			req := &fetch.Request{URL: "https://app.test/upload", Method: "POST", Body: body}
			want := strconv.Itoa(len(body))
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				res, err := w.DispatchFetch(context.Background(), req, FetchEventInit{})
				if err != nil || res.Response == nil || res.RespondWithError != nil {
					b.Fatal(err, res.RespondWithError)
				}
				if got := len(res.Response.Body); bc.name == "streamResponse" && got != len(body) || bc.name != "streamResponse" && string(res.Response.Body) != want {
					b.Fatalf("body of %d bytes", got)
				}
			}
		})
	}
}
