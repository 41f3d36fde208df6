package worker

import (
	"context"
	"encoding/base64"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/swhost/swhost/fetch"
	"github.com/swhost/swhost/sw"
)

// FuzzAtob checks atob against the standard library on valid input and
// that it never panics on any input.
func FuzzAtob(f *testing.F) {
	for _, s := range []string{"", "aGVsbG8=", "aGVsbG8", " a G V s bG8=", "/w==", "a", "a===", "=", "ab=c", "YQ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := atob(s)
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r' {
				return -1
			}
			return r
		}, s)
		want, werr := base64.StdEncoding.DecodeString(clean)
		if werr != nil && len(clean)%4 != 0 {
			want, werr = base64.RawStdEncoding.DecodeString(clean)
		}
		if werr == nil && err != nil {
			t.Fatalf("atob(%q) failed (%v) but the input is valid base64", s, err)
		}
		if err == nil && werr == nil {
			var b []byte
			for _, r := range got {
				b = append(b, byte(r))
			}
			if string(b) != string(want) {
				t.Fatalf("atob(%q) = %q, want %q", s, b, want)
			}
			// Round trip through btoa.
			if enc, err := btoa(got); err != nil || enc != base64.StdEncoding.EncodeToString(want) {
				t.Fatalf("btoa(atob(%q)) = %q, %v", s, enc, err)
			}
		}
	})
}

// FuzzHeaderCheck checks checkHeader never panics and lower-cases valid
// names.
func FuzzHeaderCheck(f *testing.F) {
	for _, s := range []string{"Content-Type", "x-a", "bad name", "", "Sec-Fetch-Mode", "X-HTTP-Method-Override"} {
		f.Add(s, "v", "request")
	}
	f.Fuzz(func(t *testing.T, name, value, guard string) {
		lname, _, err := checkHeader(name, value, guard)
		if err == nil && (lname != strings.ToLower(name) || !fetch.IsHeaderName(name) || strings.ContainsAny(value, "\x00\r\n")) {
			t.Fatalf("checkHeader(%q, %q) accepted as %q", name, value, lname)
		}
	})
}

// FuzzScript compiles and starts arbitrary scripts, then dispatches a
// fetch event: nothing may panic or hang, whatever the script does.
func FuzzScript(f *testing.F) {
	for _, s := range []string{
		"", "addEventListener('fetch', e => e.respondWith(new Response('x')))", "while(true){}", "throw 1",
		"let x = ;", "addEventListener('fetch', e => e.respondWith(Promise.reject(2)))", "importScripts('/x.js')",
		"new Headers([['a']])", "setTimeout(() => { for(;;){} }, 0)", "queueMicrotask(() => { throw new Error('m') })",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s, err := CompileScript(ctx, "https://app.test/sw.js", sw.WorkerClassic, []byte(src), MapLoader{}, 0)
		if err != nil {
			return
		}
		w := New(s, Options{Console: func(string, string) {}, Limits: Limits{CPUPerTask: 50 * time.Millisecond, EventTimeout: time.Second}})
		defer w.Close()
		_, _ = w.DispatchFetch(ctx, &fetch.Request{URL: "https://app.test/"}, FetchEventInit{})
	})
}

// FuzzDecodeBlob reads arbitrary bytes as a Blob or File stored in an
// IndexedDB value: it must fail, or give a blob whose stored form reads
// back as the same blob.
func FuzzDecodeBlob(f *testing.F) {
	for _, b := range []blobValue{{}, {bytes: []byte("abc"), typ: "text/plain"}, {file: true, name: "a.txt", lastModified: 1e12, bytes: []byte{0, 1}}} {
		enc, err := encodeBlob(b)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(enc)
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		h, err := decodeBlob(p)
		if err != nil {
			return
		}
		enc, err := encodeBlob(h)
		if err != nil {
			t.Fatalf("encodeBlob of %x's blob: %v", p, err)
		}
		back, err := decodeBlob(enc)
		if err != nil {
			t.Fatalf("the stored form %x does not read: %v", enc, err)
		}
		a, b := h.(blobValue), back.(blobValue)
		if a.file != b.file || a.typ != b.typ || a.name != b.name || string(a.bytes) != string(b.bytes) ||
			math.Float64bits(a.lastModified) != math.Float64bits(b.lastModified) {
			t.Fatalf("%+v read back as %+v", a, b)
		}
	})
}
