// Package trustworthy is swhost's one secure-context rule: the W3C Secure
// Contexts algorithms "Is origin potentially trustworthy?" and "Is url
// potentially trustworthy?"
// (https://w3c.github.io/webappsec-secure-contexts/#is-origin-trustworthy).
//
// Every check in swhost uses it: who may register a service worker
// (registry), which clients a foreign-fetch worker may see (agent), and a
// worker's self.isSecureContext (worker, through the host boundary).
//
// Hosts are read the way the URL Standard parses them (internal/weburl), so
// "http://2130706433", "http://0177.0.0.1" and "http://127.1" are all
// 127.0.0.1 and trustworthy, while "http://127.evil.example" is a domain and
// is not. The "localhost" names are trustworthy because swhost follows "Let
// 'localhost' be localhost": its network step (internal/egress) resolves
// them to loopback itself and never asks DNS.
package trustworthy

import (
	"net/netip"
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// Origin reports whether the serialized origin ("https://a.test",
// "http://127.0.0.1:8080") is a potentially trustworthy origin. "null" and
// anything that does not parse as a tuple origin is not.
func Origin(origin string) bool {
	u, err := weburl.Parse(origin)
	if err != nil || u.Origin() == "null" {
		return false // step 1: an opaque origin
	}
	return tuple(u.Scheme(), u.Hostname())
}

// URL reports whether u is a potentially trustworthy URL: about:blank,
// about:srcdoc, a data: URL, a file: URL, or a URL whose origin is
// potentially trustworthy.
func URL(u *weburl.URL) bool {
	switch u.Scheme() {
	case "about":
		// Step 1: about:blank and about:srcdoc (without query or fragment
		// the URL is exactly that).
		p := u.Pathname()
		return (p == "blank" || p == "srcdoc") && u.Search() == "" && u.Hash() == ""
	case "data":
		return true // step 2
	case "file":
		// The URL Standard leaves a file: URL's origin opaque; Secure
		// Contexts step 6 says user agents should trust file: anyway.
		return true
	}
	o := u.Origin()
	if o == "null" {
		return false
	}
	ou, err := weburl.Parse(o)
	if err != nil {
		return false
	}
	return tuple(ou.Scheme(), ou.Hostname())
}

// URLString is URL for a URL string; one that does not parse is not
// trustworthy.
func URLString(s string) bool {
	u, err := weburl.Parse(s)
	return err == nil && URL(u)
}

// tuple runs steps 3 to 9 on a tuple origin's scheme and serialized host.
func tuple(scheme, host string) bool {
	// Step 3.
	if scheme == "https" || scheme == "wss" {
		return true
	}
	// Step 4: the host is in 127.0.0.0/8 or is ::1. An IPv4-mapped IPv6
	// host such as [::ffff:127.0.0.1] matches neither CIDR block.
	if IsLoopbackHost(host) {
		return true
	}
	// Step 5: swhost conforms to let-localhost-be-localhost.
	if IsLocalhostName(host) {
		return true
	}
	// Step 6 (file) cannot be reached with a tuple origin; steps 7 and 8
	// (authenticated schemes, configured origins): swhost has none.
	return false
}

// IsLoopbackHost reports whether a serialized URL host (as the URL parser
// writes it: dotted-decimal IPv4, bracketed IPv6) is an address in
// 127.0.0.0/8 or ::1.
func IsLoopbackHost(host string) bool {
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		a, err := netip.ParseAddr(host[1 : len(host)-1])
		return err == nil && a == netip.IPv6Loopback()
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Is4() && a.As4()[0] == 127
}

// IsLocalhostName reports whether a serialized URL host is "localhost",
// "localhost." or a name ending in ".localhost" or ".localhost." (the
// names that Let 'localhost' be localhost keeps on loopback). The host
// parser has already lowercased it.
func IsLocalhostName(host string) bool {
	host = strings.TrimSuffix(host, ".")
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}
