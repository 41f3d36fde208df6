package scope

import (
	"strings"
	"testing"

	"github.com/swhost/swhost/urlpattern"
)

func TestFromURLPattern(t *testing.T) {
	tests := []struct {
		pattern string
		key     string // key of the equivalent explainer pattern; "" for an error
		err     string
	}{
		{"https://a.test/maps/*?", mustNew(t, Init{BaseURL: "https://a.test", Path: str("/maps/?*")}).Key(), ""},
		{"https://a.test/maps{/}?", mustNew(t, Init{BaseURL: "https://a.test", Path: str("/maps/?")}).Key(), ""},
		{"https://a.test/maps/*", mustNew(t, Init{BaseURL: "https://a.test", Path: str("/maps/*")}).Key(), ""},
		{"https://a.test/", mustNew(t, Init{BaseURL: "https://a.test", Path: str("/")}).Key(), ""},
		{"https://a.test/a\\*b", mustNew(t, Init{BaseURL: "https://a.test", Path: str(`/a\*b`)}).Key(), ""},
		{"https://a.test/x?q=1*", mustNew(t, Init{BaseURL: "https://a.test", Path: str("/x"), Search: &SearchInit{Value: str(`\?q=1*`)}}).Key(), ""},
		{"https://a.test:8443/", mustNew(t, Init{BaseURL: "https://a.test:8443", Path: str("/")}).Key(), ""},
		{"https://*.a.test/", "", "must cover the whole origin"},
		{"http{s}?://a.test/", "", "must cover the whole origin"},
		{"https://a.test/:id", "", "too complex"},
		{"https://a.test/a/*/b", "", "too complex"},
		{"https://a.test/x#frag", "", "ignore the fragment"},
		{"https://a.test/x?:q", "", "too complex"},
		{"https://u@a.test/", "", "credentials"},
	}
	for _, tt := range tests {
		p, err := urlpattern.New(tt.pattern, urlpattern.Options{})
		if err != nil {
			t.Fatalf("urlpattern.New(%q): %v", tt.pattern, err)
		}
		s, err := FromURLPattern(p)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("FromURLPattern(%q) error = %v, want %q", tt.pattern, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("FromURLPattern(%q): %v", tt.pattern, err)
		case tt.err == "" && s.Key() != tt.key:
			t.Errorf("FromURLPattern(%q) = %s, want %s", tt.pattern, s.Key(), tt.key)
		}
	}
}

// TestFromURLPatternAgrees checks that a converted scope matches exactly
// the URLs its URL pattern matches (fragments aside).
func TestFromURLPatternAgrees(t *testing.T) {
	urls := []string{"https://a.test/", "https://a.test/maps", "https://a.test/maps/", "https://a.test/maps/x", "https://a.test/mapsearch",
		"https://a.test/x?q=1", "https://a.test/x?q=12", "https://a.test/x", "https://a.test/x?r", "https://b.test/maps"}
	for _, pat := range []string{"https://a.test/maps/*?", "https://a.test/maps{/}?", "https://a.test/maps*", "https://a.test/x?q=1*", "https://a.test/*"} {
		p, _ := urlpattern.New(pat, urlpattern.Options{})
		s, err := FromURLPattern(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range urls {
			_, got := s.MatchString(u)
			if want := p.Test(u); got != want {
				t.Errorf("%s on %s: scope %v, URLPattern %v", pat, u, got, want)
			}
		}
	}
}

func TestParseWHATWGInit(t *testing.T) {
	s, err := Parse(`{"pathname":"/maps/*?"}`, "https://a.test/")
	if err != nil {
		t.Fatal(err)
	}
	if want := mustNew(t, Init{BaseURL: "https://a.test", Path: str("/maps/?*")}); s.Key() != want.Key() {
		t.Errorf("got %s, want %s", s, want)
	}
	if _, err := Parse(`{"hostname":"*.a.test","protocol":"https"}`, ""); err == nil {
		t.Error("variable hostname accepted")
	}
}

func TestParseManifest(t *testing.T) {
	tests := []struct {
		manifest, url, prefix string
		legacy                bool
	}{
		{`{"name":"FooApp","scope":"https://foo.test/app/","scopePattern":{"baseUrl":"https://foo.test/","path":"/app/?*"}}`, "https://foo.test/m.json", "https://foo.test/app", false},
		{`{"scope":"/app/"}`, "https://foo.test/m.json", "https://foo.test/app/", true},
		{`{"scopePattern":{"path":"/team/?*"}}`, "https://foo.test/m.json", "https://foo.test/team", false},
		{`{"start_url":"/shop/index.html"}`, "https://foo.test/m.json", "https://foo.test/shop/", true},
		{`{}`, "https://foo.test/a/m.json", "https://foo.test/a/", true},
	}
	for _, tt := range tests {
		s, err := ParseManifest([]byte(tt.manifest), tt.url)
		if err != nil {
			t.Errorf("ParseManifest(%s): %v", tt.manifest, err)
			continue
		}
		if s.Prefix() != tt.prefix || s.IsLegacy() != tt.legacy {
			t.Errorf("ParseManifest(%s) = %s prefix %q legacy %v", tt.manifest, s, s.Prefix(), s.IsLegacy())
		}
	}
	for _, bad := range []string{`not json`, `{"scopePattern":{"path":"/a*b"}}`, `{"scopePattern":{"pth":"/"}}`} {
		if _, err := ParseManifest([]byte(bad), "https://foo.test/m.json"); err == nil {
			t.Errorf("ParseManifest(%s) succeeded", bad)
		}
	}
}
