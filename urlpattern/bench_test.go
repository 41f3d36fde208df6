package urlpattern

import (
	"testing"
)

func BenchmarkNew(b *testing.B) {
	for _, s := range []string{"https://example.com/books/:id", "https://*.example.com/:a/*", "http{s}?://{:sub.}?shop.example/products/:id([0-9]+)#reviews"} {
		b.Run(s, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := New(s, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTest(b *testing.B) {
	p, err := New("https://example.com/books/:id", Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if !p.Test("https://example.com/books/7") {
			b.Fatal("no match")
		}
	}
}

// BenchmarkTestParsed measures matching alone, on an already parsed URL
// (TestComponents): it must not allocate.
func BenchmarkTestParsed(b *testing.B) {
	for _, c := range []struct{ pattern, url string }{
		{"https://example.com/books/:id", "https://example.com/books/7"},
		{"https://*.example.com/:a/*", "https://www.example.com/x/y/z"},
		{"https://example.com/:first{-:rest}*/edit", "https://example.com/a-b-c/edit"},
	} {
		p, err := New(c.pattern, Options{})
		if err != nil {
			b.Fatal(err)
		}
		comps, ok := ParseComponents(c.url, nil)
		if !ok {
			b.Fatal("bad URL")
		}
		b.Run(c.pattern, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !p.TestComponents(&comps) {
					b.Fatal("no match")
				}
			}
		})
	}
}

func BenchmarkExec(b *testing.B) {
	p, err := New("https://example.com/books/:id", Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if p.Exec("https://example.com/books/7") == nil {
			b.Fatal("no match")
		}
	}
}

func BenchmarkLongInputs(b *testing.B) {
	for _, c := range longCases() {
		p, err := NewFromInit(c.init, Options{})
		if err != nil {
			b.Fatal(err)
		}
		var v values
		if ok, _ := inputValues(Input{Init: &c.input}, nil, &v); !ok {
			b.Fatal("bad input")
		}
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if p.testValues(&v) != c.want {
					b.Fatal("wrong result")
				}
			}
		})
	}
}
