package weburl

import "testing"

// TestAllocs pins the allocation counts that the fast paths promise: one
// (the URL) for input already in serialized form, two (href and URL) for the
// one-pass rewrite.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	base := MustParse(benchBase)
	cases := []struct {
		base  *URL
		input string
		max   float64
	}{
		{nil, "https://example.com/books/7?x=1#f", 1},
		{nil, "http://127.0.0.1:8080/x", 1},
		{nil, "https://user:pass@example.com/x", 1},
		{nil, "mailto:someone@example.com", 1},
		{nil, "data:text/javascript,let x = 100/5;", 1},
		{nil, "foo://host/a/b?c", 1},
		{nil, "file:///C:/dir/file.txt", 1},
		{nil, "https://Example.COM/books/7", 2},
		{nil, "https://example.com", 2},
		{nil, "https://example.com/a/b/../c/./d", 2},
		{nil, "https://example.com/a b/ü?q=ä x", 2},
		{nil, "http://[2001:DB8::1]/x", 2},
		{nil, "HTTPS://User@Example.com:443", 2},
		{base, "https://other.example/x", 1},
		{base, "", 1},
		{base, "/books/7?x=1", 2},
		{base, "img/logo.png", 2},
		{base, "?page=2", 2},
		{base, "#top", 2},
		{base, "../up/./x", 2},
		{base, "//cdn.example/lib.js", 2},
	}
	for _, c := range cases {
		got := testing.AllocsPerRun(100, func() {
			if _, err := ParseRef(c.base, c.input); err != nil {
				t.Fatal(err)
			}
		})
		if got > c.max {
			t.Errorf("ParseRef(%v, %q): %v allocations, want at most %v", c.base != nil, c.input, got, c.max)
		}
	}
}
