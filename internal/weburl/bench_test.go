package weburl

import (
	"testing"

	nlnwa "github.com/nlnwa/whatwg-url/url"
)

// benchInputs are typical URLs: canonical ones (the fast path) and ones
// that need canonicalisation (the general parser).
var benchInputs = []struct{ name, input string }{
	{"canonical", "https://example.com/books/7?x=1#f"},
	{"canonical-long", "https://www.example.org:8443/static/js/app.bundle.min.js?v=20240101&lang=en-US"},
	{"root", "http://example.com/"},
	{"uppercase-host", "https://Example.COM/books/7"},
	{"no-path", "https://example.com"},
	{"dot-segments", "https://example.com/a/b/../c/./d"},
	{"encode", "https://example.com/a b/ü?q=ä x"},
	{"idna", "https://bücher.example/x"},
	{"ipv4", "http://127.0.0.1:8080/x"},
	{"ipv6", "http://[2001:db8::1]/x"},
	{"opaque", "mailto:someone@example.com"},
	{"credentials", "https://user:pass@example.com/x"},
	{"non-special", "foo://host/a/b?c"},
	{"file", "file:///C:/dir/file.txt"},
}

var benchRefs = []struct{ name, input string }{
	{"path-absolute", "/books/7?x=1"},
	{"path-relative", "img/logo.png"},
	{"query", "?page=2"},
	{"fragment", "#top"},
	{"absolute", "https://other.example/x"},
	{"dot-segments", "../up/./x"},
	{"scheme-relative", "//cdn.example/lib.js"},
}

const benchBase = "https://example.com/app/index.html?v=1"

var sink *URL

func BenchmarkParse(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := Parse(in.input)
				if err != nil {
					b.Fatal(err)
				}
				sink = u
			}
		})
	}
}

func BenchmarkParseRef(b *testing.B) {
	base := MustParse(benchBase)
	for _, in := range benchRefs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := ParseRef(base, in.input)
				if err != nil {
					b.Fatal(err)
				}
				sink = u
			}
		})
	}
}

var nlnwaSink *nlnwa.Url

// BenchmarkParseNlnwa parses the same inputs with github.com/nlnwa/whatwg-url.
func BenchmarkParseNlnwa(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := nlnwa.Parse(in.input)
				if err != nil {
					b.Fatal(err)
				}
				nlnwaSink = u
			}
		})
	}
}

// BenchmarkParseRefNlnwa resolves the same references with nlnwa.
func BenchmarkParseRefNlnwa(b *testing.B) {
	base, err := nlnwa.Parse(benchBase)
	if err != nil {
		b.Fatal(err)
	}
	for _, in := range benchRefs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				u, err := base.Parse(in.input)
				if err != nil {
					b.Fatal(err)
				}
				nlnwaSink = u
			}
		})
	}
}
