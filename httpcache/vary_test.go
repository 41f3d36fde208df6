package httpcache

import (
	"net/http"
	"testing"
	"time"

	"github.com/swhost/swhost/fetch"
)

func TestVary(t *testing.T) {
	varyAE := H("Cache-Control", "max-age=60", "Vary", "Accept-Encoding")
	ae := func(v ...string) http.Header { return http.Header{"Accept-Encoding": v} }
	scenarios := []scenario{
		{name: "same value matches", steps: []exchange{
			{header: ae("gzip"), resp: varyAE, want: OutcomeMiss, wantUpstream: true},
			{header: ae("gzip"), want: OutcomeHit},
		}},
		{name: "other value does not match and replaces", steps: []exchange{
			{header: ae("gzip"), resp: varyAE, body: "gz", want: OutcomeMiss, wantUpstream: true},
			{header: ae("br"), resp: varyAE, body: "br", want: OutcomeMiss, wantUpstream: true},
			{header: ae("br"), want: OutcomeHit, check: body("br")},
			{header: ae("gzip"), resp: varyAE, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "whitespace and field lines are normalized", steps: []exchange{
			{header: ae("gzip, br"), resp: varyAE, want: OutcomeMiss, wantUpstream: true},
			{header: ae("gzip,br"), want: OutcomeHit},
			{header: ae("gzip ,  br"), want: OutcomeHit},
			{header: ae("gzip", "br"), want: OutcomeHit},
			{header: ae("br, gzip"), resp: varyAE, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "absent matches only absent", steps: []exchange{
			{resp: varyAE, want: OutcomeMiss, wantUpstream: true},
			{want: OutcomeHit},
			{header: ae(""), resp: varyAE, want: OutcomeMiss, wantUpstream: true},
			{header: ae(""), want: OutcomeHit},
			{resp: varyAE, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "several fields, names case-insensitive", steps: []exchange{
			{header: http.Header{"Accept": {"font/woff2"}, "Accept-Language": {"fr"}},
				resp: H("Cache-Control", "max-age=60", "Vary", "accept, ACCEPT-LANGUAGE", "Vary", "accept"), want: OutcomeMiss, wantUpstream: true},
			{header: http.Header{"Accept": {"font/woff2"}, "Accept-Language": {"fr"}, "User-Agent": {"x"}}, want: OutcomeHit},
			{header: http.Header{"Accept": {"font/woff2"}, "Accept-Language": {"de"}}, resp: H("Cache-Control", "max-age=60"), want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "a 304 adding a Vary field unknown to the entry does not match", steps: []exchange{
			{resp: H("Cache-Control", "max-age=0", "ETag", `"a"`), want: OutcomeMiss, wantUpstream: true},
			{status: 304, resp: H("ETag", `"a"`, "Cache-Control", "max-age=60", "Vary", "Accept"), want: OutcomeRevalidated, wantUpstream: true},
			{resp: H("Cache-Control", "max-age=60"), want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "force-cache still needs a Vary match", steps: []exchange{
			{header: ae("gzip"), resp: varyAE, want: OutcomeMiss, wantUpstream: true},
			{header: ae("br"), mode: fetch.CacheOnlyIfCached, want: OutcomeMiss, check: func(t *testing.T, r *fetch.Response, _ *upstream) {
				if !r.IsNetworkError() {
					t.Errorf("want a network error, got %d", r.Status)
				}
			}},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runScenario(t, sc) })
	}
}

func TestInvalidation(t *testing.T) {
	fresh := H("Cache-Control", "max-age=600")
	const other = "https://fonts.test/other"
	scenarios := []scenario{
		{name: "successful POST invalidates its URL", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{want: OutcomeHit},
			{method: "POST", status: 201, want: OutcomeBypass, wantUpstream: true},
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "PUT DELETE PATCH and unknown methods invalidate", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "PUT", status: 204, want: OutcomeBypass, wantUpstream: true},
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "DELETE", status: 200, want: OutcomeBypass, wantUpstream: true},
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "PATCH", status: 302, want: OutcomeBypass, wantUpstream: true},
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "PURGE", status: 200, want: OutcomeBypass, wantUpstream: true},
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "failed POST does not invalidate", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "POST", status: 500, want: OutcomeBypass, wantUpstream: true},
			{method: "POST", status: 404, want: OutcomeBypass, wantUpstream: true},
			{want: OutcomeHit},
		}},
		{name: "safe methods do not invalidate and are not cached", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "OPTIONS", resp: fresh, want: OutcomeBypass, wantUpstream: true},
			{want: OutcomeHit},
		}},
		{name: "fragment is not part of the key", steps: []exchange{
			{url: testURL + "#a", resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{url: testURL + "#b", want: OutcomeHit},
			{method: "POST", url: testURL + "#c", want: OutcomeBypass, wantUpstream: true},
			{url: testURL, resp: fresh, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "same-origin Location and Content-Location are invalidated", steps: []exchange{
			{url: other, resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{url: other + "2", resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "POST", status: 303, resp: H("Location", "/other", "Content-Location", "other2#x"), want: OutcomeBypass, wantUpstream: true},
			{url: other, resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{url: other + "2", resp: fresh, want: OutcomeMiss, wantUpstream: true},
		}},
		{name: "cross-origin Location is not invalidated", steps: []exchange{
			{url: "https://api.test/x", resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{method: "POST", status: 201, resp: H("Location", "https://api.test/x"), want: OutcomeBypass, wantUpstream: true},
			{url: "https://api.test/x", want: OutcomeHit},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runScenario(t, sc) })
	}
}

func TestCacheModes(t *testing.T) {
	fresh := H("Cache-Control", "max-age=60", "ETag", `"e"`)
	stale := H("Cache-Control", "max-age=0, must-revalidate, no-cache", "ETag", `"s"`)
	netErr := func(t *testing.T, r *fetch.Response, _ *upstream) {
		t.Helper()
		if !r.IsNetworkError() {
			t.Errorf("want a network error, got status %d", r.Status)
		}
	}
	scenarios := []scenario{
		{name: "no-store bypasses lookup and storage", steps: []exchange{
			{resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{mode: fetch.CacheNoStore, resp: fresh, body: "net", want: OutcomeBypass, wantUpstream: true,
				check: all(body("net"), sentHeader("Pragma", "no-cache"), sentHeader("Cache-Control", "no-cache"))},
			{want: OutcomeHit, check: body("")},
		}},
		{name: "no-store keeps the caller's headers", steps: []exchange{
			{mode: fetch.CacheNoStore, header: http.Header{"Cache-Control": {"max-age=5"}}, resp: fresh, want: OutcomeBypass, wantUpstream: true,
				check: all(sentHeader("Pragma", "no-cache"), sentHeader("Cache-Control", "max-age=5"))},
		}},
		{name: "reload skips the lookup and stores", steps: []exchange{
			{resp: fresh, body: "old", want: OutcomeMiss, wantUpstream: true},
			{mode: fetch.CacheReload, resp: fresh, body: "new", want: OutcomeMiss, wantUpstream: true,
				check: all(sentHeader("Pragma", "no-cache"), sentHeader("Cache-Control", "no-cache"), sentHeader("If-None-Match", ""))},
			{want: OutcomeHit, check: body("new")},
		}},
		{name: "no-cache revalidates a fresh response", steps: []exchange{
			{resp: fresh, body: "x", want: OutcomeMiss, wantUpstream: true},
			{mode: fetch.CacheNoCache, status: 304, resp: H("ETag", `"e"`), want: OutcomeRevalidated, wantUpstream: true,
				check: all(body("x"), sentHeader("Cache-Control", "max-age=0"), sentHeader("If-None-Match", `"e"`))},
		}},
		{name: "no-cache with nothing stored", steps: []exchange{
			{mode: fetch.CacheNoCache, resp: fresh, want: OutcomeMiss, wantUpstream: true, check: sentHeader("Cache-Control", "max-age=0")},
			{want: OutcomeHit},
		}},
		{name: "force-cache uses a stale response", steps: []exchange{
			{resp: stale, body: "s", want: OutcomeMiss, wantUpstream: true},
			{advance: time.Hour, mode: fetch.CacheForceCache, want: OutcomeHit, check: all(body("s"), respHeader("Age", "3600"))},
		}},
		{name: "force-cache with nothing stored fetches and stores", steps: []exchange{
			{mode: fetch.CacheForceCache, resp: fresh, want: OutcomeMiss, wantUpstream: true},
			{want: OutcomeHit},
		}},
		{name: "only-if-cached uses a stale response", steps: []exchange{
			{resp: stale, body: "s", want: OutcomeMiss, wantUpstream: true},
			{advance: time.Hour, mode: fetch.CacheOnlyIfCached, want: OutcomeHit, check: body("s")},
		}},
		{name: "only-if-cached with nothing stored is a network error", steps: []exchange{
			{mode: fetch.CacheOnlyIfCached, want: OutcomeMiss, check: netErr},
		}},
		{name: "HEAD is served from a stored GET without a body", steps: []exchange{
			{method: "HEAD", resp: fresh, want: OutcomeUncacheable, wantUpstream: true},
			{resp: fresh, body: "x", want: OutcomeMiss, wantUpstream: true},
			{method: "HEAD", want: OutcomeHit, check: func(t *testing.T, r *fetch.Response, _ *upstream) {
				if r.Body != nil || r.Header.Get("Etag") != `"e"` {
					t.Errorf("HEAD hit: body %q, ETag %q", r.Body, r.Header.Get("Etag"))
				}
			}},
			{want: OutcomeHit, check: body("x")},
		}},
		{name: "non-HTTP URLs go around", steps: []exchange{
			{url: "data:,x", resp: fresh, want: OutcomeBypass, wantUpstream: true},
			{url: "data:,x", resp: fresh, want: OutcomeBypass, wantUpstream: true},
		}},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runScenario(t, sc) })
	}
}

// TestStoredHeaders checks which header fields are stored.
func TestStoredHeaders(t *testing.T) {
	runScenario(t, scenario{steps: []exchange{
		{resp: H("Cache-Control", "max-age=60", "Set-Cookie", "a=b", "Connection", "close, X-Hop", "X-Hop", "1",
			"Keep-Alive", "timeout=5", "Proxy-Authenticate", "Basic", "X-Keep", "1"),
			want: OutcomeMiss, wantUpstream: true, check: respHeader("Set-Cookie", "a=b")},
		{want: OutcomeHit, check: func(t *testing.T, r *fetch.Response, _ *upstream) {
			for _, name := range []string{"Set-Cookie", "Connection", "X-Hop", "Keep-Alive", "Proxy-Authenticate"} {
				if _, ok := r.Header[name]; ok {
					t.Errorf("%s was stored", name)
				}
			}
			if r.Header.Get("X-Keep") != "1" || r.Header.Get("Date") == "" || r.Header.Get("Age") != "0" {
				t.Errorf("header %v", r.Header)
			}
		}},
	}})
}

// TestFetchDoesNotModifyRequest checks that the caller's request is left
// alone when the cache adds headers.
func TestFetchDoesNotModifyRequest(t *testing.T) {
	clk := newClock()
	c := New(&MemoryStorage{}, Options{Now: clk.Now})
	u := &upstream{answer: func(r *fetch.Request) *fetch.Response {
		return &fetch.Response{Status: 200, Header: H("Cache-Control", "max-age=0", "ETag", `"e"`)(clk.Now())}
	}}
	for _, mode := range []fetch.CacheMode{fetch.CacheDefault, fetch.CacheNoStore, fetch.CacheReload, fetch.CacheNoCache} {
		req := &fetch.Request{URL: testURL, Header: http.Header{"Accept": {"*/*"}}, Cache: mode}
		if _, _, err := c.Fetch(t.Context(), req, u); err != nil {
			t.Fatal(err)
		}
		if len(req.Header) != 1 {
			t.Errorf("mode %s: request header changed to %v", mode, req.Header)
		}
	}
	// A nil header is fine too.
	if _, _, err := c.Fetch(t.Context(), &fetch.Request{URL: testURL, Cache: fetch.CacheReload}, u); err != nil {
		t.Fatal(err)
	}
}
