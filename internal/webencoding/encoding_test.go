package webencoding

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/swhost/swhost/weberr"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		label, name string // name "" means no encoding
	}{
		{"utf-8", "utf-8"},
		{"UTF8", "utf-8"},
		{"unicode-1-1-utf-8", "utf-8"},
		{"unicode11utf8", "utf-8"},
		{"x-unicode20utf8", "utf-8"},
		{" \t\n\f\rutf-8 \t\n\f\r", "utf-8"},
		{"latin1", "windows-1252"},
		{"ascii", "windows-1252"},
		{"iso-8859-1", "windows-1252"},
		{"latin2", "iso-8859-2"},
		{"iso-8859-8-i", "iso-8859-8-i"},
		{"koi8-u", "koi8-u"},
		{"x-mac-ukrainian", "x-mac-cyrillic"},
		{"tis-620", "windows-874"},
		{"gb2312", "gbk"},
		{"gb18030", "gb18030"},
		{"big5-hkscs", "big5"},
		{"sjis", "shift_jis"},
		{"windows-31j", "shift_jis"},
		{"csiso2022jp", "iso-2022-jp"},
		{"euc-jp", "euc-jp"},
		{"windows-949", "euc-kr"},
		{"utf-16", "utf-16le"},
		{"unicode", "utf-16le"},
		{"ucs-2", "utf-16le"},
		{"unicodefffe", "utf-16be"},
		{"utf-16be", "utf-16be"},
		{"x-user-defined", "x-user-defined"},
		{"iso-2022-kr", "replacement"},
		{"hz-gb-2312", "replacement"},
		// Not labels.
		{"", ""},
		{"utf-7", ""},
		{"\vutf-8", ""},
		{"utf-8\v", ""},
		{"utf-8\u00a0", ""},
		{"\u2028utf-8", ""},
		{"utf-8\x00", ""},
		{"utf\u212a-8", ""}, // not ASCII
		{"replacement", "replacement"},
	}
	for _, tt := range tests {
		e, ok := Lookup(tt.label)
		switch {
		case tt.name == "" && ok:
			t.Errorf("Lookup(%q) = %s; want none", tt.label, e.Name())
		case tt.name != "" && !ok:
			t.Errorf("Lookup(%q) found none; want %s", tt.label, tt.name)
		case ok && e.Name() != tt.name:
			t.Errorf("Lookup(%q) = %s; want %s", tt.label, e.Name(), tt.name)
		case ok && e.IsReplacement() != (tt.name == "replacement"):
			t.Errorf("Lookup(%q).IsReplacement() = %v", tt.label, e.IsReplacement())
		}
	}
}

const ffd = "\uFFFD"

func TestDecodeWhole(t *testing.T) {
	tests := []struct {
		label string
		in    []byte
		want  string // "!" means a fatal decoder fails
		fatal bool
	}{
		{"utf-8", []byte("h\u00e9\u20ac\U0001F600"), "h\u00e9\u20ac\U0001F600", false},
		{"utf-8", []byte{0xEF, 0xBB, 0xBF, 'a'}, "a", false},
		{"utf-8", []byte{0xFF, 'A'}, ffd + "A", false},
		{"utf-8", []byte{0xFF, 0xFF}, ffd + ffd, false},                         // one per byte, not per run
		{"utf-8", []byte{0xC0, 0x80}, ffd + ffd, false},                         // overlong
		{"utf-8", []byte{0xF0, 0x80, 0x80}, ffd + ffd + ffd, false},             // below F0's lower boundary
		{"utf-8", []byte{0xED, 0xA0, 0x80}, ffd + ffd + ffd, false},             // a surrogate
		{"utf-8", []byte{0xF4, 0x90, 0x80, 0x80}, ffd + ffd + ffd + ffd, false}, // above U+10FFFF
		{"utf-8", []byte{0xE2, 0x82}, ffd, false},                               // one maximal subpart
		{"utf-8", []byte{0xE2, 0x82, 'x'}, ffd + "x", false},
		{"utf-8", []byte{0xF0, 0x9F, 0x98, 'x'}, ffd + "x", false},
		{"utf-8", []byte{0xFF}, "!", true},
		{"utf-8", []byte{0xE2, 0x82}, "!", true},
		{"utf-16le", []byte{'h', 0, 'i', 0}, "hi", false},
		{"utf-16le", []byte{0xFF, 0xFE, 'h', 0}, "h", false},
		{"utf-16le", []byte{0x3D, 0xD8, 0x00, 0xDE}, "\U0001F600", false},
		{"utf-16le", []byte{0x3D, 0xD8}, ffd, false},               // lone lead surrogate at the end
		{"utf-16le", []byte{0x00, 0xDE, 'a', 0}, ffd + "a", false}, // lone trail
		{"utf-16le", []byte{0x3D, 0xD8, 'a', 0}, ffd + "a", false}, // lead then a BMP unit
		{"utf-16le", []byte{'a', 0, 'b'}, "a" + ffd, false},        // odd byte
		{"utf-16le", []byte{'a'}, "!", true},
		{"utf-16be", []byte{0xFE, 0xFF, 0, 'h', 0, 'i'}, "hi", false},
		{"utf-16be", []byte{0xD8, 0x3D, 0xDE, 0x00}, "\U0001F600", false},
		{"windows-1252", []byte{0x80, 'a', 0xE9}, "\u20aca\u00e9", false},
		{"windows-1252", []byte{0xEF, 0xBB, 0xBF}, "\u00ef\u00bb\u00bf", false}, // no BOM in legacy encodings
		{"windows-874", []byte{0xDB}, ffd, false},                               // unassigned
		{"windows-874", []byte{0xDB}, "!", true},
		{"iso-8859-2", []byte{0xA1}, "\u0104", false},
		{"koi8-r", []byte{0xC1}, "\u0430", false},
		{"x-user-defined", []byte{'a', 0x80, 0xFF}, "a\uF780\uF7FF", false},
		{"shift_jis", []byte{0x82, 0xA0, 'a'}, "\u3042a", false},
		{"euc-jp", []byte{0xA4, 0xA2}, "\u3042", false},
		{"iso-2022-jp", []byte("\x1b$B$\"\x1b(B"), "\u3042", false},
		{"gbk", []byte{0xC4, 0xE3}, "\u4f60", false},
		{"gb18030", []byte{0x81, 0x30, 0x81, 0x30}, "\u0080", false},
		{"big5", []byte{0xA4, 0x40}, "\u4e00", false},
		{"euc-kr", []byte{0xB0, 0xA1}, "\uac00", false},
		{"shift_jis", []byte{0x82}, ffd, false},
		{"shift_jis", []byte{0x82}, "!", true},
	}
	for _, tt := range tests {
		e, ok := Lookup(tt.label)
		if !ok {
			t.Fatalf("no encoding %s", tt.label)
		}
		got, err := e.NewDecoder(tt.fatal, false).Decode(tt.in, false)
		if tt.want == "!" {
			if weberr.NameOf(err) != weberr.TypeError {
				t.Errorf("%s fatal %x = %q, %v; want a TypeError", tt.label, tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%s %x = %q, %v; want %q", tt.label, tt.in, got, err, tt.want)
		}
	}
}

func TestDecodeStream(t *testing.T) {
	type call struct {
		in     []byte
		stream bool
		want   string
	}
	tests := []struct {
		name      string
		label     string
		ignoreBOM bool
		calls     []call
	}{
		{"utf-8 sequence across chunks", "utf-8", false, []call{
			{[]byte{0xE2}, true, ""}, {[]byte{0x82}, true, ""}, {[]byte{0xAC, 'x'}, false, "\u20acx"},
		}},
		{"flush without input", "utf-8", false, []call{
			{[]byte{0xE2, 0x82}, true, ""}, {nil, false, ffd},
		}},
		{"BOM across chunks", "utf-8", false, []call{
			{[]byte{0xEF, 0xBB}, true, ""}, {[]byte{0xBF, 'A'}, true, "A"}, {[]byte{0xEF, 0xBB, 0xBF}, false, "\uFEFF"},
		}},
		{"BOM again after the stream ends", "utf-8", false, []call{
			{[]byte{0xEF, 0xBB, 0xBF, 'a'}, false, "a"}, {[]byte{0xEF, 0xBB, 0xBF, 'b'}, false, "b"},
		}},
		{"ignoreBOM", "utf-8", true, []call{
			{[]byte{0xEF, 0xBB, 0xBF, 'a'}, false, "\uFEFFa"},
		}},
		{"utf-16le pair across chunks", "utf-16le", false, []call{
			{[]byte{0x3D}, true, ""}, {[]byte{0xD8, 0x00}, true, ""}, {[]byte{0xDE}, false, "\U0001F600"},
		}},
		{"utf-16le incomplete at the end", "utf-16le", false, []call{
			{[]byte{'a', 0, 'b'}, true, "a"}, {nil, false, ffd},
		}},
		{"shift_jis across chunks", "shift_jis", false, []call{
			{[]byte{'a', 0x82}, true, "a"}, {[]byte{0xA0}, false, "\u3042"},
		}},
		{"gb18030 four bytes across chunks", "gb18030", false, []call{
			{[]byte{0x81, 0x30}, true, ""}, {[]byte{0x81}, true, ""}, {[]byte{0x30}, false, "\u0080"},
		}},
	}
	for _, tt := range tests {
		e, _ := Lookup(tt.label)
		d := e.NewDecoder(false, tt.ignoreBOM)
		for i, c := range tt.calls {
			got, err := d.Decode(c.in, c.stream)
			if err != nil || got != c.want {
				t.Errorf("%s: call %d = %q, %v; want %q", tt.name, i, got, err, c.want)
			}
		}
	}
}

func TestFatalResets(t *testing.T) {
	d := UTF8.NewDecoder(true, false)
	if _, err := d.Decode([]byte{0xE2}, true); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Decode([]byte{'x'}, true); err == nil {
		t.Fatal("an interrupted sequence did not fail")
	}
	if got, err := d.Decode([]byte("ok"), false); err != nil || got != "ok" {
		t.Errorf("after the error: %q, %v; want a fresh decoder", got, err)
	}
}

func TestDecodeUTF8(t *testing.T) {
	if s, err := DecodeUTF8([]byte{0xEF, 0xBB, 0xBF, 0xFF, 0xFF}, false, false); err != nil || s != ffd+ffd {
		t.Errorf("DecodeUTF8 = %q, %v", s, err)
	}
	if _, err := DecodeUTF8([]byte{0xFF}, true, false); weberr.NameOf(err) != weberr.TypeError {
		t.Errorf("fatal DecodeUTF8 = %v; want a TypeError", err)
	}
	if s, _ := DecodeUTF8([]byte{0xEF, 0xBB, 0xBF}, false, true); s != "\uFEFF" {
		t.Errorf("DecodeUTF8 with ignoreBOM = %q", s)
	}
}

// FuzzStreamSplit checks that decoding in chunks gives what decoding the
// whole input does, in every encoding family, and that valid UTF-8 comes
// out unchanged.
func FuzzStreamSplit(f *testing.F) {
	f.Add([]byte("h\u00e9\u20ac\U0001F600"), uint8(1), uint8(0))
	f.Add([]byte{0xF0, 0x9F, 0x98, 0x80, 0xFF, 0xE2, 0x82}, uint8(3), uint8(1))
	f.Add([]byte{0x3D, 0xD8, 0x00, 0xDE, 0x00}, uint8(2), uint8(2))
	f.Add([]byte{0x82, 0xA0, 0x82}, uint8(1), uint8(3))
	labels := []string{"utf-8", "utf-16le", "utf-16be", "shift_jis", "gb18030", "windows-1252", "iso-2022-jp"}
	f.Fuzz(func(t *testing.T, in []byte, step, which uint8) {
		e, _ := Lookup(labels[int(which)%len(labels)])
		whole, err := e.NewDecoder(false, false).Decode(in, false)
		if err != nil {
			t.Fatal(err)
		}
		n := int(step)%7 + 1
		d := e.NewDecoder(false, false)
		var b strings.Builder
		for i := 0; i < len(in); i += n {
			s, err := d.Decode(in[i:min(i+n, len(in))], true)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(s)
		}
		s, err := d.Decode(nil, false)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(s)
		if e.Name() != "iso-2022-jp" && b.String() != whole {
			t.Errorf("%s in chunks of %d: %q; whole: %q", e.Name(), n, b.String(), whole)
		}
		if !utf8.ValidString(whole) {
			t.Errorf("%s: output is not valid UTF-8", e.Name())
		}
		if e == UTF8 && utf8.Valid(in) && !strings.HasPrefix(string(in), "\uFEFF") && whole != string(in) {
			t.Errorf("valid UTF-8 changed: %q", whole)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	text := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog. Ünïcödé ✓ ", 1<<10))
	b.Run("utf-8/valid", func(b *testing.B) {
		d := UTF8.NewDecoder(false, false)
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			_, _ = d.Decode(text, false)
		}
	})
	b.Run("utf-8/stream", func(b *testing.B) {
		d := UTF8.NewDecoder(false, false)
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			_, _ = d.Decode(text, true)
		}
	})
	b.Run("utf-8/invalid", func(b *testing.B) {
		bad := append(append([]byte(nil), text...), 0xFF)
		d := UTF8.NewDecoder(false, false)
		b.SetBytes(int64(len(bad)))
		for b.Loop() {
			_, _ = d.Decode(bad, false)
		}
	})
	// The peer: x/text's own UTF-8 decoder on the same input.
	b.Run("peer-xtext/utf-8", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			_, _ = unicode.UTF8.NewDecoder().String(string(text))
		}
	})
	sjis, _ := Lookup("shift_jis")
	b.Run("shift_jis", func(b *testing.B) {
		d := sjis.NewDecoder(false, false)
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			_, _ = d.Decode(text, false)
		}
	})
	b.Run("peer-xtext/shift_jis", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			_, _ = japanese.ShiftJIS.NewDecoder().Bytes(text)
		}
	})
}
