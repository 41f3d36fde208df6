package httpcache

import (
	"strconv"
	"strings"
)

// maxDelta is the value a delta-seconds that overflows is taken as
// (RFC 9111 §1.2.2: 2^31).
const maxDelta = 1 << 31

// Directive flags.
const (
	ccNoCache uint32 = 1 << iota
	ccNoStore
	ccMustRevalidate
	ccProxyRevalidate
	ccPublic
	ccPrivate
	ccOnlyIfCached
	ccMustUnderstand
	ccNoTransform
	ccImmutable
	ccMaxStaleAny     // max-stale without a value
	ccMaxAgeInvalid   // max-age with a bad value or given twice
	ccSMaxAgeInvalid  // s-maxage with a bad value or given twice
	ccMaxStaleInvalid // max-stale with a bad value or given twice
	ccMinFreshInvalid // min-fresh with a bad value or given twice
)

// directives holds the Cache-Control directives a cache acts on (RFC 9111
// §5.2), from a request or a response. Numeric directives are in seconds
// and -1 when absent; an invalid or repeated one is absent with its
// ...Invalid flag set.
type directives struct {
	flags    uint32
	maxAge   int64
	sMaxAge  int64
	maxStale int64
	minFresh int64
}

func (d *directives) has(f uint32) bool { return d.flags&f != 0 }

// parseDirectives parses the Cache-Control field lines of a message. It
// never fails: following RFC 9111 §5.2.3, unknown directives are ignored,
// and so is every malformed list member (a member that is not
// token [ "=" ( token / quoted-string ) ] surrounded by optional
// whitespace, such as "public; max-age=30" or "max-age =5"), so that one
// bad member does not hide the others. Directive names are
// case-insensitive; arguments may be tokens or quoted strings. It does not
// allocate.
func parseDirectives(lines []string) directives {
	d := directives{maxAge: -1, sMaxAge: -1, maxStale: -1, minFresh: -1}
	for _, line := range lines {
		for i := 0; i <= len(line); {
			name, value, quoted, next, ok := nextMember(line, i)
			i = next
			if ok && name != "" {
				d.apply(name, value, quoted)
			}
		}
	}
	return d
}

// nextMember scans the list member of s starting at i and returns its
// name and argument (still escaped when quoted), whether it is well
// formed, and the index just past the comma that ends it (len(s)+1 at the
// end of s).
func nextMember(s string, i int) (name, value string, quoted bool, next int, ok bool) {
	for i < len(s) && isOWS(s[i]) {
		i++
	}
	start := i
	for i < len(s) && isTokenChar(s[i]) {
		i++
	}
	name = s[start:i]
	ok = true
	if i < len(s) && s[i] == '=' {
		i++
		if i < len(s) && s[i] == '"' {
			quoted = true
			i++
			vs := i
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					i += 2
					continue
				}
				if c == '"' {
					closed = true
					break
				}
				i++
			}
			if !closed {
				return "", "", false, len(s) + 1, false
			}
			value = s[vs:i]
			i++ // closing quote
		} else {
			vs := i
			for i < len(s) && isTokenChar(s[i]) {
				i++
			}
			value = s[vs:i]
			if value == "" {
				ok = false
			}
		}
	}
	for i < len(s) && isOWS(s[i]) {
		i++
	}
	if i < len(s) && s[i] != ',' {
		// Garbage after the member: skip to the next comma outside quotes.
		ok = false
		inQuote := false
		for i < len(s) {
			c := s[i]
			switch {
			case inQuote && c == '\\':
				i++
			case c == '"':
				inQuote = !inQuote
			case c == ',' && !inQuote:
				return name, value, quoted, i + 1, false
			}
			i++
		}
		return name, value, quoted, len(s) + 1, false
	}
	return name, value, quoted, i + 1, ok
}

// apply records one well-formed directive.
func (d *directives) apply(name, value string, quoted bool) {
	switch {
	case strings.EqualFold(name, "max-age"):
		d.maxAge = d.setDelta(d.maxAge, value, quoted, ccMaxAgeInvalid)
	case strings.EqualFold(name, "s-maxage"):
		d.sMaxAge = d.setDelta(d.sMaxAge, value, quoted, ccSMaxAgeInvalid)
	case strings.EqualFold(name, "min-fresh"):
		d.minFresh = d.setDelta(d.minFresh, value, quoted, ccMinFreshInvalid)
	case strings.EqualFold(name, "max-stale"):
		if value == "" && !quoted {
			d.flags |= ccMaxStaleAny
			return
		}
		d.maxStale = d.setDelta(d.maxStale, value, quoted, ccMaxStaleInvalid)
	case strings.EqualFold(name, "no-cache"):
		// The qualified form (no-cache="Set-Cookie") is treated as the
		// unqualified one, as RFC 9111 §5.2.2.4 notes most caches do.
		d.flags |= ccNoCache
	case strings.EqualFold(name, "no-store"):
		d.flags |= ccNoStore
	case strings.EqualFold(name, "must-revalidate"):
		d.flags |= ccMustRevalidate
	case strings.EqualFold(name, "proxy-revalidate"):
		d.flags |= ccProxyRevalidate
	case strings.EqualFold(name, "public"):
		d.flags |= ccPublic
	case strings.EqualFold(name, "private"):
		d.flags |= ccPrivate
	case strings.EqualFold(name, "only-if-cached"):
		d.flags |= ccOnlyIfCached
	case strings.EqualFold(name, "must-understand"):
		d.flags |= ccMustUnderstand
	case strings.EqualFold(name, "no-transform"):
		d.flags |= ccNoTransform
	case strings.EqualFold(name, "immutable"):
		d.flags |= ccImmutable
	}
}

// setDelta parses a delta-seconds argument for a directive whose current
// value is cur. A missing, malformed or repeated argument makes the
// directive invalid.
func (d *directives) setDelta(cur int64, value string, quoted bool, invalid uint32) int64 {
	if d.flags&invalid != 0 {
		return -1
	}
	if cur >= 0 {
		d.flags |= invalid
		return -1
	}
	n, ok := parseDelta(value, quoted)
	if !ok {
		d.flags |= invalid
		return -1
	}
	return n
}

// parseDelta parses delta-seconds (1*DIGIT), unescaping a quoted form;
// values past 2^31 are 2^31.
func parseDelta(s string, quoted bool) (int64, bool) {
	var n int64
	digits := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quoted && c == '\\' && i+1 < len(s) {
			i++
			c = s[i]
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		digits++
		if n < maxDelta {
			n = n*10 + int64(c-'0')
		}
	}
	if digits == 0 {
		return 0, false
	}
	return min(n, maxDelta), true
}

// String formats d as a canonical Cache-Control value (for tests and
// logs).
func (d directives) String() string {
	var b strings.Builder
	add := func(s string) {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(s)
	}
	num := func(name string, v int64, invalid uint32) {
		switch {
		case d.has(invalid):
			add(name + "=invalid")
		case v >= 0:
			add(name + "=" + strconv.FormatInt(v, 10))
		}
	}
	num("max-age", d.maxAge, ccMaxAgeInvalid)
	num("s-maxage", d.sMaxAge, ccSMaxAgeInvalid)
	if d.has(ccMaxStaleAny) {
		add("max-stale")
	}
	num("max-stale", d.maxStale, ccMaxStaleInvalid)
	num("min-fresh", d.minFresh, ccMinFreshInvalid)
	for _, f := range []struct {
		flag uint32
		name string
	}{
		{ccNoCache, "no-cache"}, {ccNoStore, "no-store"}, {ccMustRevalidate, "must-revalidate"},
		{ccProxyRevalidate, "proxy-revalidate"}, {ccPublic, "public"}, {ccPrivate, "private"},
		{ccOnlyIfCached, "only-if-cached"}, {ccMustUnderstand, "must-understand"},
		{ccNoTransform, "no-transform"}, {ccImmutable, "immutable"},
	} {
		if d.has(f.flag) {
			add(f.name)
		}
	}
	return b.String()
}

func isOWS(c byte) bool { return c == ' ' || c == '\t' }

// isTokenChar reports whether c is a tchar (RFC 9110 §5.6.2).
func isTokenChar(c byte) bool {
	return c < 0x80 && tokenTable[c]
}

var tokenTable = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
		t[c-'a'+'A'] = true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()
