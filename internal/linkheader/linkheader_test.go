package linkheader

import (
	"reflect"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		targets []string
		rels    [][]string
		scopes  []string // "scope" param of each link, "-" when absent
		nerr    int
	}{
		{`</service-worker.js>; rel="serviceworker"; scope="/"`, []string{"/service-worker.js"}, [][]string{{"serviceworker"}}, []string{"/"}, 0},
		{`</sw.js>; rel=serviceworker`, []string{"/sw.js"}, [][]string{{"serviceworker"}}, []string{"-"}, 0},
		{`</a.js>; rel="serviceworker", </b.js>;rel=serviceworker;scope="/b/"`, []string{"/a.js", "/b.js"}, [][]string{{"serviceworker"}, {"serviceworker"}}, []string{"-", "/b/"}, 0},
		{`<https://x.test/a,b>; rel="preload stylesheet"; title="a, \"quoted\" title"`, []string{"https://x.test/a,b"}, [][]string{{"preload", "stylesheet"}}, []string{"-"}, 0},
		{`</sw.js>; REL="ServiceWorker"; rel="other"`, []string{"/sw.js"}, [][]string{{"serviceworker"}}, []string{"-"}, 0},
		{`, , </x>; rel=a ,`, []string{"/x"}, [][]string{{"a"}}, []string{"-"}, 0},
		{`nota link, </ok.js>; rel=serviceworker`, []string{"/ok.js"}, [][]string{{"serviceworker"}}, []string{"-"}, 1},
		{`</bad.js>; rel="unterminated, </ok.js>; rel=serviceworker`, nil, nil, nil, 1},
		{`</a.js> junk, </b.js>; rel=x`, []string{"/b.js"}, [][]string{{"x"}}, []string{"-"}, 1},
		{`</a.js>; =x, </b.js>; rel=x`, []string{"/b.js"}, [][]string{{"x"}}, []string{"-"}, 1},
		{`</a.js; rel=x`, nil, nil, nil, 1},
		{``, nil, nil, nil, 0},
	}
	for _, tt := range tests {
		links, errs := Parse(tt.in)
		if len(errs) != tt.nerr {
			t.Errorf("Parse(%q) errors = %v, want %d", tt.in, errs, tt.nerr)
		}
		if len(links) != len(tt.targets) {
			t.Errorf("Parse(%q) = %d links %+v, want %d", tt.in, len(links), links, len(tt.targets))
			continue
		}
		for i, l := range links {
			if l.Target != tt.targets[i] || strings.Join(l.Rels(), " ") != strings.Join(tt.rels[i], " ") {
				t.Errorf("Parse(%q)[%d] = %+v", tt.in, i, l)
			}
			scope, ok := l.Param("scope")
			if !ok {
				scope = "-"
			}
			if scope != tt.scopes[i] {
				t.Errorf("Parse(%q)[%d] scope = %q, want %q", tt.in, i, scope, tt.scopes[i])
			}
		}
	}
}

func TestExtValue(t *testing.T) {
	links, errs := Parse(`</x>; rel=a; title*=UTF-8'de'n%c3%a4chstes%20Kapitel`)
	if len(errs) != 0 || len(links) != 1 {
		t.Fatal(errs)
	}
	if v, _ := links[0].Param("title*"); v != "nächstes Kapitel" {
		t.Errorf("title* = %q", v)
	}
	if !links[0].HasRel("A") {
		t.Error("HasRel is not case-insensitive")
	}
	if _, errs := Parse(`</x>; title*=KOI8-R''x`); len(errs) != 1 {
		t.Errorf("unsupported charset accepted: %v", errs)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`</sw.js>; rel="serviceworker"; scope="/"`, `<a>, <b>;x;y=z`, `<a>; t="\"`, `<>;;,`, `<a>; t*=UTF-8''%zz`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		links, errs := Parse(s)
		for _, l := range links {
			if strings.ContainsAny(l.Target, "\r\n<") {
				t.Fatalf("target %q has a forbidden character", l.Target)
			}
			for _, p := range l.Params {
				if p.Name == "" || p.Name != strings.ToLower(p.Name) {
					t.Fatalf("bad param name %q", p.Name)
				}
			}
		}
		for _, e := range errs {
			le, ok := e.(*Error)
			if !ok || le.Offset < 0 || le.Offset > len(s) {
				t.Fatalf("bad error %v", e)
			}
		}
		// Each valid link re-serialized parses to the same link.
		for _, l := range links {
			var b strings.Builder
			b.WriteString("<" + l.Target + ">")
			for _, p := range l.Params {
				if strings.HasSuffix(p.Name, "*") {
					continue
				}
				b.WriteString("; " + p.Name)
				if p.HasValue {
					b.WriteString(`="` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p.Value) + `"`)
				}
			}
			again, errs := Parse(b.String())
			if len(errs) != 0 || len(again) != 1 || again[0].Target != l.Target {
				t.Fatalf("round trip of %q via %q: %+v %v", s, b.String(), again, errs)
			}
		}
	})
}

// TestAllMatchesParse: All yields what Parse returns, in order, and
// stops when its caller does.
func TestAllMatchesParse(t *testing.T) {
	for _, field := range []string{
		`</sw.js>; rel="serviceworker"; scope="/", <https://x.test/a>; rel=preload`,
		`</a>; rel=x junk, </b>; rel=y`,
		`bad, </c>; rel=z, <unterminated`,
		``,
		`, , </d>`,
	} {
		links, errs := Parse(field)
		var gotLinks []Link
		var gotErrs []error
		for l, err := range All(field) {
			if err != nil {
				gotErrs = append(gotErrs, err)
			} else {
				gotLinks = append(gotLinks, l)
			}
		}
		if !reflect.DeepEqual(gotLinks, links) || !reflect.DeepEqual(gotErrs, errs) {
			t.Errorf("All(%q) = %v %v, Parse = %v %v", field, gotLinks, gotErrs, links, errs)
		}
	}
	field := strings.Repeat(`</sw.js>; rel=serviceworker, `, 3000)
	n := 0
	for range All(field) {
		if n++; n == 4 {
			break
		}
	}
	if n != 4 {
		t.Errorf("stopped after %d links, want 4", n)
	}
}
