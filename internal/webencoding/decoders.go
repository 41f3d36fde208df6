package webencoding

import (
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"
)

// errDecode is a decoder error in fatal mode.
var errDecode = errors.New("invalid input")

// validUTF8 reports whether p is whole, valid UTF-8 (which the standard's
// decoder passes through unchanged).
func validUTF8(p []byte) bool { return utf8.Valid(p) }

// validPrefix returns the length of the longest prefix of p made of
// whole, valid UTF-8 sequences.
func validPrefix(p []byte) int {
	i := 0
	for i < len(p) {
		if p[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(p[i:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		i += n
	}
	return i
}

// utf8State is the standard's UTF-8 decoder: bytes needed and seen, the
// code point so far and the boundaries of the next byte.
type utf8State struct {
	needed, seen int
	cp           rune
	lower, upper byte
}

func (s *utf8State) decode(p []byte, flush, fatal bool) (string, error) {
	var b strings.Builder
	b.Grow(len(p))
	fail := func() error {
		if fatal {
			return errDecode
		}
		b.WriteRune(utf8.RuneError)
		return nil
	}
	if s.lower == 0 {
		s.lower, s.upper = 0x80, 0xBF
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		if s.needed == 0 {
			// Copy the run of whole, valid sequences that starts here at
			// once: Go's UTF-8 rules are the standard's for them.
			if j := validPrefix(p[i:]); j > 0 {
				b.Write(p[i : i+j])
				i += j - 1
				continue
			}
			switch {
			case c >= 0xC2 && c <= 0xDF:
				s.needed, s.cp = 1, rune(c&0x1F)
			case c >= 0xE0 && c <= 0xEF:
				if c == 0xE0 {
					s.lower = 0xA0
				} else if c == 0xED {
					s.upper = 0x9F
				}
				s.needed, s.cp = 2, rune(c&0xF)
			case c >= 0xF0 && c <= 0xF4:
				if c == 0xF0 {
					s.lower = 0x90
				} else if c == 0xF4 {
					s.upper = 0x8F
				}
				s.needed, s.cp = 3, rune(c&0x7)
			default:
				if err := fail(); err != nil {
					return "", err
				}
			}
			continue
		}
		if c < s.lower || c > s.upper {
			// The sequence ends before c, which starts over.
			*s = utf8State{lower: 0x80, upper: 0xBF}
			if err := fail(); err != nil {
				return "", err
			}
			i--
			continue
		}
		s.lower, s.upper = 0x80, 0xBF
		s.cp = s.cp<<6 | rune(c&0x3F)
		s.seen++
		if s.seen == s.needed {
			b.WriteRune(s.cp)
			s.needed, s.seen, s.cp = 0, 0, 0
		}
	}
	if flush && s.needed != 0 {
		*s = utf8State{}
		if err := fail(); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// utf16State is the standard's shared UTF-16 decoder: the lead byte and
// lead surrogate, if any.
type utf16State struct {
	leadByte      int // -1 + 1: 0 means none, else byte+1
	leadSurrogate rune
}

func (s *utf16State) decode(p []byte, bigEndian, flush, fatal bool) (string, error) {
	var b strings.Builder
	b.Grow(len(p) / 2 * 3)
	fail := func() error {
		if fatal {
			return errDecode
		}
		b.WriteRune(utf8.RuneError)
		return nil
	}
	var unit rune
	for i := 0; i < len(p); i++ {
		if s.leadByte == 0 {
			s.leadByte = int(p[i]) + 1
			continue
		}
		lead := rune(s.leadByte - 1)
		s.leadByte = 0
		if bigEndian {
			unit = lead<<8 | rune(p[i])
		} else {
			unit = rune(p[i])<<8 | lead
		}
		if s.leadSurrogate != 0 {
			ls := s.leadSurrogate
			s.leadSurrogate = 0
			if unit >= 0xDC00 && unit <= 0xDFFF {
				b.WriteRune(0x10000 + (ls-0xD800)<<10 + (unit - 0xDC00))
				continue
			}
			// The unit after a lead surrogate is not a trail: an error,
			// and the unit is decoded again on its own.
			if err := fail(); err != nil {
				return "", err
			}
		}
		switch {
		case unit >= 0xD800 && unit <= 0xDBFF:
			s.leadSurrogate = unit
		case unit >= 0xDC00 && unit <= 0xDFFF:
			if err := fail(); err != nil {
				return "", err
			}
		default:
			b.WriteRune(unit)
		}
	}
	if flush && (s.leadByte != 0 || s.leadSurrogate != 0) {
		*s = utf16State{}
		if err := fail(); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// legacyState decodes a legacy encoding with x/text, keeping the bytes of
// an incomplete sequence between chunks.
type legacyState struct {
	t       transform.Transformer
	pending []byte
}

func newLegacyState(e encoding.Encoding) *legacyState {
	return &legacyState{t: e.NewDecoder()}
}

func (s *legacyState) decode(p []byte, flush, fatal bool) (string, error) {
	src := p
	if len(s.pending) > 0 {
		src = append(s.pending, p...)
		s.pending = nil
	}
	dst := make([]byte, 0, len(src)*3+8)
	buf := make([]byte, 4096)
	for {
		nDst, nSrc, err := s.t.Transform(buf, src, flush)
		dst = append(dst, buf[:nDst]...)
		src = src[nSrc:]
		switch err {
		case nil:
			if flush || len(src) == 0 {
				goto done
			}
		case transform.ErrShortDst:
			continue
		case transform.ErrShortSrc:
			if !flush {
				s.pending = append([]byte(nil), src...)
				goto done
			}
			return "", err
		default:
			return "", err
		}
	}
done:
	if flush {
		s.t.Reset()
	}
	out := string(dst)
	// The legacy decoders write U+FFFD for what they cannot decode, and
	// none of these encodings has another way to encode U+FFFD (but
	// gb18030's four-byte form, accepted as an error in fatal mode).
	if fatal && strings.ContainsRune(out, utf8.RuneError) {
		return "", errDecode
	}
	return out, nil
}
