package fetch

import "testing"

func TestHeaderNameAndValue(t *testing.T) {
	for name, want := range map[string]bool{
		"Content-Type": true, "x-a!#$%&'*+-.^_`|~9": true,
		"": false, "a b": false, "a:b": false, "é": false, "a\x00": false, "(a)": false,
	} {
		if got := IsHeaderName(name); got != want {
			t.Errorf("IsHeaderName(%q) = %v", name, got)
		}
	}
	for value, want := range map[string]bool{"": true, "a b\tc": true, "a\rb": false, "a\nb": false, "a\x00": false} {
		if got := IsHeaderValue(value); got != want {
			t.Errorf("IsHeaderValue(%q) = %v", value, got)
		}
	}
	if got := TrimHTTPWhitespace(" \t\r\na b\n\v"); got != "a b\n\v" {
		t.Errorf("TrimHTTPWhitespace = %q", got)
	}
}

func TestForbiddenHeaders(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"Cookie", "a=b", true},
		{"accept-charset", "", true},
		{"Proxy-Authorization", "x", true},
		{"sec-fetch-mode", "cors", true},
		{"X-HTTP-Method-Override", "GET, trace", true},
		{"x-method-override", " track ", true},
		{"X-HTTP-Method", "GET,POST", false},
		{"Accept", "*/*", false},
		{"X-Custom", "CONNECT", false},
		{"\u212Aeep-alive", "", false}, // Kelvin sign: not ASCII, not keep-alive
	}
	for _, tt := range tests {
		if got := IsForbiddenRequestHeader(tt.name, tt.value); got != tt.want {
			t.Errorf("IsForbiddenRequestHeader(%q, %q) = %v", tt.name, tt.value, got)
		}
	}
	for m, want := range map[string]bool{"CONNECT": true, "trace": true, "Track": true, "GET": false, "TRAC\u212A": false} {
		if got := IsForbiddenMethod(m); got != want {
			t.Errorf("IsForbiddenMethod(%q) = %v", m, got)
		}
	}
	for n, want := range map[string]bool{"Set-Cookie": true, "set-cookie2": true, "Cookie": false, "\u017Fet-cookie": false} {
		if got := IsForbiddenResponseHeaderName(n); got != want {
			t.Errorf("IsForbiddenResponseHeaderName(%q) = %v", n, got)
		}
	}
	for n, want := range map[string]bool{"Accept": true, "accept-language": true, "Content-Language": true, "content-type": true, "Range": false, "X-A": false} {
		if got := IsNoCORSSafelistedRequestHeaderName(n); got != want {
			t.Errorf("IsNoCORSSafelistedRequestHeaderName(%q) = %v", n, got)
		}
	}
}

// TestCORSSafelistedSpecCases are the cases where the Go and JavaScript
// copies of the rule disagreed before there was one: the Fetch standard's
// answer.
func TestCORSSafelistedSpecCases(t *testing.T) {
	tests := []struct {
		name, value string
		want        bool
	}{
		{"Content-Type", "text/plain;garbage", true}, // invalid parameters do not count
		{"Content-Type", " TEXT/plain ; charset=x", true},
		{"Content-Type", "text/plain\u00a0", false},
		{"Range", "bytes=5-3", false}, // first > last
		{"Range", "bytes=3-3", true},
		{"Range", "bytes=0010-9", false},
		{"Range", "bytes=-", false},
		{"Range", "bytes=1-", true},
		{"Range", "bytes= 1-2", false},
		{"Range", "Bytes=1-2", false},
	}
	for _, tt := range tests {
		if got := IsCORSSafelistedRequestHeader(tt.name, tt.value); got != tt.want {
			t.Errorf("IsCORSSafelistedRequestHeader(%q, %q) = %v", tt.name, tt.value, got)
		}
	}
}
