package scope

import (
	"errors"
	"strings"
	"testing"
)

func str(s string) *string { return &s }

func mustNew(t testing.TB, in Init) *Scope {
	t.Helper()
	s, err := New(in)
	if err != nil {
		t.Fatalf("New(%+v): %v", in, err)
	}
	return s
}

func mustLegacy(t testing.TB, scope, base string) *Scope {
	t.Helper()
	s, err := ParseLegacy(scope, base)
	if err != nil {
		t.Fatalf("ParseLegacy(%q, %q): %v", scope, base, err)
	}
	return s
}

// TestSeedExamples runs every scope example of the explainer.
func TestSeedExamples(t *testing.T) {
	tests := []struct {
		name    string
		scope   Init
		match   []string
		nomatch []string
	}{
		{
			name:    "foo and below, not foobar",
			scope:   Init{BaseURL: "https://foo.com/index.html", Path: str("/foo/?*")},
			match:   []string{"https://foo.com/foo", "https://foo.com/foo/", "https://foo.com/foo/bar", "https://foo.com/foo?x=1", "https://foo.com/foo/a#frag"},
			nomatch: []string{"https://foo.com/foobar", "https://foo.com/fo", "https://foo.com/", "http://foo.com/foo", "https://foo.com:8443/foo", "https://bar.com/foo"},
		},
		{
			name:    "root URL exactly",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/")},
			match:   []string{"https://foo.com/", "https://foo.com/?utm=1"},
			nomatch: []string{"https://foo.com/sub/path/product", "https://foo.com/index.html"},
		},
		{
			name:    "maps, not mapsearch",
			scope:   Init{BaseURL: "https://google.com/", Path: str("/maps/?*")},
			match:   []string{"https://google.com/maps", "https://google.com/maps/place/x"},
			nomatch: []string{"https://google.com/mapsearch", "https://google.com/mapsearch/x"},
		},
		{
			name:    "search parameter",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "product", Value: str("foo")}}}},
			match:   []string{"https://foo.com/?product=foo", "https://foo.com/?other=bar&product=foo"},
			nomatch: []string{"https://foo.com/", "https://foo.com/?product=foobar", "https://foo.com/?product=bar", "https://foo.com/x?product=foo"},
		},
		{
			name:    "explicit search value star",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/foo/?*"), Search: &SearchInit{Value: str("*")}},
			match:   []string{"https://foo.com/foo", "https://foo.com/foo?a"},
			nomatch: []string{"https://foo.com/food"},
		},
		{
			name:    "scope2: exact path, query required",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/foo"), Search: &SearchInit{Value: str(`\?*`)}},
			match:   []string{"https://foo.com/foo?", "https://foo.com/foo?a=1"},
			nomatch: []string{"https://foo.com/foo", "https://foo.com/foo/x?a"},
		},
		{
			name:    "scope1: path prefix, any query",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/foo*"), Search: &SearchInit{Value: str("*")}},
			match:   []string{"https://foo.com/foo", "https://foo.com/foobar?x", "https://foo.com/foo/"},
			nomatch: []string{"https://foo.com/fo"},
		},
		{
			name:    "relative path resolves beneath the base path",
			scope:   Init{BaseURL: "https://foo.com/bar", Path: str("baz/?*")},
			match:   []string{"https://foo.com/bar/baz", "https://foo.com/bar/baz/q"},
			nomatch: []string{"https://foo.com/baz", "https://foo.com/bar/bazooka"},
		},
		{
			name:    "absent path matches any path of the origin",
			scope:   Init{BaseURL: "https://foo.com/deep/page"},
			match:   []string{"https://foo.com/", "https://foo.com/x/y?z"},
			nomatch: []string{"https://foo.com.evil.test/", "https://evil.test/"},
		},
		{
			name:    "escaped pattern characters are literal",
			scope:   Init{BaseURL: "https://foo.com/", Path: str(`/a\*b\?*`)},
			match:   []string{"https://foo.com/a*b%3F", "https://foo.com/a*b%3Fc"},
			nomatch: []string{"https://foo.com/ab", "https://foo.com/a*b"},
		},
		{
			name:    "non-ASCII path literal is percent-encoded like URLs",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/café/?*")},
			match:   []string{"https://foo.com/café", "https://foo.com/caf%C3%A9/x"},
			nomatch: []string{"https://foo.com/cafe"},
		},
		{
			name:    "optional root slash: any path",
			scope:   Init{BaseURL: "https://foo.com/deep/page", Path: str("/?*")},
			match:   []string{"https://foo.com/", "https://foo.com/x", "https://foo.com/a/b?c"},
			nomatch: []string{"https://bar.com/"},
		},
		{
			name:    "param key only",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "debug"}}}},
			match:   []string{"https://foo.com/?debug", "https://foo.com/?a=1&debug=yes", "https://foo.com/?debug="},
			nomatch: []string{"https://foo.com/?debugger=1", "https://foo.com/"},
		},
		{
			name:    "param value form-decoded",
			scope:   Init{BaseURL: "https://foo.com/", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "q", Value: str("a b*")}}}},
			match:   []string{"https://foo.com/?q=a+b", "https://foo.com/?q=a%20bc"},
			nomatch: []string{"https://foo.com/?q=ab"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustNew(t, tt.scope)
			for _, u := range tt.match {
				if _, ok := s.MatchString(u); !ok {
					t.Errorf("scope %s does not match %s", s, u)
				}
			}
			for _, u := range tt.nomatch {
				if _, ok := s.MatchString(u); ok {
					t.Errorf("scope %s matches %s", s, u)
				}
			}
		})
	}
}

func TestPrefixAndSpecificity(t *testing.T) {
	tests := []struct {
		scope  Init
		prefix string
		spec   Specificity
	}{
		{Init{BaseURL: "https://foo.com/bar", Path: str("baz/?*")}, "https://foo.com/bar/baz", SpecificityOptional},
		{Init{BaseURL: "https://foo.com/", Path: str("/foo*")}, "https://foo.com/foo", SpecificityWildcard},
		{Init{BaseURL: "https://foo.com/", Path: str("/")}, "https://foo.com/", SpecificityWildcard},
		{Init{BaseURL: "https://foo.com/", Path: str("/"), Search: &SearchInit{Value: str("")}}, "https://foo.com/", SpecificityExact},
		{Init{BaseURL: "https://foo.com/", Path: str("/"), Search: &SearchInit{Value: str(`\?a=*`)}}, "https://foo.com/?a=", SpecificityWildcard},
		{Init{BaseURL: "https://foo.com/", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "foo", Value: str("1")}}}}, "https://foo.com/?", SpecificityWildcard},
		{Init{BaseURL: "https://FOO.com:443/x"}, "https://foo.com", SpecificityWildcard},
	}
	for _, tt := range tests {
		s := mustNew(t, tt.scope)
		if s.Prefix() != tt.prefix || s.Specificity() != tt.spec {
			t.Errorf("%s: prefix %q specificity %v; want %q %v", s, s.Prefix(), s.Specificity(), tt.prefix, tt.spec)
		}
	}
}

// TestVariableCounts checks the explainer's own figures.
func TestVariableCounts(t *testing.T) {
	tests := []struct {
		scope        Init
		url          string
		vars, before int
	}{
		// "a path pattern /* matching /foo would have matched 3 variable characters"
		{Init{BaseURL: "https://x.test/", Path: str("/*"), Search: &SearchInit{Value: str("")}}, "https://x.test/foo", 3, 0},
		{Init{BaseURL: "https://x.test/", Path: str("/maps/?*")}, "https://x.test/maps/ab", 3, 0},
		{Init{BaseURL: "https://x.test/", Path: str("/maps/?*")}, "https://x.test/maps", 0, 0},
		{Init{BaseURL: "https://x.test/", Path: str("/")}, "https://x.test/?q=1", 4, 0},
		// Step 4's example: /?foo=1&bar=2 against params foo=1 and bar=2.
		{Init{BaseURL: "https://x.test/", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "foo", Value: str("1")}}}}, "https://x.test/?foo=1&bar=2", 6, 0},
		{Init{BaseURL: "https://x.test/", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "bar", Value: str("2")}}}}, "https://x.test/?foo=1&bar=2", 6, 6},
		{Init{BaseURL: "https://x.test/", Path: str("/a*"), Search: &SearchInit{Value: str(`\?k=*`)}}, "https://x.test/abc?k=vv", 4, 2},
	}
	for _, tt := range tests {
		s := mustNew(t, tt.scope)
		m, ok := s.MatchString(tt.url)
		if !ok {
			t.Errorf("%s does not match %s", s, tt.url)
			continue
		}
		if m.VariableChars != tt.vars || m.VariableBeforeLastStatic != tt.before {
			t.Errorf("%s on %s: vars %d before %d; want %d %d", s, tt.url, m.VariableChars, m.VariableBeforeLastStatic, tt.vars, tt.before)
		}
	}
}

func TestRestrictions(t *testing.T) {
	tests := []struct {
		name string
		in   Init
		rule string
	}{
		{"infix star", Init{BaseURL: "https://x.test/", Path: str("/a*/b")}, "only allowed at the end"},
		{"two stars apart", Init{BaseURL: "https://x.test/", Path: str("/*a*")}, "only allowed at the end"},
		{"optional non-slash", Init{BaseURL: "https://x.test/", Path: str("/colou?r")}, "may only make a slash optional"},
		{"two optionals", Init{BaseURL: "https://x.test/", Path: str("/a/??")}, "at most one '?'"},
		{"text after break", Init{BaseURL: "https://x.test/", Path: str("/a/?b")}, "only '*' may follow"},
		{"leading optional", Init{BaseURL: "https://x.test/", Path: str("?")}, "may only make a slash optional"},
		{"optional in search", Init{BaseURL: "https://x.test/", Search: &SearchInit{Value: str(`\?a/?`)}}, "only allowed on a slash in a path"},
		{"trailing backslash", Init{BaseURL: "https://x.test/", Path: str(`/a\`)}, "escapes nothing"},
		{"two params", Init{BaseURL: "https://x.test/", Search: &SearchInit{Params: []ParamInit{{Key: "a"}, {Key: "b"}}}}, "at most one search parameter"},
		{"value and params", Init{BaseURL: "https://x.test/", Search: &SearchInit{Value: str("*"), Params: []ParamInit{{Key: "a"}}}}, "mutually exclusive"},
		{"search value without ?", Init{BaseURL: "https://x.test/", Search: &SearchInit{Value: str("a=1")}}, `write "\\?a=1"`},
		{"no base", Init{Path: str("/")}, "needs a baseUrl"},
		{"bad base", Init{BaseURL: "not a url", Path: str("/")}, "invalid scope baseUrl"},
		{"non-http base", Init{BaseURL: "ftp://x.test/", Path: str("/")}, "must be http or https"},
		{"encoded slash", Init{BaseURL: "https://x.test/", Path: str("/a%2fb*")}, "encoded slash"},
		{"encoded backslash", Init{BaseURL: "https://x.test/", Path: str("/a%5C*")}, "encoded slash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.in)
			var se *Error
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tt.rule) || !strings.HasPrefix(err.Error(), "TypeError: ") {
				t.Fatalf("New(%+v) error = %v; want a TypeError naming %q", tt.in, err, tt.rule)
			}
		})
	}
}

func TestLegacy(t *testing.T) {
	tests := []struct {
		scope, base string
		match       []string
		nomatch     []string
	}{
		{"/maps", "https://g.test/", []string{"https://g.test/maps", "https://g.test/mapsearch", "https://g.test/maps/x?y#z"}, []string{"https://g.test/map", "http://g.test/maps"}},
		{"/", "https://x.test/", []string{"https://x.test/", "https://x.test/?a=1", "https://x.test/a/b"}, []string{"http://x.test/", "https://x.test:444/"}},
		{"/?a=", "https://x.test/", []string{"https://x.test/?a=", "https://x.test/?a=1&b"}, []string{"https://x.test/", "https://x.test/?b=1&a=", "https://x.test/x?a="}},
		{"https://evil.com", "", []string{"https://evil.com/", "https://evil.com/x"}, []string{"https://evil.com.example.com/", "https://evil.comx/"}},
		{"/*", "https://x.test/", []string{"https://x.test/*", "https://x.test/*/a"}, []string{"https://x.test/a", "https://x.test/"}},
		{"/foo?", "https://x.test/", []string{"https://x.test/foo?", "https://x.test/foo?x"}, []string{"https://x.test/foo", "https://x.test/foobar?x"}},
		{"./app/", "https://x.test/index.html", []string{"https://x.test/app/", "https://x.test/app/x"}, []string{"https://x.test/app"}},
		{"/a#frag", "https://x.test/", []string{"https://x.test/a", "https://x.test/ab"}, nil},
	}
	for _, tt := range tests {
		s := mustLegacy(t, tt.scope, tt.base)
		for _, u := range tt.match {
			if _, ok := s.MatchString(u); !ok {
				t.Errorf("legacy %q (%s) does not match %s", tt.scope, s.Key(), u)
			}
			// The legacy meaning: a string prefix of the URL without fragment.
			if !strings.HasPrefix(u, s.String()) {
				t.Errorf("test bug: %s is not a string prefix of %s", s, u)
			}
		}
		for _, u := range tt.nomatch {
			if _, ok := s.MatchString(u); ok {
				t.Errorf("legacy %q matches %s", tt.scope, u)
			}
		}
	}
	for _, bad := range []string{"/a%2Fb", "/a%5cb", "ftp://x.test/", "https://"} {
		if _, err := ParseLegacy(bad, "https://x.test/"); err == nil {
			t.Errorf("ParseLegacy(%q) succeeded", bad)
		}
	}
}

func TestLegacyEqualsPattern(t *testing.T) {
	tests := []struct {
		legacy  string
		pattern Init
	}{
		{"https://x.test/foo", Init{BaseURL: "https://x.test", Path: str("/foo*")}},
		{"https://x.test/foo?a", Init{BaseURL: "https://x.test", Path: str("/foo"), Search: &SearchInit{Value: str(`\?a*`)}}},
	}
	for _, tt := range tests {
		l := mustLegacy(t, tt.legacy, "")
		p := mustNew(t, tt.pattern)
		if l.Key() != p.Key() {
			t.Errorf("legacy %s key %s != pattern key %s", tt.legacy, l.Key(), p.Key())
		}
		if !l.IsLegacy() || p.IsLegacy() || l.String() != tt.legacy {
			t.Errorf("IsLegacy/String wrong: %v %v %q", l.IsLegacy(), p.IsLegacy(), l.String())
		}
	}
}

func TestParseText(t *testing.T) {
	s, err := Parse(`{"path":"/maps/?*"}`, "https://g.test/")
	if err != nil || s.Prefix() != "https://g.test/maps" {
		t.Fatalf("Parse JSON = %v, %v", s, err)
	}
	if _, err := Parse(`{"paht":"/x"}`, "https://g.test/"); err == nil || !strings.Contains(err.Error(), "paht") {
		t.Errorf("unknown field error = %v", err)
	}
	if s, err := Parse("/maps", "https://g.test/"); err != nil || !s.IsLegacy() {
		t.Errorf("Parse legacy = %v, %v", s, err)
	}
}

// TestOrderingSteps checks each of the four steps on its own.
func TestOrderingSteps(t *testing.T) {
	tests := []struct {
		name          string
		url           string
		better, worse Init
	}{
		{"1: longer prefix", "https://x.test/a/b/c",
			Init{BaseURL: "https://x.test", Path: str("/a/b*")}, Init{BaseURL: "https://x.test", Path: str("/a/?*")}},
		{"2: ? before *", "https://x.test/maps/x",
			Init{BaseURL: "https://x.test", Path: str("/maps/?*")}, Init{BaseURL: "https://x.test", Path: str("/maps*")}},
		{"2: exact before *", "https://x.test/",
			Init{BaseURL: "https://x.test", Path: str("/"), Search: &SearchInit{Value: str("")}}, Init{BaseURL: "https://x.test", Path: str("/")}},
		{"3: fewer variable characters", "https://x.test/?foo=1&bar=22",
			Init{BaseURL: "https://x.test", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "bar", Value: str("22")}}}},
			Init{BaseURL: "https://x.test", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "foo", Value: str("1")}}}}},
		{"4: fewer variable characters before the last static text", "https://x.test/?foo=1&bar=2",
			Init{BaseURL: "https://x.test", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "foo", Value: str("1")}}}},
			Init{BaseURL: "https://x.test", Path: str("/"), Search: &SearchInit{Params: []ParamInit{{Key: "bar", Value: str("2")}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, w := mustNew(t, tt.better), mustNew(t, tt.worse)
			mb, ok1 := b.MatchString(tt.url)
			mw, ok2 := w.MatchString(tt.url)
			if !ok1 || !ok2 {
				t.Fatalf("both must match %s: %v %v", tt.url, ok1, ok2)
			}
			if Compare(mb, mw) >= 0 || Compare(mw, mb) <= 0 {
				t.Errorf("Compare(%s, %s) = %d; want the first preferred (%+v vs %+v)", b, w, Compare(mb, mw), mb, mw)
			}
			if Compare(mb, mb) != 0 {
				t.Errorf("Compare(x, x) != 0")
			}
		})
	}
}
