package e2e

import (
	"strings"
	"testing"
)

// fontsSW is the font provider's worker: the seed's install and foreignfetch
// snippets, with the fonts pre-cached in the provider's own cache.
const fontsSW = `
self.addEventListener('install', event => {
  event.registerForeignFetch({
    scopes: [self.registration.scope], // or some sub-scope
    origins: ['*'] // or ['https://example.com']
  });
  event.waitUntil(caches.open('fonts-v1').then(cache => cache.addAll(['/fonts/roboto.woff2'])));
});
self.addEventListener('foreignfetch', event => {
  const opaque = event.request.url.endsWith('?opaque');
  event.respondWith(
    caches.match(event.request, {ignoreSearch: true})
      .then(cached => cached || fetch(new Request(event.request.url)))
      .then(response => opaque ? {response} : {
        response: response,
        // Omit to origin to return an opaque response.
        // With this set, the client will receive a CORS response.
        origin: event.origin,
        // Omit headers unless you need additional header filtering.
        // With this set, only Content-Type will be exposed.
        headers: ['Content-Type']
      })
  );
});`

// fontsOrigin serves the CSS whose Link header registers the worker.
func fontsOrigin(t *testing.T) *upstream {
	fonts := newUpstream(t, "https://fonts.test", "")
	fonts.put("/sw.js", resource{body: fontsSW, ctype: "text/javascript"})
	fonts.put("/css", resource{body: "@font-face { font-family: Roboto; src: url(/fonts/roboto.woff2) }", ctype: "text/css",
		header: map[string]string{"Link": `</sw.js>; rel="serviceworker"; scope="/"`, "Access-Control-Allow-Origin": "*"}})
	fonts.put("/fonts/roboto.woff2", resource{body: "ROBOTO-WOFF2", ctype: "font/woff2",
		header: map[string]string{"Access-Control-Allow-Origin": "*", "X-Secret": "provider-only"}})
	return fonts
}

func stderrLine(r result, prefix string) string {
	for _, l := range strings.Split(r.stderr, "\n") {
		if v, ok := strings.CutPrefix(l, prefix); ok {
			return v
		}
	}
	return ""
}

// TestFontProviderScenario is the seed's font provider: a CSS response's
// Link header registers a foreign-fetch worker; later a font comes from
// that worker's cache while the provider's server is down.
func TestFontProviderScenario(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	fonts := fontsOrigin(t)
	h := newHost(t, app, fonts)

	// The CSS is delivered at once and unchanged; the worker registers.
	css := h.fetch("https://app.test/", "https://fonts.test/css", "network")
	if !strings.Contains(css.body, "@font-face") {
		t.Fatalf("CSS body %q", css.body)
	}
	var found bool
	for _, reg := range h.ls() {
		if reg.Origin == "https://fonts.test" && len(reg.Versions) == 1 && reg.Versions[0].State == "activated" {
			found = true
		}
	}
	if !found {
		t.Fatalf("the Link header did not register an active fonts worker: %+v", h.ls())
	}
	before := fonts.hitCount("/fonts/roboto.woff2")
	if before != 1 {
		t.Errorf("install pre-cached the font with %d upstream hits, want 1", before)
	}

	// The provider goes down; the font still comes, from the worker's cache.
	fonts.down()
	r := h.run("fetch", "--client", "https://app.test/", "https://fonts.test/fonts/roboto.woff2")
	if r.code != 0 || servedByLine(r) != "foreign-fetch https://fonts.test/sw.js" || stderrLine(r, "response-type: ") != "cors" {
		t.Fatalf("font fetch\n%s", r)
	}
	resp := parseResponse(t, r)
	if resp.body != "ROBOTO-WOFF2" || resp.header.Get("content-type") != "font/woff2" || resp.header.Get("x-secret") != "" {
		t.Errorf("font response %+v", resp)
	}

	// The same worker answering without an origin gives an opaque response,
	// which a no-cors client sees as status 0, and a cors client as an error.
	r = h.run("fetch", "--client", "https://app.test/", "--mode", "no-cors", "https://fonts.test/fonts/roboto.woff2?opaque")
	if r.code != 0 || stderrLine(r, "response-type: ") != "opaque" || !strings.HasPrefix(r.stdout, "HTTP/1.1 0 \r\n\r\n") || strings.Contains(r.stdout, "ROBOTO") {
		t.Errorf("opaque font\n%s", r)
	}
	r = h.run("fetch", "--client", "https://app.test/", "https://fonts.test/fonts/roboto.woff2?opaque")
	if r.code != 1 || !strings.Contains(r.stderr, "swhost: TypeError: Failed to fetch\n") || !strings.Contains(r.stderr, "opaque response") {
		t.Errorf("opaque font to a cors request\n%s", r)
	}
}

// TestForeignFetchNotIntercepted checks the requests a foreign-fetch
// worker must never see.
func TestForeignFetchNotIntercepted(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	fonts := fontsOrigin(t)
	h := newHost(t, app, fonts)
	h.fetch("https://app.test/", "https://fonts.test/css", "network")

	// A page of the provider's own origin: same-origin, not intercepted.
	h.fetch("https://fonts.test/css", "https://fonts.test/fonts/roboto.woff2", "network")
	// A navigation to the font URL: not intercepted.
	h.fetch("https://fonts.test/fonts/roboto.woff2", "https://fonts.test/fonts/roboto.woff2", "network")
	// A request that would need a CORS preflight: not intercepted (and the
	// upstream does not allow the header, so the CORS check fails).
	r := h.run("fetch", "--client", "https://app.test/", "-H", "X-Custom: 1", "https://fonts.test/fonts/roboto.woff2")
	if servedByLine(r) != "network" || r.code != 1 || !strings.Contains(r.stderr, "preflight") {
		t.Errorf("preflight-needing request\n%s", r)
	}
	// An insecure client (plain http, not loopback): not intercepted.
	insecure := newUpstream(t, "http://plain.test", "app")
	h2 := newHost(t, app, fonts, insecure)
	h2.fetch("https://app.test/", "https://fonts.test/css", "network")
	h2.fetch("http://plain.test/", "https://fonts.test/fonts/roboto.woff2", "network")
}

// TestForeignFetchOriginsAllowList registers a worker that serves only
// https://app.test.
func TestForeignFetchOriginsAllowList(t *testing.T) {
	t.Parallel()
	app := newUpstream(t, "https://app.test", "app")
	other := newUpstream(t, "https://other.test", "app")
	fonts := fontsOrigin(t)
	fonts.put("/sw.js", resource{body: strings.Replace(fontsSW, "origins: ['*']", "origins: ['https://app.test']", 1), ctype: "text/javascript"})
	h := newHost(t, app, other, fonts)
	h.fetch("https://app.test/", "https://fonts.test/css", "network")
	h.fetch("https://app.test/", "https://fonts.test/fonts/roboto.woff2", "foreign-fetch https://fonts.test/sw.js")
	h.fetch("https://other.test/", "https://fonts.test/fonts/roboto.woff2", "network")
}
