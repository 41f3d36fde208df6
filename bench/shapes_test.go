package bench

import (
	"testing"

	peer "github.com/dunglas/go-urlpattern"

	"github.com/swhost/swhost/urlpattern"
)

// shapes are the peer's own benchmark cases (its benchmark_test.go), for a
// side-by-side view of common patterns.
var shapes = []struct{ name, pattern, input string }{
	{"simple", "https://example.com/foo/bar", "https://example.com/foo/bar"},
	{"wildcard", "https://*.example.com/*", "https://api.example.com/users/42"},
	{"named", "https://example.com/users/:id/posts/:postId", "https://example.com/users/42/posts/7"},
	{"regex", "https://example.com/items/(\\d+)", "https://example.com/items/12345"},
	{"miss", "https://example.com/foo", "https://example.com/bar"},
}

func BenchmarkShapesTest(b *testing.B) {
	for _, c := range shapes {
		op, err := urlpattern.New(c.pattern, urlpattern.Options{})
		if err != nil {
			b.Fatal(err)
		}
		pp, err := peer.New(c.pattern, "", nil)
		if err != nil {
			b.Fatal(err)
		}
		if op.Test(c.input) != pp.Test(c.input, "") {
			b.Fatalf("%s: results differ", c.name)
		}
		b.Run(c.name+"/ours", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				op.Test(c.input)
			}
		})
		b.Run(c.name+"/peer", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pp.Test(c.input, "")
			}
		})
	}
}

func BenchmarkShapesNew(b *testing.B) {
	for _, c := range shapes {
		b.Run(c.name+"/ours", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := urlpattern.New(c.pattern, urlpattern.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.name+"/peer", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := peer.New(c.pattern, "", nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
