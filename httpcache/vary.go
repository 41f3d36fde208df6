package httpcache

import (
	"net/http"
	"strings"
)

// varyNames calls fn with the canonical name of each field listed by the
// Vary header of h, and reports false when one of them is "*".
func varyNames(h http.Header, fn func(name string) bool) bool {
	for _, line := range h["Vary"] {
		for member := range strings.SplitSeq(line, ",") {
			member = trimOWS(member)
			if member == "" {
				continue
			}
			if member == "*" {
				return false
			}
			if !fn(http.CanonicalHeaderKey(member)) {
				return true
			}
		}
	}
	return true
}

// varyStar reports whether h's Vary contains "*", which never matches.
func varyStar(h http.Header) bool {
	return !varyNames(h, func(string) bool { return true })
}

// varyValues returns the request's values of the fields the response's
// Vary names, to store with the response.
func varyValues(resp, req http.Header) []varyValue {
	var out []varyValue
	varyNames(resp, func(name string) bool {
		for _, v := range out {
			if v.name == name {
				return true
			}
		}
		value, present := selectingValue(req, name)
		out = append(out, varyValue{name: name, value: value, present: present})
		return true
	})
	return out
}

// varyMatches reports whether req's selecting header fields match those
// stored with e (RFC 9111 §4.1). A field the stored Vary names but whose
// value was not recorded (a 304 added it) does not match.
func varyMatches(e *entry, req http.Header) bool {
	if len(e.resp.Header["Vary"]) == 0 {
		return true
	}
	ok := true
	star := !varyNames(e.resp.Header, func(name string) bool {
		for _, v := range e.vary {
			if v.name == name {
				value, present := selectingValue(req, name)
				ok = present == v.present && value == v.value
				return ok
			}
		}
		ok = false
		return false
	})
	return ok && !star
}

// selectingValue returns a request header field's value normalized for
// Vary matching: field lines combined, and whitespace around list members
// removed.
func selectingValue(h http.Header, name string) (string, bool) {
	vs, present := h[name]
	if !present {
		return "", false
	}
	if len(vs) == 1 && !strings.ContainsAny(vs[0], ", \t") {
		return vs[0], true
	}
	var b strings.Builder
	for _, line := range vs {
		for member := range strings.SplitSeq(line, ",") {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			b.WriteString(trimOWS(member))
		}
	}
	return b.String(), true
}
