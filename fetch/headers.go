package fetch

import "strings"

// The Fetch standard's rules on header names and values, defined once:
// the worker's Headers class (worker/js/10_headers.js) calls them through
// host functions, and Go code (CORS, the agent's preflight decision) calls
// them directly. Names may be given in any case.

// IsHeaderName reports whether name is a header name: an HTTP token
// (RFC 9110).
func IsHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			continue
		}
		if strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

// IsHeaderValue reports whether a normalized header value (see
// TrimHTTPWhitespace) is a header value: it contains no NUL, CR or LF.
func IsHeaderValue(value string) bool {
	return !strings.ContainsAny(value, "\x00\r\n")
}

// TrimHTTPWhitespace normalizes a header value: it removes leading and
// trailing HTTP whitespace (tab, LF, CR, space).
func TrimHTTPWhitespace(value string) string {
	return strings.Trim(value, "\t\n\r ")
}

// forbiddenRequestHeaderNames are the forbidden request-header names
// besides the Proxy- and Sec- prefixes and the method-override headers.
var forbiddenRequestHeaderNames = map[string]bool{
	"accept-charset": true, "accept-encoding": true, "access-control-request-headers": true,
	"access-control-request-method": true, "connection": true, "content-length": true, "cookie": true,
	"cookie2": true, "date": true, "dnt": true, "expect": true, "host": true, "keep-alive": true,
	"origin": true, "referer": true, "set-cookie": true, "te": true, "trailer": true,
	"transfer-encoding": true, "upgrade": true, "via": true,
}

// IsForbiddenRequestHeader reports whether a header is a forbidden
// request header, which scripts may not set: a forbidden name, a name
// starting with Proxy- or Sec-, or a method-override header
// (X-HTTP-Method, X-HTTP-Method-Override, X-Method-Override) one of whose
// comma-separated values is a forbidden method.
func IsForbiddenRequestHeader(name, value string) bool {
	lname := lowerASCII(name)
	if forbiddenRequestHeaderNames[lname] || strings.HasPrefix(lname, "proxy-") || strings.HasPrefix(lname, "sec-") {
		return true
	}
	switch lname {
	case "x-http-method", "x-http-method-override", "x-method-override":
		for _, m := range strings.Split(value, ",") {
			if IsForbiddenMethod(strings.Trim(m, " \t")) {
				return true
			}
		}
	}
	return false
}

// IsForbiddenMethod reports whether method is CONNECT, TRACE or TRACK, in
// any case: methods a request may not have.
func IsForbiddenMethod(method string) bool {
	switch lowerASCII(method) {
	case "connect", "trace", "track":
		return true
	}
	return false
}

// NormalizeMethod is the Fetch standard's "normalize" of a method: DELETE,
// GET, HEAD, OPTIONS, POST and PUT in any case become upper-case; other
// methods are kept as they are.
func NormalizeMethod(method string) string {
	switch u := upperASCII(method); u {
	case "DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT":
		return u
	}
	return method
}

// upperASCII upper-cases the ASCII letters of s.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

// IsForbiddenResponseHeaderName reports whether name is Set-Cookie or
// Set-Cookie2, which scripts may neither read nor set on responses.
func IsForbiddenResponseHeaderName(name string) bool {
	switch lowerASCII(name) {
	case "set-cookie", "set-cookie2":
		return true
	}
	return false
}

// IsNoCORSSafelistedRequestHeaderName reports whether name is one of the
// no-CORS-safelisted request-header names (Accept, Accept-Language,
// Content-Language, Content-Type): the headers a no-cors request's
// Headers keep, besides Range, which the guard treats apart.
func IsNoCORSSafelistedRequestHeaderName(name string) bool {
	switch lowerASCII(name) {
	case "accept", "accept-language", "content-language", "content-type":
		return true
	}
	return false
}

// lowerASCII lower-cases the ASCII letters of s, and only those (unlike
// strings.ToLower, which would make "\u212Aeep-alive" keep-alive). It
// returns s itself when s has no upper-case letter.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
