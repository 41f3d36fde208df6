package ui

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	demo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "demo page") })
	cases := []struct {
		name       string
		opts       Options
		path       string
		wantStatus int
		wantType   string
		wantBody   []string
	}{
		{"index", Options{}, "/", 200, "text/html; charset=utf-8", []string{"<title>swhost devtools</title>", `id="reg-list"`, `src="/ui/devtools.js"`, "Show all"}},
		{"index names no demo", Options{}, "/", 200, "text/html; charset=utf-8", []string{`href="/metrics"`}},
		{"title escaped", Options{Title: "a<b"}, "/", 200, "text/html; charset=utf-8", []string{"<title>a&lt;b</title>"}},
		{"demo link", Options{Demo: demo}, "/", 200, "text/html; charset=utf-8", []string{`href="/demo"`}},
		{"script", Options{}, "/ui/devtools.js", 200, "text/javascript; charset=utf-8", []string{"new EventSource('/v1/events')", "/v1/scope?url=", "'/v1/fetch'"}},
		{"style", Options{}, "/ui/devtools.css", 200, "text/css; charset=utf-8", []string{"@media (max-width: 720px)"}},
		{"demo page", Options{Demo: demo}, "/demo", 200, "", []string{"demo page"}},
		{"no demo", Options{}, "/demo", 404, "", []string{"the devtools page is at /"}},
		{"unknown", Options{}, "/nope", 404, "", []string{"404 page not found: /nope"}},
		{"unknown asset", Options{}, "/ui/nope.js", 404, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			New(c.opts).ServeHTTP(rec, httptest.NewRequest("GET", c.path, nil))
			if rec.Code != c.wantStatus {
				t.Fatalf("status %d, want %d\n%s", rec.Code, c.wantStatus, rec.Body)
			}
			if c.wantType != "" && rec.Header().Get("Content-Type") != c.wantType {
				t.Errorf("Content-Type %q, want %q", rec.Header().Get("Content-Type"), c.wantType)
			}
			for _, w := range c.wantBody {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("body lacks %q", w)
				}
			}
		})
	}
}

// TestNoRemoteResources checks that the page loads nothing from another
// host: it must work with no internet access.
func TestNoRemoteResources(t *testing.T) {
	for _, name := range []string{"assets/index.html", "assets/devtools.js", "assets/devtools.css"} {
		b, err := assets.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"http://", "https://fonts", "//cdn", "@import", "url(http"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
	}
}
