package urlpattern

import (
	"strconv"
	"strings"

	"github.com/swhost/swhost/internal/weburl"
)

// This file holds the standard's encoding callbacks ("canonicalize a
// protocol" and so on). The standard defines most of them by running the
// URL parser with a state override on a dummy URL; they do the same through
// internal/weburl's setters, with fast paths for values that are already
// canonical.

// Dummy URLs for the setters, parsed once; callers copy them.
var (
	dummySpecial    = mustDummy("https://dummy.test")
	dummyNonSpecial = mustDummy("fake://dummy.test")
)

func mustDummy(s string) weburl.URL {
	u, err := weburl.Parse(s)
	if err != nil {
		return weburl.URL{}
	}
	return *u
}

func canonError(what, value string, err error) error {
	return &Error{Offset: -1, Reason: "invalid " + what + " " + quote(value), Err: err}
}

func quote(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strconv.Quote(s)
}

func removeTabNewline(s string) string {
	if strings.IndexAny(s, "\t\n\r") < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

// canonicalizeProtocol implements "canonicalize a protocol".
func canonicalizeProtocol(v string) (string, error) {
	if v == "" {
		return v, nil
	}
	if isCanonicalScheme(v) {
		return v, nil
	}
	u, err := weburl.Parse(v + "://dummy.test")
	if err != nil {
		return "", canonError("protocol", v, err)
	}
	return u.Scheme(), nil
}

func isCanonicalScheme(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		default:
			return false
		}
	}
	return true
}

// canonicalizeUsername implements "canonicalize a username".
func canonicalizeUsername(v string) string { return weburl.PercentEncode(v, weburl.Userinfo) }

// canonicalizePassword implements "canonicalize a password".
func canonicalizePassword(v string) string { return weburl.PercentEncode(v, weburl.Userinfo) }

// canonicalizeHostname implements "canonicalize a hostname". Like the
// browsers, it parses the host as the host of a special URL, so that
// domains go through IDNA ("café" becomes "xn--caf-dma").
func canonicalizeHostname(v string) (string, error) {
	if v == "" {
		return v, nil
	}
	if isSimpleHostname(v) {
		return v, nil
	}
	u := dummySpecial
	if err := u.SetHostname(v); err != nil {
		return "", canonError("hostname", v, err)
	}
	return u.Hostname(), nil
}

// isSimpleHostname reports whether v is lowercase ASCII letters, digits,
// '-' and '.', without anything that could be an IPv4 address or a
// punycode label: such a value canonicalizes to itself.
func isSimpleHostname(v string) bool {
	hasLetter := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z':
			hasLetter = true
		case c >= '0' && c <= '9', c == '-', c == '.':
		default:
			return false
		}
	}
	if !hasLetter || strings.Contains(v, "xn--") {
		return false
	}
	// The last label decides whether the host is parsed as IPv4.
	last := v
	if i := strings.LastIndexByte(strings.TrimSuffix(v, "."), '.'); i >= 0 {
		last = v[i+1:]
	}
	last = strings.TrimSuffix(last, ".")
	for i := 0; i < len(last); i++ {
		if last[i] < '0' || last[i] > '9' {
			return last != "" && !(len(last) > 1 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X'))
		}
	}
	return false
}

// canonicalizeIPv6Hostname implements "canonicalize an IPv6 hostname".
func canonicalizeIPv6Hostname(v string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f', c == '[', c == ']', c == ':':
			b.WriteByte(c)
		case c >= 'A' && c <= 'F':
			b.WriteByte(c + 'a' - 'A')
		default:
			return "", &Error{Offset: i, Input: v, Component: "hostname", Reason: "invalid character in IPv6 hostname"}
		}
	}
	return b.String(), nil
}

// canonicalizePort implements "canonicalize a port"; protocol may be "".
func canonicalizePort(v, protocol string) (string, error) {
	if v == "" {
		return v, nil
	}
	if len(v) <= 5 && isDigits(v) {
		n, _ := strconv.Atoi(v)
		if n > 65535 {
			return "", canonError("port", v, nil)
		}
		s := strconv.Itoa(n)
		if protocol != "" && weburl.DefaultPort(protocol) == s {
			return "", nil
		}
		return s, nil
	}
	if c := v[0]; c < '0' || c > '9' {
		// The port state needs at least one digit.
		return "", canonError("port", v, nil)
	}
	u := dummyNonSpecial
	if weburl.IsSpecialScheme(protocol) && protocol != "file" {
		u = dummySpecial
		if err := u.SetProtocol(protocol); err != nil {
			return "", canonError("port", v, err)
		}
	}
	if err := u.SetPort(v); err != nil {
		return "", canonError("port", v, err)
	}
	return u.Port(), nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// canonicalizePathname implements "canonicalize a pathname".
func canonicalizePathname(v string) (string, error) {
	if v == "" {
		return v, nil
	}
	if isSimplePath(v) {
		return v, nil
	}
	leadingSlash := v[0] == '/'
	modified := v
	if !leadingSlash {
		modified = "/-" + v
	}
	u := dummyNonSpecial
	if err := u.SetPathname(modified); err != nil {
		return "", canonError("pathname", v, err)
	}
	res := u.Pathname()
	if !leadingSlash {
		if len(res) < 2 {
			return "", canonError("pathname", v, nil)
		}
		res = res[2:]
	}
	return res, nil
}

// isSimplePath reports whether v is made of characters the path
// percent-encode set leaves alone and has no "." or ".." segment.
func isSimplePath(v string) bool {
	segStart := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == '/' {
			seg := v[segStart:i]
			if seg == "." || seg == ".." {
				return false
			}
			segStart = i + 1
			continue
		}
		c := v[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// canonicalizeOpaquePathname implements "canonicalize an opaque pathname":
// the URL parser's opaque path state, which stops at '?' or '#'.
func canonicalizeOpaquePathname(v string) (string, error) {
	if v == "" {
		return v, nil
	}
	v = removeTabNewline(v)
	end := strings.IndexAny(v, "?#")
	rest := ""
	if end >= 0 {
		rest = v[end:]
		v = v[:end]
	}
	enc := weburl.PercentEncode(v, weburl.C0Control)
	if rest != "" && strings.HasSuffix(enc, " ") {
		enc = enc[:len(enc)-1] + "%20"
	}
	return enc, nil
}

// canonicalizeSearch implements "canonicalize a search": the query state
// of a non-special dummy URL.
func canonicalizeSearch(v string) (string, error) {
	if v == "" {
		return v, nil
	}
	return weburl.PercentEncode(removeTabNewline(v), weburl.Query), nil
}

// canonicalizeHash implements "canonicalize a hash".
func canonicalizeHash(v string) (string, error) {
	if v == "" {
		return v, nil
	}
	return weburl.PercentEncode(removeTabNewline(v), weburl.Fragment), nil
}
