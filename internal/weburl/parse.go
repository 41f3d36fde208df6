package weburl

import "strings"

// Parse parses input as an absolute URL with the standard's URL parser (no
// base URL). The error, a TypeError, says why input is not a URL.
func Parse(input string) (*URL, error) {
	if u := parseFast(input); u != nil {
		return u, nil
	}
	if u := parseMedium(input); u != nil {
		return u, nil
	}
	return parseURL(input, nil)
}

// ParseRef parses input against base (which may be nil), as new URL(input,
// base) does.
func ParseRef(base *URL, input string) (*URL, error) {
	if base == nil {
		return Parse(input)
	}
	if base.href == "" {
		return nil, urlError(input, "the base is not a parsed URL")
	}
	// Absolute URLs that the fast path accepts parse the same with any base.
	if u := parseFast(input); u != nil {
		return u, nil
	}
	if u := parseRefFast(base, input); u != nil {
		return u, nil
	}
	if u := parseRefMedium(base, input); u != nil {
		return u, nil
	}
	// So do the absolute URLs of the one-pass path.
	if u := parseMedium(input); u != nil {
		return u, nil
	}
	return parseURL(input, base.record())
}

// MustParse is like Parse but panics when input is not a URL. It is meant
// for tests and for constants known to be valid.
func MustParse(input string) *URL {
	u, err := Parse(input)
	if err != nil {
		panic(err)
	}
	return u
}

// Byte classes of the fast path: printable ASCII that the component's
// percent-encode set leaves alone (and, for paths, not '\\').
var pathOK, specialQueryOK, fragmentOK [256]bool

func init() {
	for c := 0x21; c < 0x7f; c++ {
		pathOK[c] = !encodeTables[Path][c] && c != '\\'
		specialQueryOK[c] = !encodeTables[SpecialQuery][c]
		fragmentOK[c] = !encodeTables[Fragment][c]
	}
}

// maybeDotSegment reports whether seg is "." or ".." in any of their
// percent-encoded spellings.
func maybeDotSegment(seg string) bool {
	if len(seg) == 0 || len(seg) > 6 || (seg[0] != '.' && seg[0] != '%') {
		return false
	}
	return isSingleDot(seg) || isDoubleDot(seg)
}

// scanTail checks that s[j:] is a canonical path (from its first segment),
// query (bytes allowed by queryTable) and fragment and returns the offsets
// of '?' and '#' (-1 when absent).
func scanTail(s string, j int, queryTable *[256]bool) (queryStart, fragStart int32, ok bool) {
	queryStart, fragStart = -1, -1
	seg := j
	for ; j < len(s); j++ {
		c := s[j]
		if c == '/' {
			if maybeDotSegment(s[seg:j]) {
				return 0, 0, false
			}
			seg = j + 1
			continue
		}
		if c == '?' || c == '#' {
			break
		}
		if !pathOK[c] {
			return 0, 0, false
		}
	}
	if maybeDotSegment(s[seg:j]) {
		return 0, 0, false
	}
	if j < len(s) && s[j] == '?' {
		queryStart = int32(j)
		for j++; j < len(s) && s[j] != '#'; j++ {
			if !queryTable[s[j]] {
				return 0, 0, false
			}
		}
	}
	if j < len(s) {
		fragStart = int32(j)
		for j++; j < len(s); j++ {
			if !fragmentOK[s[j]] {
				return 0, 0, false
			}
		}
	}
	return queryStart, fragStart, true
}

// parseFast parses URLs that are already in their serialized form, without
// allocating anything but the URL (the href is input): special (including
// "file:///") and non-special URLs with an ASCII host, optional canonical
// credentials and port, a path without dot segments and characters that
// need no percent-encoding; and opaque-path URLs such as "mailto:a@b". It
// returns nil when input needs the general parser.
func parseFast(s string) *URL {
	i := 0
	for i < len(s) && s[i] >= 'a' && s[i] <= 'z' {
		i++
	}
	if i < len(s) && s[i] != ':' && i > 0 {
		// Non-special schemes may have digits, '+', '-' and '.'.
		for i < len(s) && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '+' || s[i] == '-' || s[i] == '.') {
			i++
		}
	}
	if i == 0 || i+1 >= len(s) || s[i] != ':' {
		return nil
	}
	if s[i+1] != '/' {
		return parseFastOpaque(s, i)
	}
	if i+3 > len(s) || s[i+2] != '/' {
		return nil
	}
	scheme := s[:i]
	special := IsSpecialScheme(scheme)
	hs := i + 3
	end := hs
	for end < len(s) && s[end] != '/' && s[end] != '?' && s[end] != '#' && !(special && s[end] == '\\') {
		end++
	}
	userEnd, passEnd := hs, hs
	if at := strings.LastIndexByte(s[hs:end], '@'); at >= 0 {
		at += hs
		var ok bool
		if userEnd, passEnd, ok = canonicalCredentials(s, hs, at); !ok {
			return nil
		}
		hs = at + 1
	}
	// u is built on the stack and copied to the heap only on success.
	u := URL{
		href:       s,
		schemeEnd:  int32(i),
		userEnd:    int32(userEnd),
		passEnd:    int32(passEnd),
		hostStart:  int32(hs),
		port:       -1,
		queryStart: -1,
		fragStart:  -1,
		flags:      flagHasHost,
	}
	if scheme == "file" {
		// Only "file:///path": an empty host, no credentials, no port.
		if hs != i+3 || end != hs || end == len(s) || s[end] != '/' {
			return nil
		}
		if k := end + 1; k+1 < len(s) && isASCIIAlpha(int(s[k])) && s[k+1] == '|' {
			return nil // a Windows drive letter to normalize
		}
		u.hostEnd, u.pathStart = int32(end), int32(end)
		u.flags |= flagSpecial
		var ok bool
		if u.queryStart, u.fragStart, ok = scanTail(s, end+1, &specialQueryOK); !ok {
			return nil
		}
		return u.heap()
	}
	var j int
	if special {
		u.flags |= flagSpecial
		j = fastDomain(s, hs)
	} else {
		j = fastOpaqueHost(s, hs)
	}
	if j < 0 {
		return nil
	}
	u.hostEnd = int32(j)
	if j < len(s) && s[j] == ':' {
		j++
		ps := j
		v := 0
		for ; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
			v = v*10 + int(s[j]-'0')
			if v > 65535 {
				return nil
			}
		}
		if j == ps || (s[ps] == '0' && j-ps > 1) || v == defaultPortNumber(scheme) {
			return nil
		}
		u.port = int32(v)
	}
	if j != end {
		return nil
	}
	u.pathStart = int32(j)
	var ok bool
	switch {
	case j < len(s) && s[j] == '/':
		j++
	case special:
		return nil // the path "/" is missing
	}
	qt := &queryOK
	if special {
		qt = &specialQueryOK
	}
	if u.queryStart, u.fragStart, ok = scanTail(s, j, qt); !ok {
		return nil
	}
	return u.heap()
}

// heap returns a heap copy of u.
func (u URL) heap() *URL {
	p := new(URL)
	*p = u
	return p
}

// canonicalCredentials checks that s[start:at] (before the '@' ending the
// userinfo) is "user", ":password" or "user:password" with nothing to
// percent-encode, and returns the ends of the username and password.
func canonicalCredentials(s string, start, at int) (userEnd, passEnd int, ok bool) {
	creds := s[start:at]
	user, pass := creds, ""
	colon := strings.IndexByte(creds, ':')
	if colon >= 0 {
		user, pass = creds[:colon], creds[colon+1:]
		if pass == "" {
			return 0, 0, false // "user:@" serializes as "user@"
		}
	} else if user == "" {
		return 0, 0, false // "@host" serializes without the '@'
	}
	t := &encodeTables[Userinfo]
	for k := 0; k < len(creds); k++ {
		if k == colon {
			continue
		}
		if c := creds[k]; c <= ' ' || t[c] {
			return 0, 0, false
		}
	}
	userEnd = start + len(user)
	passEnd = userEnd
	if pass != "" {
		passEnd = at
	}
	return userEnd, passEnd, true
}

// fastDomain scans a lowercase ASCII domain (or canonical dotted-quad IPv4
// address) starting at s[hs] and returns the index where it ends, or -1.
func fastDomain(s string, hs int) int {
	j := hs
	label := hs
	for ; j < len(s); j++ {
		c := s[j]
		if (c >= 'a' && c <= 'z') || c == '-' || (c >= '0' && c <= '9') {
			if j == label && c == 'x' && j+3 < len(s) && s[j+1] == 'n' && s[j+2] == '-' && s[j+3] == '-' {
				return -1 // punycode labels need IDNA validation
			}
			continue
		}
		if c == '.' {
			if j == label {
				return -1
			}
			label = j + 1
			continue
		}
		break
	}
	if label == j || (s[label] >= '0' && s[label] <= '9' && !isCanonicalIPv4(s[hs:j])) {
		// Empty or trailing-dot last label, or one that may be a number
		// (the IPv4 parser decides) in a host that is not a dotted quad.
		return -1
	}
	return j
}

// fastOpaqueHost scans a non-empty opaque host that needs no
// percent-encoding starting at s[hs] and returns the index where it ends
// (at ':', '/', '?', '#' or the end), or -1.
func fastOpaqueHost(s string, hs int) int {
	j := hs
	for ; j < len(s); j++ {
		c := s[j]
		if c == ':' || c == '/' || c == '?' || c == '#' {
			break
		}
		if c <= ' ' || c >= 0x7f || forbiddenHost[c] {
			return -1
		}
	}
	if j == hs {
		return -1
	}
	return j
}

// isCanonicalIPv4 reports whether h is an IPv4 address in its serialized
// form: four decimal numbers up to 255 without leading zeros.
func isCanonicalIPv4(h string) bool {
	parts := 0
	for i := 0; i < len(h); {
		j := i
		v := 0
		for j < len(h) && h[j] >= '0' && h[j] <= '9' && j-i < 3 {
			v = v*10 + int(h[j]-'0')
			j++
		}
		if j == i || v > 255 || (h[i] == '0' && j-i > 1) {
			return false
		}
		parts++
		if j == len(h) {
			break
		}
		if h[j] != '.' || parts == 4 {
			return false
		}
		i = j + 1
		if i == len(h) {
			return false
		}
	}
	return parts == 4
}

// queryOK holds the printable ASCII bytes the (non-special) query
// percent-encode set leaves alone.
var queryOK [256]bool

func init() {
	for c := 0x21; c < 0x7f; c++ {
		queryOK[c] = !encodeTables[Query][c]
	}
}

// parseFastOpaque parses a canonical URL with an opaque path, such as
// "mailto:a@b.example", "data:,x" or "blob:https://a.example/id":
// scheme ":" opaque-path ["?" query] ["#" fragment] with printable ASCII
// (and spaces inside the path). i is the index of the ':' ending the
// lowercase scheme.
func parseFastOpaque(s string, i int) *URL {
	if IsSpecialScheme(s[:i]) {
		return nil
	}
	j := i + 1
	for ; j < len(s) && s[j] != '?' && s[j] != '#'; j++ {
		c := s[j]
		if c == ' ' && j+1 < len(s) && s[j+1] != '?' && s[j+1] != '#' {
			continue // a space stays, unless last or before '?' or '#'
		}
		if c <= ' ' || c >= 0x7f {
			return nil
		}
	}
	qs, fs := int32(-1), int32(-1)
	if j < len(s) && s[j] == '?' {
		qs = int32(j)
		for j++; j < len(s) && s[j] != '#'; j++ {
			if !queryOK[s[j]] {
				return nil
			}
		}
	}
	if j < len(s) {
		fs = int32(j)
		for j++; j < len(s); j++ {
			if !fragmentOK[s[j]] {
				return nil
			}
		}
	}
	p := int32(i + 1)
	return &URL{
		href:       s,
		schemeEnd:  int32(i),
		userEnd:    p,
		passEnd:    p,
		hostStart:  p,
		hostEnd:    p,
		pathStart:  p,
		queryStart: qs,
		fragStart:  fs,
		port:       -1,
		flags:      flagOpaquePath,
	}
}

// parseRefFast resolves the common relative shapes (path-absolute,
// path-relative, query-only, fragment-only and empty references) against a
// special non-file base with a host, with one allocation for the href. It
// returns nil when input needs the general parser.
func parseRefFast(base *URL, s string) *URL {
	if base.flags&(flagSpecial|flagHasHost|flagOpaquePath) != flagSpecial|flagHasHost || base.Scheme() == "file" {
		return nil
	}
	if s == "" {
		u := *base
		if u.fragStart >= 0 {
			u.href = u.href[:u.fragStart]
			u.fragStart = -1
		}
		return &u
	}
	var prefix string
	switch c := s[0]; {
	case c == '/':
		if len(s) > 1 && (s[1] == '/' || s[1] == '\\') {
			return nil
		}
		prefix = base.href[:base.pathStart]
	case c == '?':
		prefix = base.href[:base.pathEnd()]
	case c == '#':
		prefix = base.href
		if base.fragStart >= 0 {
			prefix = base.href[:base.fragStart]
		}
	default:
		// A relative path, unless it starts with a scheme.
		if isASCIIAlpha(int(c)) {
			for k := 1; k < len(s); k++ {
				d := int(s[k])
				if d == ':' {
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
		prefix = base.href[:int(base.pathStart)+k+1]
	}
	var qs, fs int32
	var ok bool
	switch s[0] {
	case '?', '#':
		qs, fs, ok = scanTail(s, 0, &specialQueryOK)
	case '/':
		qs, fs, ok = scanTail(s, 1, &specialQueryOK)
	default:
		qs, fs, ok = scanTail(s, 0, &specialQueryOK)
	}
	if !ok {
		return nil
	}
	off := int32(len(prefix))
	u := *base
	u.href = prefix + s
	if qs >= 0 {
		qs += off
	}
	if fs >= 0 {
		fs += off
	}
	switch s[0] {
	case '?':
		u.queryStart, u.fragStart = qs, fs
	case '#':
		u.fragStart = fs
	default:
		u.queryStart, u.fragStart = qs, fs
	}
	return &u
}
