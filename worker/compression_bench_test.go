package worker

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/swhost/swhost/fetch"
)

// benchText is 1 MiB of words (gzip makes about 121 KB of it).
func benchText() []byte {
	rng := rand.New(rand.NewPCG(3, 4))
	words := []string{"service", "worker", "cache", "fetch", "stream", "response", "request", "headers", "body", "\n"}
	var b bytes.Buffer
	for b.Len() < 1<<20 {
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteByte(' ')
	}
	return b.Bytes()[:1<<20]
}

// BenchmarkCompression compresses and decompresses 1 MiB with gzip
// through a CompressionStream and a DecompressionStream in a worker (a
// fetch event whose request body goes through the stream, whose readable
// side is the response body, streamed to Go and read whole there),
// against Go's compress/gzip on the same bytes in the same run, and
// against a worker that answers with the body unchanged (what the event
// and the copies in and out cost without a codec).
func BenchmarkCompression(b *testing.B) {
	text := benchText()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(text)
	zw.Close()
	compressed := gz.Bytes()

	stream := func(b *testing.B, path string, in []byte, want int) {
		src := compressionSW
		if path == "/echo" {
			src = `addEventListener('fetch', e => e.respondWith(e.request.arrayBuffer().then(b => new Response(b))));`
		}
		w := benchWorker(b, src)
		req := &fetch.Request{URL: "https://app.test" + path, Method: "POST", Body: in}
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		for b.Loop() {
			res, err := w.DispatchFetch(context.Background(), req, FetchEventInit{})
			if err != nil || res.Response == nil || res.RespondWithError != nil {
				b.Fatal(err, res.RespondWithError)
			}
			if err := res.Response.ReadBody(0); err != nil {
				b.Fatal(err)
			}
			if want >= 0 && len(res.Response.Body) != want {
				b.Fatalf("%d bytes, want %d", len(res.Response.Body), want)
			}
		}
	}
	b.Run("compress/stream", func(b *testing.B) { stream(b, "/compress/gzip", text, -1) })
	b.Run("compress/go", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			w := gzip.NewWriter(&out)
			w.Write(text)
			w.Close()
		}
	})
	b.Run("decompress/stream", func(b *testing.B) { stream(b, "/decompress/gzip", compressed, len(text)) })
	b.Run("decompress/go", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		b.ReportAllocs()
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			r, err := gzip.NewReader(bytes.NewReader(compressed))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(&out, r); err != nil || out.Len() != len(text) {
				b.Fatal(err)
			}
		}
	})
	b.Run("echo/stream", func(b *testing.B) { stream(b, "/echo", text, len(text)) })
}
