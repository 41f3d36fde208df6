package wtf8

import (
	"slices"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestFromUTF16(t *testing.T) {
	tests := []struct {
		name  string
		units []uint16
		want  string
	}{
		{"empty", nil, ""},
		{"ascii", []uint16{'a', 'b'}, "ab"},
		{"bmp", []uint16{0xE9, 0x20AC}, "é€"},
		{"pair", []uint16{0xD83D, 0xDE00}, "😀"},
		{"lone high", []uint16{0xD800}, "\xED\xA0\x80"},
		{"lone low", []uint16{0xDC00}, "\xED\xB0\x80"},
		{"reversed pair", []uint16{0xDC00, 0xD800}, "\xED\xB0\x80\xED\xA0\x80"},
		{"high then text", []uint16{0xDBFF, 'x'}, "\xED\xAF\xBFx"},
		{"text then low", []uint16{'x', 0xDFFF}, "x\xED\xBF\xBF"},
		{"U+FFFD itself", []uint16{0xFFFD}, "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromUTF16(tt.units)
			if got != tt.want {
				t.Fatalf("FromUTF16(%x) = %q, want %q", tt.units, got, tt.want)
			}
			if back := ToUTF16(got); !slices.Equal(back, tt.units) && !(len(back) == 0 && len(tt.units) == 0) {
				t.Errorf("ToUTF16(%q) = %x, want %x", got, back, tt.units)
			}
		})
	}
}

func TestToUTF16InvalidBytes(t *testing.T) {
	// Bytes that are not WTF-8 decode as a UTF-8 decoder does.
	for in, want := range map[string][]uint16{
		"\xff":         {0xFFFD},
		"a\xC3":        {'a', 0xFFFD},
		"\xED\xA0":     {0xFFFD, 0xFFFD},
		"\xED\x9F\xBF": {0xD7FF},
	} {
		if got := ToUTF16(in); !slices.Equal(got, want) {
			t.Errorf("ToUTF16(%q) = %x, want %x", in, got, want)
		}
	}
}

// FuzzRoundTrip checks that every sequence of code units survives
// FromUTF16 and ToUTF16, that distinct sequences stay distinct, and that
// valid UTF-16 gives plain UTF-8.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{0x00, 0xD8}, []byte{0x00, 0xDC})
	f.Add([]byte{0x3D, 0xD8, 0x00, 0xDE}, []byte("ab"))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		ua, ub := units(a), units(b)
		sa, sb := FromUTF16(ua), FromUTF16(ub)
		if got := ToUTF16(sa); !slices.Equal(got, ua) {
			t.Fatalf("round trip of %x: %x", ua, got)
		}
		if (sa == sb) != slices.Equal(ua, ub) {
			t.Fatalf("%x and %x encode as %q and %q", ua, ub, sa, sb)
		}
		if valid := string(utf16.Decode(ua)); utf8.ValidString(sa) != (FromUTF16(utf16.Encode([]rune(valid))) == sa) {
			t.Fatalf("%x: %q is valid UTF-8 %v but differs from its UTF-8 decoding %q", ua, sa, utf8.ValidString(sa), valid)
		}
	})
}

func units(b []byte) []uint16 {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
	}
	return u
}
