package demo

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestOrigins(t *testing.T) {
	o, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	up := map[string]string{}
	for _, r := range o.Resolve() {
		origin, u, _ := strings.Cut(r, "=")
		up[origin] = u
	}
	if len(up) != 3 || up[AppOrigin] == "" || up[FontsOrigin] == "" || up[EchoOrigin] == "" {
		t.Fatalf("Resolve() = %q", o.Resolve())
	}
	cases := []struct {
		origin, path string
		status       int
		body, header string
	}{
		{AppOrigin, "/sw.js", 200, `{"path":"/"}`, ""},
		{AppOrigin, "/maps/maps-sw.js", 200, "maps-tiles-v1", ""},
		{AppOrigin, "/about", 200, "no worker's scope matches", ""},
		{AppOrigin, "/nope", 404, "not found on https://app.test: /nope", ""},
		{FontsOrigin, "/css", 200, "@font-face", `</sw.js>; rel="serviceworker"; scope="/"`},
		{FontsOrigin, "/sw.js", 200, "registerForeignFetch", ""},
		{EchoOrigin, "/serviceworker.js", 200, "event.acceptConnection(event.client.targetUrl === 'https://echo.test/services/echo')", ""},
	}
	for _, c := range cases {
		resp, err := http.Get(up[c.origin] + c.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || !strings.Contains(string(b), c.body) || resp.Header.Get("Link") != c.header {
			t.Errorf("%s%s: %d Link %q %q", c.origin, c.path, resp.StatusCode, resp.Header.Get("Link"), b)
		}
	}

	o.SetDown(FontsOrigin, true)
	if resp, err := http.Get(up[FontsOrigin] + "/css"); err != nil || resp.StatusCode != 503 {
		t.Errorf("down fonts.test: %v %v", resp, err)
	}
	o.SetDown(FontsOrigin, false)
	if resp, err := http.Get(up[FontsOrigin] + "/css"); err != nil || resp.StatusCode != 200 {
		t.Errorf("fonts.test up again: %v %v", resp, err)
	}
}

func TestPage(t *testing.T) {
	o, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	h := Page(o)
	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/demo", 200, `<script src="/connect.js"></script>`},
		{"GET", "/demo/", 200, "swhost demo"},
		{"GET", "/demo/demo.js", 200, "swhost.connect('https://echo.test/services/echo')"},
		{"GET", "/demo/demo.css", 200, "@media"},
		{"POST", "/demo/down?origin=https://fonts.test&down=1", 204, ""},
		{"POST", "/demo/down?origin=https://evil.test&down=1", 400, "not a demo origin"},
		{"POST", "/demo/down?origin=https://fonts.test&down=yes", 400, "down must be 0 or 1"},
		{"GET", "/demo/nope", 404, ""},
	}
	for _, c := range cases {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("%s %s: %d %q; want %d containing %q", c.method, c.path, rec.Code, rec.Body, c.status, c.body)
		}
	}
	o.mu.Lock()
	down := o.down[FontsOrigin]
	o.mu.Unlock()
	if !down {
		t.Error("POST /demo/down did not take fonts.test down")
	}
}
