package worker

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/weberr"
)

var codecFormats = []codecFormat{formatDeflate, formatDeflateRaw, formatGzip}

func TestParseCodecFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want codecFormat
		ok   bool
	}{
		{"deflate", formatDeflate, true},
		{"deflate-raw", formatDeflateRaw, true},
		{"gzip", formatGzip, true},
		{"brotli", 0, false}, // a CompressionFormat Go's standard library has no codec for
		{"zstd", 0, false},
		{"GZIP", 0, false},
		{" gzip", 0, false},
		{"", 0, false},
		{"x-gzip", 0, false},
	} {
		got, ok := parseCodecFormat(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseCodecFormat(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && got.String() != tc.in {
			t.Errorf("%v.String() = %q", got, got.String())
		}
	}
}

// goCompress compresses data with Go's packages directly, as a peer
// implementation would.
func goCompress(t testing.TB, f codecFormat, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch f {
	case formatGzip:
		w = gzip.NewWriter(&buf)
	case formatDeflate:
		w = zlib.NewWriter(&buf)
	default:
		w, _ = flate.NewWriter(&buf, flate.DefaultCompression)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// referenceInflate decodes data with Go's packages directly, by the
// standard's rules: one gzip member, no data after the end. It reads at
// most limit bytes of output.
func referenceInflate(f codecFormat, data []byte, limit int64) ([]byte, error) {
	src := bytes.NewReader(data) // a ByteReader: the decoders read no further than the end
	var r io.Reader
	switch f {
	case formatGzip:
		z, err := gzip.NewReader(src)
		if err != nil {
			return nil, err
		}
		z.Multistream(false)
		r = z
	case formatDeflate:
		z, err := zlib.NewReader(src)
		if err != nil {
			return nil, err
		}
		r = z
	default:
		r = flate.NewReader(src)
	}
	out, err := io.ReadAll(io.LimitReader(r, limit))
	if err != nil || int64(len(out)) == limit {
		return out, err
	}
	if src.Len() > 0 {
		return out, errors.New("trailing data")
	}
	return out, nil
}

// drive feeds input to c in chunks of the given sizes (cycled), finishes
// it, and returns the output, checking each pull's bounds.
func drive(t testing.TB, c codec, input []byte, sizes []int, maxOut int) ([]byte, error) {
	t.Helper()
	var out []byte
	pullAll := func() error {
		for {
			before := pending(c)
			p, err := c.pull()
			if err != nil {
				return err
			}
			if len(p) > codecPiece {
				t.Fatalf("a pull returned %d bytes, over codecPiece", len(p))
			}
			if used := before - pending(c); used > codecStep {
				t.Fatalf("a pull consumed %d input bytes, over codecStep", used)
			}
			if p == nil {
				return nil
			}
			out = append(out, p...)
			if len(out) > maxOut {
				return errOutputCap
			}
		}
	}
	for i := 0; len(input) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(input))
		c.push(input[:n])
		input = input[n:]
		if err := pullAll(); err != nil {
			return out, err
		}
	}
	c.finish()
	return out, pullAll()
}

var errOutputCap = errors.New("output cap reached")

// pending is the input a codec holds and has not consumed.
func pending(c codec) int {
	switch c := c.(type) {
	case *inflater:
		return len(c.in)
	case *deflater:
		return len(c.in)
	}
	return 0
}

func testInputs() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 300_000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	var text strings.Builder
	words := []string{"service", "worker", "cache", "fetch", "stream", "gzip", "deflate", "\n"}
	for text.Len() < 200_000 {
		text.WriteString(words[rng.IntN(len(words))])
		text.WriteByte(' ')
	}
	return map[string][]byte{
		"empty":  {},
		"byte":   {'x'},
		"hello":  []byte("expected output"),
		"text":   []byte(text.String()),
		"random": random,
		"zeros":  make([]byte, 1<<20),
	}
}

var chunkSizes = map[string][]int{"whole": {1 << 30}, "1": {1}, "7,4096": {7, 4096}, "1000": {1000}}

// TestDeflaterAgainstGo compresses with the CompressionStream codec and
// decompresses with Go's packages.
func TestDeflaterAgainstGo(t *testing.T) {
	for name, input := range testInputs() {
		for _, f := range codecFormats {
			for sname, sizes := range chunkSizes {
				if sname == "1" && len(input) > 5000 {
					continue
				}
				t.Run(f.String()+"/"+name+"/"+sname, func(t *testing.T) {
					out, err := drive(t, newDeflater(f), input, sizes, 1<<30)
					if err != nil {
						t.Fatal(err)
					}
					got, err := referenceInflate(f, out, 1<<30)
					if err != nil {
						t.Fatalf("Go cannot decompress the output: %v", err)
					}
					if !bytes.Equal(got, input) {
						t.Fatalf("round trip: %d bytes, want %d", len(got), len(input))
					}
					if name == "zeros" && len(out) > 4096 {
						t.Errorf("a MiB of zeros compressed to %d bytes", len(out))
					}
				})
			}
		}
	}
}

// TestInflaterAgainstGo decompresses with the DecompressionStream codec
// what Go's packages compressed, at every level and with gzip's optional
// header fields and sync flushes, in chunks of several sizes.
func TestInflaterAgainstGo(t *testing.T) {
	inputs := testInputs()
	type variant struct {
		name string
		f    codecFormat
		make func(data []byte) []byte
	}
	var variants []variant
	for _, level := range []int{flate.HuffmanOnly, flate.NoCompression, flate.BestSpeed, flate.DefaultCompression, flate.BestCompression} {
		variants = append(variants,
			variant{"zlib-level" + itoa(level), formatDeflate, func(data []byte) []byte {
				var b bytes.Buffer
				w, _ := zlib.NewWriterLevel(&b, level)
				w.Write(data)
				w.Close()
				return b.Bytes()
			}},
			variant{"flate-level" + itoa(level), formatDeflateRaw, func(data []byte) []byte {
				var b bytes.Buffer
				w, _ := flate.NewWriter(&b, level)
				w.Write(data)
				w.Close()
				return b.Bytes()
			}})
	}
	variants = append(variants,
		variant{"gzip-header-fields", formatGzip, func(data []byte) []byte {
			var b bytes.Buffer
			w := gzip.NewWriter(&b)
			w.Name, w.Comment, w.Extra, w.ModTime = "name.txt", "a comment", []byte{'A', 'B', 2, 0, 1, 2}, time.Unix(1e9, 0)
			w.Write(data)
			w.Close()
			return b.Bytes()
		}},
		variant{"gzip-sync-flushes", formatGzip, func(data []byte) []byte {
			var b bytes.Buffer
			w := gzip.NewWriter(&b)
			for len(data) > 0 {
				n := min(len(data), 10_000)
				w.Write(data[:n])
				w.Flush()
				data = data[n:]
			}
			w.Close()
			return b.Bytes()
		}},
	)
	for _, v := range variants {
		for name, input := range inputs {
			compressed := v.make(input)
			for sname, sizes := range chunkSizes {
				if sname == "1" && len(compressed) > 20000 {
					continue
				}
				t.Run(v.name+"/"+name+"/"+sname, func(t *testing.T) {
					got, err := drive(t, newInflater(v.f), compressed, sizes, 1<<30)
					if err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, input) {
						t.Fatalf("decompressed %d bytes, want %d", len(got), len(input))
					}
				})
			}
		}
	}
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	return string(rune('0' + n))
}

// TestInflaterErrors: the standard's errors, each a TypeError.
func TestInflaterErrors(t *testing.T) {
	hello := []byte("expected output")
	for _, f := range codecFormats {
		good := goCompress(t, f, hello)
		gzipTwice := append(goCompress(t, formatGzip, hello), goCompress(t, formatGzip, hello)...)
		for _, tc := range []struct {
			name   string
			chunks [][]byte
			want   string // the start of the message; "" when it decodes
		}{
			{"whole", [][]byte{good}, ""},
			{"an empty chunk after the end", [][]byte{good, {}}, ""},
			{"no input", nil, "the compressed " + f.String() + " data ends before its end"},
			{"truncated by a byte", [][]byte{good[:len(good)-1]}, "the compressed " + f.String() + " data ends before its end"},
			{"only the first byte", [][]byte{good[:1]}, "the compressed " + f.String() + " data ends before its end"},
			{"a trailing byte", [][]byte{append(bytes.Clone(good), 0)}, "1 bytes follow the end"},
			{"a trailing chunk", [][]byte{good, {0, 0}}, "2 bytes follow the end"},
			{"the stream twice", [][]byte{good, good}, "bytes follow the end"},
			{"two gzip members", [][]byte{gzipTwice}, map[codecFormat]string{formatGzip: "bytes follow the end", formatDeflate: "the compressed deflate data is corrupt", formatDeflateRaw: "the compressed deflate-raw data is corrupt"}[f]},
			{"garbage", [][]byte{[]byte("this is not compressed at all")}, "the compressed " + f.String() + " data is corrupt"},
		} {
			t.Run(f.String()+"/"+tc.name, func(t *testing.T) {
				d := newInflater(f)
				var out []byte
				var err error
				for _, c := range tc.chunks {
					d.push(c)
					for err == nil {
						var p []byte
						if p, err = d.pull(); p == nil {
							break
						}
						out = append(out, p...)
					}
				}
				if err == nil {
					d.finish()
					for {
						var p []byte
						if p, err = d.pull(); p == nil || err != nil {
							break
						}
						out = append(out, p...)
					}
				}
				if tc.want == "" {
					if err != nil || string(out) != string(hello) {
						t.Fatalf("got %q, %v; want %q", out, err, hello)
					}
					return
				}
				if err == nil {
					t.Fatalf("no error; output %q", out)
				}
				if weberr.NameOf(err) != weberr.TypeError || !strings.Contains(weberr.MessageOf(err), tc.want) {
					t.Fatalf("error %v; want a TypeError with %q", err, tc.want)
				}
				if _, again := d.pull(); again == nil || again.Error() != err.Error() {
					t.Errorf("a later pull returned %v, not the same error", again)
				}
			})
		}
	}
}

// TestInflaterBounds feeds a decompression bomb and input that decodes
// to nothing: every pull returns at most codecPiece bytes and consumes
// at most codecStep (drive checks both), and the output is made only as
// it is pulled.
func TestInflaterBounds(t *testing.T) {
	bomb := goCompress(t, formatGzip, make([]byte, 64<<20))
	if len(bomb) > 100<<10 {
		t.Fatalf("the bomb is %d bytes", len(bomb))
	}
	d := newInflater(formatGzip)
	d.push(bomb)
	p, err := d.pull()
	if err != nil || len(p) != codecPiece {
		t.Fatalf("the first pull: %d bytes, %v", len(p), err)
	}
	if len(d.in) < len(bomb)/2 {
		t.Errorf("one pull consumed %d of %d input bytes", len(bomb)-len(d.in), len(bomb))
	}
	d.close()
	if p, err := d.pull(); p != nil || err != nil {
		t.Errorf("a pull after close: %d bytes, %v", len(p), err)
	}

	// 2 MiB of empty stored blocks (00 0000 ffff), then the final one.
	empty := bytes.Repeat([]byte{0, 0, 0, 0xff, 0xff}, 2<<20/5)
	empty = append(empty, 1, 0, 0, 0xff, 0xff)
	progress := 0
	d = newInflater(formatDeflateRaw)
	d.push(empty)
	d.finish()
	for {
		before := len(d.in)
		p, err := d.pull()
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			break
		}
		if len(p) != 0 {
			t.Fatalf("%d bytes of output from empty blocks", len(p))
		}
		if before-len(d.in) > codecStep {
			t.Fatalf("a pull consumed %d bytes", before-len(d.in))
		}
		progress++
	}
	if progress < len(empty)/codecStep {
		t.Errorf("%d progress pieces for %d bytes", progress, len(empty))
	}

	out, err := drive(t, newInflater(formatGzip), bomb, []int{1000}, 64<<20)
	if err != nil || len(out) != 64<<20 {
		t.Fatalf("the bomb decompressed to %d bytes, %v", len(out), err)
	}
}

// TestInflaterClose: a decoder waiting for input is a parked coroutine;
// closing the stream, or the instance's set of them, ends it.
func TestInflaterClose(t *testing.T) {
	half := goCompress(t, formatGzip, bytes.Repeat([]byte("abc"), 100_000))
	half = half[:len(half)/2]
	// Each decoder's own state, not runtime.NumGoroutine: goroutines of
	// earlier tests may still be ending.
	running := func(list []*inflater) (n int) {
		for _, d := range list {
			if d.running.Load() {
				n++
			}
		}
		return n
	}
	var list []*inflater
	for range 10 {
		d := newInflater(formatGzip)
		d.push(half)
		for {
			p, err := d.pull()
			if err != nil {
				t.Fatal(err)
			}
			if p == nil {
				break
			}
		}
		list = append(list, d)
	}
	if n := running(list); n != 10 {
		t.Fatalf("%d decoders parked, want 10", n)
	}
	closed := make(chan struct{})
	go func() { // as a cleanup does, on another goroutine than the pulls
		list[0].close()
		close(closed)
	}()
	<-closed
	list[0].close() // twice is fine
	set := &inflaterSet{}
	for _, d := range list[1:] {
		set.add(d)
	}
	set.remove(list[1])
	set.closeAll()
	if n := running(list); n != 0 {
		t.Fatalf("%d decoders still there after closing, want 0", n)
	}
	for _, d := range list {
		if p, err := d.pull(); p != nil || err != nil {
			t.Fatalf("a pull after close: %d bytes, %v", len(p), err)
		}
	}
}

// compressionSW answers /compress/FORMAT and /decompress/FORMAT with the
// request body through a CompressionStream or a DecompressionStream, the
// output streamed as the response body, or, with ?buffer, read whole
// first (arrayBuffer(), under the worker's body limit).
const compressionSW = `addEventListener('fetch', e => {
  const url = new URL(e.request.url);
  const [, op, format] = url.pathname.split('/');
  const Class = op === 'compress' ? CompressionStream : DecompressionStream;
  e.respondWith(e.request.arrayBuffer().then(body => {
    const s = new Class(format);
    const w = s.writable.getWriter();
    w.write(new Uint8Array(body)).catch(() => {});
    w.close().catch(() => {});
    if (url.searchParams.has('buffer')) return new Response(s.readable).arrayBuffer().then(b => new Response(b));
    return new Response(s.readable);
  }));
});`

// post dispatches a POST of body to path and returns the response with
// its body read whole.
func post(t *testing.T, w *Worker, path string, body []byte) (*fetch.Response, error) {
	t.Helper()
	res, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test" + path, Method: "POST", Body: body}, FetchEventInit{})
	if err != nil {
		return nil, err
	}
	if res.RespondWithError != nil {
		return nil, res.RespondWithError
	}
	if err := res.Response.ReadBody(0); err != nil {
		return nil, err
	}
	return res.Response, nil
}

// TestCompressionStreamsAgainstGo: what the worker compresses, Go
// decompresses, and what Go compresses, the worker decompresses.
func TestCompressionStreamsAgainstGo(t *testing.T) {
	w := newTestWorker(t, compressionSW, Options{})
	for name, input := range testInputs() {
		for _, f := range codecFormats {
			t.Run(f.String()+"/"+name, func(t *testing.T) {
				res, err := post(t, w, "/compress/"+f.String(), input)
				if err != nil {
					t.Fatal(err)
				}
				got, err := referenceInflate(f, res.Body, 1<<30)
				if err != nil || !bytes.Equal(got, input) {
					t.Fatalf("Go decompressed %d bytes of the worker's output, want %d (%v)", len(got), len(input), err)
				}
				res, err = post(t, w, "/decompress/"+f.String(), goCompress(t, f, input))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(res.Body, input) {
					t.Fatalf("the worker decompressed %d bytes, want %d", len(res.Body), len(input))
				}
			})
		}
	}
	// Bad input fails the response body with the stream's TypeError.
	_, err := post(t, w, "/decompress/gzip", []byte("not gzip"))
	if weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("corrupt input: %v, want a TypeError", err)
	}
}

// TestDecompressionBomb: a bomb read whole into a body stops at the body
// limit; streamed as a response body, it is decoded only as far as Go
// reads it, and closing the reader cancels it.
func TestDecompressionBomb(t *testing.T) {
	bomb := goCompress(t, formatGzip, make([]byte, 64<<20))
	w := newTestWorker(t, compressionSW, Options{Limits: Limits{MaxBodyBytes: 1 << 20}})
	if _, err := post(t, w, "/decompress/gzip?buffer", bomb); weberr.NameOf(err) != weberr.QuotaExceeded {
		t.Fatalf("read whole: %v, want QuotaExceededError", err)
	}
	res, err := post(t, w, "/decompress/gzip?buffer", goCompress(t, formatGzip, []byte("still answers")))
	if err != nil || string(res.Body) != "still answers" {
		t.Fatalf("after the bomb: %v", err)
	}

	const src = `let produced = 0, cancelled = 'not cancelled';
addEventListener('fetch', e => {
  if (e.request.url.endsWith('/status')) { e.respondWith(new Response(produced + ' ' + cancelled)); return; }
  e.respondWith(e.request.arrayBuffer().then(body => {
    const ds = new DecompressionStream('gzip');
    const w = ds.writable.getWriter();
    w.write(new Uint8Array(body)).catch(() => {});
    w.close().catch(() => {});
    const reader = ds.readable.getReader();
    return new Response(new ReadableStream({
      async pull(c) { const { value, done } = await reader.read(); if (done) c.close(); else { produced += value.byteLength; c.enqueue(value); } },
      cancel(reason) { cancelled = reason.name; return reader.cancel(reason); },
    }));
  }));
});`
	w = newTestWorker(t, src, Options{})
	r, err := w.DispatchFetch(ctxT(t), &fetch.Request{URL: "https://app.test/bomb", Method: "POST", Body: bomb}, FetchEventInit{})
	if err != nil || r.Response == nil || r.Response.Stream == nil {
		t.Fatalf("%+v, %v", r, err)
	}
	if n, err := io.CopyN(io.Discard, r.Response.Stream, 1<<20); n != 1<<20 || err != nil {
		t.Fatalf("read %d, %v", n, err)
	}
	r.Response.CloseBody()
	st, err := post(t, w, "/status", nil)
	if err != nil {
		t.Fatal(err)
	}
	var produced int
	var cancelled string
	if _, err := fmt.Sscan(string(st.Body), &produced, &cancelled); err != nil {
		t.Fatalf("status %q: %v", st.Body, err)
	}
	t.Logf("decoded %d bytes when Go had read 1 MiB", produced)
	if produced > 1<<20+4*codecPiece || cancelled != "AbortError" {
		t.Fatalf("after reading 1 MiB of a 64 MiB bomb: %d bytes decoded, cancelled: %s", produced, cancelled)
	}
}

// FuzzDecompression feeds arbitrary bytes, in chunks of an arbitrary
// size, to a DecompressionStream's codec: it never panics, every pull
// stays within codecPiece bytes of output and codecStep bytes of input
// (drive checks), every failure is a TypeError, and the result is Go's
// own decoders' by the standard's rules (one gzip member, nothing after
// the end). Output past 256 KiB is not read: the stream is closed there
// (a small cap keeps each input fast, and so the fuzzer's minimizing):
//
//	go test ./worker -run '^$' -fuzz FuzzDecompression -fuzzminimizetime 10s
func FuzzDecompression(f *testing.F) {
	hello := []byte("expected output")
	for i, cf := range codecFormats {
		good := goCompress(f, cf, hello)
		f.Add(uint8(i), good, uint16(0))
		f.Add(uint8(i), good, uint16(3))
		f.Add(uint8(i), good[:len(good)-1], uint16(0))
		f.Add(uint8(i), append(bytes.Clone(good), 0), uint16(1))
		f.Add(uint8(i), goCompress(f, cf, make([]byte, 512<<10)), uint16(1000))
		f.Add(uint8(i), []byte{}, uint16(0))
	}
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Name, w.Comment, w.Extra = "n", "c", []byte{1, 2, 0, 0}
	w.Write(hello)
	w.Close()
	f.Add(uint8(2), b.Bytes(), uint16(2))
	f.Add(uint8(1), bytes.Repeat([]byte{0, 0, 0, 0xff, 0xff}, 14_000), uint16(65535))
	f.Add(uint8(0), []byte{0x78, 0xbb, 0x74, 0xee, 0x09, 0x59, 0x2b, 0xc1, 0x2e, 0x0c, 0x00, 0x74, 0xee, 0x09, 0x59}, uint16(0)) // FDICT
	const maxOut = 256 << 10
	f.Fuzz(func(t *testing.T, format uint8, data []byte, split uint16) {
		cf := codecFormats[int(format)%len(codecFormats)]
		d := newInflater(cf)
		got, err := drive(t, d, data, []int{int(split)%8192 + 1}, maxOut)
		d.close()
		if !d.done {
			t.Fatal("the decoder runs on after close")
		}
		want, werr := referenceInflate(cf, data, maxOut+1)
		if err == errOutputCap {
			if len(want) <= maxOut || !bytes.Equal(got[:maxOut], want[:maxOut]) {
				t.Fatalf("capped output differs from Go's (%d bytes, Go %d, %v)", len(got), len(want), werr)
			}
			return
		}
		if err != nil {
			if weberr.NameOf(err) != weberr.TypeError {
				t.Fatalf("error %v is not a TypeError", err)
			}
			if werr == nil && len(want) <= maxOut {
				t.Fatalf("failed with %v; Go decodes %d bytes", err, len(want))
			}
			return
		}
		if werr != nil {
			t.Fatalf("decoded %d bytes; Go fails: %v", len(got), werr)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("decoded %d bytes, Go %d", len(got), len(want))
		}
	})
}

// TestInflaterPartialOutput: what a decoder hands over before the end of
// its input. Go's decoder keeps decoded bytes in its 32 KiB window until
// the window fills, the data ends or a sync flush (an empty stored
// block, what a streaming compressor sends after each message) arrives.
func TestInflaterPartialOutput(t *testing.T) {
	message := bytes.Repeat([]byte("hello world "), 2000) // 24,000 bytes
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.DefaultCompression)
	w.Write(message)
	w.Flush()
	flushed := bytes.Clone(b.Bytes())
	for _, tc := range []struct {
		name  string
		input []byte
		want  int
	}{
		{"up to the sync flush", flushed, len(message)},
		{"without the flush marker", flushed[:len(flushed)-4], 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := newInflater(formatDeflateRaw)
			defer d.close()
			d.push(tc.input)
			var got []byte
			for {
				p, err := d.pull()
				if err != nil {
					t.Fatal(err)
				}
				if p == nil {
					break
				}
				got = append(got, p...)
			}
			if len(got) != tc.want || !bytes.Equal(got, message[:len(got)]) {
				t.Fatalf("%d bytes before the end, want %d", len(got), tc.want)
			}
		})
	}
	// More than the window is handed over without a flush.
	big := bytes.Repeat([]byte("0123456789"), 10_000)
	b.Reset()
	w.Reset(&b)
	w.Write(big)
	w.Flush()
	d := newInflater(formatDeflateRaw)
	defer d.close()
	d.push(b.Bytes()[:len(b.Bytes())-4])
	n := 0
	for {
		p, err := d.pull()
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			break
		}
		n += len(p)
	}
	if n < len(big)-32<<10 {
		t.Fatalf("%d of %d bytes before the flush marker; at most the 32 KiB window may wait", n, len(big))
	}
}

// TestGzipHeaderNames pins a limit of Go's gzip reader that the standard
// does not have: FNAME and FCOMMENT are read into a 512-byte buffer, so
// a field of 512 bytes or more (its terminating zero byte not within the
// buffer) is refused as a bad header.
func TestGzipHeaderNames(t *testing.T) {
	for _, tc := range []struct {
		n  int
		ok bool
	}{{0, true}, {100, true}, {511, true}, {512, false}, {4000, false}} {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Name = strings.Repeat("n", tc.n)
		w.Write([]byte("expected output"))
		w.Close()
		got, err := drive(t, newInflater(formatGzip), b.Bytes(), []int{1 << 20}, 1<<20)
		if ok := err == nil && string(got) == "expected output"; ok != tc.ok {
			t.Errorf("FNAME of %d bytes: %q, %v; want ok %v", tc.n, got, err, tc.ok)
		}
	}
}
