package fetch

import (
	"net/http"
	"strings"
)

// IsCORSSafelistedRequestHeader reports whether a request header is
// CORS-safelisted (Fetch standard): a request with only such headers, and a
// safelisted method, needs no CORS preflight, and a no-cors request's
// Headers keep only these. The value is the normalized one; the name may
// be in any case.
func IsCORSSafelistedRequestHeader(name, value string) bool {
	if len(value) > 128 {
		return false
	}
	switch lowerASCII(name) {
	case "accept":
		return !hasUnsafeRequestByte(value)
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			c := value[i]
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || strings.IndexByte(" *,-.;=", c) >= 0) {
				return false
			}
		}
		return true
	case "content-type":
		if hasUnsafeRequestByte(value) {
			return false
		}
		// The essence of the MIME type (parameters, valid or not, do
		// not count).
		essence, _, _ := strings.Cut(value, ";")
		switch lowerASCII(TrimHTTPWhitespace(essence)) {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
			return true
		}
		return false
	case "range":
		// A single range with a first position (bytes=-500 is not
		// safelisted), no whitespace, first <= last.
		v, ok := strings.CutPrefix(value, "bytes=")
		if !ok {
			return false
		}
		start, end, ok := strings.Cut(v, "-")
		return ok && isDigits(start) && (end == "" || isDigits(end) && !decimalLess(end, start))
	}
	return false
}

// decimalLess reports whether the decimal number a is less than b; both
// are strings of digits, of any length.
func decimalLess(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// hasUnsafeRequestByte reports a CORS-unsafe request-header byte: C0
// controls other than tab, and `"():<>?@[\]{}` and DEL.
func hasUnsafeRequestByte(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if (c < 0x20 && c != '\t') || c == 0x7f || strings.IndexByte(`"():<>?@[\]{}`, c) >= 0 {
			return true
		}
	}
	return false
}

// IsCORSSafelistedMethod reports whether method is GET, HEAD or POST.
func IsCORSSafelistedMethod(method string) bool {
	return method == "" || method == http.MethodGet || method == http.MethodHead || method == http.MethodPost
}

// NeedsPreflight reports whether a cors-mode request would need a CORS
// preflight: a method other than GET, HEAD and POST, or any header that is
// not CORS-safelisted.
func (r *Request) NeedsPreflight() bool {
	if !IsCORSSafelistedMethod(r.Method) {
		return true
	}
	total := 0
	for name, values := range r.Header {
		for _, v := range values {
			if !IsCORSSafelistedRequestHeader(name, v) {
				return true
			}
			total += len(v)
		}
	}
	return total > 1024
}

// IsCORSSafelistedResponseHeader reports whether a response header is
// exposed to a cross-origin reader of a CORS response without
// Access-Control-Expose-Headers.
func IsCORSSafelistedResponseHeader(name string) bool {
	switch strings.ToLower(name) {
	case "cache-control", "content-language", "content-length", "content-type", "expires", "last-modified", "pragma":
		return true
	}
	return false
}

// FilterCORS returns a CORS-filtered copy of r: type "cors", and only the
// CORS-safelisted response headers plus those named in exposed (compared
// case-insensitively; "*" exposes every header but Set-Cookie when
// allowStar is true). Set-Cookie and Set-Cookie2 are never exposed.
func (r *Response) FilterCORS(exposed []string, allowStar bool) *Response {
	c := r.Clone()
	c.Type = TypeCORS
	allow := map[string]bool{}
	star := false
	for _, h := range exposed {
		h = strings.TrimSpace(h)
		if h == "*" && allowStar {
			star = true
		}
		allow[strings.ToLower(h)] = true
	}
	c.Header = http.Header{}
	for k, vs := range r.Header {
		lk := strings.ToLower(k)
		if lk == "set-cookie" || lk == "set-cookie2" {
			continue
		}
		if star || allow[lk] || IsCORSSafelistedResponseHeader(k) {
			c.Header[k] = append([]string(nil), vs...)
		}
	}
	return c
}

// Opaque returns the opaque filtered response a no-cors cross-origin reader
// sees: type "opaque", status 0, no headers, no body. A Stream of r is
// closed: no reader may see it.
func (r *Response) Opaque() *Response {
	r.CloseBody()
	return &Response{Type: TypeOpaque, Header: http.Header{}}
}

// FilterBasic returns a copy of r of type "basic" without Set-Cookie
// headers, as same-origin readers see it.
func (r *Response) FilterBasic() *Response {
	c := r.Clone()
	c.Type = TypeBasic
	c.Header.Del("Set-Cookie")
	c.Header.Del("Set-Cookie2")
	return c
}
