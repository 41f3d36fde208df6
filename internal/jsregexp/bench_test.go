package jsregexp

import "testing"

// benchPatterns are regexps as URL Pattern generates them: a named segment,
// a hostname wildcard label and a custom \d+ group.
var benchPatterns = []struct {
	name, src string
	flags     Flags
}{
	{"segment", `^(?:\/books\/([^\/]+?))$`, Flags{}},
	{"hostname", `^(?:([^\.]+?)\.example\.com)$`, Flags{}},
	{"digits", `^(?:\/users\/(\d+)\/posts\/([^\/]+?))$`, Flags{}},
	{"segment-i", `^(?:\/books\/([^\/]+?))$`, Flags{IgnoreCase: true}},
	{"setops", `^(?:\/([[\p{L}\d]--[\p{sc=Greek}]]+))$`, Flags{}},
}

func BenchmarkTranslate(b *testing.B) {
	for _, p := range benchPatterns {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Translate(p.src, p.flags); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
