// Package weburl implements the WHATWG URL Standard: the basic URL parser,
// host parsing (domains through IDNA, IPv4, IPv6, opaque hosts), the URL
// serializer, origins, the setters of the URL API and the
// application/x-www-form-urlencoded format. It follows the standard as of
// 2025, including the '^' in the path percent-encode set (whatwg/url#846)
// and the encoding of a space before '?' or '#' in opaque paths
// (whatwg/url#844).
//
// A [URL] keeps its serialization (href) as one string plus the offsets of
// its components, so every getter returns a substring without allocating.
// Parsing is tiered: input already in serialized form (the common case) is
// checked in one scan and becomes the href as is, so the URL value is the
// only allocation; common non-canonical special URLs and relative
// references are rewritten in one pass (two allocations); everything else
// runs a direct implementation of the standard's state machine. The tiers
// are tested against each other and against the WPT data.
//
// Strings are taken as UTF-8. Invalid UTF-8 in an input is first replaced
// by U+FFFD, as converting a JavaScript string to a USVString would (an
// encoded lone surrogate becomes one U+FFFD).
//
// Errors returned by this package name what is wrong and carry the web
// exception name "TypeError" (see package weberr).
package weburl

import (
	"strconv"
	"unicode/utf8"

	"github.com/swhost/swhost/weberr"
)

// URL is a parsed URL record, held in serialized form. Obtain one from
// [Parse] or [ParseRef]; the zero value is not a URL (its getters return ""
// and its setters fail). A URL may be read from
// several goroutines; the setters must not run concurrently with anything
// else on the same URL. Copying a URL value (u2 := *u) gives an independent
// URL.
type URL struct {
	href string

	// Offsets into href. With a host, href is
	//   scheme ":" "//" [username [":" password] "@"] host [":" port] path ["?" query] ["#" fragment]
	// and without one
	//   scheme ":" ["/."] path ["?" query] ["#" fragment].
	schemeEnd  int32 // index of the ':' ending the scheme
	userEnd    int32 // end of the username
	passEnd    int32 // end of the password (== userEnd when there is none)
	hostStart  int32 // start of the serialized host
	hostEnd    int32 // end of the serialized host
	pathStart  int32 // start of the path
	queryStart int32 // index of '?', or -1 when the query is null
	fragStart  int32 // index of '#', or -1 when the fragment is null
	port       int32 // port number, or -1 when null
	flags      uint8
}

const (
	flagSpecial uint8 = 1 << iota
	flagHasHost
	flagOpaquePath
)

// Href returns the serialization of the URL.
func (u *URL) Href() string { return u.href }

// HrefWithoutFragment returns the serialization with the fragment excluded
// (the URL serializer's "exclude fragment"), as used to compare request URLs.
func (u *URL) HrefWithoutFragment() string {
	if u.fragStart < 0 || u.href == "" {
		return u.href
	}
	return u.href[:u.fragStart]
}

// String returns the serialization of the URL, like Href.
func (u *URL) String() string { return u.href }

// Scheme returns the URL's scheme, without the trailing ':'.
func (u *URL) Scheme() string { return u.href[:u.schemeEnd] }

// Protocol returns the scheme followed by ':', as URL.protocol does.
func (u *URL) Protocol() string {
	if u.href == "" {
		return ""
	}
	return u.href[:u.schemeEnd+1]
}

// IsSpecial reports whether the URL's scheme is special (ftp, file, http,
// https, ws or wss).
func (u *URL) IsSpecial() bool { return u.flags&flagSpecial != 0 }

// HasOpaquePath reports whether the URL has an opaque path (such as
// "mailto:x" or "data:,x") rather than a list of segments.
func (u *URL) HasOpaquePath() bool { return u.flags&flagOpaquePath != 0 }

// HasHost reports whether the URL's host is non-null. An empty host (as in
// "file:///x") is non-null.
func (u *URL) HasHost() bool { return u.flags&flagHasHost != 0 }

// Username returns the percent-encoded username, or "".
func (u *URL) Username() string {
	if u.flags&flagHasHost == 0 {
		return ""
	}
	return u.href[u.schemeEnd+3 : u.userEnd]
}

// Password returns the percent-encoded password, or "".
func (u *URL) Password() string {
	if u.passEnd == u.userEnd {
		return ""
	}
	return u.href[u.userEnd+1 : u.passEnd]
}

// Hostname returns the serialized host (IPv6 addresses in brackets), or ""
// when the host is null or empty.
func (u *URL) Hostname() string { return u.href[u.hostStart:u.hostEnd] }

// Host returns the serialized host followed by ":" and the port when the
// port is non-null, as URL.host does.
func (u *URL) Host() string {
	if u.port < 0 {
		return u.href[u.hostStart:u.hostEnd]
	}
	return u.href[u.hostStart:u.pathStart]
}

// Port returns the port as a decimal string, or "" when it is null (which
// includes the scheme's default port).
func (u *URL) Port() string {
	if u.port < 0 || u.href == "" {
		return ""
	}
	return u.href[u.hostEnd+1 : u.pathStart]
}

// PortNumber returns the port, or -1 when it is null.
func (u *URL) PortNumber() int { return int(u.port) }

func (u *URL) pathEnd() int32 {
	if u.queryStart >= 0 {
		return u.queryStart
	}
	if u.fragStart >= 0 {
		return u.fragStart
	}
	return int32(len(u.href))
}

// Pathname returns the serialized path: the opaque path, or "/" followed by
// the segments joined with "/" (or "" for an empty path list).
func (u *URL) Pathname() string { return u.href[u.pathStart:u.pathEnd()] }

// Query returns the query without the leading '?' and whether it is non-null.
func (u *URL) Query() (string, bool) {
	if u.queryStart < 0 || u.href == "" {
		return "", false
	}
	end := int32(len(u.href))
	if u.fragStart >= 0 {
		end = u.fragStart
	}
	return u.href[u.queryStart+1 : end], true
}

// Search returns "?" followed by the query, or "" when the query is null or
// empty, as URL.search does.
func (u *URL) Search() string {
	if u.queryStart < 0 || u.href == "" {
		return ""
	}
	end := int32(len(u.href))
	if u.fragStart >= 0 {
		end = u.fragStart
	}
	if end == u.queryStart+1 {
		return ""
	}
	return u.href[u.queryStart:end]
}

// Fragment returns the fragment without the leading '#' and whether it is
// non-null.
func (u *URL) Fragment() (string, bool) {
	if u.fragStart < 0 || u.href == "" {
		return "", false
	}
	return u.href[u.fragStart+1:], true
}

// Hash returns "#" followed by the fragment, or "" when the fragment is null
// or empty, as URL.hash does.
func (u *URL) Hash() string {
	if u.fragStart < 0 || int(u.fragStart)+1 >= len(u.href) {
		return ""
	}
	return u.href[u.fragStart:]
}

// Origin returns the ASCII serialization of the URL's origin: for http,
// https, ws, wss and ftp URLs "scheme://host[:port]"; for blob URLs the origin
// of the URL in their path when that is an http or https URL; "null" (an
// opaque origin) otherwise.
func (u *URL) Origin() string {
	switch u.Scheme() {
	case "http", "https", "ws", "wss", "ftp":
		if u.passEnd == u.schemeEnd+3 && u.hostStart == u.schemeEnd+3 {
			// No credentials: the origin is a prefix of href.
			end := u.hostEnd
			if u.port >= 0 {
				end = u.pathStart
			}
			return u.href[:end]
		}
		return u.href[:u.schemeEnd+3] + u.Host()
	case "blob":
		inner, err := Parse(u.Pathname())
		if err == nil {
			switch inner.Scheme() {
			case "http", "https":
				return inner.Origin()
			}
		}
	}
	return "null"
}

// IsSpecialScheme reports whether scheme (lowercase, without ':') is one of
// the standard's special schemes: ftp, file, http, https, ws, wss.
func IsSpecialScheme(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp", "file":
		return true
	}
	return false
}

// DefaultPort returns the default port of a special scheme ("443" for
// "https"), or "" when the scheme has none.
func DefaultPort(scheme string) string {
	switch scheme {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	case "ftp":
		return "21"
	}
	return ""
}

func defaultPortNumber(scheme string) int {
	switch scheme {
	case "http", "ws":
		return 80
	case "https", "wss":
		return 443
	case "ftp":
		return 21
	}
	return -1
}

// urlError returns the TypeError for an input that fails to parse.
func urlError(input, reason string) error {
	return weberr.Errorf(weberr.TypeError, "invalid URL %q: %s", clip(input), reason)
}

// clip shortens long inputs in error messages.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// toValidUTF8 converts s to a valid UTF-8 string the way a string arriving
// from JavaScript becomes a USVString: an encoded surrogate code point
// (WTF-8, bytes ED A0..BF 80..BF) becomes one U+FFFD, and other invalid
// bytes are replaced as the Encoding Standard's UTF-8 decoder does.
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return decodeUTF8(s, true)
}

// utf8Decode is the Encoding Standard's "UTF-8 decode without BOM" of the
// bytes of s (each maximal invalid subpart becomes one U+FFFD).
func utf8Decode(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return decodeUTF8(s, false)
}

// decodeUTF8 implements the Encoding Standard's UTF-8 decoder with
// replacement; with surrogates, an encoded surrogate is one replacement.
func decodeUTF8(s string, surrogates bool) string {
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if _, n := utf8.DecodeRuneInString(s[i:]); n > 1 {
			b = append(b, s[i:i+n]...)
			i += n
			continue
		}
		if surrogates && c == 0xED && i+2 < len(s) && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
			b = append(b, "\uFFFD"...)
			i += 3
			continue
		}
		// An invalid sequence: skip the lead byte and the continuation
		// bytes that are valid after it (the maximal subpart).
		need, lo, hi := 0, byte(0x80), byte(0xBF)
		switch {
		case c >= 0xC2 && c <= 0xDF:
			need = 1
		case c >= 0xE0 && c <= 0xEF:
			need = 2
			if c == 0xE0 {
				lo = 0xA0
			} else if c == 0xED {
				hi = 0x9F
			}
		case c >= 0xF0 && c <= 0xF4:
			need = 3
			if c == 0xF0 {
				lo = 0x90
			} else if c == 0xF4 {
				hi = 0x8F
			}
		}
		i++
		for k := 0; k < need && i < len(s) && s[i] >= lo && s[i] <= hi; k++ {
			i++
			lo, hi = 0x80, 0xBF
		}
		b = append(b, "\uFFFD"...)
	}
	return string(b)
}

// serialize builds the URL value of a record.
func (r *record) serialize() *URL {
	var stack [256]byte
	b := stack[:0]
	u := &URL{port: int32(r.port), queryStart: -1, fragStart: -1}
	if IsSpecialScheme(r.scheme) {
		u.flags |= flagSpecial
	}
	b = append(b, r.scheme...)
	u.schemeEnd = int32(len(b))
	b = append(b, ':')
	if r.hasHost {
		u.flags |= flagHasHost
		b = append(b, "//"...)
		if r.username != "" || r.password != "" {
			b = append(b, r.username...)
			u.userEnd = int32(len(b))
			if r.password != "" {
				b = append(b, ':')
				b = append(b, r.password...)
			}
			u.passEnd = int32(len(b))
			b = append(b, '@')
		} else {
			u.userEnd = int32(len(b))
			u.passEnd = u.userEnd
		}
		u.hostStart = int32(len(b))
		b = append(b, r.host...)
		u.hostEnd = int32(len(b))
		if r.port >= 0 {
			b = append(b, ':')
			b = strconv.AppendInt(b, int64(r.port), 10)
		}
	} else {
		u.userEnd, u.passEnd, u.hostStart, u.hostEnd = u.schemeEnd+1, u.schemeEnd+1, u.schemeEnd+1, u.schemeEnd+1
		u.port = -1
		if !r.opaque && len(r.path) > 1 && r.path[1] == '/' {
			b = append(b, "/."...)
		}
	}
	u.pathStart = int32(len(b))
	if r.opaque {
		u.flags |= flagOpaquePath
		b = append(b, r.opaquePath...)
	} else {
		b = append(b, r.path...)
	}
	if r.hasQuery {
		u.queryStart = int32(len(b))
		b = append(b, '?')
		b = append(b, r.query...)
	}
	if r.hasFrag {
		u.fragStart = int32(len(b))
		b = append(b, '#')
		b = append(b, r.fragment...)
	}
	u.href = string(b)
	return u
}

// record returns the URL record of u, for the general parser and setters.
func (u *URL) record() *record {
	r := &record{
		scheme:  u.Scheme(),
		port:    int(u.port),
		hasHost: u.flags&flagHasHost != 0,
		opaque:  u.flags&flagOpaquePath != 0,
	}
	if r.hasHost {
		r.username = u.Username()
		r.password = u.Password()
		r.host = u.Hostname()
	} else {
		r.port = -1
	}
	p := u.Pathname()
	if r.opaque {
		r.opaquePath = p
	} else {
		r.path = []byte(p)
	}
	r.query, r.hasQuery = u.Query()
	r.fragment, r.hasFrag = u.Fragment()
	return r
}
