package weburl

import "strings"

// EncodeSet names one of the standard's percent-encode sets.
type EncodeSet uint8

// The percent-encode sets of the URL standard. Every set contains the C0
// controls and all code points above U+007E; the UTF-8 bytes of such code
// points are always percent-encoded.
const (
	// C0Control is the C0 control percent-encode set (opaque paths and hosts).
	C0Control EncodeSet = iota
	// Fragment is the fragment percent-encode set.
	Fragment
	// Query is the query percent-encode set (non-special URLs).
	Query
	// SpecialQuery is the special-query percent-encode set (special URLs).
	SpecialQuery
	// Path is the path percent-encode set (including '^', added to the
	// standard in March 2025).
	Path
	// Userinfo is the userinfo percent-encode set.
	Userinfo
	// Component is the component percent-encode set (encodeURIComponent).
	Component
	// FormURLEncoded is the application/x-www-form-urlencoded percent-encode set.
	FormURLEncoded
	numEncodeSets
)

// encodeTables[set][b] reports whether byte b is percent-encoded by set.
var encodeTables [numEncodeSets][256]bool

func init() {
	add := func(t *[256]bool, chars string) {
		for i := 0; i < len(chars); i++ {
			t[chars[i]] = true
		}
	}
	var c0 [256]bool
	for b := 0; b < 256; b++ {
		c0[b] = b < 0x20 || b > 0x7e
	}
	encodeTables[C0Control] = c0

	frag := c0
	add(&frag, " \"<>`")
	encodeTables[Fragment] = frag

	query := c0
	add(&query, " \"#<>")
	encodeTables[Query] = query

	sq := query
	add(&sq, "'")
	encodeTables[SpecialQuery] = sq

	path := query
	add(&path, "?^`{}")
	encodeTables[Path] = path

	userinfo := path
	add(&userinfo, "/:;=@[\\]^|")
	encodeTables[Userinfo] = userinfo

	comp := userinfo
	add(&comp, "$%&+,")
	encodeTables[Component] = comp

	form := comp
	add(&form, "!'()~")
	encodeTables[FormURLEncoded] = form
}

const upperHex = "0123456789ABCDEF"

// PercentEncode returns s with every byte in set percent-encoded as "%XX"
// (uppercase hex). s is taken as UTF-8, so code points above U+007E are
// encoded byte by byte as the standard's "UTF-8 percent-encode" requires.
// Invalid UTF-8 is first replaced by U+FFFD.
func PercentEncode(s string, set EncodeSet) string {
	if set >= numEncodeSets {
		set = Component
	}
	s = toValidUTF8(s)
	t := &encodeTables[set]
	i := 0
	for i < len(s) && !t[s[i]] {
		i++
	}
	if i == len(s) {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	return string(appendEncoded(b, s[i:], t, false))
}

// appendEncoded appends s to b, percent-encoding the bytes in t. With
// spaceAsPlus, a space becomes '+'.
func appendEncoded(b []byte, s string, t *[256]bool, spaceAsPlus bool) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case spaceAsPlus && c == ' ':
			b = append(b, '+')
		case t[c]:
			b = append(b, '%', upperHex[c>>4], upperHex[c&15])
		default:
			b = append(b, c)
		}
	}
	return b
}

// appendEncodedByte appends c, percent-encoded when it is in t.
func appendEncodedByte(b []byte, c byte, t *[256]bool) []byte {
	if t[c] {
		return append(b, '%', upperHex[c>>4], upperHex[c&15])
	}
	return append(b, c)
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// PercentDecode returns the bytes of s with every "%XX" sequence (two ASCII
// hex digits) replaced by the byte it encodes. Other '%' are kept. The result
// may be invalid UTF-8; callers decode it as they need.
func PercentDecode(s string) string {
	i := strings.IndexByte(s, '%')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for ; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				b = append(b, hi<<4|lo)
				i += 2
				continue
			}
		}
		b = append(b, c)
	}
	return string(b)
}
