package urlpattern

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestErrors(t *testing.T) {
	tests := []struct {
		input Input
		base  *string
		want  string
	}{
		{Input{URL: "/books"}, nil, `invalid pattern "/books": a relative pattern needs a base URL`},
		{Input{URL: "https://x/:id("}, nil, `invalid pathname pattern "/:id(": unbalanced '(' at offset 4`},
		{Input{URL: "https://x/(a(b))"}, nil, `invalid pathname pattern "/(a(b))": capturing groups are not allowed inside a regexp group at offset 1`},
		{Input{URL: "https://x/()"}, nil, `invalid pathname pattern "/()": empty regexp group at offset 1`},
		{Input{Init: &Init{Pathname: Str("/(?=a)")}}, nil, `invalid pathname pattern "/(?=a)": regexp group starts with '?' at offset 1`},
		{Input{URL: "https://x/:"}, nil, `invalid pathname pattern "/:": ':' is not followed by a group name at offset 1`},
		{Input{URL: "https://x/{a"}, nil, `invalid pathname pattern "/{a": unbalanced '{' at offset 3`},
		{Input{URL: "https://x/a}"}, nil, `invalid pathname pattern "/a}": unbalanced '}' at offset 2`},
		{Input{URL: "https://x/:a/:a"}, nil, `invalid pathname pattern "/:a/:a": duplicate group name "a" at offset 4`},
		{Input{URL: "https://x/\\"}, nil, `invalid pathname pattern "/\\": pattern ends with a lone '\' at offset 1`},
		{Input{URL: "https://x/(a)(?<=b)"}, nil, "invalid pathname pattern"},
		{Input{Init: &Init{Hostname: Str("bad host")}}, nil, `invalid hostname pattern "bad host": cannot canonicalize "bad host"`},
		{Input{Init: &Init{Port: Str("99999")}}, nil, `invalid port pattern "99999"`},
		{Input{Init: &Init{BaseURL: Str("not a url")}}, nil, `invalid base URL "not a url"`},
		{Input{Init: &Init{}}, Str("https://x"), "a base URL argument cannot be combined with an init"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.input, tt.base, Options{})
		if err == nil {
			t.Errorf("Compile(%+v) succeeded, want %q", tt.input, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Compile(%+v) = %q, want it to contain %q", tt.input, err, tt.want)
		}
		if exceptionNameOf(err) != "TypeError" {
			t.Errorf("Compile(%+v): %T is not a TypeError", tt.input, err)
		}
	}
}

func TestMatchInitWithBaseIsTypeError(t *testing.T) {
	p, err := New("https://example.com/*", Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := "https://example.com"
	if _, err := p.Match(Input{Init: &Init{}}, &base); exceptionNameOf(err) != "TypeError" {
		t.Errorf("Match(init, base) error = %v, want a TypeError", err)
	}
	if _, err := p.TestInput(Input{Init: &Init{}}, &base); exceptionNameOf(err) != "TypeError" {
		t.Errorf("TestInput(init, base) error = %v, want a TypeError", err)
	}
}

func TestResultJSON(t *testing.T) {
	p, err := New("https://example.com/books/:id?", Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := p.ExecWithBase("/books?q=<x>", "https://example.com")
	if r == nil {
		t.Fatal("no match")
	}
	b, err := marshalJS(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"inputs":["/books?q=<x>","https://example.com"],` +
		`"protocol":{"input":"https","groups":{}},"username":{"input":"","groups":{"0":""}},` +
		`"password":{"input":"","groups":{"0":""}},"hostname":{"input":"example.com","groups":{}},` +
		`"port":{"input":"","groups":{}},"pathname":{"input":"/books","groups":{"id":null}},` +
		`"search":{"input":"q=%3Cx%3E","groups":{"0":"q=%3Cx%3E"}},"hash":{"input":"","groups":{"0":""}}}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
}

// marshalJS encodes v as JavaScript's JSON.stringify would, without
// encoding/json's HTML escaping.
func marshalJS(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return []byte(strings.TrimSuffix(b.String(), "\n")), err
}

func TestInitJSONRoundTrip(t *testing.T) {
	in := `{"protocol":"https","pathname":"","baseURL":"https://a/<b>"}`
	init, err := ParseInit([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if init.Pathname == nil || *init.Pathname != "" || init.Hostname != nil {
		t.Errorf("ParseInit: absent and empty members confused: %+v", init)
	}
	b, err := marshalJS(init)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != in {
		t.Errorf("Marshal = %s, want %s", b, in)
	}
	if _, err := ParseInit([]byte(`{"port": 80}`)); exceptionNameOf(err) != "TypeError" {
		t.Errorf("ParseInit of a number member: %v, want a TypeError", err)
	}
}

// TestNoAllocs checks that matching an already parsed URL does not
// allocate for patterns without regexp groups, whatever the matcher kind.
func TestNoAllocs(t *testing.T) {
	for _, c := range []struct{ pattern, url string }{
		{"https://example.com/books/:id", "https://example.com/books/7"},
		{"https://*.example.com/:a/*", "https://www.example.com/x/y/z"},
		{"https://example.com/:first{-:rest}*/edit", "https://example.com/a-b-c/edit"},
		{"http{s}?://{:sub.}?example.com/*/*/x", "https://www.example.com/a/b/x"},
		{"https://example.com/Foo/:bar", "https://example.com/fOO/x"},
	} {
		p, err := New(c.pattern, Options{IgnoreCase: true})
		if err != nil {
			t.Fatal(err)
		}
		comps, ok := ParseComponents(c.url, nil)
		if !ok {
			t.Fatalf("%s does not parse", c.url)
		}
		if !p.TestComponents(&comps) {
			t.Errorf("%s does not match %s", c.pattern, c.url)
		}
		if n := testing.AllocsPerRun(100, func() { p.TestComponents(&comps) }); n != 0 {
			t.Errorf("%s: %v allocations per match, want 0", c.pattern, n)
		}
	}
}

func TestGetters(t *testing.T) {
	// ":pass" would be a named group; "\\:" is a literal ':'.
	p, err := New(`https://user\:pass@example.com:8080/a/:b/c?q=1#frag`, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := []string{p.Protocol(), p.Username(), p.Password(), p.Hostname(), p.Port(), p.Pathname(), p.Search(), p.Hash()}
	want := []string{"https", "user", "pass", "example.com", "8080", "/a/:b/c", "q=1", "frag"}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("%s = %q, want %q", componentNames[i], got[i], want[i])
		}
	}
}

// TestConcurrentUse matches one pattern (with a lazily compiled regexp
// fallback and shared trivial components) from several goroutines; run
// with -race.
func TestConcurrentUse(t *testing.T) {
	p, err := New("https://{:sub.}?example.com/:id(\\d+)/*", Options{IgnoreCase: true})
	if err != nil {
		t.Fatal(err)
	}
	q, err := New("https://example.com/*", Options{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			ok := true
			for i := 0; i < 50; i++ {
				ok = ok && p.Test("https://www.example.com/12/x") && !p.Test("https://example.com/x/y")
				r := p.Exec("https://example.com/7/a/b")
				ok = ok && r != nil && q.Test("https://example.com/a")
				if r != nil {
					v, _ := r.Pathname.Get("id")
					ok = ok && v == "7"
				}
			}
			done <- ok
		}()
	}
	for g := 0; g < 4; g++ {
		if !<-done {
			t.Error("a goroutine saw a wrong result")
		}
	}
}
