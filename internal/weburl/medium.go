package weburl

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The "medium" path canonicalises the common non-canonical shapes of
// special (non-file) URLs in one pass into a stack buffer: any-case schemes
// and ASCII hosts, credentials, IPv4 and IPv6 addresses, backslashes,
// default or zero-padded ports, a missing path, dot segments and code
// points that need percent-encoding in the path, query or fragment. It
// returns nil for anything else (IDNA, percent-encoded hosts, tabs and
// newlines, C0 controls, surrounding spaces, file and non-special URLs),
// which the general parser handles. Its results are checked against the
// general parser by TestFastPathMatchesGeneral and the fuzz targets.

func isSlash(c byte) bool { return c == '/' || c == '\\' }

// specialSchemeLower returns the lowercase form of s when it is a special
// scheme other than "file", with its default port.
func specialSchemeLower(s string) (string, int) {
	var b [5]byte
	if len(s) > len(b) {
		return "", 0
	}
	for i := 0; i < len(s); i++ {
		b[i] = s[i] | 0x20
	}
	switch string(b[:len(s)]) {
	case "http":
		return "http", 80
	case "https":
		return "https", 443
	case "ws":
		return "ws", 80
	case "wss":
		return "wss", 443
	case "ftp":
		return "ftp", 21
	}
	return "", 0
}

func isSingleDotBytes(b []byte) bool {
	switch len(b) {
	case 1:
		return b[0] == '.'
	case 3:
		return b[0] == '%' && b[1] == '2' && b[2]|0x20 == 'e'
	}
	return false
}

func isDoubleDotBytes(b []byte) bool {
	switch len(b) {
	case 2:
		return b[0] == '.' && b[1] == '.'
	case 4:
		return (b[0] == '.' && isSingleDotBytes(b[1:])) || (isSingleDotBytes(b[:3]) && b[3] == '.')
	case 6:
		return isSingleDotBytes(b[:3]) && isSingleDotBytes(b[3:])
	}
	return false
}

// closeSegment applies the path state's dot-segment rules to the segment
// out[segStart:] (preceded by '/' at segStart-1) of a path starting at
// pathStart; slash tells whether a '/' follows.
func closeSegment(out []byte, segStart, pathStart int, slash bool) []byte {
	seg := out[segStart:]
	switch {
	case isDoubleDotBytes(seg):
		out = out[:segStart-1]
		for k := len(out) - 1; k >= pathStart; k-- {
			if out[k] == '/' {
				out = out[:k]
				break
			}
		}
	case isSingleDotBytes(seg):
		out = out[:segStart-1]
	default:
		return out
	}
	if !slash {
		out = append(out, '/')
	}
	return out
}

// appendTail canonicalises s[j:] (the rest of a path, then query and
// fragment of a special URL) onto out. inSeg tells whether out ends inside
// a path segment that started at len(out) (a relative path); otherwise
// s[j] is '/', '\\', '?', '#' or the end. It returns the offsets of '?' and
// '#' in out, or ok false for input the general parser must handle.
func appendTail(out []byte, s string, j, pathStart int, inSeg bool) (_ []byte, qs, fs int32, ok bool) {
	qs, fs = -1, -1
	segStart := len(out)
	nonASCII := false
	path := &encodeTables[Path]
	for ; j < len(s); j++ {
		c := s[j]
		if c == '/' || c == '\\' || c == '?' || c == '#' {
			if inSeg {
				out = closeSegment(out, segStart, pathStart, c == '/' || c == '\\')
			}
			if c == '?' || c == '#' {
				inSeg = false
				break
			}
			out = append(out, '/')
			segStart = len(out)
			inSeg = true
			continue
		}
		if c < 0x20 {
			return nil, 0, 0, false
		}
		if c >= 0x80 {
			nonASCII = true
		}
		if path[c] {
			out = append(out, '%', upperHex[c>>4], upperHex[c&15])
		} else {
			out = append(out, c)
		}
	}
	if inSeg {
		out = closeSegment(out, segStart, pathStart, false)
	}
	if j < len(s) && s[j] == '?' {
		qs = int32(len(out))
		out = append(out, '?')
		t := &encodeTables[SpecialQuery]
		for j++; j < len(s) && s[j] != '#'; j++ {
			c := s[j]
			if c < 0x20 {
				return nil, 0, 0, false
			}
			if c >= 0x80 {
				nonASCII = true
			}
			if t[c] {
				out = append(out, '%', upperHex[c>>4], upperHex[c&15])
			} else {
				out = append(out, c)
			}
		}
	}
	if j < len(s) {
		fs = int32(len(out))
		out = append(out, '#')
		t := &encodeTables[Fragment]
		for j++; j < len(s); j++ {
			c := s[j]
			if c < 0x20 {
				return nil, 0, 0, false
			}
			if c >= 0x80 {
				nonASCII = true
			}
			if t[c] {
				out = append(out, '%', upperHex[c>>4], upperHex[c&15])
			} else {
				out = append(out, c)
			}
		}
	}
	if nonASCII && !utf8.ValidString(s) {
		return nil, 0, 0, false
	}
	return out, qs, fs, true
}

// hrefOf returns out as a string, reusing s when they are equal.
func hrefOf(out []byte, s string) string {
	if string(out) == s {
		return s
	}
	return string(out)
}

// parseMedium parses an absolute special URL of the shapes described above.
func parseMedium(s string) *URL {
	n := len(s)
	if n == 0 || s[0] <= ' ' || s[n-1] <= ' ' {
		return nil
	}
	i := 0
	for i < n && isASCIIAlpha(int(s[i])) {
		i++
	}
	if i+3 > n || s[i] != ':' || !isSlash(s[i+1]) || !isSlash(s[i+2]) || (i+3 < n && isSlash(s[i+3])) {
		return nil
	}
	scheme, defPort := specialSchemeLower(s[:i])
	if scheme == "" {
		return nil
	}
	return parseMediumAuthority(scheme, defPort, s, i+3)
}

// parseMediumAuthority parses the host, port, path, query and fragment of
// a special URL whose authority starts at s[j], after "scheme://" (or after
// the "//" of a scheme-relative reference).
func parseMediumAuthority(scheme string, defPort int, s string, j int) *URL {
	n := len(s)
	var stack [256]byte
	out := append(stack[:0], scheme...)
	out = append(out, "://"...)
	userEnd, passEnd := len(out), len(out)
	// Credentials: everything before the last '@' of the authority.
	end := j
	for end < n && !isSlash(s[end]) && s[end] != '?' && s[end] != '#' {
		end++
	}
	if at := strings.LastIndexByte(s[j:end], '@'); at >= 0 {
		at += j
		creds := s[j:at]
		nonASCII := false
		for k := 0; k < len(creds); k++ {
			if creds[k] < 0x20 {
				return nil
			}
			if creds[k] >= 0x80 {
				nonASCII = true
			}
		}
		if nonASCII && !utf8.ValidString(creds) {
			return nil
		}
		user, pass := creds, ""
		if colon := strings.IndexByte(creds, ':'); colon >= 0 {
			user, pass = creds[:colon], creds[colon+1:]
		}
		if user != "" || pass != "" {
			t := &encodeTables[Userinfo]
			out = appendEncoded(out, user, t, false)
			userEnd = len(out)
			if pass != "" {
				out = append(out, ':')
				out = appendEncoded(out, pass, t, false)
			}
			passEnd = len(out)
			out = append(out, '@')
		}
		j = at + 1
	}
	hs := len(out)
	label := hs
	ipv6 := false
	if j < n && s[j] == '[' {
		k := j + 1
		for k < n && s[k] != ']' {
			k++
		}
		if k == n {
			return nil
		}
		addr, err := parseIPv6(s[j+1 : k])
		if err != nil {
			return nil
		}
		out = appendIPv6(out, &addr)
		j = k + 1
		if j < n && !isSlash(s[j]) && s[j] != '?' && s[j] != '#' && s[j] != ':' {
			return nil
		}
		ipv6 = true
	}
	for ; j < n && !ipv6; j++ {
		c := s[j]
		if c == '/' || c == '\\' || c == '?' || c == '#' || c == ':' {
			break
		}
		switch {
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		case c == '.':
			if len(out) == label {
				return nil
			}
			label = len(out) + 1
		case c >= 0x80 || forbiddenDomain[c]:
			return nil
		}
		if c == 'x' && len(out) == label && j+3 < n && s[j+1]|0x20 == 'n' && s[j+2] == '-' && s[j+3] == '-' {
			return nil
		}
		out = append(out, c)
	}
	he := len(out)
	if !ipv6 && (he == hs || label == he) {
		return nil
	}
	if c := out[label]; !ipv6 && c >= '0' && c <= '9' {
		// The last label may make the host an IPv4 address.
		host := string(out[hs:he])
		if endsInNumber(host) {
			v, reason := ipv4Value(host)
			if reason != "" {
				return nil
			}
			out = appendIPv4(out[:hs], v)
			he = len(out)
		}
	}
	port := -1
	if j < n && s[j] == ':' {
		j++
		ps := j
		v := 0
		for ; j < n && s[j] >= '0' && s[j] <= '9'; j++ {
			v = v*10 + int(s[j]-'0')
			if v > 65535 {
				return nil
			}
		}
		if j < n && !isSlash(s[j]) && s[j] != '?' && s[j] != '#' {
			return nil
		}
		if j > ps && v != defPort {
			port = v
			out = append(out, ':')
			out = strconv.AppendInt(out, int64(v), 10)
		}
	}
	pathStart := len(out)
	if j == n || !isSlash(s[j]) {
		out = append(out, '/')
	}
	out, qs, fs, ok := appendTail(out, s, j, pathStart, false)
	if !ok {
		return nil
	}
	return &URL{
		href:       hrefOf(out, s),
		schemeEnd:  int32(len(scheme)),
		userEnd:    int32(userEnd),
		passEnd:    int32(passEnd),
		hostStart:  int32(hs),
		hostEnd:    int32(he),
		pathStart:  int32(pathStart),
		queryStart: qs,
		fragStart:  fs,
		port:       int32(port),
		flags:      flagSpecial | flagHasHost,
	}
}

// parseRefMedium resolves path, query and fragment references that need
// canonicalisation against a special non-file base with a host.
func parseRefMedium(base *URL, s string) *URL {
	if base.flags&(flagSpecial|flagHasHost|flagOpaquePath) != flagSpecial|flagHasHost || base.Scheme() == "file" {
		return nil
	}
	n := len(s)
	if n == 0 || s[0] <= ' ' || s[n-1] <= ' ' {
		return nil
	}
	var stack [256]byte
	out := stack[:0]
	ps := int(base.pathStart)
	inSeg := false
	switch c := s[0]; {
	case c == '/' || c == '\\':
		if n > 1 && isSlash(s[1]) {
			// A scheme-relative reference ("//cdn.example/x.js").
			if n > 2 && isSlash(s[2]) {
				return nil
			}
			scheme := base.Scheme()
			return parseMediumAuthority(scheme, defaultPortNumber(scheme), s, 2)
		}
		out = append(out, base.href[:ps]...)
	case c == '?':
		out = append(out, base.href[:base.pathEnd()]...)
	case c == '#':
		end := len(base.href)
		if base.fragStart >= 0 {
			end = int(base.fragStart)
		}
		out = append(out, base.href[:end]...)
	default:
		if isASCIIAlpha(int(c)) {
			for k := 1; k < n; k++ {
				d := int(s[k])
				if d == ':' {
					if k+2 < n && isSlash(s[k+1]) && isSlash(s[k+2]) {
						return parseMedium(s)
					}
					return nil
				}
				if !isASCIIAlnum(d) && d != '+' && d != '-' && d != '.' {
					break
				}
			}
		}
		p := base.Pathname()
		k := len(p) - 1
		for k >= 0 && p[k] != '/' {
			k--
		}
		if k < 0 {
			return nil
		}
		out = append(out, base.href[:ps+k+1]...)
		inSeg = true
	}
	out, qs, fs, ok := appendTail(out, s, 0, ps, inSeg)
	if !ok {
		return nil
	}
	u := *base
	u.href = string(out)
	switch s[0] {
	case '#':
		u.fragStart = fs
	default:
		u.queryStart, u.fragStart = qs, fs
	}
	return &u
}
