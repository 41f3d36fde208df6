package worker

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// BenchmarkFormData parses a 1 MiB multipart/form-data body with formData()
// in a worker (16 text fields and a 1 MiB file part), against the same
// body read with arrayBuffer() (the bytes only), in one run.
func BenchmarkFormData(b *testing.B) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := range 16 {
		_ = mw.WriteField("field"+string(rune('a'+i)), "value")
	}
	fw, _ := mw.CreateFormFile("file", "data.bin")
	_, _ = fw.Write(make([]byte, 1<<20))
	_ = mw.Close()
	body := buf.Bytes()
	for _, bc := range []struct{ name, src, want string }{
		{"formData", `addEventListener('fetch', e => e.respondWith(e.request.formData().then(f => new Response(String(f.get('file').size + [...f.keys()].length)))));`, "1048593"},
		{"peer-arrayBuffer", `addEventListener('fetch', e => e.respondWith(e.request.arrayBuffer().then(a => new Response(String(a.byteLength > 1048576 ? 1048593 : 0)))));`, "1048593"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := benchWorker(b, bc.src)
			req := &fetch.Request{URL: "https://app.test/upload", Method: "POST", Body: body,
				Header: http.Header{"Content-Type": {mw.FormDataContentType()}}}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				res, err := w.DispatchFetch(context.Background(), req, FetchEventInit{})
				if err != nil || res.Response == nil || string(res.Response.Body) != bc.want {
					b.Fatalf("%v %+v", err, res)
				}
			}
		})
	}
}
