package urlpattern

import (
	"fmt"
	"strings"
	"testing"
)

// Differential tests: the purpose-built matchers must agree with the
// regexp the standard generates, on the match and on every capture.

var diffPatterns = []string{
	"", "/", "*", "/*", "/:a", "/books/:id", "/books/:id/", "*.example.com", ":sub.example.com",
	"/*/*/*/*/x", "/:a-:b-:c-:d", "/:first{-:rest}*/edit", "/:a?", "/:a*", "/:a+", "/*?", "/**", "/*+",
	"{/:a}?/b", "/:a{-:b}?", "/{a}?b", "/{ab}*c", "/{ab}+c", "/a*b", "/:a/*", "*/:a", "/:a.:b", "/{:a.}?:b",
	"/foo{/bar}?{/baz}*", "{:a}*", "{:a}+", "{x:ay}*", "{x:ay}+", "{x*y}?", "/*a*", "/:a:b", "/*:a", "/:a*b*",
	"/{*}?", "{*}*", "{*.}+x", "/:a(\\d+)",
	"/users/:id/posts/:pid", "/:a/:b/*", ":a.:b.example.com", "/a/:b/c:d/*", "/:a/", "*",
}

var diffInputs = []string{
	"", "/", "//", "/a", "/a/", "/ab", "/a/b", "/a/b/c/d/x", "/a-b-c-d", "/a-b-c-d-e", "/a-b/edit", "/a/edit",
	"/a-b-c/edit", "/-/edit", "/b", "b", "/ab/b", "ababc", "/ababc", "/abc", "/c", "/aab", "/a.b", "/a.b.c",
	"/foo/bar/baz/baz", "/foo", "xay", "xayxay", "xy", "x*y", "a.example.com", "a.b.example.com", ".example.com",
	"/a*b", "/ba", "/xay", "é/é", "/é-é", "xax", "/a\nb", "a.x", "..x",
	"/users/1/posts/2", "/users//posts/2", "/users/1/posts/", "/users/1/posts/2/", "/a/b/c/d", "/a/b/cx/y",
	"x.y.example.com", "x..example.com", "/a/", "//a",
}

// longDiffInputs are longer than stackPositions and dfaMinInput, so that
// test() uses its ring of live sets, exec() a heap-allocated array, and both
// the lazy DFA (which hands over to the general loop at non-ASCII bytes).
func longDiffInputs() []string {
	var out []string
	for _, piece := range []string{"/a", "a-", "/ab", "x.y", "/é", "ab"} {
		s := strings.Repeat(piece, 600/len(piece)+1)
		out = append(out, s, s+"/edit", s+"c", "/"+s+"/x", s+".example.com", s+"é"+s, "/"+s+"/é/x")
	}
	return out
}

func TestMatchersAgreeWithRegexp(t *testing.T) {
	for _, kind := range []struct {
		name string
		o    options
	}{{"pathname", pathnameOptions}, {"hostname", hostnameOptions}, {"default", defaultOptions},
		{"pathname-ignorecase", options{delimiter: "/", prefix: "/", ignoreCase: true}}} {
		for _, pat := range diffPatterns {
			parts, err := parsePatternString(pat, kind.o, func(s string) (string, error) { return s, nil })
			if err != nil {
				t.Fatalf("%s: %v", pat, err)
			}
			m := newMatcher(parts, kind.o)
			if m.kind == mkRegexp {
				continue
			}
			src, names := generateRegexp(parts, kind.o)
			re, err := compileRegexp(src, kind.o.ignoreCase)
			if err != nil {
				t.Fatal(err)
			}
			// RE2 lets a quantified group match "" where ECMAScript does
			// not; only "(.*)?" turns that into a different capture.
			skipCaptures := strings.Contains(src, "(.*)?")
			for _, in := range append(diffInputs, longDiffInputs()...) {
				for _, s := range []string{in, strings.ToUpper(in)} {
					want := re.FindStringSubmatchIndex(s)
					ok, done := m.test(s)
					if !done {
						continue
					}
					if ok != (want != nil) {
						t.Errorf("%s %q (%s) on %q: test = %v, regexp %v", kind.name, pat, src, s, ok, want != nil)
						continue
					}
					g, ok2, _ := m.exec(s, names, nil)
					if ok2 != ok {
						t.Errorf("%s %q on %q: exec = %v, test %v", kind.name, pat, s, ok2, ok)
					}
					if !ok || skipCaptures {
						continue
					}
					for i := range names {
						lo, hi := want[2*i+2], want[2*i+3]
						w := Group{Name: names[i]}
						if lo >= 0 {
							w = Group{Name: names[i], Value: s[lo:hi], Matched: true}
						}
						if g[i] != w {
							t.Errorf("%s %q (%s) on %q: group %d = %+v, regexp %+v", kind.name, pat, src, s, i, g[i], w)
						}
					}
				}
			}
		}
	}
}

// TestLongInputsLinear checks the shapes that make backtracking engines
// explode stay fast on 32 KiB inputs.
func TestLongInputsLinear(t *testing.T) {
	for _, c := range longCases() {
		p, err := NewFromInit(c.init, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.TestInit(c.input); got != c.want {
			t.Errorf("%s: test = %v, want %v", c.name, got, c.want)
		}
		r := p.ExecInit(c.input)
		if (r != nil) != c.want {
			t.Errorf("%s: exec = %v, want %v", c.name, r != nil, c.want)
		}
	}
}

type longCase struct {
	name  string
	init  Init
	input Init
	want  bool
}

func longCases() []longCase {
	const n = 32 << 10
	segs := "/" + strings.Repeat("a/", n/2)
	dashes := "/" + strings.Repeat("a-", n/2)
	labels := strings.Repeat("a.", n/2)
	return []longCase{
		{"stars-miss", Init{Pathname: Str("/*/*/*/*/x")}, Init{Pathname: Str(segs)}, false},
		{"stars-hit", Init{Pathname: Str("/*/*/*/*/x")}, Init{Pathname: Str(segs + "x")}, true},
		{"dashes-miss", Init{Pathname: Str("/:a-:b-:c-:d")}, Init{Pathname: Str(dashes + "/")}, false},
		{"dashes-hit", Init{Pathname: Str("/:a-:b-:c-:d")}, Init{Pathname: Str(dashes + "z")}, true},
		{"edit-miss", Init{Pathname: Str("/:first{-:rest}*/edit")}, Init{Pathname: Str(dashes + "/edi")}, false},
		{"edit-hit", Init{Pathname: Str("/:first{-:rest}*/edit")}, Init{Pathname: Str(strings.TrimSuffix(dashes, "-") + "/edit")}, true},
		{"host-star-star", Init{Hostname: Str("**.example.com")}, Init{Hostname: Str(labels + "example.org")}, false},
		{"host-star-star-hit", Init{Hostname: Str("**.example.com")}, Init{Hostname: Str(labels + "example.com")}, true},
		{"host-labels", Init{Hostname: Str("*.*.example.com")}, Init{Hostname: Str(labels + "example.org")}, false},
	}
}

func ExampleNew() {
	p, err := New("https://example.com/books/:id", Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Test("https://example.com/books/7"))
	r := p.Exec("https://example.com/books/7")
	id, _ := r.Pathname.Get("id")
	fmt.Println(id)
	// Output:
	// true
	// 7
}

// TestClassify checks which matcher each shape gets.
func TestClassify(t *testing.T) {
	tests := []struct {
		pattern string
		o       options
		want    matchKind
	}{
		{"", pathnameOptions, mkEmpty},
		{"/books", pathnameOptions, mkLiteral},
		{"*", pathnameOptions, mkAffix},
		{"/books/:id", pathnameOptions, mkAffix},
		{"*.example.com", hostnameOptions, mkAffix},
		{"/users/:id/posts/:pid", pathnameOptions, mkChain},
		{"/static/:v/*", pathnameOptions, mkChain},
		{":a.:b.example.com", hostnameOptions, mkChain},
		{"/:a-:b", pathnameOptions, mkNFA},
		{"/*/*/x", pathnameOptions, mkNFA},
		{"/books/:id?", pathnameOptions, mkNFA},
		{"{:sub.}?example.com", hostnameOptions, mkNFA},
		{"/:first{-:rest}*/edit", pathnameOptions, mkNFA},
		{"/:id(\\d+)", pathnameOptions, mkRegexp},
	}
	for _, tt := range tests {
		parts, err := parsePatternString(tt.pattern, tt.o, func(s string) (string, error) { return s, nil })
		if err != nil {
			t.Fatalf("%q: %v", tt.pattern, err)
		}
		if got := newMatcher(parts, tt.o).kind; got != tt.want {
			t.Errorf("%q: kind %d, want %d", tt.pattern, got, tt.want)
		}
	}
}
