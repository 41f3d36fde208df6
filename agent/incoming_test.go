package agent

import (
	"github.com/swhost/swhost/internal/weburl"
	"net/http"
	"testing"
)

// The client and navigation rules of FetchIncoming, from the headers a
// request arrived with.
func TestIncomingClientAndNavigation(t *testing.T) {
	for _, c := range []struct {
		method     string
		header     http.Header
		client     string
		navigation bool
	}{
		{"GET", http.Header{"Accept": {"text/html"}}, "", true},
		{"POST", http.Header{"Accept": {"text/html"}}, "", false},
		{"GET", http.Header{"Accept": {"text/html"}, "Referer": {"https://app.test/a"}}, "https://app.test/a", false},
		{"GET", http.Header{"Sec-Fetch-Mode": {"navigate"}, "Referer": {"https://app.test/a"}}, "https://app.test/a", true},
		{"GET", http.Header{"Sec-Fetch-Mode": {"cors"}, "Accept": {"text/html"}}, "", false},
		{"GET", http.Header{ClientHeader: {"https://app.test/p"}, "Referer": {"https://app.test/a"}}, "https://app.test/p", false},
		{"GET", http.Header{"Origin": {"https://other.test"}}, "https://other.test/", false},
		{"GET", http.Header{"Origin": {"null"}, "Accept": {"text/html"}}, "", true},
	} {
		client := incomingClient(c.header)
		nav := isIncomingNavigation(c.method, c.header, c.header.Get("Sec-Fetch-Mode"), client)
		if client != c.client || nav != c.navigation {
			t.Errorf("%s %v: client %q, navigation %v; want %q, %v", c.method, c.header, client, nav, c.client, c.navigation)
		}
	}
}

// rootByParse is rootOf's definition: the origin of the parsed URL, "/".
func rootByParse(rawURL string) (string, bool) {
	u, err := weburl.Parse(rawURL)
	if err != nil {
		return "", false
	}
	return u.Origin() + "/", true
}

// TestRootOf checks that rootOf's cut names the same page as the parsed
// origin once canonicalized (as ClientForURL does), for URLs it cuts and
// for those it parses, and no URL for a string that is not one.
func TestRootOf(t *testing.T) {
	for _, raw := range []string{
		"https://app.test/x", "https://app.test", "http://app.test:8080/a?b#c", "https://APP.test:443/x",
		"https://app.test?q", "https://app.test#f", "https://user:pw@app.test/x", "https:///app.test/x",
		`https://app.test\x`, "https://ex%41mple.test/", "HTTPS://app.test/x", "wss://app.test/x", "file:///tmp/x",
		"https://[::1]:8443/x", "https://127.0.0.1/x", "https://xn--nxasmq6b.test/",
	} {
		checkRootOf(t, raw)
	}
}

func checkRootOf(t *testing.T, raw string) {
	t.Helper()
	want, ok := rootByParse(raw)
	got := rootOf(raw)
	if !ok {
		// Not a URL: neither is what rootOf gives (ClientForURL refuses it).
		if _, err := weburl.Parse(got); err == nil {
			t.Errorf("rootOf(%q) = %q, a URL, for a string that is not one", raw, got)
		}
		return
	}
	if got == want {
		return
	}
	u, err := weburl.Parse(got)
	if err != nil || u.HrefWithoutFragment() != want {
		t.Errorf("rootOf(%q) = %q, which canonicalizes to %v (%v); want %q", raw, got, u, err, want)
	}
}

// FuzzRootOf is TestRootOf on any input.
func FuzzRootOf(f *testing.F) {
	for _, s := range []string{"https://app.test/x", "http://a:1/", "https://a@b/", "https://%41/", "https://a\t/b"} {
		f.Add(s)
	}
	f.Fuzz(checkRootOf)
}
