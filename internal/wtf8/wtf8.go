// Package wtf8 converts between strings of UTF-16 code units, as
// JavaScript has them, and WTF-8, the generalisation of UTF-8 that also
// encodes lone surrogates (https://simonsapin.github.io/wtf-8/).
//
// A JavaScript string is any sequence of 16-bit code units; converting it
// to UTF-8 replaces each unpaired surrogate with U+FFFD, so distinct
// strings ("\ud800" and "\udc00") become the same Go string. WTF-8 keeps
// them apart: a lone surrogate keeps its own three-byte encoding (ED A0 80
// for U+D800), which UTF-8 forbids. Every valid UTF-8 string is the WTF-8
// of the same text, so values stored as UTF-8 before read the same.
package wtf8

import (
	"unicode/utf16"
	"unicode/utf8"
)

// FromUTF16 returns the WTF-8 encoding of the code units s: UTF-8, except
// that a surrogate not part of a pair is encoded on its own.
func FromUTF16(s []uint16) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			b = append(b, byte(c))
			continue
		case utf16.IsSurrogate(rune(c)) && c < 0xDC00 && i+1 < len(s) && s[i+1] >= 0xDC00 && s[i+1] <= 0xDFFF:
			b = utf8.AppendRune(b, utf16.DecodeRune(rune(c), rune(s[i+1])))
			i++
			continue
		case utf16.IsSurrogate(rune(c)):
			b = appendSurrogate(b, c)
			continue
		}
		b = utf8.AppendRune(b, rune(c))
	}
	return string(b)
}

// appendSurrogate appends the generalised UTF-8 (three bytes) of a
// surrogate code point.
func appendSurrogate(b []byte, c uint16) []byte {
	return append(b, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
}

// ToUTF16 returns the code units of the WTF-8 string s, the inverse of
// FromUTF16. Bytes that are neither UTF-8 nor an encoded surrogate become
// U+FFFD, as a UTF-8 decoder makes them.
func ToUTF16(s string) []uint16 {
	out := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			out = append(out, uint16(c))
			i++
			continue
		}
		if c, ok := surrogateAt(s, i); ok {
			out = append(out, c)
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		out = utf16.AppendRune(out, r)
		i += n
	}
	return out
}

// surrogateAt decodes the encoded surrogate at s[i:], if there is one:
// ED followed by A0-BF and 80-BF.
func surrogateAt(s string, i int) (uint16, bool) {
	if i+2 >= len(s) || s[i] != 0xED || s[i+1] < 0xA0 || s[i+1] > 0xBF || s[i+2] < 0x80 || s[i+2] > 0xBF {
		return 0, false
	}
	return 0xD000 | uint16(s[i+1]&0x3F)<<6 | uint16(s[i+2]&0x3F), true
}
