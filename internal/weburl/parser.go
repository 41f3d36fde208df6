package weburl

import (
	"errors"
	"strings"
)

// record is the standard's URL record, used by the general parser and by the
// setters. Hosts are kept serialized.
type record struct {
	scheme     string
	username   string
	password   string
	host       string
	hasHost    bool   // host is non-null (possibly the empty host)
	port       int    // -1 when null
	path       []byte // serialized path list: each segment preceded by '/'
	opaque     bool   // the path is the opaque path opaquePath
	opaquePath string
	query      string
	hasQuery   bool
	fragment   string
	hasFrag    bool
}

func (r *record) special() bool { return IsSpecialScheme(r.scheme) }

func (r *record) includesCredentials() bool { return r.username != "" || r.password != "" }

// cannotHaveUserPassPort reports the standard's "cannot have a
// username/password/port".
func (r *record) cannotHaveUserPassPort() bool {
	return !r.hasHost || r.host == "" || r.scheme == "file"
}

// shortenPath implements the standard's "shorten a URL's path".
func (r *record) shortenPath() {
	if r.scheme == "file" && len(r.path) == 3 && isNormalizedDriveLetter(string(r.path[1:])) {
		return
	}
	for k := len(r.path) - 1; k >= 0; k-- {
		if r.path[k] == '/' {
			r.path = r.path[:k]
			return
		}
	}
}

// internScheme returns buf as a string, without allocating for common
// schemes.
func internScheme(buf []byte) string {
	switch string(buf) {
	case "http":
		return "http"
	case "https":
		return "https"
	case "ws":
		return "ws"
	case "wss":
		return "wss"
	case "ftp":
		return "ftp"
	case "file":
		return "file"
	case "data":
		return "data"
	case "blob":
		return "blob"
	case "mailto":
		return "mailto"
	case "about":
		return "about"
	case "javascript":
		return "javascript"
	}
	return string(buf)
}

// state is a state of the basic URL parser.
type state uint8

const (
	stNone state = iota
	stSchemeStart
	stScheme
	stNoScheme
	stSpecialRelativeOrAuthority
	stPathOrAuthority
	stRelative
	stRelativeSlash
	stSpecialAuthoritySlashes
	stSpecialAuthorityIgnoreSlashes
	stAuthority
	stHost
	stHostname
	stPort
	stFile
	stFileSlash
	stFileHost
	stPathStart
	stPath
	stOpaquePath
	stQuery
	stFragment
)

// Errors of the scheme state with a state override, where the standard
// returns without changing the URL because the value does not apply.
var (
	errSpecialToNot    = errors.New("cannot change a special scheme to a non-special one")
	errNotToSpecial    = errors.New("cannot change a non-special scheme to a special one")
	errFileCredentials = errors.New(`a URL with credentials or a port cannot have scheme "file"`)
	errFileEmptyHost   = errors.New("cannot change the scheme of a file URL with an empty host")
)

func isASCIIAlpha(c int) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isASCIIDigit(c int) bool { return c >= '0' && c <= '9' }
func isASCIIAlnum(c int) bool { return isASCIIAlpha(c) || isASCIIDigit(c) }
func isHexDigit(c int) bool {
	return isASCIIDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'f')
}

func isDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(int(s[0])) && (s[1] == ':' || s[1] == '|')
}

func isNormalizedDriveLetter(s string) bool {
	return len(s) == 2 && isASCIIAlpha(int(s[0])) && s[1] == ':'
}

// startsWithDriveLetter implements "starts with a Windows drive letter".
func startsWithDriveLetter(s string) bool {
	if len(s) < 2 || !isASCIIAlpha(int(s[0])) || (s[1] != ':' && s[1] != '|') {
		return false
	}
	if len(s) == 2 {
		return true
	}
	switch s[2] {
	case '/', '\\', '?', '#':
		return true
	}
	return false
}

func isSingleDot(s string) bool {
	return s == "." || strings.EqualFold(s, "%2e")
}

func isDoubleDot(s string) bool {
	switch len(s) {
	case 2:
		return s == ".."
	case 4:
		l := strings.ToLower(s)
		return l == ".%2e" || l == "%2e."
	case 6:
		return strings.EqualFold(s, "%2e%2e")
	}
	return false
}

// trimControlAndSpace removes leading and trailing C0 controls and spaces.
func trimControlAndSpace(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

// removeTabNewline removes all U+0009, U+000A and U+000D.
func removeTabNewline(s string) string {
	if strings.IndexAny(s, "\t\n\r") < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '\t' && c != '\n' && c != '\r' {
			b = append(b, c)
		}
	}
	return string(b)
}

// parseURL runs the basic URL parser without a given URL or state override.
func parseURL(input string, base *record) (*URL, error) {
	in := removeTabNewline(trimControlAndSpace(toValidUTF8(input)))
	var r record
	r.port = -1
	if err := basicParse(in, base, &r, stNone); err != nil {
		return nil, urlError(input, err.Error())
	}
	return r.serialize(), nil
}

// basicParse runs the standard's basic URL parser on input (already cleaned
// of tabs and newlines, and of surrounding C0 controls and spaces when no
// state override is given), modifying r. A non-nil error means failure,
// except that the scheme state's errSpecialToNot and the like mean that the
// standard returns without failure but leaves r unchanged.
func basicParse(input string, base *record, r *record, override state) error {
	st := override
	if st == stNone {
		st = stSchemeStart
	}
	var bufStack [128]byte
	var (
		buf               = bufStack[:0]
		atSignSeen        bool
		insideBrackets    bool
		passwordTokenSeen bool
		userBuf, passBuf  []byte // credentials being collected in the authority state
	)
	special := r.special()
	n := len(input)
	for p := 0; ; p++ {
		c := -1
		if p >= 0 && p < n {
			c = int(input[p])
		}
		switch st {
		case stSchemeStart:
			if isASCIIAlpha(c) {
				buf = append(buf, byte(c|0x20))
				st = stScheme
			} else if override == stNone {
				st = stNoScheme
				p--
			} else {
				return errors.New("scheme must start with an ASCII letter")
			}

		case stScheme:
			if isASCIIAlnum(c) || c == '+' || c == '-' || c == '.' {
				if c >= 'A' && c <= 'Z' {
					c |= 0x20
				}
				buf = append(buf, byte(c))
			} else if c == ':' {
				scheme := internScheme(buf)
				if override != stNone {
					bufSpecial := IsSpecialScheme(scheme)
					if special && !bufSpecial {
						return errSpecialToNot
					}
					if !special && bufSpecial {
						return errNotToSpecial
					}
					if (r.includesCredentials() || r.port >= 0) && scheme == "file" {
						return errFileCredentials
					}
					if r.scheme == "file" && r.hasHost && r.host == "" {
						return errFileEmptyHost
					}
				}
				r.scheme = scheme
				special = IsSpecialScheme(scheme)
				if override != stNone {
					if r.port >= 0 && r.port == defaultPortNumber(scheme) {
						r.port = -1
					}
					return nil
				}
				buf = buf[:0]
				rest := input[p+1:]
				switch {
				case scheme == "file":
					st = stFile
				case special && base != nil && base.scheme == scheme:
					st = stSpecialRelativeOrAuthority
				case special:
					st = stSpecialAuthoritySlashes
				case strings.HasPrefix(rest, "/"):
					st = stPathOrAuthority
					p++
				default:
					r.opaque = true
					r.opaquePath = ""
					st = stOpaquePath
				}
			} else if override == stNone {
				buf = buf[:0]
				st = stNoScheme
				p = -1
			} else {
				return errors.New("invalid scheme")
			}

		case stNoScheme:
			switch {
			case base == nil:
				return errors.New("relative URL without a base")
			case base.opaque && c != '#':
				return errors.New("relative URL against a base with an opaque path")
			case base.opaque && c == '#':
				r.scheme = base.scheme
				special = r.special()
				r.opaque = true
				r.opaquePath = base.opaquePath
				r.query, r.hasQuery = base.query, base.hasQuery
				r.fragment, r.hasFrag = "", true
				st = stFragment
			case base.scheme != "file":
				st = stRelative
				p--
			default:
				st = stFile
				p--
			}

		case stSpecialRelativeOrAuthority:
			if c == '/' && p+1 < n && input[p+1] == '/' {
				st = stSpecialAuthorityIgnoreSlashes
				p++
			} else {
				st = stRelative
				p--
			}

		case stPathOrAuthority:
			if c == '/' {
				st = stAuthority
			} else {
				st = stPath
				p--
			}

		case stRelative:
			r.scheme = base.scheme
			special = r.special()
			if c == '/' || (special && c == '\\') {
				st = stRelativeSlash
			} else {
				r.username, r.password = base.username, base.password
				r.host, r.hasHost, r.port = base.host, base.hasHost, base.port
				r.path = append(r.path[:0], base.path...)
				r.query, r.hasQuery = base.query, base.hasQuery
				switch c {
				case '?':
					r.query, r.hasQuery = "", true
					st = stQuery
				case '#':
					r.fragment, r.hasFrag = "", true
					st = stFragment
				case -1:
				default:
					r.query, r.hasQuery = "", false
					r.shortenPath()
					st = stPath
					p--
				}
			}

		case stRelativeSlash:
			if special && (c == '/' || c == '\\') {
				st = stSpecialAuthorityIgnoreSlashes
			} else if c == '/' {
				st = stAuthority
			} else {
				r.username, r.password = base.username, base.password
				r.host, r.hasHost, r.port = base.host, base.hasHost, base.port
				st = stPath
				p--
			}

		case stSpecialAuthoritySlashes:
			if c == '/' && p+1 < n && input[p+1] == '/' {
				st = stSpecialAuthorityIgnoreSlashes
				p++
			} else {
				st = stSpecialAuthorityIgnoreSlashes
				p--
			}

		case stSpecialAuthorityIgnoreSlashes:
			if c != '/' && c != '\\' {
				st = stAuthority
				p--
			}

		case stAuthority:
			if c == '@' {
				if atSignSeen {
					// The previous '@' was part of the credentials.
					if passwordTokenSeen {
						passBuf = append(passBuf, "%40"...)
					} else {
						userBuf = append(userBuf, "%40"...)
					}
				}
				atSignSeen = true
				for _, b := range buf {
					if b == ':' && !passwordTokenSeen {
						passwordTokenSeen = true
						continue
					}
					if passwordTokenSeen {
						passBuf = appendEncodedByte(passBuf, b, &encodeTables[Userinfo])
					} else {
						userBuf = appendEncodedByte(userBuf, b, &encodeTables[Userinfo])
					}
				}
				buf = buf[:0]
			} else if c == -1 || c == '/' || c == '?' || c == '#' || (special && c == '\\') {
				if atSignSeen && len(buf) == 0 {
					return errors.New("credentials without a host")
				}
				if atSignSeen {
					r.username, r.password = string(userBuf), string(passBuf)
				}
				p -= len(buf) + 1
				buf = buf[:0]
				st = stHost
			} else {
				buf = append(buf, byte(c))
			}

		case stHost, stHostname:
			if override != stNone && r.scheme == "file" {
				p--
				st = stFileHost
			} else if c == ':' && !insideBrackets {
				if len(buf) == 0 {
					return errors.New("missing host")
				}
				if override == stHostname {
					return errors.New("a hostname cannot contain ':'")
				}
				h, err := parseHost(string(buf), !special)
				if err != nil {
					return err
				}
				r.host, r.hasHost = h, true
				buf = buf[:0]
				st = stPort
			} else if c == -1 || c == '/' || c == '?' || c == '#' || (special && c == '\\') {
				p--
				if special && len(buf) == 0 {
					return errors.New("missing host")
				}
				if override != stNone && len(buf) == 0 && (r.includesCredentials() || r.port >= 0) {
					return errors.New("cannot clear the host of a URL with credentials or a port")
				}
				h, err := parseHost(string(buf), !special)
				if err != nil {
					return err
				}
				r.host, r.hasHost = h, true
				buf = buf[:0]
				st = stPathStart
				if override != stNone {
					return nil
				}
			} else {
				if c == '[' {
					insideBrackets = true
				} else if c == ']' {
					insideBrackets = false
				}
				buf = append(buf, byte(c))
			}

		case stPort:
			if isASCIIDigit(c) {
				buf = append(buf, byte(c))
			} else if c == -1 || c == '/' || c == '?' || c == '#' || (special && c == '\\') || override != stNone {
				if len(buf) != 0 {
					port := 0
					for _, d := range buf {
						port = port*10 + int(d-'0')
						if port > 65535 {
							return errors.New("port out of range")
						}
					}
					if port == defaultPortNumber(r.scheme) {
						port = -1
					}
					r.port = port
					buf = buf[:0]
					if override != stNone {
						return nil
					}
				}
				if override != stNone {
					return errors.New("invalid port")
				}
				st = stPathStart
				p--
			} else {
				return errors.New("invalid port")
			}

		case stFile:
			r.scheme = "file"
			special = true
			r.host, r.hasHost = "", true
			if c == '/' || c == '\\' {
				st = stFileSlash
			} else if base != nil && base.scheme == "file" {
				r.host, r.hasHost = base.host, base.hasHost
				r.path = append(r.path[:0], base.path...)
				r.query, r.hasQuery = base.query, base.hasQuery
				switch c {
				case '?':
					r.query, r.hasQuery = "", true
					st = stQuery
				case '#':
					r.fragment, r.hasFrag = "", true
					st = stFragment
				case -1:
				default:
					r.query, r.hasQuery = "", false
					if !startsWithDriveLetter(input[p:]) {
						r.shortenPath()
					} else {
						r.path = r.path[:0]
					}
					st = stPath
					p--
				}
			} else {
				st = stPath
				p--
			}

		case stFileSlash:
			if c == '/' || c == '\\' {
				st = stFileHost
			} else {
				if base != nil && base.scheme == "file" {
					r.host, r.hasHost = base.host, base.hasHost
					rest := ""
					if p >= 0 && p <= n {
						rest = input[p:]
					}
					if !startsWithDriveLetter(rest) && len(base.path) >= 3 && isNormalizedDriveLetter(string(base.path[1:3])) &&
						(len(base.path) == 3 || base.path[3] == '/') {
						r.path = append(r.path, base.path[:3]...)
					}
				}
				st = stPath
				p--
			}

		case stFileHost:
			if c == -1 || c == '/' || c == '\\' || c == '?' || c == '#' {
				p--
				if override == stNone && isDriveLetter(string(buf)) {
					// The Windows drive letter quirk: buf is kept for the path state.
					st = stPath
				} else if len(buf) == 0 {
					r.host, r.hasHost = "", true
					if override != stNone {
						return nil
					}
					st = stPathStart
				} else {
					h, err := parseHost(string(buf), false)
					if err != nil {
						return err
					}
					if h == "localhost" {
						h = ""
					}
					r.host, r.hasHost = h, true
					if override != stNone {
						return nil
					}
					buf = buf[:0]
					st = stPathStart
				}
			} else {
				buf = append(buf, byte(c))
			}

		case stPathStart:
			if special {
				st = stPath
				if c != '/' && c != '\\' {
					p--
				}
			} else if override == stNone && c == '?' {
				r.query, r.hasQuery = "", true
				st = stQuery
			} else if override == stNone && c == '#' {
				r.fragment, r.hasFrag = "", true
				st = stFragment
			} else if c != -1 {
				st = stPath
				if c != '/' {
					p--
				}
			} else if override != stNone && !r.hasHost {
				r.path = append(r.path, '/')
			}

		case stPath:
			if c == -1 || c == '/' || (special && c == '\\') || (override == stNone && (c == '?' || c == '#')) {
				slash := c == '/' || (special && c == '\\')
				if isDoubleDotBytes(buf) {
					r.shortenPath()
					if !slash {
						r.path = append(r.path, '/')
					}
				} else if isSingleDotBytes(buf) {
					if !slash {
						r.path = append(r.path, '/')
					}
				} else {
					if r.scheme == "file" && len(r.path) == 0 && len(buf) == 2 && isDriveLetter(string(buf)) {
						buf[1] = ':'
					}
					r.path = append(r.path, '/')
					r.path = append(r.path, buf...)
				}
				buf = buf[:0]
				if c == '?' {
					r.query, r.hasQuery = "", true
					st = stQuery
				} else if c == '#' {
					r.fragment, r.hasFrag = "", true
					st = stFragment
				}
			} else {
				buf = appendEncodedByte(buf, byte(c), &encodeTables[Path])
			}

		case stOpaquePath:
			if c == '?' {
				r.query, r.hasQuery = "", true
				st = stQuery
			} else if c == '#' {
				r.fragment, r.hasFrag = "", true
				st = stFragment
			} else if c != -1 {
				// Collect the run up to the next delimiter in one step. A
				// space right before '?' or '#' becomes "%20", so that an
				// opaque path never ends in a space (whatwg/url#844).
				j := p
				for j < n && input[j] != '?' && input[j] != '#' {
					j++
				}
				b := appendEncoded([]byte(r.opaquePath), input[p:j], &encodeTables[C0Control], false)
				if j < n && b[len(b)-1] == ' ' {
					b = append(b[:len(b)-1], "%20"...)
				}
				r.opaquePath = string(b)
				p = j - 1
			}

		case stQuery:
			if (override == stNone && c == '#') || c == -1 {
				set := Query
				if special {
					set = SpecialQuery
				}
				r.query = string(appendEncoded([]byte(r.query), string(buf), &encodeTables[set], false))
				buf = buf[:0]
				if c == '#' {
					r.fragment, r.hasFrag = "", true
					st = stFragment
				}
			} else {
				buf = append(buf, byte(c))
			}

		case stFragment:
			if c != -1 {
				r.fragment = string(appendEncoded([]byte(r.fragment), input[p:], &encodeTables[Fragment], false))
				p = n - 1
			}
		}
		if p >= n {
			break
		}
	}
	return nil
}
