package trustworthy

import (
	"testing"

	"github.com/swhost/swhost/internal/weburl"
)

// TestURL follows the steps of Secure Contexts §3.1 and §3.2 in order, a
// few rows for each.
func TestURL(t *testing.T) {
	for _, c := range []struct {
		url  string
		want bool
		why  string
	}{
		// §3.2 step 1: about:blank and about:srcdoc.
		{"about:blank", true, "3.2.1"},
		{"about:srcdoc", true, "3.2.1"},
		{"about:config", false, "3.2.1: only blank and srcdoc"},
		{"about:blank?x", false, "3.2.1: the URL must be exactly about:blank"},
		// §3.2 step 2: data: URLs.
		{"data:text/plain,hi", true, "3.2.2"},
		// §3.1 step 1: opaque origins.
		{"urn:generic", false, "3.1.1: opaque origin"},
		{"swhost://app.test/", false, "3.1.1: a non-special scheme has an opaque origin"},
		{"blob:null/0bd4", false, "3.1.1: opaque blob origin"},
		// §3.1 step 3: https and wss.
		{"https://example.com/", true, "3.1.3"},
		{"wss://example.com/", true, "3.1.3"},
		{"HTTPS://EXAMPLE.COM:8443/x", true, "3.1.3"},
		{"blob:https://example.com/0bd4", true, "3.1.3 on the blob's origin"},
		{"http://example.com/", false, "3.1.9"},
		{"ws://example.com/", false, "3.1.9"},
		{"ftp://example.com/", false, "3.1.9"},
		// §3.1 step 4: 127.0.0.0/8 and ::1/128, as the URL parser reads them.
		{"http://127.0.0.1/", true, "3.1.4"},
		{"http://127.0.0.1:8080/", true, "3.1.4: the port does not matter"},
		{"http://127.255.255.254/", true, "3.1.4"},
		{"ws://127.0.0.1/", true, "3.1.4"},
		{"http://[::1]/", true, "3.1.4"},
		{"http://[0:0:0:0:0:0:0:1]:80/", true, "3.1.4: ::1 written long"},
		{"http://2130706433/", true, "3.1.4: decimal 127.0.0.1"},
		{"http://0177.0.0.1/", true, "3.1.4: octal 127.0.0.1"},
		{"http://0x7f.1/", true, "3.1.4: hexadecimal, short"},
		{"http://127.1/", true, "3.1.4: short 127.0.0.1"},
		{"http://%31%32%37.0.0.1/", true, "3.1.4: percent-encoded"},
		{"http://128.0.0.1/", false, "3.1.4: outside 127/8"},
		{"http://126.255.255.255/", false, "3.1.4: outside 127/8"},
		{"http://[::ffff:127.0.0.1]/", false, "3.1.4: an IPv4-mapped address is in neither CIDR block"},
		{"http://[::2]/", false, "3.1.4: only ::1/128"},
		{"http://0.0.0.0/", false, "3.1.4: unspecified is not loopback"},
		{"http://[::]/", false, "3.1.4: unspecified is not loopback"},
		{"http://127.evil.example/", false, "3.1.4: a domain starting with 127. is a domain"},
		{"http://127.0.0.1.evil.example/", false, "3.1.4: a domain"},
		{"http://10.0.0.1/", false, "3.1.9: private is not trustworthy"},
		// §3.1 step 5: localhost names.
		{"http://localhost/", true, "3.1.5"},
		{"http://localhost./", true, "3.1.5: with the root dot"},
		{"http://LOCALHOST:3000/", true, "3.1.5: hosts are lowercased"},
		{"http://app.localhost/", true, "3.1.5"},
		{"http://a.b.localhost./", true, "3.1.5"},
		{"http://localhost.localhost/", true, "3.1.5"},
		{"http://localhost.example/", false, "3.1.5: localhost is not the last label"},
		{"http://notlocalhost/", false, "3.1.5: the whole label"},
		{"http://localhost../", false, "3.1.5: one root dot only"},
		// §3.1 step 6: file.
		{"file:///etc/hosts", true, "3.1.6"},
	} {
		u, err := weburl.Parse(c.url)
		if err != nil {
			t.Fatalf("%s: %v", c.url, err)
		}
		if got := URL(u); got != c.want {
			t.Errorf("URL(%s) = %v, want %v (%s)", c.url, got, c.want, c.why)
		}
		if got := URLString(c.url); got != c.want {
			t.Errorf("URLString(%s) = %v, want %v", c.url, got, c.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	for _, c := range []struct {
		origin string
		want   bool
	}{
		{"https://app.test", true},
		{"wss://app.test", true},
		{"http://app.test", false},
		{"http://127.0.0.1:8080", true},
		{"http://[::1]:8080", true},
		{"http://localhost", true},
		{"http://sub.localhost:1", true},
		{"http://127.evil.example", false},
		{"http://[::ffff:7f00:1]", false},
		{"null", false},
		{"", false},
		{"not an origin", false},
	} {
		if got := Origin(c.origin); got != c.want {
			t.Errorf("Origin(%q) = %v, want %v", c.origin, got, c.want)
		}
	}
}
