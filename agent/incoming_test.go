package agent

import (
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
